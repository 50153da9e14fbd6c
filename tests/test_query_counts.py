"""Every page, API answer and export asks the same number of SQL statements however big the fair.

Two fairs built through the services by bench/_scale.py in one database: one of SMALL
participants, one of twice as many (more organisations, posts, agreements in every state,
check-ins, ledger entries). Every GET route of `app.url_map` (bench/_pages.py derives the URLs,
so a new route is requested too, or has to say why not) is requested at both fairs by the
organiser (who is also the network's coordinator) and by a participant, and the number of SQL
statements each request sends (a `before_cursor_execute` listener) must be the same at both
sizes: no statement per row, paging in SQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.core.extensions import db
from bench._pages import log_in, requests_for
from bench._scale import BigFair, build_fair

SMALL = 40  # 20 agreements: every state of the builder's cycle of 20 is there at both sizes


@pytest.fixture
def fairs(app: Flask) -> tuple[BigFair, BigFair]:
    small = build_fair(SMALL, slug="mala")
    big = build_fair(2 * SMALL, slug="duza", seed=12)
    return small, big


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        self.statements.append(statement)

    def __enter__(self) -> Counter:
        self.statements.clear()
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(db.engine, "before_cursor_execute", self)


def _counts(app: Flask, client: FlaskClient, fair: BigFair, urls: dict[str, str]) -> Iterator[tuple[str, int, int]]:
    counter = Counter()
    for label, url in urls.items():
        # Each request in an app context of its own, as when served: its own session (empty) and
        # its own `g`. (Requests in the fixture's context would share its session, whose identity
        # map holds whatever garbage collection has not yet freed, and a selectin load skips what
        # the map holds: the count would depend on the collector.)
        with app.app_context():
            client.get(url)  # first: whatever a page keeps after its first request
        with app.app_context(), counter:
            status = client.get(url).status_code
        yield label, status, len(counter.statements)


def _compare(app: Flask, small: BigFair, big: BigFair, who: str) -> None:
    results = {}
    for fair in (small, big):
        client = app.test_client()
        if who == "organiser":
            log_in(client, fair)
        else:  # a participant of one of the fulfilled agreements, by their private link
            from app.people.models import Participant

            person = db.session.get_one(Participant, fair.sample["pid"])
            link = f"/f/{fair.slug}/login/{person.login_secret}"
            if client.get(link).status_code == 200:  # the page asks first
                assert client.post(link).status_code == 303
        results[fair.slug] = {label: (status, n) for label, status, n in _counts(app, client, fair,
                                                                                   requests_for(app, fair))}
    a, b = results[small.slug], results[big.slug]
    assert a.keys() == b.keys()
    assert [k for k in a if a[k][0] != b[k][0]] == [], "the same page answers differently at the two sizes"
    grown = {k: (a[k][1], b[k][1]) for k in a if a[k][1] != b[k][1]}
    assert grown == {}, f"{who}: statements at {SMALL} and {2 * SMALL} participants: {grown}"
    answered = [k for k in a if a[k][0] == 200]
    assert len(answered) >= (len(a) * 3) // 4 if who == "organiser" else len(answered) > 10, a


# Building two fairs through the services, then every page twice per fair and caller, takes a
# few minutes on PostgreSQL (a round trip per statement): one test does it all.
@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_every_page_asks_the_same_number_of_statements_however_big_the_fair(app, fairs):
    small, big = fairs
    assert big.counts == {k: 2 * v for k, v in small.counts.items()}  # the fairs differ in size
    _compare(app, small, big, "organiser")
    _compare(app, small, big, "participant")
