"""Agreements between organisations at a fair: parties, obligations, signatures."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.core.storage.db import Base, str_enum, utcnow
from app.floor.kinds import Unit
from app.people.models import Organisation, Participant


class AgreementState(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_SIGNATURES = "awaiting_signatures"
    SIGNED = "signed"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    ANNULLED = "annulled"


class ObligationState(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class SignatureMethod(enum.StrEnum):
    OWN_DEVICE = "own_device"
    SHARED_DEVICE_PIN = "shared_device_pin"
    SHARED_DEVICE_QR = "shared_device_qr"
    PAPER = "paper"



class Agreement(Base):
    __tablename__ = "agreements"
    __table_args__ = (
        UniqueConstraint("fair_id", "seq_no"),
        UniqueConstraint("fair_id", "form_key"),
        Index("ix_agreements_fair_state", "fair_id", "state"),
        Index("ix_agreements_fair_state_signed", "fair_id", "state", "signed_at"),  # the desk's newest signed
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    state: Mapped[AgreementState] = mapped_column(str_enum(AgreementState), default=AgreementState.DRAFT)
    version: Mapped[int] = mapped_column(default=1)  # every edit bumps it and voids signatures
    seq_no: Mapped[int | None]  # per-fair number, given when signed
    number: Mapped[str | None] = mapped_column(String(64), unique=True)
    public_code: Mapped[str] = mapped_column(String(32), unique=True)  # /c/<code> verification
    created_by_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[datetime | None]
    notary_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    notarised_at: Mapped[datetime | None]
    on_paper: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    frozen_content: Mapped[str | None] = mapped_column(Text)  # canonical JSON the hash covers
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    annulled_at: Mapped[datetime | None]
    annulled_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    annul_reason: Mapped[str] = mapped_column(String(500), default="")
    fulfilled_at: Mapped[datetime | None]
    form_key: Mapped[str | None] = mapped_column(String(64))  # app/formkeys.py: one draft per form sent

    parties: Mapped[list[AgreementParty]] = relationship(
        back_populates="agreement", order_by="AgreementParty.position", cascade="all, delete-orphan")
    obligations: Mapped[list[Obligation]] = relationship(
        back_populates="agreement", order_by="Obligation.position", cascade="all, delete-orphan")
    signatures: Mapped[list[Signature]] = relationship(back_populates="agreement", cascade="all, delete-orphan")
    created_by: Mapped[Participant] = relationship(foreign_keys=[created_by_id])
    notary: Mapped[Participant | None] = relationship(foreign_keys=[notary_id])

    @property
    def is_complete(self) -> bool:
        return self.state in (AgreementState.SIGNED, AgreementState.FULFILLED)

    def current_signatures(self) -> list[Signature]:
        return [s for s in self.signatures if s.version == self.version]

    def party_for(self, organisation_id: int) -> AgreementParty | None:
        return next((p for p in self.parties if p.organisation_id == organisation_id), None)

    @property
    def points(self) -> int:
        return sum(o.points for o in self.obligations)


class AgreementParty(Base):
    __tablename__ = "agreement_parties"
    __table_args__ = (UniqueConstraint("agreement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    position: Mapped[int] = mapped_column(default=0)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_details: Mapped[str] = mapped_column(String(300), default="")
    annul_requested_at: Mapped[datetime | None]

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()
    representative: Mapped[Participant] = relationship()


class Obligation(Base):
    """What one party gives another: the method's 'who gives what to whom'."""

    __tablename__ = "obligations"
    __table_args__ = (
        CheckConstraint("points >= 0", name="points_not_negative"),
        CheckConstraint("giver_party_id != receiver_party_id", name="giver_is_not_receiver"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    giver_party_id: Mapped[int] = mapped_column(ForeignKey("agreement_parties.id"))
    receiver_party_id: Mapped[int] = mapped_column(ForeignKey("agreement_parties.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)  # "answered?" per need
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int | None]
    unit: Mapped[Unit | None] = mapped_column(str_enum(Unit))
    when: Mapped[str] = mapped_column(String(200), default="")
    where: Mapped[str] = mapped_column(String(200), default="")
    duration: Mapped[str] = mapped_column(String(100), default="")
    hours: Mapped[int | None]
    points: Mapped[int] = mapped_column(default=0)
    cost_contribution: Mapped[str] = mapped_column(String(300), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    # Social value (app/valuation): the basis the parties chose (None: the category's), and the
    # estimate frozen at signing, units × rate = social_value, in grosze.
    value_basis: Mapped[str | None] = mapped_column(String(24))
    value_rate_key: Mapped[str | None] = mapped_column(String(32))
    value_units: Mapped[int | None]
    value_rate: Mapped[int | None]
    social_value: Mapped[int | None]
    state: Mapped[ObligationState] = mapped_column(str_enum(ObligationState), default=ObligationState.PENDING)
    delivered_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    disputed_at: Mapped[datetime | None]
    dispute_comment: Mapped[str] = mapped_column(String(1000), default="")
    # The receiver's feedback (app/agreements/feedback.py): a rating 1–5 and a few words, which
    # reports quote only with `quote_consent`; `feedback_at` when it was last given (None: none).
    rating: Mapped[int | None]
    testimonial: Mapped[str] = mapped_column(String(500), default="", server_default="")
    quote_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    feedback_at: Mapped[datetime | None]

    agreement: Mapped[Agreement] = relationship(back_populates="obligations")
    giver: Mapped[AgreementParty] = relationship(foreign_keys=[giver_party_id])
    receiver: Mapped[AgreementParty] = relationship(foreign_keys=[receiver_party_id])


class Signature(Base):
    """A party's signature of one version of an agreement. Edits void older versions' ones."""

    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("agreement_id", "party_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("agreement_parties.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    version: Mapped[int]
    method: Mapped[SignatureMethod] = mapped_column(str_enum(SignatureMethod))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="signatures")
    party: Mapped[AgreementParty] = relationship()
    participant: Mapped[Participant] = relationship()


class ReminderState(enum.StrEnum):
    PENDING = "pending"  # recorded; being sent by `claimed_by` once claimed (resent if that worker died)
    SENT = "sent"
    FAILED = "failed"


class Reminder(Base):
    """One reminder e-mail to one party of one agreement, as it was (or was to be) sent."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_agreement_party", "agreement_id", "party_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("agreement_parties.id", ondelete="CASCADE"))
    obligation_ids: Mapped[list[int]] = mapped_column(JSON)
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    recipient_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255))
    state: Mapped[ReminderState] = mapped_column(
        str_enum(ReminderState, length=16),
        default=ReminderState.PENDING)
    transport: Mapped[str] = mapped_column(String(16), default="")  # smtp | outbox
    error: Mapped[str] = mapped_column(String(500), default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="")  # the organiser who sent it
    claimed_by: Mapped[str | None] = mapped_column(String(160))  # the worker sending it (app/core/tasks.py)
    claimed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))  # None: the CLI
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]

    agreement: Mapped[Agreement] = relationship()
    party: Mapped[AgreementParty] = relationship()
