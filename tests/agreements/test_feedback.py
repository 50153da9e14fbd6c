"""Feedback's rules and what reports read of it (app/agreements/feedback.py): ratings 1–5, a few
trimmed words (at most 500 characters), consent only with words; per fair (or several fairs, or
confirmed within dates), each rated obligation with its parties, and the words only where the
receiver agreed to have them quoted; a summary of the ratings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.agreements.feedback import (
    MAX_TESTIMONIAL,
    Feedback,
    FeedbackRow,
    RatingSummary,
    checked_feedback,
    feedback_for_fair,
    feedback_for_fairs,
    rating_summary,
    read_rating,
)
from app.agreements.fulfilment import confirm_delivery, leave_feedback
from app.agreements.models import Obligation
from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.roles import Role
from app.fairs.trading import open_trading
from app.network.sectors import Sector

PRAISE = "Sala czysta, rzutnik działał — polecamy!"
PRIVATE = "Spóźnili się, ale było miło."

# --- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [None, 1, 2, 3, 4, 5])
def test_a_rating_is_1_to_5_or_none(rating):
    assert checked_feedback(rating, "", False).rating == rating


@pytest.mark.parametrize("rating", [0, 6, -3, True, False, 3.0, "3"])
def test_anything_else_is_no_rating(rating):
    with pytest.raises(ValidationError) as err:
        checked_feedback(rating, "", False)
    assert err.value.code == "rating_invalid"


def test_words_are_trimmed_and_counted_once_trimmed():
    assert checked_feedback(None, "  Dobra\n\n  robota \t ", False).testimonial == "Dobra robota"
    assert len(checked_feedback(None, "ż" * MAX_TESTIMONIAL + "    ", False).testimonial) == MAX_TESTIMONIAL
    with pytest.raises(ValidationError) as err:
        checked_feedback(None, "ż" * (MAX_TESTIMONIAL + 1), False)
    assert err.value.code == "testimonial_too_long"


def test_consent_needs_words():
    assert checked_feedback(5, "", True) == Feedback(5, "", False)
    assert checked_feedback(5, " \n ", True) == Feedback(5, "", False)
    assert checked_feedback(None, "Dziękujemy", True) == Feedback(None, "Dziękujemy", True)
    assert not Feedback().given and Feedback(rating=1).given and Feedback(testimonial="x").given


@pytest.mark.parametrize(("raw", "rating"), [("", None), ("  ", None), (None, None), ("1", 1), (" 5 ", 5)])
def test_a_forms_rating(raw, rating):
    assert read_rating(raw) == rating


@pytest.mark.parametrize("raw", ["0", "6", "4.5", "٣", "+3", "03", "five", "1e0"])
def test_a_forms_rating_that_is_none_of_1_to_5(raw):
    with pytest.raises(ValidationError) as err:
        read_rating(raw)
    assert err.value.code == "rating_invalid"


# --- for reports ----------------------------------------------------------------------------


@pytest.fixture
def rated(trading_fair, make_signed_agreement, make_participant):
    """At the trading fair: an NGO and a social cooperative exchange a room for a training, each
    rates what it received (the cooperative with words to quote, the NGO with words kept
    private); a second agreement's obligations are confirmed without a rating (one with words to
    quote, one with private words); a third agreement's are not confirmed."""
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło", sector=Sector.NGO)
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Łąka",
                         sector=Sector.SOCIAL_COOPERATIVE)
    first = make_signed_agreement(a, b)
    room, training = first.obligations
    confirm_delivery(b, trading_fair.id, room.id, rating=5, testimonial=PRAISE, quote_consent=True)
    confirm_delivery(a, trading_fair.id, training.id, rating=2, testimonial=PRIVATE)
    second = make_signed_agreement(a, b)
    confirm_delivery(b, trading_fair.id, second.obligations[0].id, testimonial="Do cytowania", quote_consent=True)
    confirm_delivery(a, trading_fair.id, second.obligations[1].id, testimonial="Tylko dla nas")
    make_signed_agreement(a, b)  # nothing confirmed
    return a, b, first, second


def test_each_rated_or_quotable_obligation_with_its_parties(trading_fair, rated):
    _a, _b, first, second = rated
    room, training = first.obligations
    rows = feedback_for_fair(trading_fair.id)
    today = datetime.now(UTC).date()
    assert [r.obligation_id for r in rows] == [room.id, training.id, second.obligations[0].id]
    assert rows[0] == FeedbackRow(
        fair_id=trading_fair.id, agreement_number=first.number, obligation_id=room.id,
        description=room.description, giver="Fundacja Źdźbło", giver_sector=Sector.NGO,
        receiver="Spółdzielnia Łąka", receiver_sector=Sector.SOCIAL_COOPERATIVE, rating=5, testimonial=PRAISE,
        confirmed_on=rows[0].confirmed_on)
    assert rows[0].confirmed_on is not None and abs((rows[0].confirmed_on - today).days) <= 1
    # Words the receiver did not agree to have quoted never reach the report.
    assert (rows[1].giver, rows[1].receiver, rows[1].rating, rows[1].testimonial) == (
        "Spółdzielnia Łąka", "Fundacja Źdźbło", 2, "")
    assert (rows[2].rating, rows[2].testimonial) == (None, "Do cytowania")
    assert all(PRIVATE not in r.testimonial and "Tylko dla nas" not in r.testimonial for r in rows)


def test_the_summary_counts_every_rating_of_counted_agreements(trading_fair, rated):
    summary = rating_summary([trading_fair.id])
    assert summary == RatingSummary(count=2, average=3.5, distribution={1: 0, 2: 1, 3: 0, 4: 0, 5: 1})


def test_a_summary_without_ratings(trading_fair):
    assert rating_summary([trading_fair.id]) == RatingSummary(0, None, {1: 0, 2: 0, 3: 0, 4: 0, 5: 0})
    assert feedback_for_fair(trading_fair.id) == []


def test_feedback_changed_later_is_what_reports_read(trading_fair, rated):
    a, _b, first, _second = rated
    leave_feedback(a, trading_fair.id, first.obligations[1].id, rating=4, testimonial=PRIVATE, quote_consent=True)
    row = next(r for r in feedback_for_fair(trading_fair.id) if r.obligation_id == first.obligations[1].id)
    assert (row.rating, row.testimonial) == (4, PRIVATE)
    assert rating_summary([trading_fair.id]).average == 4.5


def test_several_fairs_and_dates(trading_fair, rated, make_fair, make_participant, make_signed_agreement):
    _a, _b, first, _second = rated
    other = make_fair(notary_required=False)
    open_trading(make_participant(role=Role.ORGANISER, fair_id=other.id), other.id, 90)
    x = make_participant("Jan", "Gęś", organisation="Urząd Gminy", sector=Sector.PUBLIC, fair_id=other.id)
    y = make_participant("Ewa", "Łoś", organisation="Kawiarnia Ćma", sector=Sector.BUSINESS, fair_id=other.id)
    elsewhere = make_signed_agreement(x, y, fair=other)
    confirm_delivery(y, other.id, elsewhere.obligations[0].id, rating=3)
    # Confirmed late in the evening of 14 March by the clock of UTC: 15 March in Poland.
    with transaction():
        late_evening = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
        db.session.get_one(Obligation, elsewhere.obligations[0].id).confirmed_at = late_evening
        db.session.get_one(Obligation, first.obligations[0].id).confirmed_at = datetime(2026, 3, 13, 12, tzinfo=UTC)

    assert [r.obligation_id for r in feedback_for_fair(other.id)] == [elsewhere.obligations[0].id]
    both = feedback_for_fairs([trading_fair.id, other.id])
    assert {r.fair_id for r in both} == {trading_fair.id, other.id} and len(both) == 4
    assert both[0].obligation_id == first.obligations[0].id  # in the order they were confirmed
    [late] = feedback_for_fairs([trading_fair.id, other.id], since=date(2026, 3, 15), until=date(2026, 3, 15))
    assert late.obligation_id == elsewhere.obligations[0].id and late.confirmed_on == date(2026, 3, 15)
    assert late.giver_sector == Sector.PUBLIC and late.receiver == "Kawiarnia Ćma"
    assert [r.obligation_id for r in feedback_for_fairs([trading_fair.id, other.id], until=date(2026, 3, 14))] == [
        first.obligations[0].id]
    assert rating_summary([trading_fair.id, other.id]).count == 3
    assert rating_summary([trading_fair.id, other.id], since=date(2026, 3, 14), until=date(2026, 3, 15)) == \
        RatingSummary(1, 3.0, {1: 0, 2: 0, 3: 1, 4: 0, 5: 0})
