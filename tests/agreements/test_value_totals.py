"""Social value pledged and realised (app/agreements/value_totals.py) on a scripted fair whose
totals are known: three agreements, one of them followed up (tests/agreements/value_fair.py)."""

from __future__ import annotations

from datetime import timedelta

from app.agreements.value_totals import ValueRow, value_per_period, value_totals
from app.core.storage.db import utcnow
from tests.agreements.value_fair import fair_of_three as _fair_of_three


def test_pledged_is_every_signed_obligations_frozen_value(make_signed_agreement, make_participant, category,
                                                           organiser, trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    totals = value_totals([trading_fair.id])
    assert totals.pledged == 15000 + 30000 + 28610 + 40000
    assert totals.obligations == 4 and totals.unvalued == 0


def test_realised_is_what_receivers_confirmed(make_signed_agreement, make_participant, category, organiser,
                                              trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    assert value_totals([trading_fair.id]).realised == 15000


def test_by_category(make_signed_agreement, make_participant, category, organiser, trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    by = value_totals([trading_fair.id]).by_category
    assert {k: (v.pledged, v.realised) for k, v in by.items()} == {
        "Sale i pomieszczenia": (15000, 15000), "Wolontariusze i czas": (28610, 0),
        "Catering": (40000, 0), "Szkolenia": (30000, 0)}


def test_by_the_givers_and_the_receivers_sector(make_signed_agreement, make_participant, category, organiser,
                                                trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    totals = value_totals([trading_fair.id])
    assert totals.by_giver_sector["ngo"].pledged == 15000 + 40000
    assert totals.by_giver_sector["social_cooperative"].pledged == 30000
    assert totals.by_giver_sector["public"].pledged == 28610
    assert totals.by_receiver_sector["ngo"].pledged == 30000 + 28610
    assert totals.by_giver_sector["ngo"].realised == 15000


def test_a_period_counts_agreements_signed_in_it(make_signed_agreement, make_participant, category, organiser,
                                                 trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    now = utcnow()
    assert value_totals(None, now - timedelta(hours=1), now + timedelta(hours=1)).pledged == 113610
    assert value_totals(None, now + timedelta(hours=1), now + timedelta(hours=2)).pledged == 0


def test_other_fairs_do_not_count(make_signed_agreement, make_participant, category, organiser, trading_fair,
                                  make_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    assert value_totals([make_fair().id]).pledged == 0


def test_per_period_by_the_moment_of_signing(make_signed_agreement, make_participant, category, organiser,
                                             trading_fair):
    _fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    now = utcnow()
    hour = timedelta(hours=1)
    assert value_per_period([now - 2 * hour, now - hour, now + hour, now + 2 * hour]) == [
        ValueRow(), ValueRow(113610, 15000), ValueRow()]
    assert value_per_period([now - hour, now + hour]) == [ValueRow(113610, 15000)]  # one period
    assert value_per_period([now + hour, now + 2 * hour]) == [ValueRow()]
    assert value_per_period([now]) == []
