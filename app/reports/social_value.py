"""The estimated social value of a fair's agreements (or the network's in a period) as the results
pages, their PDFs and the reveal show it: pledged and realised in whole złoty, by category and by
the giving party's sector, and a chart of the two by category.

The figures come from `app.agreements.value_totals` (frozen at signing, in grosze); they are
estimates by the documented method (the rates page, docs/social-value.md), never prices.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from app.agreements.value_totals import ValueRow, ValueTotals
from app.network.sectors import SECTOR_COLOURS, Sector
from app.reports import charts
from app.reports.charts import DARK, LIGHT, Group, Series, Theme
from app.valuation.money import round_zloty, zloty

# Pledged (blue) and realised (green): told apart by hue and by lightness, on paper and on screen.
PLEDGED_LIGHT, REALISED_LIGHT = "#7fa7d9", "#0b6e4f"
PLEDGED_DARK, REALISED_DARK = "#8fb4ea", "#2fbf8a"


@dataclass(frozen=True)
class ValueLine:
    label: str
    pledged: int  # grosze
    realised: int
    colour: str | None = None  # a sector's

    @property
    def realised_share(self) -> float | None:
        return self.realised / self.pledged if self.pledged else None


@dataclass(frozen=True)
class SocialValue:
    totals: ValueTotals

    @property
    def pledged(self) -> int:
        return self.totals.pledged

    @property
    def realised(self) -> int:
        return self.totals.realised

    @property
    def unvalued(self) -> int:
        return self.totals.unvalued

    @property
    def obligations(self) -> int:
        return self.totals.obligations

    @property
    def realised_share(self) -> float | None:
        """The share of the pledged value realised so far; None while nothing is pledged."""
        return self.realised / self.pledged if self.pledged else None

    @property
    def pledged_zloty(self) -> int:
        """Whole złoty, as the stats API and the reveal's counter give it."""
        return round_zloty(self.pledged)

    @property
    def categories(self) -> list[ValueLine]:
        return [ValueLine(label, row.pledged, row.realised) for label, row in self.totals.by_category.items()]

    @property
    def sectors(self) -> list[ValueLine]:
        """Every sector, by the giving party's sector."""
        return [ValueLine(str(s.label), *_row(self.totals.by_giver_sector.get(s.value)), SECTOR_COLOURS[s])
                for s in Sector]


def _row(row: ValueRow | None) -> tuple[int, int]:
    return (row.pledged, row.realised) if row else (0, 0)


def whole(grosze: int) -> str:
    """'1 136 zł': how the pages and PDFs show these estimates."""
    return zloty(grosze, whole=True)


def social_value_chart(value: SocialValue, theme: Theme = LIGHT, width: float = 640, compact: bool = False
                       ) -> Markup:
    """Pledged and realised by category: two bars a category with a value, in złoty."""
    pledged, realised = (PLEDGED_DARK, REALISED_DARK) if theme is DARK else (PLEDGED_LIGHT, REALISED_LIGHT)
    return charts.grouped_bar_chart(
        [Group(c.label, (round_zloty(c.pledged), round_zloty(c.realised))) for c in value.categories if c.pledged],
        [Series(_("Pledged"), pledged), Series(_("Realised"), realised)],
        title=_("Estimated social value by category"), theme=theme, width=width,
        value_format=lambda n: whole(int(n) * 100), empty=_("No agreement has a social value yet."),
        labels_above=compact)
