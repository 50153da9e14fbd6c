"""What matching stores: a fair's synonym groups, which its organisers edit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.storage.db import Base, utcnow


class SynonymGroup(Base):
    """Words that mean the same at this fair, one group a line on the organiser's page:
    "rzutnik = projektor = projektor multimedialny" (a member may be several words)."""

    __tablename__ = "synonym_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    members: Mapped[str] = mapped_column(String(500))  # as typed, tidied: "rzutnik = projektor"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
