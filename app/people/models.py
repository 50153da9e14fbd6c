"""Organisations at a fair, the participants who represent them, and their arrival at the door.

A fair's organisation is a network member attending that fair (`member_id`), with the details it
gave there; a participant is a network person (`person_id`) attending on its behalf. The member
and the person last from fair to fair (app/network/models.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.storage.db import Base, str_enum, utcnow
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.models import Member, Person
from app.network.sectors import Sector


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        Index("uq_organisations_fair_name", "fair_id", "name_key", unique=True,
              sqlite_where=text("removed_at IS NULL"), postgresql_where=text("removed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # casefolded name, for duplicates
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # folded name, searched
    sector: Mapped[Sector] = mapped_column(str_enum(Sector))
    city: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    fair: Mapped[Fair] = relationship()
    member: Mapped[Member] = relationship()
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
        Index("ix_participants_fair_sort", "fair_id", "sort_key"),
        Index("ix_participants_fair_removed_org", "fair_id", "removed_at", "organisation_id"),  # counts per sector
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(201))
    # Folded (case and diacritics): "last\x1ffirst" to list people in SQL, and the words searched.
    sort_key: Mapped[str] = mapped_column(String(402), default="", server_default="")
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
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
    # counted by app/pin_guard.py, not here.
    login_secret: Mapped[str] = mapped_column(String(64), unique=True)
    pin: Mapped[str] = mapped_column(String(6))
    login_version: Mapped[int] = mapped_column(default=1)
    login_revoked: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    event_seq: Mapped[int] = mapped_column(default=0)  # this person's private event stream
    registered_via: Mapped[str] = mapped_column(String(16), default="organiser")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    fair: Mapped[Fair] = relationship()
    person: Mapped[Person] = relationship()
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
    __table_args__ = (UniqueConstraint("participant_id"),
                      Index("ix_check_ins_fair_at", "fair_id", "checked_in_at"))  # the latest arrivals

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    checked_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))

    participant: Mapped[Participant] = relationship(
        back_populates="check_in", foreign_keys=[participant_id]
    )
