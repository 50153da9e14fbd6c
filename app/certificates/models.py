"""A certificate of in-kind contribution: what one member of the network gave and received in the
agreements signed in a period, at one fair (`fair_id`) or anywhere in the network (None).

Numbered in its own network-wide series per calendar year (ZW/2026/0001) when issued; every line
is frozen then (canonical JSON and its SHA-256), so that the PDF and the public verification page
(/zw/<public_code>) show what was certified, whatever happens to the agreements afterwards. It is
never edited: reissuing makes a new certificate from the current records (`replaces_id`: the one it
replaces), and the old one is marked superseded.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.core.storage.db import Base, utcnow
from app.network.models import Member


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("year", "seq_no"),
        Index("ix_certificates_fair_issued", "fair_id", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]  # of the number's series: the year it was issued in (Warsaw)
    seq_no: Mapped[int]
    number: Mapped[str] = mapped_column(String(32), unique=True)  # ZW/2026/0001
    public_code: Mapped[str] = mapped_column(String(32), unique=True)  # /zw/<code> verification
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    # The scope: the agreements of this fair; None: of the whole network (every fair, between fairs).
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # inclusive
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))  # None: the CLI
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    frozen_content: Mapped[str] = mapped_column(Text)  # canonical JSON the hash covers
    content_hash: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # kept at the first download
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), unique=True)
    superseded_at: Mapped[datetime | None]  # when a reissue replaced it
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # app/core/web/formkeys.py

    member: Mapped[Member] = relationship()
    replaces: Mapped[Certificate | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
