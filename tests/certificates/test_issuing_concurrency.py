"""Certificates issued at the same moment (threads, on SQLite and PostgreSQL): each gets a number of
its own in the year's series; one form sent many times at once issues once; one certificate
reissued from two pages at once is reissued once."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from app.certificates.issuing import issue_certificate, reissue_certificate
from app.certificates.models import Certificate
from app.core.extensions import db
from app.core.web.formkeys import new_key
from app.people.models import Participant
from tests.certificates.conftest import Scripted, this_year
from tests.concurrency import in_threads

THREADS = 6


def certificates() -> list[tuple[int, str, int | None]]:
    db.session.rollback()  # a fresh snapshot: see what other threads committed
    return list(db.session.execute(select(Certificate.seq_no, Certificate.number, Certificate.replaces_id)
                                   .order_by(Certificate.seq_no)).tuples())


def test_certificates_issued_at_once_get_numbers_of_their_own(app: Flask, organiser: Participant,
                                                              scripted: Scripted) -> None:
    actor_id, fair_id, member_id = organiser.id, organiser.fair_id, scripted.member.id
    start, end = this_year()

    def send() -> object:
        return issue_certificate(db.session.get_one(Participant, actor_id), fair_id, member_id, start, end)

    results = in_threads(app, [send] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert [seq for seq, _number, _replaces in certificates()] == list(range(1, THREADS + 1))


def test_one_form_sent_many_times_at_once_issues_once(app: Flask, organiser: Participant,
                                                      scripted: Scripted) -> None:
    actor_id, fair_id, member_id, key = organiser.id, organiser.fair_id, scripted.member.id, new_key()
    start, end = this_year()

    def send() -> object:
        return issue_certificate(db.session.get_one(Participant, actor_id), fair_id, member_id, start, end, key)

    results = in_threads(app, [send] * THREADS)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert Counter(created for _, (_id, created) in results) == {True: 1, False: THREADS - 1}
    assert len(certificates()) == 1


def test_one_certificate_reissued_at_once_from_two_pages_is_reissued_once(app: Flask, organiser: Participant,
                                                                          scripted: Scripted) -> None:
    start, end = this_year()
    old = issue_certificate(organiser, organiser.fair_id, scripted.member.id, start, end).row_id
    actor_id, fair_id = organiser.id, organiser.fair_id

    def send() -> object:  # each page its own form key
        return reissue_certificate(db.session.get_one(Participant, actor_id), fair_id, old, new_key())

    results = in_threads(app, [send] * THREADS)
    assert sorted(kind for kind, _ in results) == ["error"] * (THREADS - 1) + ["ok"], results
    assert {code for kind, code in results if kind == "error"} == {"already_superseded"}
    rows = certificates()
    assert len(rows) == 2 and rows[1][2] == old
    assert db.session.scalar(select(func.count()).where(Certificate.superseded_at.is_not(None))) == 1
