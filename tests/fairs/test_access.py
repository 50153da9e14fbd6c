"""Which fair a page belongs to (app/fairs/access.py): a logged-in person's own fair comes with
them; any other fair is looked up by its slug."""

from __future__ import annotations

from app.fairs.fairs import FairData, create_fair


def _fair_reads(statements):
    return [s for s in statements if s.startswith("SELECT fairs.")]


def test_a_persons_own_fair_comes_with_them_in_one_statement(client, trading_fair, make_participant, login,
                                                             statements):
    login(make_participant())
    client.get(f"/f/{trading_fair.slug}/board")  # the first page after logging in
    statements.clear()
    page = client.get(f"/f/{trading_fair.slug}/posts/new")
    assert page.status_code == 200 and trading_fair.name in page.get_data(as_text=True)
    assert _fair_reads(statements) == []
    assert len([s for s in statements if "FROM participants" in s and "JOIN fairs" in s]) == 1


def test_another_fairs_page_is_looked_up_by_its_slug(client, trading_fair, make_participant, login, statements):
    create_fair(FairData(name="Giełda w Gniewie", slug="gniew"))
    login(make_participant())
    statements.clear()
    page = client.get("/f/gniew/board")
    assert page.status_code == 200 and "Giełda w Gniewie" in page.get_data(as_text=True)
    assert len(_fair_reads(statements)) == 1
    assert client.get("/f/gniew/posts/new").status_code == 403  # not their fair


def test_a_fair_that_does_not_exist_is_404_for_a_logged_in_person(client, trading_fair, make_participant, login):
    login(make_participant())
    assert client.get("/f/nie-ma-takiej/board").status_code == 404
    assert client.get("/f/nie-ma-takiej/posts/new").status_code == 404
