"""Follow-up reminders (app/agreements/reminders.py): sent through a real SMTP server (aiosmtpd on
127.0.0.1), or written to the outbox folder as .eml files; never twice within the interval; a
failure is recorded and retried on the next run without resending what went out."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.agreements.fulfilment import confirm_delivery, mark_delivered
from app.agreements.models import Agreement, Reminder, ReminderState
from app.agreements.reminders import deliver_reminders, queue_reminders, send_reminders
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.fairs.models import Fair
from app.people.models import Participant
from tests.agreements.conftest import Deal
from tests.mail_server import Collector, free_port

# --- reading them back ---------------------------------------------------------------------------

def reminders() -> list[Reminder]:
    return list(db.session.scalars(select(Reminder).order_by(Reminder.id)))


def count(state: ReminderState | None = None) -> int:
    query = select(func.count()).select_from(Reminder)
    if state is not None:
        query = query.where(Reminder.state == state)
    return int(db.session.scalar(query) or 0)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


PAST = date.today() - timedelta(days=10)
FUTURE = date.today() + timedelta(days=30)


# --- through SMTP -------------------------------------------------------------------------------

def test_button_sends_reminders_through_smtp(client: FlaskClient, login: Callable[[Participant], None],
                                             organiser: Participant, smtp: Collector,
                                             make_deal: Callable[..., Deal]) -> None:
    later = make_deal(due_a=FUTURE)
    overdue = make_deal(due_a=PAST)
    login(organiser)
    r = client.post("/f/tczew/admin/follow-up/reminders", follow_redirects=True)
    assert r.status_code == 200
    assert "Wysłane przypomnienia: 4." in r.data.decode()

    assert len(smtp.messages) == 4  # both parties of both agreements
    # overdue first
    assert [m["Subject"] for m in smtp.messages[:2]] == [
        f"Przypomnienie: umowa {overdue.agreement.number} · Reminder: agreement {overdue.agreement.number}"] * 2
    assert overdue.agreement.number in smtp.messages[0]["Subject"]
    assert later.agreement.number in smtp.messages[3]["Subject"]
    recipients = [rcpt for _from, rcpts in smtp.envelopes for rcpt in rcpts]
    assert sorted(recipients) == sorted([overdue.a.email, overdue.b.email, later.a.email, later.b.email])
    assert {sender for sender, _ in smtp.envelopes} == {"gielda@tczew.example.org"}

    first = smtp.messages[0]
    assert first["To"].addresses[0].display_name == "Łucja Żółkiewska"
    assert first["From"].addresses[0].display_name == "Giełda Zasobów Tczew"
    assert first["Reply-To"] == organiser.email
    body = body_of(first)
    assert body.index("Dzień dobry Łucja Żółkiewska") < body.index("Hello Łucja Żółkiewska")  # Polish first
    assert f"http://gielda.test/f/tczew/agreements/{overdue.agreement.id}" in body
    assert "Sala konferencyjna na 30 osób, źródło ciepła" in body
    assert "(termin minął)" in body and "(overdue)" in body
    assert "oznaczyć je na stronie umowy jako przekazane" in body  # Łucja gives the room
    assert "please confirm it on the agreement page" in body  # and receives the training
    for message in smtp.messages:
        text = body_of(message)
        assert "/login/" not in text
        for person in (overdue.a, overdue.b, later.a, later.b, organiser):
            assert person.login_secret not in text and person.pin not in text

    rows = reminders()
    assert [r.state for r in rows] == [ReminderState.SENT] * 4
    assert {r.transport for r in rows} == {"smtp"}
    assert all(r.sent_at is not None and r.error == "" for r in rows)
    assert {r.message_id for r in rows} == {m["Message-ID"] for m in smtp.messages}
    assert rows[0].created_by_id == organiser.id

    page = client.get("/f/tczew/admin/follow-up").data.decode()
    assert "Przypomnienie wysłane" in page and overdue.a.email in page


def test_double_click_sends_once_and_the_interval_is_kept(app: Flask, client: FlaskClient,
                                                          login: Callable[[Participant], None],
                                                          organiser: Participant, smtp: Collector,
                                                          make_deal: Callable[..., Deal]) -> None:
    make_deal(due_a=PAST)
    login(organiser)
    client.post("/f/tczew/admin/follow-up/reminders")
    r = client.post("/f/tczew/admin/follow-up/reminders", follow_redirects=True)
    assert len(smtp.messages) == 2
    assert count() == 2
    assert "Pominięto, bo przypomnienie wysłano w ciągu ostatnich 3 dni: 2." in r.data.decode()

    # Still within the interval two days later; due again after it.
    fair_id = organiser.fair_id
    report = queue_reminders(organiser, fair_id, now=utcnow() + timedelta(days=2))
    assert report.queued == 0 and report.skipped_recent == 2
    report = deliver_reminders(queue_reminders(organiser, fair_id, now=utcnow() + timedelta(days=3, hours=1)))
    assert report.sent == 2
    assert len(smtp.messages) == 4

    app.config["REMINDER_INTERVAL_DAYS"] = 7  # configurable: a week after the last one
    report = queue_reminders(organiser, fair_id, now=utcnow() + timedelta(days=9))
    assert report.queued == 0 and report.skipped_recent == 2


def test_simultaneous_clicks_send_once(app: Flask, smtp: Collector, organiser: Participant,
                                       make_deal: Callable[..., Deal]) -> None:
    """Four requests at once (each its own thread, session and connection): two messages in all."""
    make_deal(due_a=PAST)
    organiser_id, fair_id = organiser.id, organiser.fair_id
    barrier = threading.Barrier(4)
    outcomes: list[Any] = []

    def click() -> None:
        with app.app_context():
            try:
                actor = db.session.get_one(Participant, organiser_id)
                barrier.wait(timeout=30)
                report = send_reminders(actor, fair_id)
                outcomes.append((report.sent, report.failed))
            except Exception as exc:
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == [(0, 0), (0, 0), (0, 0), (2, 0)], outcomes
    db.session.rollback()  # a fresh snapshot: see what the threads committed
    assert len(smtp.messages) == 2 and count() == 2


def test_only_unconfirmed_obligations_and_the_parties_who_must_act(smtp: Collector, organiser: Participant,
                                                                   make_deal: Callable[..., Deal]) -> None:
    deal = make_deal(due_a=PAST, due_b=PAST)
    fair_id = deal.a.fair_id
    room, training = deal.agreement.obligations
    confirm_delivery(deal.a, fair_id, training.id)  # the training: confirmed by its receiver
    mark_delivered(deal.a, fair_id, room.id)  # the room: delivered, waiting for b to confirm

    report = send_reminders(organiser, fair_id)
    assert report.sent == 1
    (message,) = smtp.messages
    assert message["To"].addresses[0].addr_spec == deal.b.email
    body = body_of(message)
    assert "Sala konferencyjna" in body and "Szkolenie" not in body
    assert "oznacza je jako przekazane" in body and "has marked it as delivered" in body
    (row,) = reminders()
    assert row.obligation_ids == [room.id]

    confirm_delivery(deal.b, fair_id, room.id)  # everything confirmed: the agreement is fulfilled
    db.session.get_one(Fair, fair_id)
    report = send_reminders(organiser, fair_id, overdue_only=False)
    assert report.queued == 0 and report.sent == 0 and len(smtp.messages) == 1


def test_overdue_only(smtp: Collector, organiser: Participant, make_deal: Callable[..., Deal]) -> None:
    make_deal(due_a=FUTURE)
    overdue = make_deal(due_a=PAST)
    report = send_reminders(organiser, organiser.fair_id, overdue_only=True)
    assert report.sent == 2
    assert {m["To"].addresses[0].addr_spec for m in smtp.messages} == {overdue.a.email, overdue.b.email}


def test_a_refused_recipient_fails_alone(smtp: Collector, organiser: Participant,
                                         make_deal: Callable[..., Deal]) -> None:
    deal = make_deal(due_a=PAST)
    smtp.refuse.add(deal.b.email)
    report = send_reminders(organiser, organiser.fair_id)
    assert (report.sent, report.failed) == (1, 1)
    assert "550" in report.errors[0]
    by_email = {r.recipient_email: r for r in reminders()}
    assert by_email[deal.a.email].state == ReminderState.SENT
    failed = by_email[deal.b.email]
    assert failed.state == ReminderState.FAILED and failed.failed_at is not None
    assert "550" in failed.error and "Mailbox unavailable" in failed.error


def test_a_mail_server_that_is_down_loses_nothing_and_a_retry_sends_each_once(
        app: Flask, client: FlaskClient, login: Callable[[Participant], None], organiser: Participant,
        smtp: Collector, make_deal: Callable[..., Deal]) -> None:
    first = make_deal(due_a=PAST)
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    login(organiser)
    r = client.post("/f/tczew/admin/follow-up/reminders", follow_redirects=True)
    page = r.data.decode()
    assert "Nie udało się wysłać przypomnień: 2" in page
    rows = reminders()
    assert [r.state for r in rows] == [ReminderState.FAILED] * 2
    assert all("127.0.0.1" in r.error and r.body and r.subject for r in rows)
    assert smtp.messages == []
    page = client.get("/f/tczew/admin/follow-up").data.decode()
    assert "Nie udało się wysłać przypomnienia do" in page

    # The server is back; a new agreement meanwhile. The retry sends the failed two and the new two.
    second = make_deal(due_a=PAST)
    app.config["SMTP_PORT"] = port
    report = send_reminders(organiser, organiser.fair_id)
    assert (report.sent, report.failed) == (4, 0)
    assert sorted(rcpt for _f, rcpts in smtp.envelopes for rcpt in rcpts) == sorted(
        [first.a.email, first.b.email, second.a.email, second.b.email])
    assert count(ReminderState.FAILED) == 2 and count(ReminderState.SENT) == 4  # the failures stay on record

    # Retrying again sends nothing more.
    report = send_reminders(organiser, organiser.fair_id)
    assert report.sent == 0 and report.skipped_recent == 4 and len(smtp.messages) == 4


def test_a_pending_reminder_is_never_sent_again(smtp: Collector, organiser: Participant,
                                                make_deal: Callable[..., Deal]) -> None:
    """A run that died between recording and sending leaves 'pending': it blocks a resend."""
    make_deal(due_a=PAST)
    queued = queue_reminders(organiser, organiser.fair_id)
    assert queued.queued == 2
    report = send_reminders(organiser, organiser.fair_id)
    assert report.queued == 0 and report.skipped_recent == 2
    assert smtp.messages == []
    assert deliver_reminders(queued).sent == 2
    deliver_reminders(queued)  # delivering the same run twice sends once
    assert len(smtp.messages) == 2


HOSTILE_FIRST, HOSTILE_LAST = '"Eve, <eve@evil.example>"', "<x>, a@b.c, evil@x.y"


@pytest.fixture
def hostile_deal(make_signed_agreement: Callable[..., Agreement],
                 make_participant: Callable[..., Participant]) -> Deal:
    """An agreement whose first party's contact name (the person's name) is built to add recipients."""
    a = make_participant(HOSTILE_FIRST, HOSTILE_LAST, organisation="Fundacja Ewa", email="ewa@example.org")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Łąka",
                         email="grzegorz@example.org")
    agreement = make_signed_agreement(a, b, obligations=[(a, b, "Sala na 30 osób", 30)])
    return Deal(agreement, a, b)


def _recipients_in(message: EmailMessage) -> list[str]:
    return [a.addr_spec for header in ("To", "Cc", "Bcc") for value in message.get_all(header) or ()
            for a in value.addresses]


def test_a_contact_name_with_quotes_and_commas_adds_no_recipient_over_smtp(
        smtp: Collector, organiser: Participant, hostile_deal: Deal) -> None:
    party = hostile_deal.agreement.parties[0]
    assert party.contact_name == f"{HOSTILE_FIRST} {HOSTILE_LAST}"  # what the reminder is addressed to
    report = send_reminders(organiser, organiser.fair_id)
    assert (report.sent, report.failed) == (2, 0)
    assert sorted(rcpt for _from, rcpts in smtp.envelopes for rcpt in rcpts) == [
        "ewa@example.org", "grzegorz@example.org"]
    assert all(len(rcpts) == 1 for _from, rcpts in smtp.envelopes)
    by_to = {_recipients_in(m)[0]: m for m in smtp.messages}
    assert [len(_recipients_in(m)) for m in smtp.messages] == [1, 1]
    assert by_to["ewa@example.org"]["To"].addresses[0].display_name == party.contact_name


def test_a_contact_name_with_quotes_and_commas_adds_no_recipient_in_the_outbox(
        organiser: Participant, outbox: Path, hostile_deal: Deal) -> None:
    report = send_reminders(organiser, organiser.fair_id)
    assert (report.sent, report.failed) == (2, 0)
    messages = [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in sorted(outbox.iterdir())]
    assert sorted(r for m in messages if isinstance(m, EmailMessage) for r in _recipients_in(m)) == [
        "ewa@example.org", "grzegorz@example.org"]


def test_party_without_an_address_is_reported(smtp: Collector, organiser: Participant,
                                              make_deal: Callable[..., Deal]) -> None:
    deal = make_deal(due_a=PAST, b_email="")
    report = send_reminders(organiser, organiser.fair_id)
    assert report.sent == 1
    assert report.without_address == [f"{deal.agreement.number}: {deal.b.organisation.name}"]
    assert [r.recipient_email for r in reminders()] == [deal.a.email]


# --- the outbox folder --------------------------------------------------------------------------

def test_without_smtp_reminders_are_eml_files_in_the_outbox(client: FlaskClient,
                                                            login: Callable[[Participant], None],
                                                            organiser: Participant, outbox: Path,
                                                            make_deal: Callable[..., Deal]) -> None:
    deal = make_deal(due_a=PAST)
    login(organiser)
    r = client.post("/f/tczew/admin/follow-up/reminders", follow_redirects=True)
    assert "Przypomnienia zapisane w folderze outbox (nie skonfigurowano serwera poczty): 2." in r.data.decode()
    files = sorted(outbox.iterdir())
    assert len(files) == 2 and all(f.suffix == ".eml" for f in files)
    messages = [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in files]
    by_to = {m["To"].addresses[0].addr_spec: m for m in messages if isinstance(m, EmailMessage)}
    assert set(by_to) == {deal.a.email, deal.b.email}
    message = by_to[deal.b.email]
    assert message["To"].addresses[0].display_name == "Grzegorz Brzęczyszczykiewicz"
    assert message["Subject"].startswith(f"Przypomnienie: umowa {deal.agreement.number}")
    body = body_of(message)
    assert "Dzień dobry Grzegorz Brzęczyszczykiewicz" in body
    assert deal.b.organisation.name in body and "Spółdzielnia Socjalna Łąka" in body
    assert "źródło ciepła" in body and "„Giełda Zasobów Tczew”" in body
    assert f"http://gielda.test/f/tczew/agreements/{deal.agreement.id}" in body
    assert {r.transport for r in reminders()} == {"outbox"}
    assert all(r.state == ReminderState.SENT for r in reminders())


def test_outbox_that_cannot_be_written_is_a_recorded_failure(app: Flask, organiser: Participant,
                                                            tmp_path: Path, make_deal: Callable[..., Deal]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app.config.update(SMTP_HOST=None, OUTBOX_DIR=str(blocker / "outbox"))
    make_deal(due_a=PAST)
    report = send_reminders(organiser, organiser.fair_id)
    assert (report.sent, report.failed) == (0, 2)
    assert all(r.state == ReminderState.FAILED and "outbox" in r.error for r in reminders())


# --- who may, and the CLI -----------------------------------------------------------------------

def test_only_organisers_send_reminders(client: FlaskClient, login: Callable[[Participant], None],
                                        notary: Participant, outbox: Path,
                                        make_deal: Callable[..., Deal]) -> None:
    deal = make_deal(due_a=PAST)
    assert client.post("/f/tczew/admin/follow-up/reminders").status_code == 302  # to the login page
    login(deal.a)
    assert client.post("/f/tczew/admin/follow-up/reminders").status_code == 403
    login(notary)
    assert client.post("/f/tczew/admin/follow-up/reminders").status_code == 403
    from app.core.errors import Forbidden

    with pytest.raises(Forbidden):
        queue_reminders(notary, notary.fair_id)
    assert count() == 0 and not outbox.exists()


def test_reminders_appear_in_the_follow_up_export(smtp: Collector, organiser: Participant,
                                                  make_deal: Callable[..., Deal]) -> None:
    from app.reports.exports import table

    deal = make_deal(due_a=PAST)
    send_reminders(organiser, organiser.fair_id)
    sheet = table(db.session.get_one(Fair, organiser.fair_id), "follow_up")
    last = {row[0]: row[-1] for row in sheet.rows}
    assert last[deal.agreement.number] is not None


# --- in the background: claims, audit, resumption -------------------------------------------------

def _dead_worker() -> str:
    import socket
    import subprocess

    finished = subprocess.Popen(["true"])
    finished.wait()
    return f"{socket.gethostname()}:{finished.pid}:gone"


def test_each_write_of_a_batch_is_an_audited_service_call(smtp: Collector, organiser: Participant,
                                                          make_deal: Callable[..., Deal]) -> None:
    from app.core.storage.audit import AuditEvent

    make_deal(due_a=PAST)
    first = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    report = send_reminders(organiser, organiser.fair_id)
    assert report.sent == 2
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > first).order_by(AuditEvent.id)))
    assert actions == ["reminders.queue_reminders", "reminders.claim_reminder", "reminders.record_reminder_outcome",
                       "reminders.claim_reminder", "reminders.record_reminder_outcome"]
    claimed = [r.claimed_by for r in reminders()]
    assert claimed[0] and claimed[0] == claimed[1]  # this process's worker id


def test_reminders_a_dead_worker_left_are_sent_once_when_a_consumer_starts(
        smtp: Collector, organiser: Participant, make_deal: Callable[..., Deal]) -> None:
    from app.core.storage.transactions import transaction
    from app.core.tasks import resume_lost_work

    make_deal(due_a=PAST)
    make_deal(due_a=PAST)
    queued = queue_reminders(organiser, organiser.fair_id, reply_to="org@example.org")  # the batch's task was lost
    assert queued.queued == 4
    with transaction():  # ...and so was the worker sending the first of them
        first = db.session.get_one(Reminder, queued.reminder_ids[0])
        first.claimed_by, first.claimed_at, first.transport = _dead_worker(), utcnow(), "smtp"
    resume_lost_work(0)
    resume_lost_work(0)
    assert [r.state for r in reminders()] == [ReminderState.SENT] * 4
    assert sorted(m["Message-ID"] for m in smtp.messages) == sorted(r.message_id for r in reminders())
    assert {m["Reply-To"] for m in smtp.messages} == {"org@example.org"}


def test_a_reminder_a_live_worker_is_sending_is_left_alone(smtp: Collector, organiser: Participant,
                                                           make_deal: Callable[..., Deal]) -> None:
    from app.core.storage.transactions import transaction
    from app.core.tasks import resume_lost_work

    make_deal(due_a=PAST)
    queued = queue_reminders(organiser, organiser.fair_id)
    with transaction():
        busy = db.session.get_one(Reminder, queued.reminder_ids[0])
        busy.claimed_by, busy.claimed_at, busy.transport = "another-machine:4242:x", utcnow(), "smtp"
    assert deliver_reminders(queued).sent == 1
    resume_lost_work(0)
    assert [r.state for r in reminders()] == [ReminderState.PENDING, ReminderState.SENT]
    assert len(smtp.messages) == 1


@pytest.mark.parametrize("app_config", [{"TASKS_IMMEDIATE": False}])
def test_the_button_only_queues_and_the_page_shows_them_being_sent(
        request: pytest.FixtureRequest, client: FlaskClient, login: Callable[[Participant], None],
        organiser: Participant, smtp: Collector, make_deal: Callable[..., Deal]) -> None:
    from app.core.tasks import wait_for_tasks

    make_deal(due_a=PAST)
    login(organiser)
    r = client.post("/f/tczew/admin/follow-up/reminders", follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Przypomnienia w trakcie wysyłania: 2." in page
    # Both reminders name both obligations: each shows under each obligation's row.
    assert page.count("reminder reminder-pending") == 4 and smtp.messages == []
    request.getfixturevalue("consumer")
    assert wait_for_tasks(60)
    assert len(smtp.messages) == 2
    db.session.remove()  # the requests share the test's session: forget what it saw before
    assert client.get("/f/tczew/admin/follow-up").get_data(as_text=True).count("reminder reminder-sent") == 4
