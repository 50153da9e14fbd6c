"""The account statement PDF keeps every word inside its margins: an organisation's account with
the longest name, lines whose descriptions are at the memo's limit, a group deal's five other
parties, seven-figure amounts, read back word by word with `pdftotext -bbox` and pixel by pixel
with `pdftoppm`. Rendered as the statement's download view does (app/ledger/views.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.ledger.limits import limits_for
from app.ledger.models import Account, AccountKind, EntryKind
from app.ledger.pdf import render_pdf
from app.ledger.statements import Statement, StatementLine
from tests.long_texts import (
    LONG_DESCRIPTION,
    LONG_FAIR,
    LONG_NAME,
    LONG_ORGANISATION,
    LONG_SLUG,
    OTHER_LONG_ORGANISATION,
)
from tests.pdf_boxes import Box, Page, assert_on_paper, count, mm, on_one_line, pdf_pages
from tests.printing import printing_app

# templates/ledger/statement_pdf.html: @page { margin: 16mm 14mm 18mm } (top, sides, bottom).
MARGINS = (16, 14, 18, 14)
PRINTER_EDGE = 5  # the page number sits in the bottom margin, no nearer the edge than this
WARSAW = ZoneInfo("Europe/Warsaw")
OTHERS = (OTHER_LONG_ORGANISATION, "Gminny Ośrodek Pomocy Społecznej w Morzeszczynie",
          "Koło Gospodyń Wiejskich „Żurawina” w Szpęgawsku", LONG_NAME, "Urząd Miejski w Tczewie")
MEMO = f"Porozumienie GZ/{LONG_SLUG}/1017: {LONG_DESCRIPTION}"[:500]  # Entry.memo's limit
AT = datetime(2027, 10, 14, 20, 13, tzinfo=WARSAW)
KINDS = list(EntryKind)


def line(i: int) -> StatementLine:
    return StatementLine(
        entry_id=1_234_560 + i, at=AT.astimezone(UTC), kind=KINDS[i % len(KINDS)], memo=MEMO,
        counterparties=OTHERS, points=-1_234_567 if i % 2 else 7_654_321, balance=-9_876_543,
        actor=LONG_NAME, fair=LONG_FAIR if i % 2 else None,
        source=None, reverses_id=1_234_500 + i if i % 3 == 0 else None,
        reversed_by_id=1_234_999 if i % 4 == 0 else None)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, list[Page]]]:
    with printing_app(tmp_path_factory.mktemp("statement")) as app, app.test_request_context():
        account = Account(kind=AccountKind.MEMBER, name=LONG_ORGANISATION, member_id=123_456)
        statement = Statement(account=account, since=date(2027, 10, 1), until=date(2027, 12, 31),
                              opening=-1_234_567, closing=-7_654_321, lines=tuple(line(i) for i in range(5)))
        pdf = render_pdf("ledger/statement_pdf.html", statement=statement, account=account,
                         limits=limits_for(account), generated_at=AT.astimezone(UTC))
        yield pdf, pdf_pages(pdf)


def areas(page: Page) -> list[Box]:
    _top, side, bottom, _left = MARGINS
    footer = Box(mm(side), page.height - mm(bottom), page.width - mm(side), page.height - mm(PRINTER_EDGE))
    return [page.less(*MARGINS), footer]


def test_every_word_and_line_stays_inside_the_margins(printed):
    pdf, pages = printed
    assert len(pages) > 1  # the table goes on over pages, its header repeated
    assert_on_paper(pdf, pages, areas)


def test_names_descriptions_and_amounts_print_whole(printed):
    _, pages = printed
    assert count(pages, f"Wyciąg: {LONG_ORGANISATION}") == 1
    assert count(pages, "member:123456") == 1
    assert count(pages, MEMO) == 5
    # Where each line came from: a fair's name (whole), or "between fairs".
    assert count(pages, f"({LONG_FAIR})") == 2 and count(pages, "(między giełdami)") == 3
    assert count(pages, ", ".join(OTHERS)) == 5
    assert count(pages, "14.10.2027, 20:13") == 5
    for i in range(5):
        assert count(pages, f"{1_234_560 + i}") >= 1
    # Amounts whole, each on one line: the lines', the opening, the balances and the closing.
    assert on_one_line(pages, "+7 654 321") == 3 and on_one_line(pages, "−1 234 567") == 2 + 1
    assert on_one_line(pages, "−9 876 543") == 5 and on_one_line(pages, "−7 654 321") == 1
    assert count(pages, "Saldo otwarcia −1 234 567") == 1
    assert count(pages, "Saldo zamknięcia +20 493 829 −7 654 321") == 1  # 3 × 7 654 321 − 2 × 1 234 567
    assert count(pages, "Data Nr Rodzaj Opis Druga strona Punkty Saldo") == len(pages)  # header on each page
