"""A fair, its categories of resources and the moderator's announcements."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.storage.db import Base, str_enum, utcnow


class FairState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    TRADING = "trading"
    CLOSED = "closed"

    @property
    def label(self) -> LazyString:
        return FAIR_STATE_LABELS[self]


FAIR_STATE_LABELS: dict[FairState, LazyString] = {
    FairState.DRAFT: _l("being prepared"), FairState.OPEN: _l("before trading"),
    FairState.TRADING: _l("trading"), FairState.CLOSED: _l("closed"),
}


class FairKind(enum.StrEnum):
    FAIR = "fair"  # one afternoon: a trading window between the gongs
    NETWORK = "network"  # the network between fairs: always open, its organisers coordinate the network


class Fair(Base):
    """A fair, or the network's own space between fairs (`kind` network: one per installation,
    always trading, its standing offers expire, its agreements numbered in the network's series,
    its organisers the network's coordinators)."""

    __tablename__ = "fairs"
    __table_args__ = (Index("uq_fairs_one_network", "kind", unique=True, sqlite_where=text("kind = 'network'"),
                            postgresql_where=text("kind = 'network'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime | None]
    trading_opens_at: Mapped[datetime | None]
    trading_closes_at: Mapped[datetime | None]
    state: Mapped[FairState] = mapped_column(str_enum(FairState), default=FairState.DRAFT)
    kind: Mapped[FairKind] = mapped_column(str_enum(FairKind, length=16), default=FairKind.FAIR,
                                           server_default=FairKind.FAIR.value)
    registration_open: Mapped[bool] = mapped_column(default=False)
    notary_required: Mapped[bool] = mapped_column(default=True)
    point_rate: Mapped[int] = mapped_column(default=10)  # points per hour of work
    target_agreements: Mapped[int | None]  # the organisers' goal, shown in the results
    display_token: Mapped[str] = mapped_column(String(64))
    trading_started_at: Mapped[datetime | None]  # the opening gong
    trading_ended_at: Mapped[datetime | None]  # the closing gong
    event_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_network(self) -> bool:
        return self.kind == FairKind.NETWORK


class Category(Base):
    """A kind of resource. Seeded per fair from the method; organisers edit the list."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("fair_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str | None] = mapped_column(String(32))  # seeded categories: stable key
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)


class Announcement(Base):
    """What the moderator says to the hall: shown on every phone and the big screen."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
