"""The social value as the stats APIs give it (app/agreements/value_api.py): whole złoty, halves up,
each figure rounded on its own."""

from __future__ import annotations

from app.agreements.value_api import whole_zloty, whole_zloty_row
from app.agreements.value_totals import ValueRow, ValueTotals


def test_whole_zloty_rounds_each_figure_halves_up() -> None:
    totals = ValueTotals(pledged=100 + 28610 + 143050, realised=49, obligations=4, unvalued=1,
                         by_category={"Sale": ValueRow(28610, 49), "Wolontariusze": ValueRow(143150, 0)})
    totals.by_giver_sector["ngo"] = ValueRow(143050, 50)
    got = whole_zloty(totals)
    assert (got["social_value_pledged"], got["social_value_realised"]) == (1718, 0)  # 1 717,60 zł; 0,49 zł
    assert got["social_value_by_category"] == [{"name": "Sale", "pledged": 286, "realised": 0},
                                               {"name": "Wolontariusze", "pledged": 1432, "realised": 0}]
    assert got["social_value_by_sector"]["ngo"] == {"pledged": 1431, "realised": 1}  # 1 430,50 zł; 0,50 zł
    assert got["social_value_by_sector"]["business"] == {"pledged": 0, "realised": 0}
    assert got["social_value_unvalued_obligations"] == 1


def test_a_period_in_whole_zloty() -> None:
    assert whole_zloty_row(ValueRow(113610, 15050)) == {"social_value_pledged": 1136, "social_value_realised": 151}
