"""E-mails sent in the background (app/core/output/mail_queue.py), through a real SMTP server: recorded,
claimed, sent once, never again; a claim of a live worker is respected, a dead worker's taken
over; each write an audited service call. The invitation is the example."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.core.extensions import db
from app.core.output.mail import MailError
from app.core.output.mail_queue import MailState, QueuedMail, queue_mail, send_mail
from app.core.storage.audit import AuditEvent
from app.core.storage.db import utcnow
from app.core.storage.transactions import transaction
from app.core.tasks import CLAIM_LEASE, resume_lost_work, wait_for_tasks
from app.fairs.roles import Role
from app.people.models import Participant
from app.people.staff import send_invitation
from tests.mail_server import Collector


def _dead_worker() -> str:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return f"{socket.gethostname()}:{finished.pid}:gone"


def _pending(n: int, **claim: Any) -> int:
    """A message recorded as pending (as a worker that died before sending it would leave it)."""
    with transaction():
        mail = QueuedMail(kind="test", recipient_email=f"osoba{n}@example.org", recipient_name=f"Osoba {n}",
                          subject=f"Wiadomość {n}", body="Treść", message_id=f"<m{n}@gielda.test>", **claim)
        db.session.add(mail)
        db.session.flush()
        return mail.id


def _state(mail_id: int) -> MailState:
    db.session.remove()
    return db.session.get_one(QueuedMail, mail_id).state


def test_an_invitation_is_recorded_sent_once_and_every_step_audited(
        app: Flask, smtp: Collector, organiser: Participant, make_participant: Callable[..., Participant]) -> None:
    notary = make_participant("Ewa", "Łęcka", role=Role.NOTARY, email="ewa@example.org")
    notary_id = notary.id
    fair_id, slug = organiser.fair_id, organiser.fair.slug
    mail_id = send_invitation(organiser, fair_id, notary.id).id
    db.session.remove()
    sent = db.session.get_one(QueuedMail, mail_id)
    assert (sent.state, sent.transport, sent.kind) == (MailState.SENT, "smtp", "invitation")
    (message,) = smtp.messages
    assert message["Message-ID"] == sent.message_id and message["To"].addresses[0].addr_spec == "ewa@example.org"
    assert f"/f/{slug}/welcome/" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    send_mail(sent.id)  # given again (a duplicate task): already sent, so not again
    assert len(smtp.messages) == 1
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-3:] == ["staff.send_invitation", "mail_queue.claim_mail", "mail_queue.record_mail_outcome"]
    assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "staff.send_invitation")) == {
        "fair_id": fair_id, "participant_id": notary_id}  # no link, no token


def test_a_live_workers_claim_is_respected_a_dead_ones_taken_over(app: Flask, smtp: Collector) -> None:
    now = utcnow()
    live = _pending(1, claimed_by="another-machine:4242:x", claimed_at=now)
    dead = _pending(2, claimed_by=_dead_worker(), claimed_at=now)
    expired = _pending(3, claimed_by="another-machine:4242:x", claimed_at=now - CLAIM_LEASE - timedelta(minutes=1))
    for mail_id in (live, dead, expired):
        send_mail(mail_id)
    assert [_state(m) for m in (live, dead, expired)] == [MailState.PENDING, MailState.SENT, MailState.SENT]
    assert sorted(m["Message-ID"] for m in smtp.messages) == ["<m2@gielda.test>", "<m3@gielda.test>"]


def test_a_consumer_starting_sends_what_a_dead_worker_left(app: Flask, smtp: Collector) -> None:
    unclaimed = _pending(1)  # its task was lost with the worker that had taken it
    dead = _pending(2, claimed_by=_dead_worker(), claimed_at=utcnow())
    live = _pending(3, claimed_by="another-machine:4242:x", claimed_at=utcnow())
    resume_lost_work(0)
    resume_lost_work(0)  # twice: nothing twice
    assert [_state(m) for m in (unclaimed, dead, live)] == [MailState.SENT, MailState.SENT, MailState.PENDING]
    assert sorted(m["Message-ID"] for m in smtp.messages) == ["<m1@gielda.test>", "<m2@gielda.test>"]


def test_a_refused_message_fails_and_is_not_retried(app: Flask, smtp: Collector) -> None:
    smtp.refuse.add("osoba1@example.org")
    refused = _pending(1)
    send_mail(refused)
    send_mail(refused)
    failed = db.session.get_one(QueuedMail, refused)
    assert failed.state == MailState.FAILED and "550" in failed.error and failed.failed_at is not None
    assert smtp.messages == []


def test_an_unusable_address_records_nothing(app: Flask, outbox: Path) -> None:
    with pytest.raises(MailError), transaction():
        queue_mail(kind="test", to_email="nie-adres", to_name="X", subject="S", body="B")
    assert db.session.scalar(select(QueuedMail.id)) is None and not outbox.exists()


@pytest.mark.parametrize("app_config", [{"TASKS_IMMEDIATE": False}])
def test_the_staff_page_says_an_invitation_is_on_its_way_until_a_worker_sends_it(
        request: pytest.FixtureRequest, app: Flask, client: FlaskClient, organiser: Participant,
        login: Callable[[Participant], None], outbox: Path) -> None:
    login(organiser)
    r = client.post(f"/f/{organiser.fair.slug}/admin/staff", follow_redirects=True, data={
        "first_name": "Ewa", "last_name": "Notariusz", "email": "ewa@example.org", "role": "notary",
        "organisation_name": "Kancelaria", "sector": "business"})
    assert "Zaproszenie na adres ewa@example.org jest w trakcie wysyłania." in r.get_data(as_text=True)
    (mail_id,) = db.session.scalars(select(QueuedMail.id)).all()
    assert _state(mail_id) == MailState.PENDING and not outbox.exists()  # nobody consumes the queue yet

    request.getfixturevalue("consumer")
    assert wait_for_tasks(60)
    assert _state(mail_id) == MailState.SENT
    assert len(list(outbox.glob("*.eml"))) == 1
