"""The results report keeps every word and every chart inside its margins: a big fair with the
longest fair name and venue, categories at their 80-character limit (one a single long word),
seven-figure totals, a full day of trading, read back word by word with `pdftotext -bbox` and
pixel by pixel with `pdftoppm`. Rendered as the report's download view does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from app.agreements.value_totals import ValueRow, ValueTotals
from app.fairs.models import FairState
from app.network.sectors import Sector
from app.reports.results import CategoryFigures, FulfilmentDay, Results, SectorFigures, TimeBucket
from app.reports.results_report import render_report
from tests.long_texts import LONG_CATEGORY, LONG_FAIR, LONG_SLUG, LONG_WORD
from tests.pdf_boxes import Box, Page, assert_on_paper, count, mm, on_one_line, pdf_pages
from tests.printing import printing_app

# static/css/results-report.css: @page { margin: 16mm 16mm 18mm } (top, sides, bottom).
MARGINS = (16, 16, 18, 16)
PRINTER_EDGE = 5  # the page number sits in the bottom margin, no nearer the edge than this
VENUE = ("Centrum Kultury i Sportu im. Kazimierza Wielkiego w Tczewie, sala widowiskowa na pierwszym piętrze "
         "oraz hala sportowa i sale lekcyjne Zespołu Szkół Ponadgimnazjalnych nr 2 (wejście od ul. Łąkowej, "
         "parking przy ul. Gdańskiej), ul. Łąkowa 3/5, 83-110 Tczew, województwo pomorskie, Polska")[:300]
CATEGORIES = (LONG_CATEGORY, f"{LONG_WORD} i {LONG_WORD}", f"{LONG_WORD}{LONG_WORD}", "Sale", "Catering i poczęstunek",
              "Wolontariusze do pomocy przy wydarzeniach plenerowych i festynach rodzinnych",
              "Transport", "Promocja w mediach lokalnych, mediach społecznościowych i prasie regionalnej")
OPENED = datetime(2027, 10, 14, 8, 0, tzinfo=UTC)


def results() -> Results:
    categories = tuple(CategoryFigures(id=i, name=name[:80], position=i, offers=1_234 + i, needs=987 + i,
                                       agreements=456 - i, obligations=789 - i, points=123_456)
                       for i, name in enumerate(CATEGORIES, start=1))
    return Results(
        fair_id=1, slug=LONG_SLUG, name=LONG_FAIR, venue=VENUE, state=FairState.CLOSED,
        generated_at=OPENED + timedelta(days=30), sectors=tuple(SectorFigures(s, 2_345, 1_234, 2_000) for s in Sector),
        organisations_present=7_000, offers=12_345, needs=9_876, categories=categories, agreements=12_345,
        agreements_fulfilled=9_876, organisations_with_agreements=6_543, cross_sector_agreements=9_999,
        sector_matrix={a: {b: 1_234 for b in Sector} for a in Sector}, obligations=65_432,
        obligations_confirmed=54_321, uncategorised_obligations=3, points_pledged=9_876_543,
        points_confirmed=8_765_432, trading_started_at=OPENED, trading_ended_at=OPENED + timedelta(hours=8),
        bucket_minutes=10, timeline=tuple(TimeBucket(OPENED + timedelta(minutes=10 * i), 10 * i, 100 + 7 * i)
                                          for i in range(48)),
        signed_before_opening=12, signed_after_closing=345, fair_day=date(2027, 10, 14),
        fulfilment=tuple(FulfilmentDay(d, date(2027, 10, 14) + timedelta(days=d), 100 * d, min(1.0, d / 40))
                         for d in range(60)),
        target_agreements=15_000, values=values())


def values() -> ValueTotals:
    """Eight-figure amounts in złoty (given in grosze), every category (the longest too) and sector
    with a value."""
    totals = ValueTotals(pledged=98_765_432_10, realised=87_654_321_09, obligations=65_432, unvalued=1_234,
                         by_category={name[:80]: ValueRow(12_345_678_90 - i, 9_876_543_21 - i)
                                      for i, name in enumerate(CATEGORIES)})
    for sector in Sector:
        totals.by_giver_sector[sector.value] = ValueRow(23_456_789_01, 19_876_543_21)
    return totals


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, list[Page]]]:
    with printing_app(tmp_path_factory.mktemp("report")) as app, app.test_request_context():
        pdf = render_report(results())
        yield pdf, pdf_pages(pdf)


def areas(page: Page) -> list[Box]:
    _top, side, bottom, _left = MARGINS
    footer = Box(mm(side), page.height - mm(bottom), page.width - mm(side), page.height - mm(PRINTER_EDGE))
    return [page.less(*MARGINS), footer]


def test_every_word_bar_and_line_stays_inside_the_margins(printed):
    pdf, pages = printed
    assert_on_paper(pdf, pages, areas)


def test_names_and_totals_print_whole(printed):
    _, pages = printed
    assert count(pages[:1], LONG_FAIR) == 1 and count(pages[:1], VENUE) == 1
    for total, label in (("14 070", "osób na giełdzie"), ("7 404", "organizacje uczestniczące"),
                         ("12 345", "zawartych umów"), ("9 876 543", "zadeklarowane punkty")):
        # The big numbers under the headline, each whole on its line above its label.
        assert count(pages[:1], f"{total} {label}") == 1, total
        assert on_one_line(pages[:1], total) >= 1, total  # (the headline has it too, as digits)
    for number in ("8 765 432", "54 321", "65 432", "15 000"):  # in the figures' boxes
        assert on_one_line(pages, number) >= 1, number
    for name in CATEGORIES:  # the top categories, listed by agreements and by offers and needs
        assert count(pages, name) >= 1, name
    assert count(pages, f"{LONG_WORD}{LONG_WORD}") == 2  # (offers and social value): broken, all there


def test_the_social_value_prints_whole(printed):
    _, pages = printed
    assert count(pages[:1], "98 765 432 zł szacunkowa zadeklarowana wartość społeczna") == 1
    assert on_one_line(pages[:1], "98 765 432 zł") == 1
    first = next(i for i, p in enumerate(pages) if i and count([p], "Wartość społeczna"))
    social = pages[first:]  # the last section
    # The totals (in boxes and under both tables), a category's row (halves up), a sector's row.
    for amount, times in (("98 765 432 zł", 3), ("87 654 321 zł", 3), ("12 345 679 zł", 8), ("9 876 543 zł", 8),
                          ("23 456 789 zł", 6), ("19 876 543 zł", 6)):
        assert on_one_line(social, amount) >= times, amount
    for name in CATEGORIES:  # whole in the table by category (the chart shortens the longest)
        assert count(social, name[:80]) >= 1, name
    assert count(social, "1234 zobowiązania nie miały wyceny i liczą się jako 0 zł.") == 1
