"""Agreement figures of a fair: signed count, who trades with whom, points pledged."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation
from app.core.extensions import db
from app.people.models import Organisation
from app.people.sectors import Sector

COUNTED = (AgreementState.SIGNED, AgreementState.FULFILLED)


def sector_matrix(fair_id: int) -> dict[str, dict[str, int]]:
    """matrix[a][b]: agreements between a party of sector a and a party of sector b (symmetric;
    the diagonal counts agreements within one sector)."""
    matrix = {a.value: {b.value: 0 for b in Sector} for a in Sector}
    agreements = db.session.scalars(
        select(Agreement).where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED))
        .options(selectinload(Agreement.parties).selectinload(AgreementParty.organisation)))
    for agreement in agreements:
        pairs = {tuple(sorted((a.organisation.sector.value, b.organisation.sector.value)))
                 for a, b in combinations(agreement.parties, 2)}
        for a, b in pairs:
            matrix[a][b] += 1
            if a != b:
                matrix[b][a] += 1
    return matrix


def points_pledged(fair_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Obligation.points), 0)).join(Agreement).where(
            Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED))) or 0


def agreement_counts(fair_id: int) -> dict[str, Any]:
    signed = db.session.scalar(select(func.count()).select_from(Agreement).where(
        Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED))) or 0
    return {"agreements_signed": signed, "sector_matrix": sector_matrix(fair_id),
            "points_pledged": points_pledged(fair_id)}


def organisations_with_agreements(fair_id: int) -> int:
    return db.session.scalar(select(func.count(func.distinct(AgreementParty.organisation_id)))
                             .join(Agreement).join(Organisation)
                             .where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED))) or 0
