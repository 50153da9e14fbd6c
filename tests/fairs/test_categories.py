"""Categories (app/fairs/categories.py): the method's set, added, renamed, archived."""

import pytest

from app.core.errors import DomainError
from app.fairs.categories import add_category, fair_categories, rename_category, set_category_archived


def test_new_fair_has_the_method_categories(fair):
    keys = [c.key for c in fair_categories(fair.id)]
    assert keys[:3] == ["rooms", "equipment", "volunteers"] and "it_service" in keys and len(keys) == 12


def test_organiser_edits_categories(fair, organiser):
    added = add_category(organiser, fair.id, "Ogrodnictwo")
    rename_category(organiser, fair.id, added.id, "Ogród i zieleń")
    set_category_archived(organiser, fair.id, added.id, True)
    assert added.id not in [c.id for c in fair_categories(fair.id)]
    with pytest.raises(DomainError) as err:
        add_category(organiser, fair.id, "sprzęt")
    assert err.value.code == "duplicate_category"
