"""Feedback at follow-up: the receiving party rates a confirmed obligation (1–5) and may leave a
few words, with its consent to quote them in reports.

Here: the feedback's rules (`checked_feedback`, for the services of app/agreements/fulfilment.py
that confirm an obligation or change its feedback) and what reports read of it
(`feedback_for_fair(s)`, `rating_summary`). The words are quoted only with consent: a row without
it carries no words at all (they never leave the database), though its rating counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app.agreements.models import Agreement, AgreementParty, Obligation, ObligationState
from app.agreements.stats import COUNTED
from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.i18n import to_local, to_utc
from app.core.storage.db import utcnow
from app.core.textkeys import tidy
from app.network.sectors import Sector
from app.people.models import Organisation

RATINGS = (1, 2, 3, 4, 5)
MAX_TESTIMONIAL = 500  # characters, once trimmed (Obligation.testimonial)


# --- the rules ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Feedback:
    """A receiver's feedback on one obligation, as it is stored."""

    rating: int | None = None
    testimonial: str = ""
    quote_consent: bool = False

    @property
    def given(self) -> bool:
        return self.rating is not None or bool(self.testimonial)


def rating_invalid() -> ValidationError:
    return ValidationError(_l("Choose a rating from 1 to 5 stars, or leave it out."), code="rating_invalid")


def checked_feedback(rating: int | None, testimonial: str | None, quote_consent: bool) -> Feedback:
    """The feedback as it is kept, or a ValidationError: a rating is a whole number 1–5 or none;
    the words are trimmed (inner spaces and line breaks collapsed) and at most 500 characters;
    consent to quote means nothing without words, and is then kept as no consent."""
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS):
        raise rating_invalid()
    words = tidy(testimonial)
    if len(words) > MAX_TESTIMONIAL:
        raise ValidationError(_l("Your few words are %(n)d characters long; at most %(max)d fit. Please shorten "
                                 "them.", n=len(words), max=MAX_TESTIMONIAL), code="testimonial_too_long")
    return Feedback(rating, words, bool(quote_consent) and bool(words))


def read_rating(raw: str | None) -> int | None:
    """A form's rating: empty is none; anything but 1–5 is refused (`rating_invalid`)."""
    value = (raw or "").strip()
    if not value:
        return None
    if value not in {str(r) for r in RATINGS}:
        raise rating_invalid()
    return int(value)


def apply_feedback(ob: Obligation, feedback: Feedback) -> None:
    """Keep `feedback` on the obligation (none given: what there was goes)."""
    ob.rating = feedback.rating
    ob.testimonial = feedback.testimonial
    ob.quote_consent = feedback.quote_consent
    ob.feedback_at = utcnow() if feedback.given else None


def feedback_of(ob: Obligation) -> Feedback:
    return Feedback(ob.rating, ob.testimonial, ob.quote_consent)


# --- for reports --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedbackRow:
    """One confirmed obligation's feedback, for a report."""

    fair_id: int
    agreement_number: str
    obligation_id: int
    description: str
    giver: str  # the giving party's organisation
    giver_sector: Sector
    receiver: str  # the receiving party's organisation, who gave the feedback
    receiver_sector: Sector
    rating: int | None
    testimonial: str  # only with consent to quote it; else ""
    confirmed_on: date | None  # local date


@dataclass(frozen=True)
class RatingSummary:
    count: int  # ratings given
    average: float | None  # None: no rating
    distribution: dict[int, int]  # stars (1..5) -> how many


def _window(since: date | None, until: date | None) -> list[ColumnElement[bool]]:
    """Confirmed on `since` .. `until` (local dates, both included; None: open)."""
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(Obligation.confirmed_at >= to_utc(datetime.combine(since, time.min)))
    if until is not None:
        where.append(Obligation.confirmed_at < to_utc(datetime.combine(until + timedelta(days=1), time.min)))
    return where


def _confirmed_in(fair_ids: Iterable[int], since: date | None, until: date | None) -> list[ColumnElement[bool]]:
    return [Agreement.fair_id.in_(list(fair_ids)), Agreement.state.in_(COUNTED),
            Obligation.state == ObligationState.CONFIRMED, *_window(since, until)]


def feedback_for_fairs(fair_ids: Iterable[int], since: date | None = None,
                       until: date | None = None) -> list[FeedbackRow]:
    """The feedback on the confirmed obligations of the fairs' counted (signed or fulfilled)
    agreements, confirmed between `since` and `until` (local dates, both included) when given:
    each with a rating, or words that may be quoted; in the order they were confirmed."""
    giver_party, receiver_party = aliased(AgreementParty), aliased(AgreementParty)
    giver, receiver = aliased(Organisation), aliased(Organisation)
    quoted = and_(Obligation.quote_consent.is_(True), Obligation.testimonial != "")
    query = (select(Agreement.fair_id, Agreement.number, Obligation.id, Obligation.description,
                    giver.name, giver.sector, receiver.name, receiver.sector, Obligation.rating,
                    case((quoted, Obligation.testimonial), else_=""), Obligation.confirmed_at)
             .select_from(Obligation).join(Agreement, Obligation.agreement)
             .join(giver_party, giver_party.id == Obligation.giver_party_id)
             .join(giver, giver.id == giver_party.organisation_id)
             .join(receiver_party, receiver_party.id == Obligation.receiver_party_id)
             .join(receiver, receiver.id == receiver_party.organisation_id)
             .where(*_confirmed_in(fair_ids, since, until), or_(Obligation.rating.is_not(None), quoted))
             .order_by(Obligation.confirmed_at, Obligation.id))
    return [_row(*r) for r in db.session.execute(query).tuples()]


def _row(fair_id: int, number: str | None, oid: int, description: str, giver: str, giver_sector: Any,
         receiver: str, receiver_sector: Any, rating: int | None, words: str,
         confirmed_at: datetime | None) -> FeedbackRow:
    local = to_local(confirmed_at)
    return FeedbackRow(fair_id, number or "", oid, description, giver, Sector(giver_sector), receiver,
                       Sector(receiver_sector), rating, words or "", local.date() if local else None)


def feedback_for_fair(fair_id: int) -> list[FeedbackRow]:
    """`feedback_for_fairs` of one fair."""
    return feedback_for_fairs([fair_id])


def rating_summary(fair_ids: Iterable[int], since: date | None = None, until: date | None = None) -> RatingSummary:
    """How the receivers rated the confirmed obligations of the fairs' counted agreements (all
    ratings, quoted or not): how many, the average, and how many of each 1..5."""
    query = (select(Obligation.rating, func.count(Obligation.id)).join(Agreement, Obligation.agreement)
             .where(*_confirmed_in(fair_ids, since, until), Obligation.rating.is_not(None))
             .group_by(Obligation.rating))
    distribution = dict.fromkeys(RATINGS, 0)
    for stars, n in db.session.execute(query).tuples():
        if stars in distribution:
            distribution[stars] = n
    count = sum(distribution.values())
    average = sum(s * n for s, n in distribution.items()) / count if count else None
    return RatingSummary(count, average, distribution)
