"""The funder's report: the figures a funder, a council or a partner asks for, of one fair or of
the network (all years, or one calendar year), for the PDF (app/reports/funder_pdf.py) and the
workbook (app/reports/funder_xlsx.py).

What is counted, section by section (the report says it in a sentence each):

1. **Participants and organisations by sector.** A fair: as in its results (`app.reports.results`):
   people registered and not removed, organisations with at least one of them. The network:
   people (each once, however many fairs they came to) and members (each once; a merged member
   counts as the one it was merged into, in that one's sector) at the fairs held in the period.
2. **Agreements, obligations, points.** Signed or fulfilled agreements (drafts, cancelled and
   annulled ones are left out), their obligations, those the receivers confirmed, the points
   pledged and confirmed. A fair: its agreements. The network: the agreements signed in the
   period (one year: signed in that calendar year in Warsaw; at a fair or between fairs).
3. **Fulfilment rate over time.** The share of those obligations confirmed by the end of each
   week since the fair (week 0: the fair's day and the six days after it), or, for the network,
   by the end of each calendar month (of the obligations of the agreements signed by then), from
   the month of the period's first agreement until this one: cumulative.
4. **Social value** (`app.agreements.value_totals`): pledged, the estimates frozen at signing of
   the same obligations; realised, those of the confirmed ones; by category and by the giving
   party's sector; how many obligations had no estimate; and the rates in force (the fair's, or
   the network's), with which agreements signed from now on are valued.
5. **Cross-sector exchanges**: matrix[a][b] counts the agreements with a party of sector a and a
   party of sector b (each agreement once per pair of sectors); cross-sector agreements have
   parties of two sectors or more.
6. **Partnerships** (`app.partnerships.counts`): by size and by the sectors they join. The
   network: every one recorded (all years) or those in force during the year. A fair: those in
   force during the fair's year with at least one of the fair's members among their members.
7. **Repeat partners** (the definition of `app.reports.network_results`): pairs of members with
   agreements together at two fairs or more, or in two agreements or more. A fair: the pairs
   with an agreement at this fair, counted over the whole network. The network: within the
   period.
8. **Ratings and testimonials** (`app.agreements.feedback`): the receivers' ratings (1–5) of the
   confirmed obligations: how many, the average, how many of each; and the few words of those
   who agreed to be quoted (no others ever leave the database). A fair: its agreements'
   obligations. The network: every fair's and the network space's, confirmed in the year (in
   Warsaw) when one is chosen — a rating is given when the obligation is confirmed.

All figures come from a fixed number of statements, whatever the size of the fair or network.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, func, select, true, union
from sqlalchemy.orm import aliased

from app.agreements.feedback import FeedbackRow, RatingSummary, feedback_for_fairs, rating_summary
from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation, ObligationState
from app.agreements.stats import COUNTED
from app.agreements.value_totals import ValueTotals, value_totals
from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.db import utcnow
from app.fairs.models import Fair, FairKind, FairState
from app.fairs.network_space import network_space
from app.network.models import Member
from app.network.sectors import SECTOR_COLOURS, Sector
from app.partnerships.counts import PartnershipCounts, partnership_counts
from app.people.models import Organisation, Participant
from app.reports.local_years import fair_year, local_year, parse_year, year_of
from app.reports.network_results import Pair, member_pairs, sector_matrix_in
from app.reports.results import Results, fair_results
from app.valuation.kinds import RateKey
from app.valuation.rates import effective_rates, network_rates

DAYS_PER_WEEK = 7


class Scope(enum.StrEnum):
    FAIR = "fair"
    NETWORK = "network"


class Step(enum.StrEnum):
    """What the fulfilment rate is counted by."""

    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class SectorRow:
    sector: Sector
    people: int
    organisations: int

    @property
    def label(self) -> str:
        return str(self.sector.label)

    @property
    def colour(self) -> str:
        return SECTOR_COLOURS[self.sector]


@dataclass(frozen=True)
class FulfilmentStep:
    index: int  # weeks since the fair, or months since the first agreement's month
    ends_on: date  # the last day counted
    confirmed: int  # obligations confirmed by the end of that day
    obligations: int  # obligations of the agreements signed by then

    @property
    def rate(self) -> float:
        return self.confirmed / self.obligations if self.obligations else 0.0


@dataclass(frozen=True)
class FunderReport:
    scope: Scope
    name: str  # the fair's, or the network's
    generated_at: datetime
    sectors: tuple[SectorRow, ...]
    agreements: int
    agreements_fulfilled: int
    obligations: int
    obligations_confirmed: int
    points_pledged: int
    points_confirmed: int
    step: Step
    fulfilment: tuple[FulfilmentStep, ...]
    value: ValueTotals  # in grosze
    rates: dict[RateKey, int]  # in grosze, in force now
    matrix: dict[Sector, dict[Sector, int]]
    cross_sector_agreements: int
    partnerships: PartnershipCounts
    repeat_partners: tuple[Pair, ...]
    ratings: RatingSummary
    testimonials: tuple[FeedbackRow, ...]  # feedback with words that may be quoted, in the order confirmed
    fairs: int = 1  # fairs held in the period (a fair's report: itself)
    year: int | None = None  # the network's year; a fair's: the year it was held in
    years: tuple[int, ...] = ()  # the network's years with figures (all years: the period)
    slug: str = ""
    venue: str = ""
    fair_day: date | None = None
    closed: bool = True  # a fair's trading is closed (else its figures are provisional)

    @property
    def participants(self) -> int:
        return sum(s.people for s in self.sectors)

    @property
    def organisations(self) -> int:
        return sum(s.organisations for s in self.sectors)

    @property
    def fulfilment_rate(self) -> float | None:
        return self.obligations_confirmed / self.obligations if self.obligations else None

    @property
    def period(self) -> str:
        """The network's period: "2026", or "2024–2026" for all years ("" without a year); a
        fair's: "" (its day is shown)."""
        if self.scope is Scope.FAIR:
            return ""
        if self.year is not None:
            return str(self.year)
        if not self.years:
            return ""
        first, last = self.years[0], self.years[-1]
        return str(first) if first == last else f"{first}–{last}"

    def matrix_rows(self) -> list[list[int]]:
        return [[self.matrix[a][b] for b in Sector] for a in Sector]


# --- a fair ------------------------------------------------------------------------------------


def fair_report(fair: Fair, now: datetime | None = None) -> FunderReport:
    """The report of one fair, built on its results (`fair_results`)."""
    results = fair_results(fair, now)
    year = year_of(fair.starts_at or fair.created_at)  # as the network counts a fair's year
    present = (select(func.coalesce(Member.merged_into_id, Member.id))
               .join(Organisation, Organisation.member_id == Member.id)
               .where(Organisation.fair_id == fair.id, Organisation.removed_at.is_(None)))
    return FunderReport(
        scope=Scope.FAIR, name=fair.name, generated_at=results.generated_at,
        sectors=tuple(SectorRow(s.sector, s.participants, s.organisations) for s in results.sectors),
        agreements=results.agreements, agreements_fulfilled=results.agreements_fulfilled,
        obligations=results.obligations, obligations_confirmed=results.obligations_confirmed,
        points_pledged=results.points_pledged, points_confirmed=results.points_confirmed,
        step=Step.WEEK, fulfilment=weekly(results),
        value=value_totals([fair.id]), rates=effective_rates(fair.id),
        matrix=results.sector_matrix, cross_sector_agreements=results.cross_sector_agreements,
        partnerships=partnership_counts(year, involving=present),
        repeat_partners=tuple(p for p in member_pairs(true(), at_fair=fair.id) if p.repeat),
        ratings=rating_summary([fair.id]), testimonials=_quoted(feedback_for_fairs([fair.id])),
        year=year, slug=fair.slug, venue=fair.venue, fair_day=results.fair_day,
        closed=results.state == FairState.CLOSED)


def _quoted(rows: list[FeedbackRow]) -> tuple[FeedbackRow, ...]:
    return tuple(row for row in rows if row.testimonial)


def weekly(results: Results) -> tuple[FulfilmentStep, ...]:
    """The fair's fulfilment by day (cumulative), read at the end of each week since the fair."""
    days = results.fulfilment
    if not days:
        return ()
    last = days[-1].day
    return tuple(FulfilmentStep(week, days[end].date, days[end].confirmed, results.obligations)
                 for week in range(last // DAYS_PER_WEEK + 1)
                 for end in [min(week * DAYS_PER_WEEK + DAYS_PER_WEEK - 1, last)])


# --- the network ---------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The calendar year in Warsaw, as UTC moments [start, end)."""
    return (datetime(year, 1, 1, tzinfo=LOCAL_ZONE).astimezone(UTC),
            datetime(year + 1, 1, 1, tzinfo=LOCAL_ZONE).astimezone(UTC))


def network_years() -> list[int]:
    """The years with figures: a fair held, or an agreement signed (in Warsaw). One statement."""
    fairs = select(fair_year().label("year")).where(Fair.kind == FairKind.FAIR)
    signed = select(local_year(Agreement.signed_at).label("year")).where(
        Agreement.state.in_(COUNTED), Agreement.signed_at.is_not(None))
    years = union(fairs, signed).subquery()
    return sorted(int(y) for y in db.session.scalars(select(years.c.year).distinct()) if y is not None)


def asked_year(asked: object) -> int | None:
    """The year of `?year=`: None when none is asked for (all years); a ValidationError when it
    is no year (400) or no year of the network's (422)."""
    text = asked.strip() if isinstance(asked, str) else ""
    if not text:
        return None
    year = parse_year(text)
    if year is None:
        raise ValidationError(_l("The year must be written with four digits, such as 2026."),
                              code="year_invalid", status=400)
    years = network_years()
    if year not in years:
        raise ValidationError(
            _l("The network held no fair and signed no agreement in %(year)s. Years with figures: %(years)s.",
               year=year, years=", ".join(map(str, years)) or "—"), code="year_unknown")
    return year


def _people(year: int | None) -> tuple[SectorRow, ...]:
    """People and members at the period's fairs, by the member's sector: one statement."""
    member = aliased(Member)
    counted = aliased(Member)
    held = select(Fair.id).where(Fair.kind == FairKind.FAIR, true() if year is None else fair_year() == year)
    rows = db.session.execute(
        select(counted.sector, func.count(func.distinct(Participant.person_id)), func.count(func.distinct(counted.id)))
        .select_from(Participant).join(Organisation, Organisation.id == Participant.organisation_id)
        .join(member, member.id == Organisation.member_id)
        .join(counted, counted.id == func.coalesce(member.merged_into_id, member.id))
        .where(Participant.removed_at.is_(None), Organisation.removed_at.is_(None),
               Participant.fair_id.in_(held))
        .group_by(counted.sector))
    found = {Sector(sector): (int(people), int(members)) for sector, people, members in rows}
    return tuple(SectorRow(s, *found.get(s, (0, 0))) for s in Sector)


def _fairs_held(year: int | None) -> int:
    return int(db.session.scalar(select(func.count(Fair.id)).where(
        Fair.kind == FairKind.FAIR, true() if year is None else fair_year() == year)) or 0)


@dataclass(frozen=True)
class _Totals:
    agreements: int
    fulfilled: int
    obligations: int
    confirmed: int
    points: int
    points_confirmed: int


def _totals(scope: ColumnElement[bool]) -> _Totals:
    """The counted agreements in `scope`, their obligations and points: one statement."""
    confirmed = Obligation.state == ObligationState.CONFIRMED
    row = db.session.execute(
        select(func.count(func.distinct(Agreement.id)),
               func.count(func.distinct(case((Agreement.state == AgreementState.FULFILLED, Agreement.id)))),
               func.count(Obligation.id), func.count(case((confirmed, 1))),
               func.coalesce(func.sum(Obligation.points), 0),
               func.coalesce(func.sum(case((confirmed, Obligation.points), else_=0)), 0))
        .select_from(Agreement).outerjoin(Obligation, Obligation.agreement_id == Agreement.id)
        .where(Agreement.state.in_(COUNTED), scope)).one()
    return _Totals(*(int(n or 0) for n in row))


def _cross_sector(scope: ColumnElement[bool]) -> int:
    """Counted agreements in `scope` with parties of two sectors or more: one statement."""
    mixed = (select(AgreementParty.agreement_id)
             .join(Agreement, Agreement.id == AgreementParty.agreement_id)
             .join(Organisation, Organisation.id == AgreementParty.organisation_id)
             .where(Agreement.state.in_(COUNTED), scope).group_by(AgreementParty.agreement_id)
             .having(func.count(func.distinct(Organisation.sector)) > 1).subquery())
    return int(db.session.scalar(select(func.count()).select_from(mixed)) or 0)


def _moments(scope: ColumnElement[bool]) -> list[tuple[datetime, datetime | None]]:
    """When each obligation's agreement was signed, and when it was confirmed (None: not yet)."""
    confirmed_at = case((Obligation.state == ObligationState.CONFIRMED, Obligation.confirmed_at))
    return [(signed, confirmed) for signed, confirmed in db.session.execute(
        select(Agreement.signed_at, confirmed_at).join(Agreement, Agreement.id == Obligation.agreement_id)
        .where(Agreement.state.in_(COUNTED), scope)).tuples() if signed is not None]


def _month(moment: datetime) -> date:
    return moment.astimezone(LOCAL_ZONE).date().replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def monthly(moments: list[tuple[datetime, datetime | None]], now: datetime) -> tuple[FulfilmentStep, ...]:
    """For each calendar month (in Warsaw) from that of the first signing to that of `now` (or of
    the last confirmation): the obligations of the agreements signed by its end, and how many of
    them were confirmed by then."""
    if not moments:
        return ()
    signed = sorted(_month(at) for at, _confirmed in moments)
    confirmed = sorted(_month(at) for _signed, at in moments if at is not None)
    last = max([_month(now), *confirmed[-1:]])
    steps: list[FulfilmentStep] = []
    month, n_signed, n_confirmed = signed[0], 0, 0
    while month <= last:
        following = _next_month(month)
        while n_signed < len(signed) and signed[n_signed] < following:
            n_signed += 1
        while n_confirmed < len(confirmed) and confirmed[n_confirmed] < following:
            n_confirmed += 1
        steps.append(FulfilmentStep(len(steps), following - timedelta(days=1), n_confirmed, n_signed))
        month = following
    return tuple(steps)


def network_report(year: int | None = None, now: datetime | None = None) -> FunderReport:
    """The network's report, of all years or of one (`asked_year` checks it is one of the
    network's years)."""
    now = now or utcnow()
    years = network_years()
    if year is None:
        scope: ColumnElement[bool] = true()
        start = end = None
    else:
        start, end = year_bounds(year)
        scope = and_(Agreement.signed_at >= start, Agreement.signed_at < end)
    totals = _totals(scope)
    space = network_space()
    every_fair = list(db.session.scalars(select(Fair.id)))  # the feedback's queries name the fairs
    since, until = (date(year, 1, 1), date(year, 12, 31)) if year is not None else (None, None)
    return FunderReport(
        scope=Scope.NETWORK, name=space.name if space is not None else str(_l("The exchange network")),
        generated_at=now, sectors=_people(year),
        agreements=totals.agreements, agreements_fulfilled=totals.fulfilled, obligations=totals.obligations,
        obligations_confirmed=totals.confirmed, points_pledged=totals.points,
        points_confirmed=totals.points_confirmed, step=Step.MONTH,
        fulfilment=monthly(_moments(scope), now),
        value=value_totals(None, start, end), rates=network_rates(),
        matrix=sector_matrix_in(scope), cross_sector_agreements=_cross_sector(scope),
        partnerships=partnership_counts(year),
        repeat_partners=tuple(p for p in member_pairs(scope) if p.repeat),
        ratings=rating_summary(every_fair, since, until),
        testimonials=_quoted(feedback_for_fairs(every_fair, since, until)),
        fairs=_fairs_held(year), year=year, years=tuple(years))



# --- what each section counts, in a sentence ---------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    note: str


def sections(report: FunderReport) -> list[Section]:
    """The report's sections in order, each with the sentence saying what it counts (the same in
    the PDF and the workbook)."""
    fair = report.scope is Scope.FAIR
    year = report.year
    if fair:
        people = _l("People registered at the fair (its staff included) and the organisations they came for, "
                    "by the organisation's sector.")
        agreements = _l("Agreements signed at the fair (drafts, cancelled and annulled agreements are left out), "
                        "their obligations, and the points pledged and those of the obligations their receivers "
                        "have confirmed.")
        fulfilment = _l("The share of those obligations that their receivers had confirmed by the end of each week "
                        "since the fair (week 0: the fair's day and the six days after it), cumulative.")
        pairs = _l("Pairs of members with an agreement at this fair who have agreements together at two fairs or "
                   "more, or in two agreements or more (counted across the whole network).")
        feedback = _l("When they confirm an obligation, its receivers may rate it from 1 to 5 and leave a few "
                      "words. Counted: the ratings of the confirmed obligations of the fair's agreements; quoted: "
                      "only the words of those who agreed to be quoted in reports.")
        partnerships = _l("Partnerships (standing agreements of two members or more) in force during %(year)s with "
                          "at least one of this fair's members, by size and by the sectors they join.", year=year)
    else:
        people = _l("People at the fairs held in the period, each counted once however many fairs they came to, "
                    "and the members of the network they came for, each counted once, by the member's sector.")
        if year is None:
            agreements = _l("Agreements signed at the fairs and between them (drafts, cancelled and annulled "
                            "agreements are left out), their obligations, and the points pledged and those of the "
                            "obligations their receivers have confirmed.")
            partnerships = _l("Every partnership recorded (standing agreements of two members or more), by size "
                              "and by the sectors they join.")
        else:
            agreements = _l("Agreements signed in %(year)s (in Warsaw), at the fairs and between them (drafts, "
                            "cancelled and annulled agreements are left out), their obligations, and the points "
                            "pledged and those of the obligations their receivers have confirmed.", year=year)
            partnerships = _l("Partnerships (standing agreements of two members or more) in force during "
                              "%(year)s, by size and by the sectors they join.", year=year)
        fulfilment = _l("The share of the obligations of the agreements signed by the end of each month that "
                        "their receivers had confirmed by then, from the month of the first agreement, cumulative.")
        pairs = _l("Pairs of members with agreements together at two fairs or more, or in two agreements or more, "
                   "among the agreements of the period.")
        feedback = (_l("When they confirm an obligation, its receivers may rate it from 1 to 5 and leave a few "
                       "words. Counted: the ratings of every confirmed obligation; quoted: only the words of those "
                       "who agreed to be quoted in reports.") if year is None else
                    _l("When they confirm an obligation, its receivers may rate it from 1 to 5 and leave a few "
                       "words. Counted: the ratings of the obligations confirmed in %(year)s (in Warsaw); quoted: "
                       "only the words of those who agreed to be quoted in reports.", year=year))
    return [
        Section("people", str(_l("Participants and organisations by sector")), str(people)),
        Section("agreements", str(_l("Agreements, obligations and points")), str(agreements)),
        Section("fulfilment", str(_l("Fulfilment over time")), str(fulfilment)),
        Section("value", str(_l("Social value pledged and realised")), str(_l(
            "An estimate of what the exchanges are worth to the community, never a price: no money changes hands. "
            "Each obligation was valued when its agreement was signed, by a documented method: hours of work × an "
            "hourly rate for its kind of work, or the use of a room, equipment or a vehicle and items given × a "
            "unit value. Pledged: every obligation of those agreements; realised: those their receivers "
            "confirmed. By sector: the giving party's."))),
        Section("sectors", str(_l("Exchanges between sectors")), str(_l(
            "Each cell counts the agreements between a party of the row's sector and a party of the column's "
            "sector; the diagonal counts agreements within one sector. Cross-sector agreements have parties of "
            "two sectors or more."))),
        Section("partnerships", str(_l("Partnerships")), str(partnerships)),
        Section("repeat", str(_l("Repeat partners")), str(pairs)),
        Section("feedback", str(_l("Ratings and testimonials")), str(feedback)),
    ]
