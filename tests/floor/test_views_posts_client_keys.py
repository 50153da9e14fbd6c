"""The post forms sent by a phone's queue of actions kept while offline (static/js/offline.js):
with `Accept: application/json` and the phone's key, a form sent twice posts (or edits) once, the
answer is the server's message and where the result is, and a refusal is a problem document in
the person's language (app/floor/views/posts.py, app/core/web/answers.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.extensions import db
from app.core.web.formkeys import new_key
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import PostData, edit_post

JSON = {"Accept": "application/json"}


def posts() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(Post.id))) or 0)


def offer(category_id: int, key: str, title: str = "Rzutnik multimedialny") -> dict[str, str]:
    return {"kind": "offer", "category_id": str(category_id), "title": title, "key": key}


def test_a_new_post_replayed_is_posted_once_and_answered_twice(client, trading_fair, make_participant, login,
                                                               category):
    login(make_participant())
    data = offer(category("equipment"), new_key())
    first = client.post(f"/f/{trading_fair.slug}/posts/new", data=data, headers=JSON)
    again = client.post(f"/f/{trading_fair.slug}/posts/new", data=data, headers=JSON)
    assert posts() == 1
    post_id = db.session.scalar(select(Post.id))
    assert first.status_code == again.status_code == 200
    assert first.json == {"ok": True, "category": "success", "location": f"/f/{trading_fair.slug}/posts/{post_id}",
                          "message": "Opublikowano. Wszyscy na giełdzie już to widzą."}
    assert again.json["ok"] and again.json["category"] == "info" and again.json["location"] == first.json["location"]


def test_nothing_is_flashed_for_a_later_page(client, trading_fair, make_participant, login, category):
    """The queue shows the message itself: the next page the person opens has no stale flash."""
    login(make_participant())
    client.post(f"/f/{trading_fair.slug}/posts/new", data=offer(category("equipment"), new_key()), headers=JSON)
    with client.session_transaction() as session:
        assert not session.get("_flashes")


def test_a_refused_new_post_is_a_problem_in_the_persons_language(client, fair, make_participant, login, category):
    login(make_participant())
    r = client.post(f"/f/{fair.slug}/posts/new", data=offer(category("equipment"), new_key()), headers=JSON)
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    assert r.json["code"] == "trading_closed" and r.json["message"].startswith("Wymiana jest zamknięta")
    assert posts() == 0


def test_a_form_that_does_not_validate_is_a_problem_naming_what_is_wrong(client, trading_fair, make_participant,
                                                                         login, category):
    login(make_participant())
    r = client.post(f"/f/{trading_fair.slug}/posts/new", data=offer(category("equipment"), new_key(), title=""),
                    headers=JSON)
    assert r.status_code == 422 and r.json["code"] == "form_invalid"
    assert "Nadaj ogłoszeniu tytuł." in r.json["message"]


def test_an_edit_replayed_after_it_went_through_is_not_refused_as_stale(client, trading_fair, make_participant,
                                                                        login, make_post, category):
    person = make_participant()
    post = make_post(person)
    login(person)
    data = {**offer(category("rooms"), new_key(), "Sala na 40 osób"), "version": "1"}
    first = client.post(f"/f/{trading_fair.slug}/posts/{post.id}/edit", data=data, headers=JSON)
    again = client.post(f"/f/{trading_fair.slug}/posts/{post.id}/edit", data=data, headers=JSON)
    assert first.json["ok"] and again.json["ok"] and again.json["message"] == "Zmiany zapisane."
    db.session.rollback()
    assert db.session.get_one(Post, post.id).version == 2


def test_an_edit_kept_while_someone_else_changed_the_post_is_refused_clearly(
        client, trading_fair, make_participant, login, make_post, category):
    person = make_participant()
    post = make_post(person)
    colleague = make_participant(organisation=person.organisation.name)
    theirs = PostData(kind=PostKind.OFFER, category_id=category("rooms"), title="Sala na 30 osób z rzutnikiem")
    edit_post(colleague, trading_fair.id, post.id, theirs, version=1)
    login(person)
    data = {**offer(category("rooms"), new_key(), "Sala na 40 osób"), "version": "1"}
    r = client.post(f"/f/{trading_fair.slug}/posts/{post.id}/edit", data=data, headers=JSON)
    assert r.status_code == 409 and r.json["code"] == "post_changed"
    assert r.json["message"].startswith("Ktoś w międzyczasie zmienił to ogłoszenie")
    db.session.rollback()
    assert db.session.get_one(Post, post.id).title == theirs.title  # nothing of the refused edit


def test_a_phone_logged_out_meanwhile_is_told_so_not_sent_to_the_login_page(client, trading_fair, category):
    r = client.post(f"/f/{trading_fair.slug}/posts/new", data=offer(category("equipment"), new_key()), headers=JSON)
    assert r.status_code == 401 and r.mimetype == "application/problem+json"
    assert posts() == 0
