"""The estimated social value (app/agreements/value_totals.py) as the stats APIs give it, in whole
złoty, and its OpenAPI description: a fair's at /api/fairs/<slug>/stats (app/reports/api.py), the
network's at /api/network/stats (app/directory/api.py)."""

from __future__ import annotations

from typing import Any

from app.agreements.value_totals import ValueRow, ValueTotals
from app.valuation.money import round_zloty


def _zloty(row: ValueRow) -> dict[str, int]:
    return {"pledged": round_zloty(row.pledged), "realised": round_zloty(row.realised)}


def whole_zloty(totals: ValueTotals) -> dict[str, Any]:
    """Pledged and realised, by category and by the giving party's sector, and how many obligations
    have no estimate. Each figure is rounded on its own (halves up), so the rows may miss the total
    by a złoty or so."""
    return {
        "social_value_pledged": round_zloty(totals.pledged),
        "social_value_realised": round_zloty(totals.realised),
        "social_value_by_category": [{"name": name, **_zloty(row)} for name, row in totals.by_category.items()],
        "social_value_by_sector": {sector: _zloty(row) for sector, row in totals.by_giver_sector.items()},
        "social_value_unvalued_obligations": totals.unvalued,
    }


def whole_zloty_row(row: ValueRow) -> dict[str, int]:
    """One period's pledged and realised (the network's stats per year)."""
    return {"social_value_pledged": round_zloty(row.pledged), "social_value_realised": round_zloty(row.realised)}


# --- the OpenAPI description ------------------------------------------------------------------

_ZLOTY: dict[str, Any] = {"type": "integer", "minimum": 0}
_NOTE = ("An estimate in whole złoty (halves rounded up) for reports and funders, never a price: each obligation "
         "is valued when its agreement is signed, by the fair's rates (hours × the rate for the kind of work, or "
         "the use of a room, equipment, a vehicle or items × a unit value), and keeps that value. ")

SOCIAL_VALUE = ["social_value_pledged", "social_value_realised", "social_value_by_category",
                "social_value_by_sector", "social_value_unvalued_obligations"]
PLEDGED: dict[str, Any] = {
    **_ZLOTY, "description": _NOTE + "Pledged: the estimated social value of the obligations of signed and fulfilled "
                                     "agreements."}
REALISED: dict[str, Any] = {
    **_ZLOTY, "description": _NOTE + "Realised: that of the obligations their receivers have confirmed at follow-up."}
SOCIAL_VALUE_PROPERTIES: dict[str, Any] = {
    "social_value_pledged": PLEDGED,
    "social_value_realised": REALISED,
    "social_value_by_category": {
        "type": "array", "items": {"$ref": "#/components/schemas/SocialValueOfCategory"},
        "description": "Pledged and realised social value (złoty) per category, in the order of the categories "
                       "(categories of several fairs named alike count as one); obligations without a category "
                       "last. Each row is rounded on its own."},
    "social_value_by_sector": {
        "type": "object", "additionalProperties": {"$ref": "#/components/schemas/SocialValue"},
        "description": "Pledged and realised social value (złoty) by the sector of the giving party, keyed by "
                       "sector: ngo, public, business, social_cooperative, informal_group, resident (every one)."},
    "social_value_unvalued_obligations": {
        "type": "integer", "description": "Obligations of signed agreements with no estimate (signed before "
                                          "estimates were made, saying too little to be valued, or not to be "
                                          "valued): counted as 0 złoty."},
}
SOCIAL_VALUE_SCHEMAS: dict[str, Any] = {
    "SocialValue": {"type": "object", "required": ["pledged", "realised"],
                    "properties": {"pledged": _ZLOTY, "realised": _ZLOTY},
                    "description": "Estimated social value in whole złoty: pledged, and realised (confirmed)."},
    "SocialValueOfCategory": {"type": "object", "required": ["name", "pledged", "realised"],
                              "properties": {"name": {"type": "string",
                                                      "description": "The category, in the caller's language."},
                                             "pledged": _ZLOTY, "realised": _ZLOTY}},
}
