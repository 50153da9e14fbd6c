"""The categories' menu kept in memory (app/fairs/category_menu.py): read once, rebuilt after a
change in this process at once and after another process's change within MAX_AGE."""

from __future__ import annotations

import pytest
from flask_babel import refresh
from sqlalchemy import text

from app.core.errors import DomainError
from app.core.extensions import db
from app.fairs import category_menu as menus
from app.fairs.categories import add_category, rename_category, set_category_archived
from app.fairs.category_menu import category_menu


def test_the_menu_lists_the_fairs_categories_in_order_with_labels(app, fair):
    with app.test_request_context("/?lang=en"):
        menu = category_menu(fair.id)
    assert [item.label for item in menu.items][:3] == ["Rooms", "Equipment", "Volunteers and time"]


def test_the_menu_speaks_the_requests_language(app, fair):
    with app.test_request_context("/?lang=pl"):
        polish = category_menu(fair.id).items[0].label
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context keeps the first request's locale
        english = category_menu(fair.id).items[0].label
    assert (polish, english) == ("Sale i pomieszczenia", "Rooms")


def test_a_second_read_asks_the_database_nothing(app, fair, statements):
    with app.test_request_context("/"):
        first = category_menu(fair.id)
        statements.clear()
        again = category_menu(fair.id)
    assert again is first and statements == []


def test_a_rename_shows_at_once(app, fair, organiser):
    added = add_category(organiser, fair.id, "Ogrodnictwo")
    with app.test_request_context("/"):
        assert category_menu(fair.id).labels[added.id] == "Ogrodnictwo"
    rename_category(organiser, fair.id, added.id, "Ogród i zieleń")
    with app.test_request_context("/"):
        assert category_menu(fair.id).labels[added.id] == "Ogród i zieleń"


def test_an_archived_category_leaves_the_choices_but_stays_for_its_own_posts(app, fair, organiser):
    added = add_category(organiser, fair.id, "Ogrodnictwo")
    with app.test_request_context("/"):
        assert added.id in dict(category_menu(fair.id).choices())
    set_category_archived(organiser, fair.id, added.id, True)
    with app.test_request_context("/"):
        menu = category_menu(fair.id)
        assert added.id not in dict(menu.choices())
        assert added.id in dict(menu.choices(keep=added.id))
        assert added.id in menu.labels  # the board still names old posts' category


def test_a_change_rolled_back_keeps_the_menu(app, fair, organiser, statements):
    with app.test_request_context("/"):
        first = category_menu(fair.id)
    with pytest.raises(DomainError):
        add_category(organiser, fair.id, "x" * 81)
    with app.test_request_context("/"):
        assert category_menu(fair.id) is first


def test_another_process_change_shows_after_max_age(app, fair, monkeypatch):
    """A change this process did not commit (another app process; here raw SQL past the session)
    is not seen until the menu is MAX_AGE old."""
    with app.test_request_context("/"):
        first = category_menu(fair.id)
    rooms = first.items[0].id
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE categories SET name = 'Sale' WHERE id = :id"), {"id": rooms})
    with app.test_request_context("/"):
        assert category_menu(fair.id) is first  # still within MAX_AGE: the old menu
    monkeypatch.setattr(app.extensions[menus.EXTENSION], "max_age", 0.0)  # as if MAX_AGE had passed
    db.session.remove()  # a new request: the session holds no rows read before
    with app.test_request_context("/"):
        assert category_menu(fair.id).labels[rooms] == "Sale"


def test_the_post_form_offers_a_category_added_a_moment_ago(client, trading_fair, organiser, make_participant,
                                                             login):
    person = make_participant()
    login(person)
    assert "Ogrodnictwo" not in client.get(f"/f/{trading_fair.slug}/posts/new").get_data(as_text=True)
    add_category(organiser, trading_fair.id, "Ogrodnictwo")
    assert "Ogrodnictwo" in client.get(f"/f/{trading_fair.slug}/posts/new").get_data(as_text=True)
