"""Social value pledged and realised (app/valuation): a fair's, or the network's in a period.

Pledged: the frozen estimates of every obligation of a signed or fulfilled agreement. Realised:
those of the obligations the receiver has confirmed. Both in grosze here; the stats API and the
pages round them to whole złoty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Integer, case, func, literal, select
from sqlalchemy.orm import aliased

from app.agreements.models import Agreement, AgreementParty, Obligation, ObligationState
from app.agreements.stats import COUNTED
from app.core.extensions import db
from app.fairs.categories import category_label
from app.fairs.models import Category
from app.network.sectors import Sector
from app.people.models import Organisation


@dataclass(frozen=True)
class ValueRow:
    pledged: int = 0
    realised: int = 0

    def __add__(self, other: ValueRow) -> ValueRow:
        return ValueRow(self.pledged + other.pledged, self.realised + other.realised)


@dataclass
class ValueTotals:
    """In grosze. `by_category`: label → row, in the fairs' category order; `by_giver_sector` and
    `by_receiver_sector`: every sector → row; `unvalued`: obligations counted with no estimate
    (signed before valuation existed, or not to be valued)."""

    pledged: int = 0
    realised: int = 0
    obligations: int = 0
    unvalued: int = 0
    by_category: dict[str, ValueRow] = field(default_factory=dict)
    by_giver_sector: dict[str, ValueRow] = field(default_factory=lambda: {s.value: ValueRow() for s in Sector})
    by_receiver_sector: dict[str, ValueRow] = field(default_factory=lambda: {s.value: ValueRow() for s in Sector})


def _scope(fair_ids: Sequence[int] | None, start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Agreement.state.in_(COUNTED)]
    if fair_ids is not None:
        where.append(Agreement.fair_id.in_(list(fair_ids)))
    if start is not None:
        where.append(Agreement.signed_at >= start)
    if end is not None:
        where.append(Agreement.signed_at < end)
    return where


def value_totals(fair_ids: Sequence[int] | None = None, start: datetime | None = None,
                 end: datetime | None = None) -> ValueTotals:
    """The totals of the fairs named (None: every fair and the network's space), of agreements
    signed in [start, end) when given. One statement, grouped by category and the two sectors."""
    giver, receiver = aliased(AgreementParty), aliased(AgreementParty)
    g_org, r_org = aliased(Organisation), aliased(Organisation)
    value = func.coalesce(Obligation.social_value, 0)
    realised = case((Obligation.state == ObligationState.CONFIRMED, value), else_=0)
    unvalued = case((Obligation.social_value.is_(None), 1), else_=0)
    rows = db.session.execute(
        select(Obligation.category_id, g_org.sector, r_org.sector, func.sum(value), func.sum(realised),
               func.count(), func.sum(unvalued))
        .join(Agreement, Agreement.id == Obligation.agreement_id)
        .join(giver, giver.id == Obligation.giver_party_id).join(g_org, g_org.id == giver.organisation_id)
        .join(receiver, receiver.id == Obligation.receiver_party_id).join(r_org, r_org.id == receiver.organisation_id)
        .where(*_scope(fair_ids, start, end))
        .group_by(Obligation.category_id, g_org.sector, r_org.sector)).tuples().all()
    totals = ValueTotals()
    by_category_id: dict[int | None, ValueRow] = {}
    for category_id, giver_sector, receiver_sector, pledged, done, count, n_unvalued in rows:
        row = ValueRow(int(pledged or 0), int(done or 0))
        totals.pledged += row.pledged
        totals.realised += row.realised
        totals.obligations += count
        totals.unvalued += int(n_unvalued or 0)
        by_category_id[category_id] = by_category_id.get(category_id, ValueRow()) + row
        g, r = Sector(giver_sector).value, Sector(receiver_sector).value
        totals.by_giver_sector[g] += row
        totals.by_receiver_sector[r] += row
    totals.by_category = _by_label(by_category_id)
    return totals


def _by_label(by_id: dict[int | None, ValueRow]) -> dict[str, ValueRow]:
    """Categories of several fairs named alike count as one; an obligation without one is 'other'."""
    ids = [i for i in by_id if i is not None]
    categories = {c.id: c for c in db.session.scalars(select(Category).where(Category.id.in_(ids))
                                                      .order_by(Category.position, Category.id))} if ids else {}
    out: dict[str, ValueRow] = {}
    for category in categories.values():
        label = category_label(category)
        out[label] = out.get(label, ValueRow()) + by_id[category.id]
    if None in by_id:
        label = _("Without a category")
        out[label] = out.get(label, ValueRow()) + by_id[None]
    return out


def value_per_period(bounds: Sequence[datetime]) -> list[ValueRow]:
    """Pledged and realised, in grosze, of the agreements signed in each period [bounds[i],
    bounds[i + 1]) (e.g. the starts of consecutive years, and the end of the last): one statement,
    bucketed in the database by comparing `signed_at` with the bounds, whatever their number."""
    periods = len(bounds) - 1
    if periods < 1:
        return []
    value = func.coalesce(Obligation.social_value, 0)
    realised = case((Obligation.state == ObligationState.CONFIRMED, value), else_=0)
    whens = [(Agreement.signed_at < bound, i) for i, bound in enumerate(bounds[1:-1])]
    period = case(*whens, else_=periods - 1) if whens else literal(0, Integer)
    # Bucketed in a subquery, grouped outside it: PostgreSQL would not see the CASE in the GROUP
    # BY as the one selected (their bound parameters differ).
    valued = (select(period.label("period"), value.label("value"), realised.label("realised"))
              .select_from(Obligation).join(Agreement, Agreement.id == Obligation.agreement_id)
              .where(*_scope(None, bounds[0], bounds[-1])).subquery())
    rows = db.session.execute(
        select(valued.c.period, func.sum(valued.c.value), func.sum(valued.c.realised))
        .group_by(valued.c.period)).tuples().all()
    found = [ValueRow() for _ in range(periods)]
    for i, pledged, done in rows:
        found[int(i)] = ValueRow(int(pledged or 0), int(done or 0))
    return found

