"""A CSV file people send, from bytes to records: its size, its encoding (UTF-8 or Windows-1250,
misreadings refused), its separator and its records with their line numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError

# A fair has a few hundred people: 2 MB is thousands of rows, and its base64 copy (kept in the
# preview page for the confirming POST) still fits in MAX_CONTENT_LENGTH.
MAX_BYTES = 2 * 1024 * 1024
ENCODINGS = "UTF-8, Windows-1250"
SNIFF_CHARS = 32 * 1024

Message: TypeAlias = str | LazyString


class ImportRejected(ValidationError):
    """The file cannot be imported. `problems` lists the bad lines (empty for a file-level error)."""

    def __init__(self, message: Message, code: str, problems: list[RowProblem] | None = None) -> None:
        super().__init__(message, code=code)
        self.problems: list[RowProblem] = problems or []


@dataclass(frozen=True)
class RowProblem:
    line: int  # physical line where the record starts; the header is line 1
    code: str
    message: Message
    column: str = ""  # the column's header as written in the file
    end_line: int = 0  # last physical line, when a quoted value spans several lines

    @property
    def lines(self) -> str:
        return f"{self.line}–{self.end_line}" if self.end_line > self.line else str(self.line)


# --- bytes to text ------------------------------------------------------------------------


_ZIP = b"PK\x03\x04"  # .xlsx and .ods are ZIP archives
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A non-ASCII symbol between two letters: what ISO-8859-2 or CP852 Polish letters turn into
# when read as Windows-1250 ('Wi¶niewska', 'Gę±'), never what a Polish spreadsheet holds.
_GLUED = re.compile(r"(?<=[^\W\d_])[^\w\s\x00-\x7f](?=[^\W\d_])")
_APOSTROPHES = "’‘ʼ´"


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n % (1024 * 1024) == 0 else f"{-(-n // 1024)} kB"


def _encoding_error() -> ImportRejected:
    return ImportRejected(_l(
        "The file's characters could not be read. Save it as CSV in UTF-8 (in Excel: “CSV UTF-8”) "
        "or in Windows-1250. Accepted encodings: %(encodings)s.", encodings=ENCODINGS),
        code="import_encoding")


def _misread(text: str) -> bool:
    for match in _GLUED.finditer(text):
        char = match.group()
        if char not in _APOSTROPHES and unicodedata.category(char) != "Pd":
            return True
    return False


def check_bytes(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """Refuse what is not a CSV file of a sensible size before reading it."""
    if len(data) > max_bytes:
        raise ImportRejected(_l("The file is larger than %(limit)s. Split it into smaller files.",
                                limit=_size(max_bytes)), code="import_too_large")
    if not data.strip():
        raise ImportRejected(_l("The file is empty."), code="import_empty")
    if data.startswith(_ZIP) or data.startswith(_OLE2):
        raise ImportRejected(_l(
            "This is a spreadsheet workbook (such as .xlsx), not a CSV file. In Excel or "
            "LibreOffice choose “Save as” and save it as CSV, then upload the CSV file."),
            code="import_spreadsheet")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: strict UTF-8 (BOM or not), else Windows-1250."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    text, encoding = _decode_as(data, "utf-8") or _decode_as(data, "cp1250") or ("", "")
    if not encoding or _CONTROL.search(text):  # UTF-16, binary files, double-encoded text
        raise _encoding_error()
    if encoding == "cp1250" and _misread(text):
        raise _encoding_error()
    return text, "UTF-8" if encoding == "utf-8" else "Windows-1250"


def _decode_as(data: bytes, encoding: str) -> tuple[str, str] | None:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


# --- text to records ----------------------------------------------------------------------


SEP_LINE = re.compile(r"sep=([;,])\r?\n")  # Excel's optional first line naming the separator


def sniff_delimiter(text: str) -> str:
    """';' or ',': the csv.Sniffer's choice if the header line has it, else the header's commoner one."""
    header = text.split("\n", 1)[0]
    try:
        found = csv.Sniffer().sniff(text[:SNIFF_CHARS], delimiters=";,").delimiter
    except csv.Error:
        found = ""
    if found not in (";", ",") or found not in header:
        found = ";" if header.count(";") >= header.count(",") else ","
    return found


def records(text: str, delimiter: str, first_line: int = 1) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of every non-blank record, counting physical lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = first_line - 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRejected(_l(
                "Line %(line)d is not valid CSV (%(reason)s). Check the quotation marks on that line.",
                line=end + 1, reason=str(exc)), code="import_malformed") from None
        start, end = end + 1, first_line - 1 + reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, end, cells


