"""A double submit of a new agreement does one thing (app/agreements/drafting.py): starting one from a
card or a post, and the notary's paper draft, carry a one-time key; the same key sent again — one
after the other, at the same moment in threads (SQLite and PostgreSQL) — returns the first draft
instead of a second."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.agreements import drafting
from app.agreements.drafting import (
    agreement_for_form_key,
    start_agreement,
    start_paper_draft,
    submit_paper_draft,
    submit_start,
)
from app.agreements.models import Agreement
from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.events import DomainEvent
from app.core.web.formkeys import Sent, new_key
from app.fairs.models import Fair
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.people.models import Participant
from tests.concurrency import in_threads, race_on_one_key

THREADS = 8


def agreements_count() -> int:
    db.session.rollback()  # a fresh snapshot: see what other threads committed
    return int(db.session.scalar(select(func.count()).select_from(Agreement)) or 0)


def drafted_events() -> int:
    return int(db.session.scalar(select(func.count()).select_from(DomainEvent)
                                 .where(DomainEvent.type == "agreement.drafted")) or 0)


@pytest.fixture
def pair(trading_fair: Fair, make_participant: Callable[..., Participant]) -> tuple[Participant, Participant]:
    return (make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło"),
            make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Łąka"))


# --- the services ----------------------------------------------------------------------------

def test_starting_twice_with_one_key_starts_one_draft(pair: tuple[Participant, Participant],
                                                      make_post: Callable[..., Post]) -> None:
    a, b = pair
    offer = make_post(b, title="Sala na 30 osób", kind=PostKind.OFFER)
    key = new_key()
    first = start_agreement(a, a.fair_id, b.id, offer.id, form_key=key)
    second = start_agreement(a, a.fair_id, b.id, offer.id, form_key=key)
    assert second.id == first.id
    assert agreements_count() == 1 and drafted_events() == 1  # the counterpart was told once
    assert len(db.session.get_one(Agreement, first.id).obligations) == 1


def test_other_keys_start_other_drafts(pair: tuple[Participant, Participant]) -> None:
    a, b = pair
    start_agreement(a, a.fair_id, b.id, form_key=new_key())
    start_agreement(a, a.fair_id, b.id, form_key=new_key())
    start_agreement(a, a.fair_id, b.id)
    assert agreements_count() == 3


def test_an_agreement_key_is_bound_to_its_author(pair: tuple[Participant, Participant]) -> None:
    a, b = pair
    key = new_key()
    mine = start_agreement(a, a.fair_id, b.id, form_key=key)
    theirs = start_agreement(b, a.fair_id, a.id, form_key=key)
    assert theirs.id != mine.id and theirs.created_by_id == b.id
    assert agreement_for_form_key(b, a.fair_id, key).id == theirs.id


def test_the_paper_draft_sent_twice_starts_one(pair: tuple[Participant, Participant], notary: Participant) -> None:
    a, b = pair
    key = new_key()
    first = start_paper_draft(notary, a.fair_id, a.id, b.id, form_key=key)
    assert start_paper_draft(notary, a.fair_id, a.id, b.id, form_key=key).id == first.id
    assert agreements_count() == 1


def test_a_malformed_agreement_key_is_refused(pair: tuple[Participant, Participant]) -> None:
    a, b = pair
    with pytest.raises(ValidationError) as err:
        start_agreement(a, a.fair_id, b.id, form_key="not-a-key")
    assert err.value.code == "invalid_form_key" and agreements_count() == 0


def test_the_same_key_from_many_threads_at_once_starts_one_draft(app: Flask,
                                                                 pair: tuple[Participant, Participant]) -> None:
    a_id, b_id, fair_id, key = pair[0].id, pair[1].id, pair[0].fair_id, new_key()

    def send() -> Agreement:
        return start_agreement(db.session.get_one(Participant, a_id), fair_id, b_id, form_key=key)

    results = in_threads(app, [send] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({agreement_id for _, agreement_id in results}) == 1
    assert agreements_count() == 1 and drafted_events() == 1


def test_the_same_paper_draft_from_many_threads_at_once_starts_one(
        app: Flask, pair: tuple[Participant, Participant], notary: Participant) -> None:
    a_id, b_id, notary_id, fair_id, key = pair[0].id, pair[1].id, notary.id, pair[0].fair_id, new_key()

    def send() -> Agreement:
        return start_paper_draft(db.session.get_one(Participant, notary_id), fair_id, a_id, b_id, form_key=key)

    results = in_threads(app, [send] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({agreement_id for _, agreement_id in results}) == 1 and agreements_count() == 1


def test_the_form_services_say_whether_this_request_started_the_draft(
        pair: tuple[Participant, Participant], notary: Participant) -> None:
    a, b = pair
    key = new_key()
    first, second = (submit_start(a, a.fair_id, b.id, None, key) for _ in range(2))
    assert (first.created, second.created) == (True, False) and first.row.id == second.row.id
    paper_key = new_key()
    first, second = (submit_paper_draft(notary, a.fair_id, a.id, b.id, paper_key) for _ in range(2))
    assert (first.created, second.created) == (True, False) and first.row.id == second.row.id
    assert agreements_count() == 2


def test_of_many_identical_start_forms_at_once_exactly_one_is_told_it_started(
        app: Flask, pair: tuple[Participant, Participant]) -> None:
    a_id, b_id, fair_id, key = pair[0].id, pair[1].id, pair[0].fair_id, new_key()

    def send() -> Sent[Agreement]:
        return submit_start(db.session.get_one(Participant, a_id), fair_id, b_id, None, key)

    results = in_threads(app, [send] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert sorted(created for _, (_id, created) in results) == [False] * (THREADS - 1) + [True]
    assert len({agreement_id for _, (agreement_id, _created) in results}) == 1 and agreements_count() == 1


@pytest.mark.postgresql_only
def test_a_start_sent_while_the_first_is_still_uncommitted_waits_and_returns_the_first(
        app: Flask, monkeypatch: pytest.MonkeyPatch, pair: tuple[Participant, Participant]) -> None:
    """As for posts: the second waits for the first's lock on the key, then finds its draft."""
    a_id, b_id, fair_id, key = pair[0].id, pair[1].id, pair[0].fair_id, new_key()

    def send() -> Agreement:
        return start_agreement(db.session.get_one(Participant, a_id), fair_id, b_id, form_key=key)

    first, second = race_on_one_key(app, monkeypatch, drafting, "notify_parties", send)
    assert first[0] == "ok" and second == first, (first, second)
    assert agreements_count() == 1 and drafted_events() == 1
