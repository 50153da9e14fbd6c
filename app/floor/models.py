"""What organisations post on the trading floor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.storage.db import Base, str_enum, utcnow
from app.fairs.models import Category
from app.floor.kinds import PostKind, PostState, Unit
from app.people.models import Organisation, Participant


class Post(Base):
    """An offer ("oferuję") or a need ("potrzebuję") an organisation posts at a fair."""

    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_fair_state_counts", "fair_id", "state", "hidden_at", "category_id", "kind"),
                      Index("ix_posts_fair_created", "fair_id", "created_at"),  # the board, newest first
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
    # Its matching terms (lemmas of title + details), set on every write by app/matching/terms.py;
    # None: not analysed yet (a row written around the ORM), analysed when the matcher reads it.
    match_terms: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    form_key: Mapped[str | None] = mapped_column(String(64))  # app/formkeys.py: one post per form sent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A standing offer or need between fairs (the network's space) lasts until then, unless renewed;
    # a fair's posts have none. `renewal_reminded_at`: its author was reminded to renew it.
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    renewal_reminded_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[Participant] = relationship(foreign_keys=[author_id])
    category: Mapped[Category] = relationship()

    @property
    def is_live(self) -> bool:
        return self.state == PostState.ACTIVE and self.hidden_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()
