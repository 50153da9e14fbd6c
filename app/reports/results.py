"""The results of a fair: what the organiser announces at the closing gong and reports to
funders and partners afterwards.

What is counted (each figure is defined once, here):

- **participants**: people registered at the fair and not removed (staff included, as on the
  big screen); **organisations**: organisations with at least one such person.
- **checked in**: those people who checked in at the door; **organisations present**:
  organisations with at least one person checked in. The headline sentence speaks of everyone
  registered and their organisations, as the method's reports do ("157 people from 78
  organisations"); a partly used check-in desk must not shrink it.
- **offers and needs**: posts published at the fair and still standing at its end — live or
  taken; withdrawn posts and posts hidden by a moderator are left out.
- **agreements**: signed or fulfilled; drafts, cancelled and annulled agreements are left out.
  Their obligations give the points pledged (the estimated value), the points confirmed and the
  fulfilment rate.
- **cross-sector matrix**: matrix[a][b] counts agreements with a party of sector a and a party
  of sector b (symmetric; the diagonal counts agreements within one sector), as on the screen.
- **top categories by agreements**: a category's agreements are the counted agreements with at
  least one obligation in it (the obligation's category, else that of the post it answers);
  ties go to the category with more obligations, then to the category listed first.
  **Top categories by posts**: offers plus needs, ties to the category listed first.
- **agreements per 10 minutes**: counted agreements by `signed_at`, in buckets from the opening
  gong to the closing gong (or now, while trading); agreements the notary completed after the
  closing gong are counted apart. Windows longer than 8 hours use wider buckets (a multiple of
  10 minutes), so a chart never has more than 48 bars.
- **fulfilment rate over time** (once trading is closed): for each day since the fair's day
  (day 0, in the fair's time zone) up to today, the share of the counted agreements'
  obligations confirmed by the end of that day, cumulative.
- **social value** (`app.agreements.value_totals`): pledged, the estimates frozen at signing of
  the counted agreements' obligations; realised, those of the obligations confirmed; by category
  (the obligation's own) and by the giving party's sector; obligations without an estimate are
  counted apart. Estimates by the documented method, never prices.

All figures come from a fixed handful of queries, whatever the size of the fair.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from flask_babel import get_timezone, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, func, select

from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation, ObligationState
from app.agreements.stats import COUNTED, sector_matrix
from app.agreements.value_totals import ValueTotals, value_totals
from app.core.errors import Conflict
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.events import DomainEvent, record_event
from app.core.storage.transactions import service
from app.fairs.categories import category_label, fair_categories
from app.fairs.models import Fair, FairState
from app.fairs.roles import Role, require_role
from app.floor.kinds import PostKind, PostState
from app.floor.models import Post
from app.network.sectors import SECTOR_COLOURS, Sector
from app.people.models import CheckIn, Organisation, Participant

TOP = 5
BUCKET_MINUTES = 10
MAX_BUCKETS = 48
REVEAL_EVENT = "fair.results_revealed"
POSTED_STATES = (PostState.ACTIVE, PostState.TAKEN)


@dataclass(frozen=True)
class SectorFigures:
    sector: Sector
    participants: int
    organisations: int
    checked_in: int

    @property
    def label(self) -> str:
        return str(self.sector.label)

    @property
    def colour(self) -> str:
        return SECTOR_COLOURS[self.sector]


@dataclass(frozen=True)
class CategoryFigures:
    id: int
    name: str
    position: int
    offers: int
    needs: int
    agreements: int  # counted agreements with at least one obligation in this category
    obligations: int  # their obligations in this category
    points: int  # the points of those obligations

    @property
    def posts(self) -> int:
        return self.offers + self.needs


@dataclass(frozen=True)
class TimeBucket:
    start: datetime
    minute: int  # minutes since the opening gong
    agreements: int


@dataclass(frozen=True)
class FulfilmentDay:
    day: int  # days since the fair's day
    date: date
    confirmed: int  # obligations confirmed by the end of this day
    rate: float  # confirmed / all obligations of counted agreements


@dataclass(frozen=True)
class Results:
    fair_id: int
    slug: str
    name: str
    venue: str
    state: FairState
    generated_at: datetime
    sectors: tuple[SectorFigures, ...]
    organisations_present: int
    offers: int
    needs: int
    categories: tuple[CategoryFigures, ...]
    agreements: int
    agreements_fulfilled: int
    organisations_with_agreements: int
    cross_sector_agreements: int
    sector_matrix: dict[Sector, dict[Sector, int]]
    obligations: int
    obligations_confirmed: int
    uncategorised_obligations: int
    points_pledged: int
    points_confirmed: int
    trading_started_at: datetime | None
    trading_ended_at: datetime | None
    bucket_minutes: int
    timeline: tuple[TimeBucket, ...]
    signed_before_opening: int
    signed_after_closing: int
    fair_day: date | None
    fulfilment: tuple[FulfilmentDay, ...]
    target_agreements: int | None = None  # the organisers' goal, from the fair's settings
    values: ValueTotals = field(default_factory=ValueTotals)  # the estimated social value, in grosze

    @property
    def participants(self) -> int:
        return sum(s.participants for s in self.sectors)

    @property
    def organisations(self) -> int:
        return sum(s.organisations for s in self.sectors)

    @property
    def checked_in(self) -> int:
        return sum(s.checked_in for s in self.sectors)

    @property
    def headline_people(self) -> int:
        return self.participants

    @property
    def headline_organisations(self) -> int:
        return self.organisations

    @property
    def is_closed(self) -> bool:
        return self.state == FairState.CLOSED

    @property
    def top_by_agreements(self) -> tuple[CategoryFigures, ...]:
        ranked = sorted((c for c in self.categories if c.agreements),
                        key=lambda c: (-c.agreements, -c.obligations, c.position, c.id))
        return tuple(ranked[:TOP])

    @property
    def top_by_posts(self) -> tuple[CategoryFigures, ...]:
        ranked = sorted((c for c in self.categories if c.posts), key=lambda c: (-c.posts, c.position, c.id))
        return tuple(ranked[:TOP])

    @property
    def target_reached(self) -> float | None:
        """Agreements as a share of the organisers' target; None without a target."""
        return self.agreements / self.target_agreements if self.target_agreements else None

    @property
    def fulfilment_rate(self) -> float | None:
        """Share of the obligations confirmed so far; None when there are none."""
        return self.obligations_confirmed / self.obligations if self.obligations else None

    def matrix_rows(self) -> list[list[int]]:
        return [[self.sector_matrix[a][b] for b in Sector] for a in Sector]


# --- the figures -------------------------------------------------------------------------------


def fair_results(fair: Fair, now: datetime | None = None) -> Results:
    now = now or utcnow()
    sectors, present = _people(fair.id)
    categories = fair_categories(fair.id, include_archived=True)
    posts = _posts(fair.id)
    window = _window(fair, now)
    agreements, fulfilled, slots = _agreements(fair.id, window)
    matrix, with_agreements, cross = _matrix(fair.id)
    per_category = _obligations(fair.id)

    figures = tuple(CategoryFigures(
        id=c.id, name=category_label(c), position=c.position,
        offers=posts[(c.id, PostKind.OFFER)], needs=posts[(c.id, PostKind.NEED)],
        agreements=per_category.get(c.id, _NOTHING).agreements,
        obligations=per_category.get(c.id, _NOTHING).obligations,
        points=per_category.get(c.id, _NOTHING).points) for c in categories)
    totals = _ObligationFigures(*map(sum, zip(_NOTHING, *per_category.values(), strict=False)))
    bucket_minutes, timeline, before, after = _timeline(window, slots)
    fair_day = _fair_day(fair)
    return Results(
        fair_id=fair.id, slug=fair.slug, name=fair.name, venue=fair.venue, state=fair.state,
        generated_at=now, sectors=sectors, organisations_present=present,
        offers=sum(n for (_c, kind), n in posts.items() if kind == PostKind.OFFER),
        needs=sum(n for (_c, kind), n in posts.items() if kind == PostKind.NEED),
        categories=figures,
        agreements=agreements, agreements_fulfilled=fulfilled,
        organisations_with_agreements=with_agreements, cross_sector_agreements=cross,
        sector_matrix=matrix,
        obligations=totals.obligations, obligations_confirmed=totals.confirmed,
        uncategorised_obligations=per_category.get(None, _NOTHING).obligations,
        points_pledged=totals.points, points_confirmed=totals.points_confirmed,
        trading_started_at=fair.trading_started_at, trading_ended_at=fair.trading_ended_at,
        bucket_minutes=bucket_minutes, timeline=timeline, signed_before_opening=before,
        signed_after_closing=after, fair_day=fair_day,
        fulfilment=_fulfilment(fair_day, totals.obligations, _confirmed_at(fair.id), now)
        if fair.state == FairState.CLOSED else (),
        target_agreements=fair.target_agreements, values=value_totals([fair.id]))


def _people(fair_id: int) -> tuple[tuple[SectorFigures, ...], int]:
    """People, organisations and check-ins per sector, and organisations present: one query,
    counted per organisation and summed per sector in the database."""
    per_organisation = (
        select(Organisation.sector.label("sector"), func.count(Participant.id).label("people"),
               func.count(CheckIn.id).label("checked"))
        .join(Participant, Participant.organisation_id == Organisation.id)
        .outerjoin(CheckIn, CheckIn.participant_id == Participant.id)
        .where(Organisation.fair_id == fair_id, Organisation.removed_at.is_(None),
               Participant.fair_id == fair_id, Participant.removed_at.is_(None))
        .group_by(Organisation.id, Organisation.sector).subquery())
    rows = db.session.execute(
        select(per_organisation.c.sector, func.sum(per_organisation.c.people), func.count(),
               func.sum(per_organisation.c.checked),
               func.count(case((per_organisation.c.checked > 0, 1))))
        .group_by(per_organisation.c.sector))
    figures = {s: SectorFigures(s, 0, 0, 0) for s in Sector}
    present = 0
    for sector, n_people, n_organisations, n_checked, n_present in rows:
        sector = Sector(sector)
        figures[sector] = SectorFigures(sector, int(n_people), n_organisations, int(n_checked))
        present += n_present
    return tuple(figures.values()), present


def _posts(fair_id: int) -> Counter[tuple[int, PostKind]]:
    rows = db.session.execute(
        select(Post.category_id, Post.kind, func.count())
        .where(Post.fair_id == fair_id, Post.state.in_(POSTED_STATES), Post.hidden_at.is_(None))
        .group_by(Post.category_id, Post.kind))
    return Counter({(category_id, PostKind(kind)): n for category_id, kind, n in rows})


def _matrix(fair_id: int) -> tuple[dict[Sector, dict[Sector, int]], int, int]:
    """The cross-sector matrix (app.agreements.stats: counted in the database), organisations with
    an agreement, and cross-sector agreements (parties of more than one sector): two queries."""
    matrix = {Sector(a): {Sector(b): n for b, n in row.items()} for a, row in sector_matrix(fair_id).items()}
    counted = (AgreementParty.agreement_id == Agreement.id, Agreement.fair_id == fair_id,
               Agreement.state.in_(COUNTED))
    organisations = (select(func.count(func.distinct(AgreementParty.organisation_id)))
                     .select_from(AgreementParty).join(Agreement, counted[0]).where(*counted[1:])
                     .scalar_subquery())
    mixed = (select(AgreementParty.agreement_id).select_from(AgreementParty).join(Agreement, counted[0])
             .join(Organisation, Organisation.id == AgreementParty.organisation_id).where(*counted[1:])
             .group_by(AgreementParty.agreement_id)
             .having(func.count(func.distinct(Organisation.sector)) > 1).subquery())
    with_agreements, cross = db.session.execute(
        select(organisations, select(func.count()).select_from(mixed).scalar_subquery())).one()
    return matrix, with_agreements or 0, cross or 0


class _ObligationFigures(NamedTuple):
    agreements: int  # counted agreements with an obligation here
    obligations: int
    points: int
    confirmed: int  # obligations confirmed
    points_confirmed: int


_NOTHING = _ObligationFigures(0, 0, 0, 0, 0)


def _obligations(fair_id: int) -> dict[int | None, _ObligationFigures]:
    """The counted agreements' obligations per category (the obligation's, else that of the post
    it answers; None: neither), counted and summed in the database: one query."""
    category = func.coalesce(Obligation.category_id, Post.category_id)
    confirmed = Obligation.state == ObligationState.CONFIRMED
    rows = db.session.execute(
        select(category, func.count(func.distinct(Obligation.agreement_id)), func.count(),
               func.coalesce(func.sum(Obligation.points), 0), func.count(case((confirmed, 1))),
               func.coalesce(func.sum(case((confirmed, Obligation.points), else_=0)), 0))
        .join(Agreement, Agreement.id == Obligation.agreement_id)
        .outerjoin(Post, Post.id == Obligation.post_id)
        .where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED))
        .group_by(category))
    return {category_id: _ObligationFigures(*(int(n) for n in figures)) for category_id, *figures in rows}


def _confirmed_at(fair_id: int) -> list[datetime | None]:
    """When each confirmed obligation of the counted agreements was confirmed."""
    return list(db.session.scalars(
        select(Obligation.confirmed_at).join(Agreement, Agreement.id == Obligation.agreement_id)
        .where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED),
               Obligation.state == ObligationState.CONFIRMED)))


@dataclass(frozen=True)
class _Window:
    """The buckets of the timeline: `count` of `minutes` each from the opening gong."""

    start: datetime
    closed: datetime | None  # the closing gong, after which signatures are counted apart
    minutes: int
    count: int

    def bucket_start(self, i: int) -> datetime:
        return self.start + i * timedelta(minutes=self.minutes)


def _window(fair: Fair, now: datetime) -> _Window | None:
    """From the opening gong to the closing gong (or now, while trading); None: nothing to draw."""
    start = fair.trading_started_at
    if start is None:
        return None
    end = fair.trading_ended_at or (now if fair.state == FairState.TRADING else None)
    if end is None:  # opened once, closed, then the dates were lost: nothing to draw
        return None
    end = max(end, start)
    span = end - start
    minutes = BUCKET_MINUTES
    while span > timedelta(minutes=minutes * MAX_BUCKETS):
        minutes += BUCKET_MINUTES
    count = max(1, -(-span // timedelta(minutes=minutes)))  # ceiling division of timedeltas
    return _Window(start, end if fair.trading_ended_at is not None else None, minutes, count)


BEFORE, AFTER, UNDATED = -1, -2, -3  # slots of signatures outside the buckets, or without a date


def _agreements(fair_id: int, window: _Window | None) -> tuple[int, int, Counter[int]]:
    """Counted agreements, those fulfilled, and how many were signed in each slot (a bucket's
    number, BEFORE, AFTER or UNDATED): one query, bucketed in the database by comparing
    `signed_at` with the buckets' bounds (exact on every backend, no date arithmetic in SQL)."""
    signed_at = Agreement.signed_at
    whens: list[tuple[ColumnElement[bool], int]] = [(signed_at.is_(None), UNDATED)]
    last = UNDATED
    if window is not None:
        whens.append((signed_at < window.start, BEFORE))
        if window.closed is not None:
            whens.append((signed_at >= window.closed, AFTER))
        whens += [(signed_at < window.bucket_start(i + 1), i) for i in range(window.count - 1)]
        last = window.count - 1
    slots = (select(case(*whens, else_=last).label("slot"),
                    (Agreement.state == AgreementState.FULFILLED).label("fulfilled"))
             .where(Agreement.fair_id == fair_id, Agreement.state.in_(COUNTED)).subquery())
    rows = db.session.execute(select(slots.c.slot, func.count(), func.count(case((slots.c.fulfilled, 1))))
                              .group_by(slots.c.slot)).all()
    return (sum(n for _s, n, _f in rows), sum(f for _s, _n, f in rows),
            Counter({slot: n for slot, n, _f in rows}))


def _timeline(window: _Window | None, slots: Counter[int]) -> tuple[int, tuple[TimeBucket, ...], int, int]:
    """(bucket minutes, buckets, signed before the opening gong, signed after the closing gong)."""
    if window is None:
        return BUCKET_MINUTES, (), 0, 0
    buckets = tuple(TimeBucket(window.bucket_start(i), i * window.minutes, slots[i]) for i in range(window.count))
    return window.minutes, buckets, slots[BEFORE], slots[AFTER]


def _local_date(moment: datetime) -> date:
    return moment.astimezone(get_timezone()).date()


def _fair_day(fair: Fair) -> date | None:
    moment = fair.trading_ended_at or fair.trading_started_at or fair.starts_at
    return _local_date(moment) if moment else None


def _fulfilment(fair_day: date | None, total: int, confirmed_at: list[datetime | None],
                now: datetime) -> tuple[FulfilmentDay, ...]:
    if fair_day is None:
        return ()
    by_day: Counter[int] = Counter(max(0, (_local_date(at) - fair_day).days) for at in confirmed_at if at)
    last = max([(_local_date(now) - fair_day).days, 0, *by_day])
    days, running = [], 0
    for day in range(last + 1):
        running += by_day[day]
        days.append(FulfilmentDay(day, fair_day + timedelta(days=day), running,
                                  running / total if total else 0.0))
    return tuple(days)


# --- sentences ---------------------------------------------------------------------------------


def headline(results: Results) -> str:
    """'157 people from 78 organisations closed 101 agreements.' in the user's language.

    Three counts, three plural choices: the organisations' phrase, then the subject with its verb
    (which agrees with the number of people), then the sentence (whose object agrees with the
    number of agreements)."""
    organisations = ngettext("from %(num)d organisation", "from %(num)d organisations",
                             results.headline_organisations)
    subject = ngettext("%(num)d person %(organisations)s closed", "%(num)d people %(organisations)s closed",
                       results.headline_people, organisations=organisations)
    return ngettext("%(subject)s %(num)d agreement.", "%(subject)s %(num)d agreements.", results.agreements,
                    subject=subject)


# --- the reveal on the big screen --------------------------------------------------------------


@service
def reveal_results(actor: Participant, fair_id: int) -> DomainEvent:
    """The organiser switches the big screen to the results, once trading is closed.

    The event carries no link: the fair's room includes anonymous board viewers, who must never
    learn the display token. The screen knows its own address and goes to /results under it.
    """
    require_role(actor, fair_id, Role.ORGANISER)
    fair = db.session.get_one(Fair, fair_id, with_for_update=True)
    if fair.state != FairState.CLOSED:
        raise Conflict(_l("The results can be shown on the big screen once trading is closed."),
                       code="not_closed")
    payload: dict[str, Any] = {"revealed_at": utcnow().isoformat()}
    return record_event(fair_id, REVEAL_EVENT, payload)
