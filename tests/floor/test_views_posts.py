"""Pages of the trading floor (app/floor/views/posts.py): board, posting from a phone, editing,
withdrawing, hiding and restoring, our posts."""

import re

import pytest

from app.core.extensions import db
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import hide_post


def text(r):
    return r.get_data(as_text=True)


def test_board_is_public_and_lists_live_posts(client, trading_fair, make_participant, make_post):
    make_post(make_participant(), "Żółw do terapii")
    r = client.get(f"/f/{trading_fair.slug}/board?q=zolw")
    assert r.status_code == 200 and "Żółw do terapii" in text(r)


def test_board_pages_link_older_and_newer_posts_keeping_the_search(client, trading_fair, make_participant,
                                                                    make_post, monkeypatch):
    import app.floor.board as board_module

    monkeypatch.setattr(board_module, "BOARD_PAGE", 2)
    monkeypatch.setattr(board_module.paged_board, "__defaults__", (1, 2))
    author = make_participant()
    for n in range(5):
        make_post(author, f"Sala {n}")
    first = text(client.get(f"/f/{trading_fair.slug}/board?q=sala"))
    assert "Sala 4" in first and "Sala 2" not in first
    assert f'href="/f/{trading_fair.slug}/board?page=2&amp;q=sala"' in first and "Nowsze ogłoszenia" not in first
    second = text(client.get(f"/f/{trading_fair.slug}/board?q=sala&page=2"))
    assert "Sala 2" in second and "Sala 4" not in second and "Strona 2" in second
    assert f'href="/f/{trading_fair.slug}/board?q=sala"' in second and "Starsze ogłoszenia" in second
    assert 'data-filtered="1"' in second  # an older page does not take new posts in at the top
    third = text(client.get(f"/f/{trading_fair.slug}/board?q=sala&page=3"))
    assert "Sala 0" in third and "Starsze ogłoszenia" not in third
    huge = client.get(f"/f/{trading_fair.slug}/board?page=99999999999999999999")
    assert huge.status_code == 200


def test_board_ignores_bad_filter_values(client, trading_fair):
    r = client.get(f"/f/{trading_fair.slug}/board?kind=bogus&sector=nope&category=abc")
    assert r.status_code == 200


def test_post_from_phone(client, trading_fair, make_participant, login, category):
    p = make_participant()
    login(p)
    r = client.post(f"/f/{trading_fair.slug}/posts/new", data={
        "kind": "need", "category_id": str(category("volunteers")), "title": "Wolontariusze na festyn",
        "details": "Sobota 10–14", "quantity": "5", "unit": "people", "available_when": "czerwiec"})
    assert r.status_code == 303
    post = db.session.query(Post).one()
    assert post.kind == PostKind.NEED and post.quantity == 5 and post.organisation_id == p.organisation_id


def test_post_form_errors(client, trading_fair, make_participant, login, category):
    login(make_participant())
    r = client.post(f"/f/{trading_fair.slug}/posts/new", data={
        "kind": "offer", "category_id": str(category()), "title": "", "unit": "days"})
    assert r.status_code == 422 and db.session.query(Post).count() == 0


def test_post_while_closed_says_so(client, fair, make_participant, login, category):
    login(make_participant())
    r = client.post(f"/f/{fair.slug}/posts/new", data={
        "kind": "offer", "category_id": str(category()), "title": "Sala"}, follow_redirects=True)
    assert "trading_closed" not in text(r) and db.session.query(Post).count() == 0
    assert r.status_code == 200


def test_new_post_needs_login(client, trading_fair):
    r = client.get(f"/f/{trading_fair.slug}/posts/new")
    assert r.status_code == 302


def test_edit_by_stranger_forbidden(client, trading_fair, make_participant, make_post, login):
    post = make_post(make_participant())
    login(make_participant())
    assert client.get(f"/f/{trading_fair.slug}/posts/{post.id}/edit").status_code == 403


def test_withdraw_from_post_page(client, trading_fair, make_participant, make_post, login):
    p = make_participant()
    post = make_post(p)
    login(p)
    r = client.post(f"/f/{trading_fair.slug}/posts/{post.id}/withdraw", data={"version": post.version})
    assert r.status_code == 303
    db.session.expire_all()
    assert not db.session.get(Post, post.id).is_live


def test_hidden_post_is_404_for_public(client, trading_fair, organiser, make_participant, make_post, login):
    from app.floor.posts import hide_post

    post = make_post(make_participant())
    hide_post(organiser, trading_fair.id, post.id, "spam")
    assert client.get(f"/f/{trading_fair.slug}/posts/{post.id}").status_code == 404
    login(organiser)
    assert "spam" in text(client.get(f"/f/{trading_fair.slug}/posts/{post.id}"))


def test_quantities_take_the_polish_plural(client, trading_fair, make_participant, make_post):
    from app.floor.kinds import Unit

    author = make_participant()
    make_post(author, "Wolontariusze A", quantity=1, unit=Unit.PEOPLE)
    make_post(author, "Wolontariusze B", quantity=3, unit=Unit.PEOPLE)
    make_post(author, "Wolontariusze C", quantity=22, unit=Unit.PEOPLE)
    make_post(author, "Sala", quantity=5, unit=Unit.HOURS)
    page = text(client.get(f"/f/{trading_fair.slug}/board"))
    assert "1 osoba" in page and "3 osoby" in page and "22 osoby" in page and "5 godzin" in page
    client.get("/lang/en")
    assert "3 people" in text(client.get(f"/f/{trading_fair.slug}/board"))


@pytest.mark.parametrize("version", ["abc", "9223372036854775808", "1e30"])
def test_edit_with_a_garbled_version_is_explained_and_saves_nothing(version, client, trading_fair, category,
                                                                     make_participant, make_post, login):
    author = make_participant()
    post = make_post(author)
    login(author)
    r = client.post(f"/f/{trading_fair.slug}/posts/{post.id}/edit", data={
        "kind": "offer", "category_id": category(), "title": "Inna sala", "unit": "", "version": version})
    assert r.status_code == 422
    assert "Formularz wygasł. Spróbuj ponownie." in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).title == post.title


def _articles(html):
    return re.findall(r'<article class="post.*?</article>', html, re.S)


def test_board_cards_are_the_boards_own_markup_and_only_of_posts_on_it(
        client, trading_fair, organiser, make_participant, make_post, make_fair):
    from app.floor.kinds import Unit
    from app.floor.posts import hide_post, withdraw_post

    author = make_participant()
    live = make_post(author, "Wolontariusze na festyn", kind=PostKind.NEED, category_key="volunteers",
                     details="Sobota 10–14, <b>pilne</b>", quantity=3, unit=Unit.PEOPLE, available_when="czerwiec")
    other = make_post(author, "Sala na 30 osób")
    withdrawn = make_post(author, "Rzutnik")
    withdraw_post(author, trading_fair.id, withdrawn.id)
    hidden = make_post(author, "Reklama")
    hide_post(organiser, trading_fair.id, hidden.id, "spam")

    board = _articles(text(client.get(f"/f/{trading_fair.slug}/board")))
    ids = [live.id, withdrawn.id, hidden.id, other.id, "x", 2**63, -1]
    r = client.get(f"/f/{trading_fair.slug}/posts/cards", query_string=[("id", i) for i in ids])
    assert r.status_code == 200
    cards = _articles(text(r))
    assert cards == board  # the same markup, newest first; the withdrawn and the hidden left out
    assert len(cards) == 2 and "3 osoby" in cards[1] and "&lt;b&gt;pilne" in cards[1]
    assert text(client.get(f"/f/{trading_fair.slug}/posts/cards")).strip() == ""
    assert text(client.get(f"/f/{make_fair().slug}/posts/cards?id={live.id}")).strip() == ""  # another fair's
    assert client.get(f"/f/nosuchfair/posts/cards?id={live.id}").status_code == 404


def test_restore_hidden_post_page(client, trading_fair, organiser, make_participant, make_post, login):
    post = make_post(make_participant(), "Rower za darmo")
    hide_post(organiser, trading_fair.id, post.id, "sprawdzamy")
    login(organiser)
    assert client.post(f"/f/{trading_fair.slug}/posts/{post.id}/restore").status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).is_live


def test_our_posts_lists_every_state(client, trading_fair, make_participant, make_post, login):
    from app.floor.posts import withdraw_post

    me = make_participant(organisation="Fundacja Wspólna")
    colleague = make_participant(organisation="Fundacja Wspólna")
    make_post(me, "Sala czynna")
    gone = make_post(colleague, "Rzutnik wycofany", category_key="equipment")
    withdraw_post(colleague, trading_fair.id, gone.id)
    make_post(make_participant(), "Cudza oferta")
    login(me)
    page = text(client.get(f"/f/{trading_fair.slug}/my-posts"))
    assert "Sala czynna" in page and "Rzutnik wycofany" in page and "wycofane" in page
    assert "Cudza oferta" not in page


def test_restoring_a_missing_post_says_so_on_its_page_not_via_the_referer(client, trading_fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{trading_fair.slug}/posts/9999/restore", headers={"Referer": "https://evil.example/"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/f/{trading_fair.slug}/posts/9999")
    with client.session_transaction() as session:
        assert ("error", "Takie ogłoszenie nie istnieje.") in session["_flashes"]


def test_an_unhandled_refusal_of_a_post_gets_the_error_page_not_the_referer(client, trading_fair, make_participant,
                                                                            login):
    login(make_participant())
    r = client.post(f"/f/{trading_fair.slug}/posts/9999/edit", data={"title": "x"},
                    headers={"Referer": f"http://gielda.test/f/{trading_fair.slug}/board"})
    assert r.status_code == 404
    assert "post_not_found" in text(r)
