"""E-mails sent in the background, each exactly as recorded, at most once once it went out.

`queue_mail()` (inside a service's transaction) records the message as a `QueuedMail` row in
state "pending" and queues the task `core.send_mail` for after the commit. The task claims the
row (one short audited transaction: who sends it, since when), sends it (SMTP or the outbox
folder, app/core/output/mail.py) and records the outcome: "sent", or "failed" with the error. The row
is the marker: a sent or failed message is never sent again, and a pending one is sent only by
the worker that claimed it. A claim whose worker died (see app/core/tasks.py) is taken over by
the next consumer, which sends the message again: if the worker died between the mail server's
acceptance and the recording of "sent" (a few milliseconds), that one message goes out twice.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.core.output.mail import MailError, build_message, new_message_id, open_transport, parse_address
from app.core.storage.db import Base, str_enum, utcnow
from app.core.storage.transactions import service
from app.core.tasks import claim_abandoned, resumer, task, worker_id


class MailState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class QueuedMail(Base):
    """One e-mail to one person, as it was (or is to be) sent."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # e.g. "invitation"
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    recipient_email: Mapped[str] = mapped_column(String(254))
    from_name: Mapped[str] = mapped_column(String(200), default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    state: Mapped[MailState] = mapped_column(str_enum(MailState, length=16), default=MailState.PENDING, index=True)
    transport: Mapped[str] = mapped_column(String(16), default="")  # smtp | outbox
    error: Mapped[str] = mapped_column(String(500), default="")
    claimed_by: Mapped[str | None] = mapped_column(String(160))  # the worker sending it (app/core/tasks.py)
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]


def outbox_dir() -> Path:
    return Path(current_app.config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")


def queue_mail(*, kind: str, to_email: str, to_name: str, subject: str, body: str, fair_id: int | None = None,
               from_name: str = "", reply_to: str = "") -> QueuedMail:
    """Record a message and send it after the current transaction commits. Call it inside a
    service. MailError (before anything is recorded) when the address cannot be used."""
    to = parse_address(to_email, to_name)
    if reply_to:
        parse_address(reply_to)
    mail = QueuedMail(fair_id=fair_id, kind=kind, recipient_name=to.display_name, recipient_email=to.addr_spec,
                      from_name=from_name, reply_to=reply_to, subject=subject[:300], body=body,
                      message_id=new_message_id(current_app.config), state=MailState.PENDING)
    db.session.add(mail)
    db.session.flush()
    send_mail.enqueue_after_commit(mail.id)
    return mail


@service
def claim_mail(mail_id: int, worker: str) -> QueuedMail | None:
    """Take the message for `worker` to send: only a pending one nobody (alive) is sending."""
    mail = db.session.get(QueuedMail, mail_id, with_for_update=True)
    if mail is None or mail.state != MailState.PENDING or not claim_abandoned(mail.claimed_by, mail.claimed_at):
        return None
    mail.claimed_by, mail.claimed_at = worker, utcnow()
    return mail


@service
def record_mail_outcome(mail_id: int, transport: str, error: str | None) -> QueuedMail:
    """Sent (error None), or failed with the error: either way never sent again."""
    mail = db.session.get_one(QueuedMail, mail_id)
    mail.transport = transport
    if error is None:
        mail.state, mail.sent_at, mail.error = MailState.SENT, utcnow(), ""
    else:
        mail.state, mail.failed_at, mail.error = MailState.FAILED, utcnow(), error[:500]
    return mail


@task("core.send_mail")
def send_mail(mail_id: int) -> None:
    """Send one recorded message, unless it is sent, failed, or being sent by a live worker."""
    found = db.session.execute(select(QueuedMail.state, QueuedMail.claimed_by, QueuedMail.claimed_at)
                               .where(QueuedMail.id == mail_id)).first()
    db.session.rollback()
    if found is None or found.state != MailState.PENDING or not claim_abandoned(found.claimed_by, found.claimed_at):
        return  # nothing to do: no claim (and no audit entry) for a duplicate task
    mail = claim_mail(mail_id, worker_id())
    if mail is None:
        return
    config = current_app.config
    transport_name = "smtp" if config.get("SMTP_HOST") else "outbox"
    try:
        to = parse_address(mail.recipient_email, mail.recipient_name)
        message = build_message(config=config, to=to, subject=mail.subject, body=mail.body,
                                message_id=mail.message_id, from_name=mail.from_name,
                                reply_to=mail.reply_to or None)
        with open_transport(config, outbox_dir()) as transport:
            transport_name = transport.name
            transport.send(message, [to])
    except MailError as err:
        record_mail_outcome(mail_id, transport_name, str(err))
    else:
        record_mail_outcome(mail_id, transport_name, None)


def mail_state(mail_id: int) -> QueuedMail | None:
    return db.session.get(QueuedMail, mail_id, populate_existing=True)


@resumer
def _resume_mail(min_age: float) -> None:
    """Queue again the pending messages a dead worker was sending, or whose task was lost."""
    now = utcnow()
    rows = db.session.execute(select(QueuedMail.id, QueuedMail.claimed_by, QueuedMail.claimed_at,
                                     QueuedMail.created_at)
                              .where(QueuedMail.state == MailState.PENDING).order_by(QueuedMail.id)).tuples().all()
    db.session.rollback()
    for mail_id, claimed_by, claimed_at, created_at in rows:
        if claimed_by is None and created_at > now - timedelta(seconds=min_age):
            continue  # probably still waiting in the queue
        if claim_abandoned(claimed_by, claimed_at, now):
            send_mail.enqueue(mail_id)
