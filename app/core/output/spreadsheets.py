"""Files for people to open in a spreadsheet program: CSV the way Excel in Poland reads it, and
XLSX. Both are safe from formula injection (OWASP "CSV Injection").

Every CSV the app produces is written here, by `csv_row` (a test fails on any other CSV writer
in app/): the fair's tables, the ledger's interchange files (entries.csv, balances.csv), the
points statement and the import template. A text cell that starts with `=`, `+`, `-`, `@`, a
tab or a carriage return gets a leading apostrophe, so no spreadsheet program runs it as a
formula. Numbers (int, float) are written as they are — a negative balance stays `-30`: only
text can be a formula.

CSV for people (`csv_bytes`): UTF-8 with a byte order mark (without it Excel reads the file as
Windows-1250 and mangles Polish letters), `;` between cells (Polish Excel uses the comma as the
decimal separator, so it expects semicolons), CRLF line ends.

XLSX: cells are typed (numbers are numbers, dates are dates), so only text that starts with `=`
needs the apostrophe: openpyxl would store it as a formula. The header row is bold and frozen.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.core.i18n import LOCAL_ZONE

Cell = str | int | float | bool | date | datetime | None

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_DATETIME = "%Y-%m-%d %H:%M"
XLSX_DATETIME = "yyyy-mm-dd hh:mm"
XLSX_DATE = "yyyy-mm-dd"
XLSX_MAX_TEXT = 32767  # Excel's limit for one cell
MIN_WIDTH, MAX_WIDTH = 6, 50
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


@dataclass
class Sheet:
    """One table: its title (the XLSX tab), column headers and rows of typed cells."""

    title: str
    headers: list[str]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)


def neutralise(text: str) -> str:
    """Text a spreadsheet program could take for a formula, made plain text (OWASP)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def local_time(moment: datetime, zone: ZoneInfo = LOCAL_ZONE) -> datetime:
    """An aware moment as the naive wall-clock time of `zone` (spreadsheets have no zones)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone).replace(tzinfo=None)


# --- CSV --------------------------------------------------------------------------------------


def csv_cell(value: Cell, yes: str = "yes", no: str = "no", zone: ZoneInfo = LOCAL_ZONE) -> str:
    """One value as CSV text. Numbers stay as they are: only text can be a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, datetime):
        return local_time(value, zone).strftime(CSV_DATETIME)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def csv_row(values: Iterable[Cell], delimiter: str = ";", yes: str = "yes", no: str = "no",
            zone: ZoneInfo = LOCAL_ZONE) -> str:
    """One CSV line (RFC 4180 quoting, CRLF end), every cell through `csv_cell`: the only
    CSV writer of the app."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(
        [csv_cell(v, yes, no, zone) for v in values])
    return buffer.getvalue()


def csv_bytes(sheet: Sheet, yes: str = "yes", no: str = "no", zone: ZoneInfo = LOCAL_ZONE) -> bytes:
    """The sheet as a CSV file for Excel in Poland: UTF-8 with BOM, `;`-separated."""
    lines = [csv_row(sheet.headers, ";", yes, no, zone)]
    lines.extend(csv_row(row, ";", yes, no, zone) for row in sheet.rows)
    return ("\ufeff" + "".join(lines)).encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------------


def xlsx_cell(value: Cell, zone: ZoneInfo = LOCAL_ZONE) -> Cell:
    """One value as openpyxl should store it: typed, text cleaned of characters XML forbids."""
    if isinstance(value, datetime):
        return local_time(value, zone)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_TEXT]
        return "'" + text if text.startswith("=") else text
    return value


def sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique worksheet title: at most 31 characters, none of []:*?/\\."""
    base = title.translate(_SHEET_TITLE_FORBIDDEN).strip("'")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def _width(value: Cell) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if value is None:
        return 0
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def xlsx_bytes(sheets: Sequence[Sheet], zone: ZoneInfo = LOCAL_ZONE) -> bytes:
    """A workbook with one worksheet per sheet."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet_title(sheet.title, taken))
        ws.append([xlsx_cell(h, zone) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = bold
        widths = [len(h) for h in sheet.headers]
        for row in sheet.rows:
            ws.append([xlsx_cell(v, zone) for v in row])
            for i, value in enumerate(row):
                widths[i] = max(widths[i], _width(value))
        for column in ws.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, datetime):
                    cell.number_format = XLSX_DATETIME
                elif isinstance(cell.value, date):
                    cell.number_format = XLSX_DATE
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
        ws.freeze_panes = "A2"
        if sheet.headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{len(sheet.rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
