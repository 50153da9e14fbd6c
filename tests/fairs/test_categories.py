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


def test_an_archived_category_comes_back_when_restored(fair, organiser):
    added = add_category(organiser, fair.id, "Ogrodnictwo")
    set_category_archived(organiser, fair.id, added.id, True)
    assert added.id in [c.id for c in fair_categories(fair.id, include_archived=True)]
    set_category_archived(organiser, fair.id, added.id, False)
    assert added.id in [c.id for c in fair_categories(fair.id)]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_category_needs_a_short_name(fair, organiser, name):
    before = len(fair_categories(fair.id, include_archived=True))
    with pytest.raises(DomainError) as err:
        add_category(organiser, fair.id, name)
    assert err.value.code == "invalid_category_name"
    assert len(fair_categories(fair.id, include_archived=True)) == before


def test_a_category_keeps_its_own_name_when_renamed_to_it(fair, organiser):
    added = add_category(organiser, fair.id, "Ogrodnictwo")
    assert rename_category(organiser, fair.id, added.id, " ogrodnictwo ").name == "ogrodnictwo"


def test_another_fairs_category_is_not_found(fair, organiser, make_fair):
    other = make_fair()
    theirs = fair_categories(other.id)[0]
    with pytest.raises(DomainError) as err:
        rename_category(organiser, fair.id, theirs.id, "Nasza")
    assert err.value.code == "category_not_found"


def test_only_organisers_edit_categories(fair, notary):
    with pytest.raises(DomainError) as err:
        add_category(notary, fair.id, "Ogrodnictwo")
    assert err.value.code == "forbidden_role"
