"""Fairs, organisations, participants and check-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, str_enum, utcnow
from app.fair.sectors import FairState, PostKind, PostState, Role, Sector, Unit


class Fair(Base):
    __tablename__ = "fairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime | None]
    trading_opens_at: Mapped[datetime | None]
    trading_closes_at: Mapped[datetime | None]
    state: Mapped[FairState] = mapped_column(str_enum(FairState), default=FairState.DRAFT)
    registration_open: Mapped[bool] = mapped_column(default=False)
    notary_required: Mapped[bool] = mapped_column(default=True)
    point_rate: Mapped[int] = mapped_column(default=10)  # points per hour of work
    target_agreements: Mapped[int | None]  # the organisers' goal, shown in the results
    display_token: Mapped[str] = mapped_column(String(64))
    trading_started_at: Mapped[datetime | None]  # the opening gong
    trading_ended_at: Mapped[datetime | None]  # the closing gong
    event_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisations: Mapped[list[Organisation]] = relationship(back_populates="fair")
    participants: Mapped[list[Participant]] = relationship(back_populates="fair")


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        Index("uq_organisations_fair_name", "fair_id", "name_key", unique=True,
              sqlite_where=text("removed_at IS NULL"), postgresql_where=text("removed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # casefolded name, for duplicates
    sector: Mapped[Sector] = mapped_column(str_enum(Sector))
    city: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    fair: Mapped[Fair] = relationship(back_populates="organisations")
    participants: Mapped[list[Participant]] = relationship(back_populates="organisation")


class Participant(Base):
    """A person at one fair, representing an organisation (a resident represents themself)."""

    __tablename__ = "participants"
    __table_args__ = (
        Index("uq_participants_fair_email", "fair_id", "email_key", unique=True,
              sqlite_where=text("removed_at IS NULL AND email_key != ''"),
              postgresql_where=text("removed_at IS NULL AND email_key != ''")),
        Index("uq_participants_org_name", "organisation_id", "name_key", unique=True,
              sqlite_where=text("removed_at IS NULL"), postgresql_where=text("removed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(201))
    email: Mapped[str] = mapped_column(String(254), default="")
    email_key: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    show_email: Mapped[bool] = mapped_column(default=False)
    show_phone: Mapped[bool] = mapped_column(default=False)
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.PARTICIPANT)
    # Public: printed on the badge, opens /p/<badge_code>. Never grants anything.
    badge_code: Mapped[str] = mapped_column(String(16), unique=True)
    # Private: the login link and PIN on the owner's slip; reissuing changes both and bumps
    # login_version, which signs out every session opened with the old ones. Only participants
    # log in with them: staff (PASSWORD_ROLES) log in with their password. PIN attempts are
    # counted by app/fair/pin_guard.py, not here.
    login_secret: Mapped[str] = mapped_column(String(64), unique=True)
    pin: Mapped[str] = mapped_column(String(6))
    login_version: Mapped[int] = mapped_column(default=1)
    login_revoked: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The network's coordinator (sees every fair's ledger); set only from the command line.
    network_coordinator: Mapped[bool] = mapped_column(default=False)
    event_seq: Mapped[int] = mapped_column(default=0)  # this person's private event stream
    registered_via: Mapped[str] = mapped_column(String(16), default="organiser")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    fair: Mapped[Fair] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship(back_populates="participants")
    check_in: Mapped[CheckIn | None] = relationship(
        back_populates="participant", uselist=False, foreign_keys="CheckIn.participant_id")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.NOTARY, Role.ORGANISER)

    # Flask-Login
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.removed_at is None and not self.login_revoked

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.login_version}"


class CheckIn(Base):
    """Arrival at the door. One per participant: scanning again changes nothing."""

    __tablename__ = "check_ins"
    __table_args__ = (UniqueConstraint("participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    checked_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))

    participant: Mapped[Participant] = relationship(
        back_populates="check_in", foreign_keys=[participant_id]
    )


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


class Post(Base):
    """An offer ("oferuję") or a need ("potrzebuję") an organisation posts at a fair."""

    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_fair_state", "fair_id", "state"),
                      UniqueConstraint("fair_id", "form_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    kind: Mapped[PostKind] = mapped_column(str_enum(PostKind))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    title: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int | None]
    unit: Mapped[Unit | None] = mapped_column(str_enum(Unit))
    available_when: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[PostState] = mapped_column(str_enum(PostState), default=PostState.ACTIVE)
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded title + details
    version: Mapped[int] = mapped_column(default=1)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    form_key: Mapped[str | None] = mapped_column(String(64))  # app/formkeys.py: one post per form sent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[Participant] = relationship(foreign_keys=[author_id])
    category: Mapped[Category] = relationship()

    @property
    def is_live(self) -> bool:
        return self.state == PostState.ACTIVE and self.hidden_at is None


class Announcement(Base):
    """What the moderator says to the hall: shown on every phone and the big screen."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
