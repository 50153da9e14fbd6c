"""Follow-up reminders: an e-mail to the contact person of each party of a signed agreement whose
obligations are not yet confirmed, with a link to the agreement page where they confirm.

Two steps, so that a failing mail server never loses information and never sends twice:

1. `queue_reminders()` — one transaction. Decides who is due a reminder (overdue obligations
   first; nobody reminded, or being reminded, about the same agreement within
   REMINDER_INTERVAL_DAYS), renders each message and records it as a `Reminder` in state
   "pending". Runs for one fair are serialised, so a double click queues nothing the second time.
   `send_reminders()` (the button, the CLI) then queues the batch's delivery, after the commit,
   on the background queue (app/core/tasks.py: task `agreements.reminder_batch`).
2. `deliver_reminders()` — the batch. For each pending reminder of the run: claims it (one
   audited transaction: which worker sends it), sends it (SMTP, or the outbox folder) and records
   the outcome (another): "sent", or "failed" with the error. A failed reminder does not count
   as a reminder: the next run queues a new one for that party (the failed record stays, for the
   organiser to see). A sent one is never sent again; a pending one is sent only by the worker
   that claimed it. The follow-up page shows each one's state as the batch goes.

If the worker dies mid-batch (a restart), the next consumer to start queues the batch's pending
reminders again: the one being sent when it died is sent again (twice only if it died in the
milliseconds between the mail server's acceptance and the recording of "sent"), the others once.

The message never holds the private login link: people log in as usual.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from babel.dates import format_date
from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.agreements.fulfilment import follow_up, is_overdue
from app.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementState,
    Obligation,
    ObligationState,
    Reminder,
    ReminderState,
)
from app.core.errors import NotFound
from app.core.extensions import db
from app.core.output.mail import (
    MailConnectionError,
    MailError,
    build_message,
    new_message_id,
    open_transport,
    parse_address,
    smtp_settings,
)
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.tasks import claim_abandoned, resumer, task, worker_id
from app.core.web.urls import public_url
from app.fairs.models import Fair
from app.fairs.roles import Role, require_role
from app.people.models import Participant

DEFAULT_INTERVAL_DAYS = 3
_EMAIL = re.compile(r"[^\s,;:<>()\[\]\"']+@[^\s,;:<>()\[\]\"']+\.[^\s,;:<>()\[\]\"'.]+")


@dataclass(frozen=True)
class ReminderItem:
    """One obligation as the reminded party sees it."""

    giver: str
    receiver: str
    description: str
    due_date: date | None
    overdue: bool
    role: str  # "giver" | "receiver": the reminded party's side
    state: str  # ObligationState value
    comment: str


@dataclass
class ReminderReport:
    transport: str = ""  # smtp | outbox
    queued: int = 0
    sent: int = 0
    failed: int = 0
    skipped_recent: int = 0  # reminded (or being reminded) within the interval
    without_address: list[str] = field(default_factory=list)  # "GZ/x/001: Organisation"
    errors: list[str] = field(default_factory=list)  # distinct error messages of this run
    reminder_ids: list[int] = field(default_factory=list)
    pending: int = 0  # still being sent in the background when the report was made


def interval() -> timedelta:
    return timedelta(days=float(current_app.config.get("REMINDER_INTERVAL_DAYS", DEFAULT_INTERVAL_DAYS)))


def outbox_dir() -> Path:
    return Path(current_app.config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")


def agreement_url(fair: Fair, agreement_id: int) -> str:
    return f"{public_url()}/f/{fair.slug}/agreements/{agreement_id}"


def contact_of(party: AgreementParty) -> tuple[str, str]:
    """(name, e-mail) of a party's contact person: the e-mail written in the agreement's contact
    details, else the representative's. The e-mail is '' when there is no usable one."""
    name = party.contact_name.strip() or party.representative.full_name
    candidates = [*_EMAIL.findall(party.contact_details or ""), party.representative.email]
    for candidate in candidates:
        try:
            return name, parse_address(candidate).addr_spec
        except MailError:
            continue
    return name, ""


def _parties_to_remind(ob: Obligation) -> list[AgreementParty]:
    """Who has something to do: a delivered obligation waits for the receiver only."""
    if ob.state == ObligationState.DELIVERED:
        return [ob.receiver]
    return [ob.giver, ob.receiver]


def _item(ob: Obligation, party: AgreementParty) -> ReminderItem:
    return ReminderItem(giver=ob.giver.organisation.name, receiver=ob.receiver.organisation.name,
                        description=ob.description, due_date=ob.due_date, overdue=is_overdue(ob),
                        role="giver" if ob.giver_party_id == party.id else "receiver",
                        state=ob.state.value, comment=ob.dispute_comment)


def _render(fair: Fair, agreement: Agreement, party: AgreementParty, name: str,
            items: Sequence[ReminderItem]) -> tuple[str, str]:
    context: dict[str, Any] = {
        "fair": fair, "agreement": agreement, "party": party, "name": name, "items": items,
        "url": agreement_url(fair, agreement.id), "login_page": f"{public_url()}/f/{fair.slug}/login",
        "date_pl": lambda d: format_date(d, "long", locale="pl"),
        "date_en": lambda d: format_date(d, "long", locale="en"),
    }
    subject = " ".join(render_template("agreements/reminder_subject.txt", **context).split())
    body = render_template("agreements/reminder_body.txt", **context).strip() + "\n"
    return subject[:300], body


@service
def queue_reminders(actor: Participant | None, fair_id: int, *, overdue_only: bool = False,
                    now: datetime | None = None, reply_to: str = "", deliver: bool = False) -> ReminderReport:
    """Record the reminders due now (state pending); with `deliver`, queue their delivery for
    after this commits (else send them with `deliver_reminders`). `actor` None is the command
    line."""
    if actor is not None:
        require_role(actor, fair_id, Role.ORGANISER)
    # Serialise runs for one fair (SQLite: the write transaction already does).
    fair = db.session.get(Fair, fair_id, with_for_update=True)
    if fair is None:
        raise NotFound(_l("This fair does not exist."), code="fair_not_found")
    now = now or utcnow()
    recent = set(db.session.execute(
        select(Reminder.agreement_id, Reminder.party_id).where(
            Reminder.fair_id == fair_id, Reminder.created_at >= now - interval(),
            Reminder.state.in_([ReminderState.PENDING, ReminderState.SENT]))).tuples())

    due: dict[tuple[int, int], list[Obligation]] = {}  # follow_up(): overdue first
    for ob in follow_up(fair_id):
        if ob.state == ObligationState.CONFIRMED or ob.agreement.state != AgreementState.SIGNED:
            continue
        if overdue_only and not is_overdue(ob):
            continue
        for party in _parties_to_remind(ob):
            due.setdefault((ob.agreement_id, party.id), []).append(ob)

    report = ReminderReport(transport="smtp" if smtp_settings(current_app.config) else "outbox")
    reminders = []
    for (agreement_id, party_id), obligations in due.items():
        if (agreement_id, party_id) in recent:
            report.skipped_recent += 1
            continue
        agreement = obligations[0].agreement
        party = next(p for p in agreement.parties if p.id == party_id)
        name, email = contact_of(party)
        if not email:
            report.without_address.append(f"{agreement.number}: {party.organisation.name}")
            continue
        subject, body = _render(fair, agreement, party, name, [_item(ob, party) for ob in obligations])
        reminders.append(Reminder(
            fair_id=fair_id, agreement_id=agreement_id, party_id=party_id,
            obligation_ids=[ob.id for ob in obligations], recipient_name=name, recipient_email=email,
            subject=subject, body=body, message_id=new_message_id(current_app.config), reply_to=reply_to or "",
            state=ReminderState.PENDING, created_by_id=actor.id if actor else None, created_at=now))
    db.session.add_all(reminders)
    db.session.flush()
    report.reminder_ids = [r.id for r in reminders]
    report.queued = len(reminders)
    if deliver and report.reminder_ids:
        deliver_reminder_batch.enqueue_after_commit(report.reminder_ids)
    return report


@service
def claim_reminder(reminder_id: int, worker: str, transport: str) -> Reminder | None:
    """Take a pending reminder for `worker` to send: only one that nobody (alive) is sending."""
    reminder = db.session.get(Reminder, reminder_id, with_for_update=True)
    if reminder is None or not _claimable(reminder.state, reminder.transport, reminder.claimed_by,
                                          reminder.claimed_at):
        return None
    reminder.claimed_by, reminder.claimed_at, reminder.transport = worker, utcnow(), transport
    return reminder


@service
def record_reminder_outcome(reminder_id: int, transport: str, error: str | None) -> Reminder:
    """Sent (error None), or failed with the error: either way never sent again."""
    reminder = db.session.get_one(Reminder, reminder_id)
    reminder.transport = transport
    if error is None:
        reminder.state, reminder.sent_at, reminder.error = ReminderState.SENT, utcnow(), ""
    else:
        reminder.state, reminder.failed_at, reminder.error = ReminderState.FAILED, utcnow(), error[:500]
    return reminder


@service
def fail_reminders(reminder_ids: list[int], worker: str, transport: str, error: str) -> list[int]:
    """The mail server cannot be reached: every reminder of the batch not yet sent, and that no
    other live worker is sending, failed with the error. Returns their ids."""
    rows = db.session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids)).with_for_update()).all()
    failed = []
    for reminder in rows:
        if (reminder.claimed_by == worker and reminder.state == ReminderState.PENDING) or _claimable(
                reminder.state, reminder.transport, reminder.claimed_by, reminder.claimed_at):
            reminder.transport, reminder.state = transport, ReminderState.FAILED
            reminder.failed_at, reminder.error = utcnow(), error[:500]
            failed.append(reminder.id)
    return sorted(failed)


def _claimable(state: ReminderState, transport: str, claimed_by: str | None, claimed_at: datetime | None) -> bool:
    if state != ReminderState.PENDING:
        return False
    if claimed_by is None:
        # Never claimed; `transport` set without a claim: taken by a sender from before claims
        # were recorded, which promised never to resend it.
        return transport == ""
    return claim_abandoned(claimed_by, claimed_at)


def deliver_reminders(report: ReminderReport, reply_to: str | None = None) -> ReminderReport:
    """Send the reminders `queue_reminders` recorded (after its commit), one by one, and record
    each outcome; the ones sent, failed or being sent by a live worker are left alone. `reply_to`
    overrides the address each reminder recorded."""
    config = current_app.config
    report.transport = "smtp" if smtp_settings(config) else "outbox"
    if not report.reminder_ids:
        return report
    me = worker_id()
    todo = _deliverable(report.reminder_ids)
    if not todo:
        return report

    def count_failure(error: str, n: int = 1) -> None:
        report.failed += n
        if error not in report.errors:
            report.errors.append(error)

    try:
        with open_transport(config, outbox_dir()) as transport:
            report.transport = transport.name
            for rid in todo:
                reminder = claim_reminder(rid, me, transport.name)
                if reminder is None:
                    continue
                try:
                    to = parse_address(reminder.recipient_email, reminder.recipient_name)
                    message = build_message(config=config, to=to, subject=reminder.subject, body=reminder.body,
                                            message_id=reminder.message_id, from_name=_fair_name(reminder.fair_id),
                                            reply_to=reply_to or reminder.reply_to or None)
                    transport.send(message, [to])
                except MailConnectionError:
                    raise
                except MailError as err:
                    record_reminder_outcome(rid, transport.name, str(err))
                    count_failure(str(err))
                else:
                    record_reminder_outcome(rid, transport.name, None)
                    report.sent += 1
    except MailConnectionError as err:
        failed = fail_reminders(todo, me, report.transport, str(err))
        if failed:
            count_failure(str(err), len(failed))
    return report


def _deliverable(reminder_ids: list[int]) -> list[int]:
    """Of these reminders, the ones a worker may send now, in order."""
    rows = db.session.execute(select(Reminder.id, Reminder.state, Reminder.transport, Reminder.claimed_by,
                                     Reminder.claimed_at).where(Reminder.id.in_(reminder_ids))
                              .order_by(Reminder.id)).tuples().all()
    db.session.rollback()  # end the read transaction: each claim and outcome is its own write
    return [rid for rid, state, transport, claimed_by, claimed_at in rows
            if _claimable(state, transport, claimed_by, claimed_at)]


def _fair_name(fair_id: int) -> str:
    name = db.session.scalar(select(Fair.name).where(Fair.id == fair_id)) or ""
    db.session.rollback()
    return name


@task("agreements.reminder_batch")
def deliver_reminder_batch(reminder_ids: list[int]) -> None:
    """The background half of `send_reminders`: deliver a run's reminders."""
    deliver_reminders(ReminderReport(reminder_ids=list(reminder_ids)))


@resumer
def _resume_reminders(min_age: float) -> None:
    """Queue again the pending reminders a dead worker was sending or had still to send (one batch
    per fair, in order)."""
    now = utcnow()
    rows = db.session.execute(select(Reminder.id, Reminder.fair_id, Reminder.state, Reminder.transport,
                                     Reminder.claimed_by, Reminder.claimed_at, Reminder.created_at)
                              .where(Reminder.state == ReminderState.PENDING).order_by(Reminder.id)).tuples().all()
    db.session.rollback()
    batches: dict[int, list[int]] = {}
    for rid, fair_id, state, transport, claimed_by, claimed_at, created_at in rows:
        if claimed_by is None and created_at > now - timedelta(seconds=min_age):
            continue  # probably still waiting in the queue
        if _claimable(state, transport, claimed_by, claimed_at):
            batches.setdefault(fair_id, []).append(rid)
    for ids in batches.values():
        deliver_reminder_batch.enqueue(ids)


def reminder_outcome(report: ReminderReport) -> ReminderReport:
    """The report with what has become of its reminders so far: sent, failed (with the errors),
    or still pending (being sent in the background)."""
    report.sent = report.failed = report.pending = 0
    report.errors = []
    if not report.reminder_ids:
        return report
    rows = db.session.execute(select(Reminder.state, Reminder.error, Reminder.transport)
                              .where(Reminder.id.in_(report.reminder_ids)).order_by(Reminder.id)).tuples().all()
    for state, error, transport in rows:
        if transport:
            report.transport = transport
        if state == ReminderState.SENT:
            report.sent += 1
        elif state == ReminderState.FAILED:
            report.failed += 1
            if error not in report.errors:
                report.errors.append(error)
        else:
            report.pending += 1
    return report


def send_reminders(actor: Participant | None, fair_id: int, *, overdue_only: bool = False,
                   wait: bool = False) -> ReminderReport:
    """Queue the reminders due now and their delivery: what the follow-up button runs. The report
    says what has become of them by the time it returns (all of it when the queue runs tasks at
    once). With `wait` (the command line), deliver them here and now instead."""
    reply_to = ""  # answers go to the organiser who sent them, when they have a usable address
    if actor is not None and actor.email:
        with suppress(MailError):
            reply_to = parse_address(actor.email).addr_spec
    report = queue_reminders(actor, fair_id, overdue_only=overdue_only, reply_to=reply_to, deliver=not wait)
    if wait:
        deliver_reminders(report)
    return reminder_outcome(report)


# --- for the follow-up page and the exports --------------------------------------------------


def latest_reminders(fair_id: int, agreement_ids: Collection[int]) -> dict[int, list[Reminder]]:
    """Per agreement of `agreement_ids`: the newest reminder of each party, newest first."""
    rows = db.session.scalars(select(Reminder).where(Reminder.fair_id == fair_id,
                                                     Reminder.agreement_id.in_(agreement_ids))
                              .order_by(Reminder.created_at.desc(), Reminder.id.desc()))
    latest: dict[int, list[Reminder]] = {}
    seen: set[tuple[int, int]] = set()
    for r in rows:
        if (r.agreement_id, r.party_id) not in seen:
            seen.add((r.agreement_id, r.party_id))
            latest.setdefault(r.agreement_id, []).append(r)
    return latest


def last_reminded(fair_id: int) -> dict[int, datetime]:
    """Per obligation: when a reminder about it was last sent."""
    result: dict[int, datetime] = {}
    for obligation_ids, sent_at in db.session.execute(
            select(Reminder.obligation_ids, Reminder.sent_at).where(
                Reminder.fair_id == fair_id, Reminder.state == ReminderState.SENT)):
        for oid in obligation_ids or ():
            if sent_at is not None and (oid not in result or sent_at > result[oid]):
                result[oid] = sent_at
    return result
