"""The network's results PDF keeps every word and every chart inside its margins: twelve years,
thirty fairs with the longest fair name (five-figure counts each), members with the longest
organisation names (one a single long word), seven-figure totals, three years of monthly entries;
read back word by word with `pdftotext -bbox` and pixel by pixel with `pdftoppm`. Rendered as the
download view does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.agreements.value_totals import ValueRow, ValueTotals
from app.network.sectors import Sector
from app.reports.network_report import NetworkFigures, render_network_report
from app.reports.network_results import ActiveMember, FairRow, MemberRef, Month, NetworkResults, Pair
from app.reports.network_years import YearRow
from tests.long_texts import LONG_CATEGORY, LONG_FAIR, LONG_ORGANISATION, LONG_WORD, OTHER_LONG_ORGANISATION
from tests.pdf_boxes import Box, Page, assert_on_paper, count, mm, on_one_line, pdf_pages

MARGINS = (16, 16, 18, 16)  # static/css/results-report.css: @page { margin: 16mm 16mm 18mm }
PRINTER_EDGE = 5
SECTORS = list(Sector)
NAMES = (LONG_ORGANISATION, OTHER_LONG_ORGANISATION, f"{LONG_WORD}{LONG_WORD}", "Piekarnia Żak",
         "Fundacja Łąka", "Urząd Gminy Pelplin", "Koło Gospodyń Wiejskich w Rajkowach")


def member(i: int) -> MemberRef:
    return MemberRef(i, f"{NAMES[i % len(NAMES)]} {i}" if i >= len(NAMES) else NAMES[i], SECTORS[i % len(SECTORS)])


def figures() -> NetworkFigures:
    start = datetime(2015, 5, 14, 8, 0, tzinfo=UTC)
    fairs = [FairRow(i, f"{LONG_FAIR[:190]} {i}" if i % 3 == 0 else f"Giełda Zasobów nr {i}", f"fair-{i}",
                     start + timedelta(days=140 * i), 12_345, {s: 2_057 for s in Sector}, 6_789, 98_765,
                     87_654, 76_543, 12_345_678_90, 9_876_543_21) for i in range(30)]
    members = [member(i) for i in range(60)]
    pairs = [Pair(members[i], members[(i * 7 + 1) % 60], 1_234 - i, 2 + i % 5) for i in range(60)]
    active = [ActiveMember(members[i], 12_345 - i, 123, 9_876_543) for i in range(10)]
    months = [Month(f"{2024 + m // 12}-{m % 12 + 1:02d}", 1_234 + 37 * m, 987_654 + m) for m in range(36)]
    results = NetworkResults(
        fairs=fairs, members=7_654_321, pairs=pairs, most_active=active,
        matrix={a: {b: 123_456 for b in Sector} for a in Sector}, in_circulation=9_876_543, per_month=months,
        generated_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC), values=values())
    years = [YearRow(2015 + y, 3 + y, {s: 120_000 + 10_000 * y * (i + 1) for i, s in enumerate(Sector)},
                     234_567, 9_876_543, 8_765_432, 7_654_321, 1_234_567, 98_765_432) for y in range(12)]
    return NetworkFigures(results, years, "")


def values() -> ValueTotals:
    """Nine-figure amounts in złoty (given in grosze), the longest category names."""
    totals = ValueTotals(pledged=987_654_321_00, realised=876_543_210_00, obligations=765_432, unvalued=12_345,
                         by_category={name: ValueRow(123_456_789_00, 98_765_432_00)
                                      for name in (LONG_CATEGORY, f"{LONG_WORD}{LONG_WORD}", "Sale", "Catering")})
    for sector in Sector:
        totals.by_giver_sector[sector.value] = ValueRow(164_609_053_50, 146_090_535_00)
    return totals


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, list[Page]]]:
    from tests.printing import printing_app

    with printing_app(tmp_path_factory.mktemp("network")) as app, app.test_request_context():
        pdf = render_network_report(figures())
        yield pdf, pdf_pages(pdf)


def areas(page: Page) -> list[Box]:
    _top, side, bottom, _left = MARGINS
    footer = Box(mm(side), page.height - mm(bottom), page.width - mm(side), page.height - mm(PRINTER_EDGE))
    return [page.less(*MARGINS), footer]


def test_every_word_bar_and_line_stays_inside_the_margins(printed: tuple[bytes, list[Page]]) -> None:
    pdf, pages = printed
    assert_on_paper(pdf, pages, areas)


def test_titles_tables_and_totals_print_whole(printed: tuple[bytes, list[Page]]) -> None:
    _, pages = printed
    assert count(pages[:1], "Sieć wymiany rok po roku") == 1 and count(pages[:1], "Okres: 2015–2026") == 1
    for total in ("7 654 321", "9 876 543"):  # the big numbers under the title
        assert on_one_line(pages[:1], total) >= 1, total
    for year in range(2015, 2027):  # a row of the per-year table each
        assert count(pages[1:], f"{year} ") >= 1, year
    assert count(pages, f"{LONG_FAIR[:190]} 27") == 3  # the per-fair tables: members, sectors, social value
    assert count(pages, LONG_ORGANISATION) >= 2  # repeat partners, most active
    assert count(pages, f"{LONG_WORD}{LONG_WORD}") >= 2  # one word longer than its column: broken, all there
    assert count(pages, "grudzień 2026") == 1  # the last month of the table


def test_the_social_value_prints_whole(printed: tuple[bytes, list[Page]]) -> None:
    _, pages = printed
    assert count(pages[:1], "987 654 321 zł szacunkowa zadeklarowana wartość społeczna") == 1
    first = next(i for i, p in enumerate(pages) if i and count([p], "Wartość społeczna · 2015–2026"))
    social = pages[first:first + 3]
    for amount, times in (("987 654 321 zł", 3), ("876 543 210 zł", 3), ("123 456 789 zł", 4), ("98 765 432 zł", 4),
                          ("164 609 054 zł", 6), ("146 090 535 zł", 6)):  # a sector's 164 609 053,50 zł: halves up
        assert on_one_line(social, amount) >= times, amount
    assert count(social, LONG_CATEGORY) == 1 and count(social, f"{LONG_WORD}{LONG_WORD}") == 1
    # The per-fair table: each fair's pledged and realised value, whole on its line.
    assert on_one_line(pages, "12 345 679 zł") == 30 and on_one_line(pages, "9 876 543 zł") == 30
