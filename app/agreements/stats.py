"""Agreement figures of a fair: signed count, who trades with whom, points pledged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ScalarSelect, case, func, select
from sqlalchemy.orm import aliased

from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation
from app.core.extensions import db
from app.network.sectors import Sector
from app.people.models import Organisation

COUNTED = (AgreementState.SIGNED, AgreementState.FULFILLED)


def sector_matrix(fair_id: int) -> dict[str, dict[str, int]]:
    """matrix[a][b]: agreements between a party of sector a and a party of sector b (symmetric;
    the diagonal counts agreements within one sector). One query, counted in the database: each
    pair of parties of a counted agreement, as (lower sector, higher sector), the agreements of
    each such pair counted once."""
    matrix = {a.value: {b.value: 0 for b in Sector} for a in Sector}
    p1, p2 = aliased(AgreementParty), aliased(AgreementParty)
    o1, o2 = aliased(Organisation), aliased(Organisation)
    first = o1.sector <= o2.sector
    low, high = case((first, o1.sector), else_=o2.sector), case((first, o2.sector), else_=o1.sector)
    pairs = (select(low, high, func.count(func.distinct(p1.agreement_id)))
             .join(p2, (p2.agreement_id == p1.agreement_id) & (p2.id > p1.id))
             .join(o1, o1.id == p1.organisation_id).join(o2, o2.id == p2.organisation_id)
             .join(Agreement, Agreement.id == p1.agreement_id)
             .where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED))
             .group_by(low, high))
    for lower, higher, n in db.session.execute(pairs).tuples():
        a, b = Sector(lower).value, Sector(higher).value
        matrix[a][b] += n
        if a != b:
            matrix[b][a] += n
    return matrix


def _pledged(fair_id: int) -> ScalarSelect[int]:
    return (select(func.coalesce(func.sum(Obligation.points), 0)).join(Agreement)
            .where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED)).scalar_subquery())


def points_pledged(fair_id: int) -> int:
    return db.session.scalar(select(_pledged(fair_id))) or 0


def agreement_counts(fair_id: int) -> dict[str, Any]:
    """Signed agreements and their points in one statement, and the cross-sector matrix."""
    signed = (select(func.count()).select_from(Agreement)
              .where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED)).scalar_subquery())
    n_signed, points = db.session.execute(select(signed, _pledged(fair_id))).one()
    return {"agreements_signed": n_signed or 0, "sector_matrix": sector_matrix(fair_id),
            "points_pledged": points or 0}


def organisations_with_agreements(fair_id: int) -> int:
    return db.session.scalar(select(func.count(func.distinct(AgreementParty.organisation_id)))
                             .join(Agreement).join(Organisation)
                             .where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED))) or 0
