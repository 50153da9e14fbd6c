"""The funder's report keeps every word and every chart inside its margins: the longest fair name
and venue, categories at their 80-character limit (one a single long word), members with the
longest organisation names, seven- and eight-figure totals, a year of weeks and three years of
months; read back word by word with `pdftotext -bbox` and pixel by pixel with `pdftoppm`. Rendered
as the download view does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.agreements.feedback import FeedbackRow, RatingSummary
from app.agreements.value_totals import ValueRow, ValueTotals
from app.network.sectors import Sector
from app.partnerships.counts import PartnershipCounts
from app.reports.funder_pdf import render_funder_pdf
from app.reports.funder_report import FulfilmentStep, FunderReport, Scope, SectorRow, Step
from app.reports.network_results import MemberRef, Pair
from app.valuation.kinds import DEFAULT_RATES
from tests.long_texts import (
    LONG_CATEGORY,
    LONG_DESCRIPTION,
    LONG_FAIR,
    LONG_ORGANISATION,
    LONG_WORD,
    OTHER_LONG_ORGANISATION,
)
from tests.pdf_boxes import Box, Page, assert_on_paper, count, mm, on_one_line, pdf_pages
from tests.printing import printing_app

MARGINS = (16, 16, 18, 16)  # static/css/results-report.css: @page { margin: 16mm 16mm 18mm }
PRINTER_EDGE = 5
VENUE = ("Centrum Kultury i Sportu im. Kazimierza Wielkiego w Tczewie, sala widowiskowa na pierwszym piętrze "
         "oraz hala sportowa, ul. Łąkowa 3/5, 83-110 Tczew")
CATEGORIES = (LONG_CATEGORY, f"{LONG_WORD} i {LONG_WORD}", f"{LONG_WORD}{LONG_WORD}", "Sale", "Catering",
              "Wolontariusze do pomocy przy wydarzeniach plenerowych i festynach rodzinnych", "Bez kategorii")
NAMES = (LONG_ORGANISATION, OTHER_LONG_ORGANISATION, f"{LONG_WORD}{LONG_WORD}", "Piekarnia Żak")
SECTORS = list(Sector)
DAY = date(2027, 10, 14)
LONG_TESTIMONIAL = ("Sala była przygotowana wzorowo, z nagłośnieniem i rzutnikiem, a gospodarze pomogli nam we "
                    "wszystkim od rana do wieczora; dzięki nim warsztaty dla seniorów i dzieci z Kociewia udały się "
                    "ponad nasze oczekiwania. Chętnie skorzystamy znowu i polecamy każdemu, kto szuka miejsca na "
                    "spotkanie, szkolenie albo festyn rodzinny. Dziękujemy całemu zespołowi za cierpliwość, "
                    "życzliwość i kawę! " * 2)[:500]


def fair() -> FunderReport:
    members = [MemberRef(i, NAMES[i % len(NAMES)], SECTORS[i % len(SECTORS)]) for i in range(12)]
    value = ValueTotals(
        pledged=987_654_321_00, realised=876_543_210_00, obligations=65_432, unvalued=12_345,
        by_category={name[:80]: ValueRow(123_456_789_00, 98_765_432_10) for name in CATEGORIES},
        by_giver_sector={s.value: ValueRow(123_456_789_00, 98_765_432_10) for s in Sector})
    partnerships = PartnershipCounts(
        None, 12_345, {"2-3": 6_000, "4+": 6_345}, {"1": 1_000, "2": 5_000, "3+": 6_345},
        {"+".join(s.value for s in SECTORS[:k]): 1_000 + k for k in range(1, 7)},
        {(a, b): 1_234 for i, a in enumerate(SECTORS) for b in SECTORS[i:]})
    return FunderReport(
        scope=Scope.FAIR, name=LONG_FAIR, generated_at=datetime(2028, 10, 14, 12, 0, tzinfo=UTC),
        sectors=tuple(SectorRow(s, 1_234_567, 123_456) for s in Sector), agreements=1_234_567,
        agreements_fulfilled=987_654, obligations=65_432_100, obligations_confirmed=54_321_000,
        points_pledged=98_765_432, points_confirmed=87_654_321, step=Step.WEEK,
        fulfilment=tuple(FulfilmentStep(w, DAY + timedelta(days=7 * w + 6), 1_000_000 * w, 65_432_100)
                         for w in range(53)),
        value=value, rates={k: 9_999_999 for k in DEFAULT_RATES},
        matrix={a: {b: 123_456 for b in Sector} for a in Sector}, cross_sector_agreements=1_111_111,
        partnerships=partnerships,
        repeat_partners=tuple(Pair(members[i], members[i + 1], 12_345, 1_234) for i in range(11)),
        ratings=RatingSummary(12_345_678, 4.56789, {1: 1_234_567, 2: 2_345_678, 3: 3_456_789, 4: 2_000_000,
                                                    5: 3_308_644}),
        testimonials=tuple(FeedbackRow(1, f"GZ/2027/{i:04d}", i, LONG_DESCRIPTION, NAMES[i % 4], SECTORS[i % 6],
                                       NAMES[(i + 1) % 4], SECTORS[(i + 1) % 6], 1 + i % 5,
                                       (LONG_TESTIMONIAL if i % 2 else f"{LONG_WORD} " * 15).strip(),
                                       DAY + timedelta(days=i)) for i in range(8)),
        year=2027, slug="a" * 63, venue=VENUE, fair_day=DAY, closed=False)


def network() -> FunderReport:
    steps = tuple(FulfilmentStep(m, date(2025 + (m // 12), m % 12 + 1, 28), 100_000 * m, 4_000_000)
                  for m in range(36))
    return replace(fair(), scope=Scope.NETWORK, name="Sieć Wymiany Zasobów Kociewia", step=Step.MONTH,
                   fulfilment=steps, fairs=123, year=None, years=(2015, 2027), slug="", venue="", fair_day=None,
                   closed=True)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[bytes, list[Page]]]]:
    with printing_app(tmp_path_factory.mktemp("funder")) as app, app.test_request_context():
        pdfs = {"fair": render_funder_pdf(fair()), "network": render_funder_pdf(network())}
        yield {k: (pdf, pdf_pages(pdf)) for k, pdf in pdfs.items()}


def areas(page: Page) -> list[Box]:
    _top, side, bottom, _left = MARGINS
    footer = Box(mm(side), page.height - mm(bottom), page.width - mm(side), page.height - mm(PRINTER_EDGE))
    return [page.less(*MARGINS), footer]


@pytest.mark.parametrize("which", ["fair", "network"])
def test_every_word_bar_and_line_stays_inside_the_margins(printed, which: str) -> None:
    pdf, pages = printed[which]
    assert_on_paper(pdf, pages, areas)


def test_names_and_totals_print_whole(printed) -> None:
    _, pages = printed["fair"]
    assert count(pages[:1], LONG_FAIR) == 1 and count(pages[:1], VENUE) == 1
    for total in ("1 234 567", "987 654 321 zł", "876 543 210 zł"):  # the big numbers under the title
        assert on_one_line(pages[:1], total) == 1, total
    for total in ("123 456 789 zł", "98 765 432 zł", "99 999,99 zł", "65 432 100"):
        assert on_one_line(pages, total) >= 1, total
    for name in CATEGORIES:
        assert count(pages, name) >= 1, name
    assert count(pages, LONG_ORGANISATION) >= 3 and count(pages, f"{LONG_WORD}{LONG_WORD}") >= 3
    assert count(pages, "tydzień 52 18 października 2028") == 1  # the last week
    assert count(pages, LONG_TESTIMONIAL) == 4 and count(pages, "12 345 678") >= 1
    assert count(pages, "4,6 na 5") == 1


def test_the_network_prints_its_period_and_months(printed) -> None:
    _, pages = printed["network"]
    assert count(pages[:1], "Okres: 2015–2027") == 1 and count(pages[:1], "123 giełdy") == 1
    assert count(pages, "gru 2027") >= 1  # the last month's row
