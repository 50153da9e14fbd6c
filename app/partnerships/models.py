"""A partnership: a standing agreement of two or more members of the network for a shared
purpose, with a lead member and each partner's role and contribution. It lasts between fairs;
a fair's group deal may become one (`source_agreement_id`).

Numbered in one network-wide series per calendar year (PA/2026/001) when recorded; its content
is frozen then (canonical JSON and its SHA-256), so that the PDF and the public verification
page (/pa/<public_code>) show what was agreed, even if a member is renamed afterwards.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.storage.db import Base, str_enum, utcnow
from app.network.models import Member


class PartnershipState(enum.StrEnum):
    DRAFT = "draft"  # reserved: every partnership recorded so far is active at once
    ACTIVE = "active"
    ENDED = "ended"


class Partnership(Base):
    __tablename__ = "partnerships"
    __table_args__ = (
        UniqueConstraint("year", "seq_no"),
        Index("ix_partnerships_state_starts", "state", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]  # of the number's series: the year it was recorded in (Warsaw)
    seq_no: Mapped[int]
    number: Mapped[str] = mapped_column(String(32), unique=True)  # PA/2026/001
    public_code: Mapped[str] = mapped_column(String(32), unique=True)  # /pa/<code> verification
    purpose: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[PartnershipState] = mapped_column(str_enum(PartnershipState), default=PartnershipState.ACTIVE)
    lead_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))  # None: the CLI
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    end_reason: Mapped[str] = mapped_column(String(500), default="")
    content_hash: Mapped[str | None] = mapped_column(String(64))
    frozen_content: Mapped[str | None] = mapped_column(Text)  # canonical JSON the hash covers
    source_agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="SET NULL"), unique=True)
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # app/core/web/formkeys.py

    members: Mapped[list[PartnershipMember]] = relationship(
        back_populates="partnership", order_by="PartnershipMember.position", cascade="all, delete-orphan")
    lead: Mapped[Member] = relationship(foreign_keys=[lead_member_id])

    @property
    def size(self) -> int:
        return len(self.members)


class PartnershipMember(Base):
    __tablename__ = "partnership_members"
    __table_args__ = (UniqueConstraint("partnership_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    role: Mapped[str] = mapped_column(String(300), default="")
    contribution: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    partnership: Mapped[Partnership] = relationship(back_populates="members")
    member: Mapped[Member] = relationship()
