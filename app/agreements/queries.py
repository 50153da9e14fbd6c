"""Reading agreements for pages (no writes here)."""

from __future__ import annotations

from app.agreements.models import Agreement
from app.core.extensions import db


def find_agreement(fair_id: int, agreement_id: int) -> Agreement | None:
    """The fair's agreement with this id, or None (another fair's agreement is None too)."""
    agreement = db.session.get(Agreement, agreement_id)
    return agreement if agreement is not None and agreement.fair_id == fair_id else None
