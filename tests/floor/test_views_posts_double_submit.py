"""A double submit of the new-post form (app/floor/views/posts.py) posts once: the form carries a
one-time key; sent twice — one after the other, or at the same moment through a real server —
the second lands on the first post."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.core.extensions import db
from app.core.web.formkeys import new_key
from app.fairs.models import Fair
from app.floor.models import Post
from app.people.models import Participant
from tests.live import LiveServer, login_session, post_form

KEY_INPUT = re.compile(r'name="key"[^>]*value="([0-9a-f]{32})"|value="([0-9a-f]{32})"[^>]*name="key"')


def posts_count() -> int:
    db.session.rollback()  # a fresh snapshot: see what other threads committed
    return int(db.session.scalar(select(func.count()).select_from(Post)) or 0)


@pytest.fixture
def author(trading_fair: Fair, make_participant: Callable[..., Participant]) -> Participant:
    return make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")


# --- the form ------------------------------------------------------------------------------

def key_on(page: str) -> str:
    match = KEY_INPUT.search(page)
    assert match, "the form has no one-time key"
    return match.group(1) or match.group(2)


def form_data(category_id: int, key: str, title: str = "Wolontariusze na festyn") -> dict[str, str]:
    return {"key": key, "kind": "need", "category_id": str(category_id), "title": title, "details": "",
            "quantity": "5", "unit": "people", "available_when": "czerwiec"}


def test_the_form_sent_twice_posts_once_and_the_second_lands_on_the_same_post(
        client: FlaskClient, trading_fair: Fair, author: Participant, login: Callable[[Participant], None],
        category: Callable[[str], int]) -> None:
    login(author)
    page = client.get(f"/f/{trading_fair.slug}/posts/new").get_data(as_text=True)
    key = key_on(page)
    assert key != key_on(client.get(f"/f/{trading_fair.slug}/posts/new").get_data(as_text=True))
    data = form_data(category("volunteers"), key)
    first = client.post(f"/f/{trading_fair.slug}/posts/new", data=data)
    second = client.post(f"/f/{trading_fair.slug}/posts/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert posts_count() == 1
    landed = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Ten formularz został już wysłany" in landed and "Nic nie opublikowano dwa razy" in landed


def test_someone_else_replaying_a_key_gets_their_own_post(
        client: FlaskClient, trading_fair: Fair, author: Participant, login: Callable[[Participant], None],
        make_participant: Callable[..., Participant], category: Callable[[str], int]) -> None:
    data = form_data(category("volunteers"), new_key())
    login(author)
    mine = client.post(f"/f/{trading_fair.slug}/posts/new", data=data).headers["Location"]
    login(make_participant("Ewa", "Obca", organisation="Inna Fundacja"))
    theirs = client.post(f"/f/{trading_fair.slug}/posts/new", data=data, follow_redirects=True)
    assert theirs.request.path != mine and "Opublikowano" in theirs.get_data(as_text=True)
    assert sorted(p.author.last_name for p in db.session.scalars(select(Post))) == ["Obca", "Żółkiewska"]


def test_a_malformed_key_is_a_clear_error_and_the_form_comes_back_with_a_fresh_one(
        client: FlaskClient, trading_fair: Fair, author: Participant, login: Callable[[Participant], None],
        category: Callable[[str], int]) -> None:
    login(author)
    r = client.post(f"/f/{trading_fair.slug}/posts/new", data=form_data(category("volunteers"), "stale"))
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "Formularz wygasł" in page
    fresh = key_on(page)
    assert client.post(f"/f/{trading_fair.slug}/posts/new",
                       data=form_data(category("volunteers"), fresh)).status_code == 303
    assert posts_count() == 1


# --- two requests at the same moment, through a real server ------------------------------------

def test_two_identical_requests_at_once_to_a_real_server_post_once(
        app: Flask, database_url: str, tmp_path: Path, trading_fair: Fair, author: Participant,
        category: Callable[[str], int]) -> None:
    server = LiveServer(database_url, tmp_path)
    try:
        http = login_session(server.url, trading_fair.slug, author.login_secret)
        data = post_form(http, server.url, trading_fair.slug, category("rooms"), "Sala na 40 osób")
        barrier = threading.Barrier(2)
        answers: list[requests.Response] = []

        def send() -> None:
            barrier.wait(timeout=30)
            answers.append(http.post(f"{server.url}/f/{trading_fair.slug}/posts/new", data=data,
                                     allow_redirects=False, timeout=30))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert [r.status_code for r in answers] == [303, 303], [r.text[:300] for r in answers]
        assert answers[0].headers["Location"] == answers[1].headers["Location"]
        assert posts_count() == 1
        # Each answer's session carries its note: one says posted, the other that nothing was posted twice.
        notes = sorted(
            "twice" if "Nic nie opublikowano dwa razy" in page else "posted" if "Opublikowano" in page else page
            for page in (requests.get(server.url + r.headers["Location"], cookies=r.cookies, timeout=10).text
                         for r in answers))
        assert notes == ["posted", "twice"]
    finally:
        server.stop()
