"""Members and people of the network: the records that last from fair to fair.

A *member* is an organisation, an informal group or a resident representing themself (its
sector says which). A *person* is someone who attends fairs; at each fair they are a participant
on behalf of a member (`app/people/models.py`: a fair's organisation names its member, a
participant their person). A record merged into another keeps its row, pointing at the one it
became (`merged_into_id`), so that history never loses a name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.storage.db import Base, str_enum, utcnow
from app.network.sectors import Branch, Sector

_LIVE_WITH = "merged_into_id IS NULL AND {column} != ''"


def _unique_when_set(name: str, column: str) -> Index:
    where = text(_LIVE_WITH.format(column=column))
    return Index(name, column, unique=True, sqlite_where=where, postgresql_where=where)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        _unique_when_set("uq_members_nip", "nip"),
        _unique_when_set("uq_members_krs", "krs"),
        _unique_when_set("uq_members_regon", "regon"),
        Index("ix_members_name_key", "name_key"),
        Index("ix_members_email_key", "email_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # casefolded name
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # folded, searched
    sector: Mapped[Sector] = mapped_column(str_enum(Sector))
    branch: Mapped[Branch | None] = mapped_column(str_enum(Branch))
    city: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    email_key: Mapped[str] = mapped_column(String(254), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # Polish registers' numbers, digits only; '' when not given.
    nip: Mapped[str] = mapped_column(String(10), default="", server_default="")
    krs: Mapped[str] = mapped_column(String(10), default="", server_default="")
    regon: Mapped[str] = mapped_column(String(14), default="", server_default="")
    # Shown in the public directory only when the member says so.
    public_profile: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    merged_at: Mapped[datetime | None]
    # The last reminder to keep at least one current offer between fairs (app/between/reminders.py).
    offer_reminded_at: Mapped[datetime | None]


class Person(Base):
    __tablename__ = "persons"
    __table_args__ = (
        _unique_when_set("uq_persons_email_key", "email_key"),
        Index("ix_persons_name_key", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(201))
    # Folded (case and diacritics): "last\x1ffirst" to list people in SQL, and the words searched.
    sort_key: Mapped[str] = mapped_column(String(402), default="", server_default="")
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    email_key: Mapped[str] = mapped_column(String(254), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    merged_at: Mapped[datetime | None]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PossibleDuplicate(Base):
    """A new member whose name is close to an existing one's: the organiser (or the network's
    coordinator) confirms it is the same (and the two are merged) or says they differ."""

    __tablename__ = "member_possible_duplicates"
    __table_args__ = (UniqueConstraint("member_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)  # the new one
    candidate_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)  # the existing one
    score: Mapped[int]  # 0-100, how close the folded names are
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(16))  # "same" | "different"
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
