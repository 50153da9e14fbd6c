"""The brokers' rows: introductions made, and suggestions waiting to be pushed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.storage.db import Base, utcnow
from app.floor.models import Post
from app.people.models import Participant


class Introduction(Base):
    """A broker brought two people of different organisations together (optionally over a post
    of each), at a time; both phones got the other's card."""

    __tablename__ = "introductions"
    __table_args__ = (
        UniqueConstraint("fair_id", "form_key"),
        Index("ix_introductions_fair_created", "fair_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    broker_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    first_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    second_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    first_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    second_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    form_key: Mapped[str | None] = mapped_column(String(64))  # app/core/web/formkeys.py: one per tap
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    broker: Mapped[Participant] = relationship(foreign_keys=[broker_id])
    first: Mapped[Participant] = relationship(foreign_keys=[first_id])
    second: Mapped[Participant] = relationship(foreign_keys=[second_id])
    first_post: Mapped[Post | None] = relationship(foreign_keys=[first_post_id])
    second_post: Mapped[Post | None] = relationship(foreign_keys=[second_post_id])


class SuggestionRun(Base):
    """One post version whose matches are to be pushed: written in the post's own transaction,
    marked delivered in the transaction that records the pushed events — so a run is pushed
    exactly once, and one left pending by a dead process is found and pushed again."""

    __tablename__ = "suggestion_runs"
    __table_args__ = (
        UniqueConstraint("post_id", "post_version"),
        Index("ix_suggestion_runs_pending", "delivered_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    post_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    found: Mapped[int] = mapped_column(default=0)  # how many matches were pushed
