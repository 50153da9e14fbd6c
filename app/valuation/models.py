"""What valuation stores: the rates a fair (or the network's space) has changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.storage.db import Base, utcnow


class ValueRate(Base):
    """A rate set for one fair, in grosze; the network's rates are those of its space. A rate no
    row names is the network's, or the default (app/valuation/kinds.py)."""

    __tablename__ = "value_rates"
    __table_args__ = (UniqueConstraint("fair_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))  # a RateKey
    amount: Mapped[int]  # grosze per hour, day or piece
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
