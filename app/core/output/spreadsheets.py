"""Files for people to open in a spreadsheet program: CSV the way Excel in Poland reads it, and
XLSX. Both are safe from formula injection (OWASP "CSV Injection").

Every CSV the app produces is written here, by `csv_row` (or `csv_rows`, the same for many
lines at once; a test fails on any other CSV writer in app/): the fair's tables, the ledger's
interchange files (entries.csv, balances.csv), the points statement and the import template. A
text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
apostrophe, so no spreadsheet program runs it as a formula. Numbers (int, float) are written as
they are — a negative balance stays `-30`: only text can be a formula.

CSV for people (`csv_bytes`): UTF-8 with a byte order mark (without it Excel reads the file as
Windows-1250 and mangles Polish letters), `;` between cells (Polish Excel uses the comma as the
decimal separator, so it expects semicolons), CRLF line ends.

XLSX: cells are typed (numbers are numbers, dates are dates), so only text that starts with `=`
needs the apostrophe: openpyxl would store it as a formula. The header row is bold and frozen.
A number may say how it reads: `Zloty(286)` is 286 with the format `#,##0 "zł"` (whole złoty),
`Grosze(2861)` 28.61 with `#,##0.00 "zł"`, `Share(0.25)` 0.25 shown as 25.0%; in a CSV they are
the plain numbers (286, 28.61, 0.25).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from app.core.i18n import LOCAL_ZONE


class Zloty(int):
    """Whole złoty: a number the workbook shows with "zł"."""


class Grosze(int):
    """An amount in grosze, written as złoty with two decimals and "zł" (2861 → 28.61 zł)."""


class Share(float):
    """A share of a whole (0.25), which the workbook shows as a percentage."""


Cell = str | int | float | bool | date | datetime | None

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATETIME = "yyyy-mm-dd hh:mm"
XLSX_DATE = "yyyy-mm-dd"
XLSX_ZLOTY = '#,##0 "zł"'
XLSX_ZLOTY_GROSZE = '#,##0.00 "zł"'
XLSX_SHARE = "0.0%"
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
    if isinstance(value, str):  # the common case first
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, datetime):  # `YYYY-MM-DD HH:MM` (isoformat: several times faster than strftime)
        return local_time(value, zone).isoformat(" ", "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Grosze):
        return str(value / 100)
    if isinstance(value, (int, float)):
        return str(value)
    return neutralise(str(value))


def _csv_writer(buffer: io.StringIO, delimiter: str) -> Any:
    return csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")


def csv_row(values: Iterable[Cell], delimiter: str = ";", yes: str = "yes", no: str = "no",
            zone: ZoneInfo = LOCAL_ZONE) -> str:
    """One CSV line (RFC 4180 quoting, CRLF end), every cell through `csv_cell`: the only
    CSV writer of the app (with `csv_rows`, the same for many lines)."""
    buffer = io.StringIO()
    _csv_writer(buffer, delimiter).writerow([csv_cell(v, yes, no, zone) for v in values])
    return buffer.getvalue()


def csv_rows(rows: Iterable[Iterable[Cell]], delimiter: str = ";", yes: str = "yes", no: str = "no",
             zone: ZoneInfo = LOCAL_ZONE) -> str:
    """Many `csv_row` lines at once, through one writer."""
    buffer = io.StringIO()
    _csv_writer(buffer, delimiter).writerows(
        [csv_cell(v, yes, no, zone) for v in row] for row in rows)
    return buffer.getvalue()


def csv_bytes(sheet: Sheet, yes: str = "yes", no: str = "no", zone: ZoneInfo = LOCAL_ZONE) -> bytes:
    """The sheet as a CSV file for Excel in Poland: UTF-8 with BOM, `;`-separated."""
    return ("\ufeff" + csv_rows([sheet.headers, *sheet.rows], ";", yes, no, zone)).encode("utf-8")


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
    text = value if isinstance(value, str) else str(value)
    if "\n" not in text and "\r" not in text:
        return len(text)
    return max((len(line) for line in text.splitlines()), default=0)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles (cellXfs): 0 plain, 1 moment, 2 date, 3 bold (the header row), 4 whole złoty,
# 5 złoty and grosze, 6 a share.
_STYLES = (_XML + f'<styleSheet xmlns="{_MAIN}">'
           f'<numFmts count="5"><numFmt numFmtId="164" formatCode="{XLSX_DATETIME}"/>'
           f'<numFmt numFmtId="165" formatCode="{XLSX_DATE}"/>'
           f'<numFmt numFmtId="166" formatCode="{XLSX_ZLOTY.replace(chr(34), "&quot;")}"/>'
           f'<numFmt numFmtId="167" formatCode="{XLSX_ZLOTY_GROSZE.replace(chr(34), "&quot;")}"/>'
           f'<numFmt numFmtId="168" formatCode="{XLSX_SHARE}"/></numFmts>'
           '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
           '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
_EPOCH = datetime(1899, 12, 30)
_EPOCH_DAY = _EPOCH.date().toordinal()


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attribute(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;")


def _cell_xml(ref: str, value: Cell, style: int = 0) -> str:
    """One cell of a worksheet's XML (`value` as xlsx_cell made it); '' for an empty one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Zloty):
        return f'<c r="{ref}" s="4"><v>{int(value)}</v></c>'
    if isinstance(value, Grosze):
        return f'<c r="{ref}" s="5"><v>{value / 100!r}</v></c>'
    if isinstance(value, Share):
        return f'<c r="{ref}" s="6"><v>{float(value)!r}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime):  # a serial number: days since 1899-12-30, with the time as a fraction
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="1"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="2"><v>{value.toordinal() - _EPOCH_DAY}</v></c>'
    style_attr = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{style_attr}><is><t xml:space="preserve">{_xml_text(value)}</t></is></c>'


def _sheet_xml(sheet: Sheet, zone: ZoneInfo) -> bytes:
    columns = max([len(sheet.headers), *(len(row) for row in sheet.rows)], default=0)
    letters = [get_column_letter(i) for i in range(1, columns + 1)]
    widths = [len(h) for h in sheet.headers] + [0] * (columns - len(sheet.headers))
    parts = [_XML, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">',
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
             'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>']
    body = ['<row r="1">', *(_cell_xml(f"{letters[i]}1", xlsx_cell(h, zone), 3) for i, h in enumerate(sheet.headers)),
            "</row>"]
    append = body.append
    for number, row in enumerate(sheet.rows, start=2):
        n = str(number)
        append(f'<row r="{n}">')
        for i, value in enumerate(row):
            if value is None:
                continue
            kind = type(value)
            if kind is str:  # the common cases first, inline: `_cell_xml(ref, xlsx_cell(value))`
                text = cast(str, value)
                if text.isprintable():  # no line breaks, and nothing XML forbids
                    width = len(text)
                else:
                    width = len(text) if "\n" not in text and "\r" not in text else _width(text)
                    text = ILLEGAL_CHARACTERS_RE.sub("", text)
                if len(text) > XLSX_MAX_TEXT:
                    text = text[:XLSX_MAX_TEXT]
                if text.startswith("="):
                    text = "'" + text
                if "&" in text or "<" in text or ">" in text:
                    text = _xml_text(text)
                append(f'<c r="{letters[i]}{n}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
            elif kind is int:
                width = len(str(value))
                append(f'<c r="{letters[i]}{n}"><v>{value!r}</v></c>')
            elif kind is datetime:  # as `_cell_xml` writes it, inline
                width = 16
                serial = (local_time(cast(datetime, value), zone) - _EPOCH).total_seconds() / 86400
                append(f'<c r="{letters[i]}{n}" s="1"><v>{serial!r}</v></c>')
            elif kind is Zloty or kind is Grosze or kind is Share:  # as they are shown: 1 234 zł, 28,61 zł, 25,0%
                width = len(f"{value:,}") + 3 if kind is Zloty else len(str(value)) + 4
                append(_cell_xml(f"{letters[i]}{n}", value))
            else:
                width = _width(value)
                append(_cell_xml(f"{letters[i]}{n}", xlsx_cell(value, zone)))
            if width > widths[i]:
                widths[i] = width
        append("</row>")
    if columns:
        parts.append("<cols>" + "".join(
            f'<col min="{i}" max="{i}" width="{min(max(w + 2, MIN_WIDTH), MAX_WIDTH)}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)) + "</cols>")
    parts += ["<sheetData>", *body, "</sheetData>"]
    if sheet.headers:
        parts.append(f'<autoFilter ref="{_filter_range(sheet)}"/>')
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")


def _filter_range(sheet: Sheet, absolute: bool = False) -> str:
    last = get_column_letter(len(sheet.headers))
    if absolute:
        return f"$A$1:${last}${len(sheet.rows) + 1}"
    return f"A1:{last}{len(sheet.rows) + 1}"


def xlsx_bytes(sheets: Sequence[Sheet], zone: ZoneInfo = LOCAL_ZONE) -> bytes:
    """A workbook with one worksheet per sheet: the header row bold and frozen, with a filter;
    column widths from the longest value; dates and moments typed with their number formats.

    Written directly as the XML parts of the file (no cell objects: a fair's workbook has
    hundreds of thousands of cells); openpyxl reads it back in the tests."""
    taken: set[str] = set()
    titles = [sheet_title(sheet.title, taken) for sheet in sheets]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _XML + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for n in range(1, len(sheets) + 1)) + "</Types>"))
        z.writestr("_rels/.rels", _XML + (
            f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f"{_xml_text(chr(39) + title.replace(chr(39), chr(39) * 2) + chr(39))}!{_filter_range(sheet, True)}"
            "</definedName>" for n, (title, sheet) in enumerate(zip(titles, sheets, strict=True)) if sheet.headers)
        z.writestr("xl/workbook.xml", _XML + (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
            + "".join(f'<sheet name="{_xml_attribute(title)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, title in enumerate(titles, start=1))
            + "</sheets>" + (f"<definedNames>{filters}</definedNames>" if filters else "") + "</workbook>"))
        z.writestr("xl/_rels/workbook.xml.rels", _XML + (
            f'<Relationships xmlns="{_PACKAGE_RELS}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>"))
        z.writestr("xl/styles.xml", _STYLES)
        for n, sheet in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{n}.xml", _sheet_xml(sheet, zone))
    return buffer.getvalue()
