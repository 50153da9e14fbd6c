"""The network's results PDF keeps every word and every chart inside its margins: twelve years,
thirty fairs with the longest fair name (five-figure counts each), members with the longest
organisation names (one a single long word), seven-figure totals, three years of monthly entries;
read back word by word with `pdftotext -bbox` and pixel by pixel with `pdftoppm`. Rendered as the
download view does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.network.sectors import Sector
from app.reports.network_report import NetworkFigures, render_network_report
from app.reports.network_results import ActiveMember, FairRow, MemberRef, Month, NetworkResults, Pair
from app.reports.network_years import YearRow
from tests.long_texts import LONG_FAIR, LONG_ORGANISATION, LONG_WORD, OTHER_LONG_ORGANISATION
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
                     87_654, 76_543) for i in range(30)]
    members = [member(i) for i in range(60)]
    pairs = [Pair(members[i], members[(i * 7 + 1) % 60], 1_234 - i, 2 + i % 5) for i in range(60)]
    active = [ActiveMember(members[i], 12_345 - i, 123, 9_876_543) for i in range(10)]
    months = [Month(f"{2024 + m // 12}-{m % 12 + 1:02d}", 1_234 + 37 * m, 987_654 + m) for m in range(36)]
    results = NetworkResults(
        fairs=fairs, members=7_654_321, pairs=pairs, most_active=active,
        matrix={a: {b: 123_456 for b in Sector} for a in Sector}, in_circulation=9_876_543, per_month=months,
        generated_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    years = [YearRow(2015 + y, 3 + y, {s: 120_000 + 10_000 * y * (i + 1) for i, s in enumerate(Sector)},
                     234_567, 9_876_543, 8_765_432, 7_654_321, 1_234_567, 98_765_432) for y in range(12)]
    return NetworkFigures(results, years, "")


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
    assert count(pages, f"{LONG_FAIR[:190]} 27") == 2  # the per-fair table and the per-sector one
    assert count(pages, LONG_ORGANISATION) >= 2  # repeat partners, most active
    assert count(pages, f"{LONG_WORD}{LONG_WORD}") >= 2  # one word longer than its column: broken, all there
    assert count(pages, "grudzień 2026") == 1  # the last month of the table
