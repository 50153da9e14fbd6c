"""Ledger tables: accounts, entries (one business event each) and their postings.

Invariants (enforced by `posting.post_entry`, by the database where it can, and re-checked by
`verify.verify_ledger`):

* every entry has at least two postings and they sum to zero; no posting is zero;
* an account's cached `balance` equals the sum of its postings;
* entries and postings are never updated or deleted (triggers refuse it); a correction is a
  reversal entry whose `reverses_id` names the original, at most one per original;
* every entry has a unique idempotency key, and `fingerprint` is a hash of its content, so a
  retry with the same key and the same content returns the entry already posted.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.storage.db import Base, str_enum, utcnow
from app.fairs.models import Fair
from app.network.models import Member, Person
from app.people.models import Organisation, Participant


class AccountKind(enum.StrEnum):
    """A member's and a person's accounts last across the network. Before the network each fair
    had its own organisation and person accounts: those stay for their history, closed, their
    balances carried into the member's or person's account by linked entries (migration 0016)."""

    MEMBER = "member"
    INDIVIDUAL = "individual"
    SYSTEM = "system"
    ORGANISATION = "organisation"  # one fair's, before the network: closed
    PERSON = "person"  # one fair's, before the network: closed

    @property
    def label(self) -> LazyString:
        return ACCOUNT_KIND_LABELS[self]


ACCOUNT_KIND_LABELS: dict[AccountKind, LazyString] = {
    AccountKind.MEMBER: _l("Organisation account"),
    AccountKind.INDIVIDUAL: _l("Personal account"),
    AccountKind.SYSTEM: _l("System account"),
    AccountKind.ORGANISATION: _l("Organisation account at one fair (closed)"),
    AccountKind.PERSON: _l("Personal account at one fair (closed)"),
}

HOLDER_KINDS = (AccountKind.MEMBER, AccountKind.INDIVIDUAL)  # the accounts that take postings


# Names of the system accounts as people see them (the stored `name` is the English one).
SYSTEM_ACCOUNT_LABELS: dict[str, LazyString] = {
    "opening": _l("Opening balances"),
}


class EntryKind(enum.StrEnum):
    TRANSFER = "transfer"
    AWARD = "award"
    FULFILMENT = "fulfilment"
    OPENING = "opening"
    REVERSAL = "reversal"

    @property
    def label(self) -> LazyString:
        return ENTRY_KIND_LABELS[self]


ENTRY_KIND_LABELS: dict[EntryKind, LazyString] = {
    EntryKind.TRANSFER: _l("Transfer"),
    EntryKind.AWARD: _l("Award to a volunteer"),
    EntryKind.FULFILMENT: _l("Fulfilled agreement"),
    EntryKind.OPENING: _l("Opening balance"),
    EntryKind.REVERSAL: _l("Reversal"),
}



HOLDER_MATCHES_KIND = (
    "(kind = 'member' AND member_id IS NOT NULL AND person_id IS NULL AND organisation_id IS NULL"
    " AND participant_id IS NULL AND system_key IS NULL)"
    " OR (kind = 'individual' AND person_id IS NOT NULL AND member_id IS NULL AND organisation_id IS NULL"
    " AND participant_id IS NULL AND system_key IS NULL)"
    " OR (kind = 'organisation' AND organisation_id IS NOT NULL AND participant_id IS NULL"
    " AND member_id IS NULL AND person_id IS NULL AND system_key IS NULL)"
    " OR (kind = 'person' AND participant_id IS NOT NULL AND organisation_id IS NULL"
    " AND member_id IS NULL AND person_id IS NULL AND system_key IS NULL)"
    " OR (kind = 'system' AND system_key IS NOT NULL AND organisation_id IS NULL"
    " AND participant_id IS NULL AND member_id IS NULL AND person_id IS NULL)")


class Account(Base):
    """A member's, a person's or a system account (and, closed, the per-fair accounts from before
    the network). System accounts have no limits."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        CheckConstraint(HOLDER_MATCHES_KIND, name="holder_matches_kind"),
        CheckConstraint("floor IS NULL OR ceiling IS NULL OR floor <= ceiling", name="floor_below_ceiling"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(str_enum(AccountKind, name="ledger_accountkind"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), unique=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"), unique=True)
    system_key: Mapped[str | None] = mapped_column(String(32), unique=True)
    # The fair of a per-fair account from before the network (None for the others).
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id"), index=True)
    name: Mapped[str] = mapped_column(String(250))
    # Per-account limits; None means the default for the account's kind (see limits.py).
    floor: Mapped[int | None]
    ceiling: Mapped[int | None]
    # Cached sum of this account's postings, kept in the posting transaction under a row lock.
    balance: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A per-fair account from before the network takes no more postings; its balance went to
    # `carried_to` (by an entry whose source is ("carry", this account's id)).
    closed_at: Mapped[datetime | None]
    carried_to_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_accounts.id"))

    member: Mapped[Member | None] = relationship()
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    participant: Mapped[Participant | None] = relationship()
    fair: Mapped[Fair | None] = relationship()

    @property
    def ref(self) -> str:
        """Stable external reference used in exports (see `account_ref`)."""
        return account_ref(self.kind, self.system_key, self.fair.slug if self.fair is not None else None,
                           self.organisation_id, self.participant_id, self.member_id, self.person_id)

    @property
    def is_system(self) -> bool:
        return self.kind == AccountKind.SYSTEM

    @property
    def display_name(self) -> str:
        """The name shown to people: system accounts' names are translated."""
        if self.system_key in SYSTEM_ACCOUNT_LABELS:
            return str(SYSTEM_ACCOUNT_LABELS[self.system_key])
        return self.name


def account_ref(kind: AccountKind, system_key: str | None, fair_slug: str | None, organisation_id: int | None,
                participant_id: int | None, member_id: int | None = None, person_id: int | None = None) -> str:
    """`Account.ref` from the account's columns (the exports read them without loading accounts):
    member:<id>, individual:<id>, system:<key>; the closed per-fair accounts org:<fair>:<id> and
    person:<fair>:<id>."""
    if kind == AccountKind.SYSTEM:
        return f"system:{system_key}"
    if kind == AccountKind.MEMBER:
        return f"member:{member_id}"
    if kind == AccountKind.INDIVIDUAL:
        return f"individual:{person_id}"
    slug = fair_slug if fair_slug is not None else "-"
    if kind == AccountKind.ORGANISATION:
        return f"org:{slug}:{organisation_id}"
    return f"person:{slug}:{participant_id}"


class Entry(Base):
    """One business event (a transfer, an award, a fulfilled obligation, …) and its postings."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("(kind = 'reversal') = (reverses_id IS NOT NULL)", name="reversal_link"),
        Index("ix_ledger_entries_source", "source_kind", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(str_enum(EntryKind, name="ledger_entrykind"))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    # sha256 of the entry's content (kind, postings, memo, source, reversal link, fair).
    fingerprint: Mapped[str] = mapped_column(String(64))
    memo: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    actor_label: Mapped[str] = mapped_column(String(250), default="")
    # The fair the entry concerns, if any (fulfilments, awards and transfers made at a fair).
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id"), index=True)
    source_kind: Mapped[str | None] = mapped_column(String(32))
    source_id: Mapped[int | None]
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    postings: Mapped[list[Posting]] = relationship(back_populates="entry", order_by="Posting.id")
    actor: Mapped[Participant | None] = relationship()
    fair: Mapped[Fair | None] = relationship()
    reverses: Mapped[Entry | None] = relationship(remote_side=[id], foreign_keys=[reverses_id])


class Posting(Base):
    """A signed, non-zero amount of points on one account, as part of one entry."""

    __tablename__ = "ledger_postings"
    __table_args__ = (
        CheckConstraint("points <> 0", name="points_not_zero"),
        UniqueConstraint("entry_id", "account_id"),
        Index("ix_ledger_postings_account_entry", "account_id", "entry_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    points: Mapped[int]

    entry: Mapped[Entry] = relationship(back_populates="postings")
    account: Mapped[Account] = relationship()
