"""Reading a participants spreadsheet saved as CSV, without touching the database.

bytes → text (UTF-8 or Windows-1250) → records with their physical line numbers → rows checked
with the same WTForms field rules as the registration forms. Every problem is collected with
its line number, so that the organiser can fix the whole file in one go.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.i18n import translations as wtforms_translations
from werkzeug.datastructures import MultiDict
from wtforms import Form

from app.core.output.spreadsheets import csv_row
from app.core.textkeys import search_key, tidy
from app.fairs.roles import Role, parse_role
from app.network.sectors import Sector, parse_sector
from app.people.csv_text import (
    MAX_BYTES,
    SEP_LINE,
    ImportRejected,
    Message,
    RowProblem,
    check_bytes,
    decode,
    records,
    sniff_delimiter,
)
from app.people.forms import NewOrganisationFields, PersonFields
from app.people.organisations import OrganisationData
from app.people.participants import PersonData

__all__ = ["MAX_BYTES", "ImportRejected", "Message", "RowProblem"]  # one place to import a file's parts from


@dataclass
class Row:
    line: int
    end_line: int
    person: PersonData
    organisation: OrganisationData


@dataclass(frozen=True)
class Column:
    key: str
    polish: str  # the header in our template
    english: str
    required: bool
    aliases: tuple[str, ...]  # header keys (see header_key) that also name this column


COLUMNS: tuple[Column, ...] = (
    Column("first_name", "imię", "first name", True, ("imiona", "firstname", "givenname")),
    Column("last_name", "nazwisko", "last name", True, ("surname", "familyname")),
    Column("email", "e-mail", "email", False, ("mail", "adresemail", "emailaddress")),
    Column("phone", "telefon", "phone", False,
           ("tel", "nrtelefonu", "numertelefonu", "telephone", "phonenumber", "komorka", "mobile")),
    Column("organisation", "organizacja", "organisation", True,
           ("organization", "nazwaorganizacji", "podmiot", "nazwapodmiotu", "instytucja",
            "organisationname", "organizationname")),
    Column("sector", "sektor", "sector", True, ()),
    Column("city", "miasto", "town", False, ("miejscowosc", "city")),
    Column("role", "rola", "role", False, ()),
    Column("show_email", "pokaż e-mail", "show email", False, ("pokazmail",)),
    Column("show_phone", "pokaż telefon", "show phone", False, ("pokaztel",)),
)

# One column holding the whole name; True when the surname comes first ("Nazwisko i imię").
FULL_NAME_HEADERS: dict[str, bool] = {
    "imieinazwisko": False, "imienazwisko": False, "name": False, "fullname": False,
    "nazwiskoiimie": True, "nazwiskoimie": True,
}


def header_key(value: str) -> str:
    """'Pokaż e-mail*' -> 'pokazemail': case, diacritics, spaces and punctuation ignored."""
    return re.sub(r"[^0-9a-z]", "", search_key(value))


_HEADERS: dict[str, str] = {}
for _col in COLUMNS:
    for _name in (_col.polish, _col.english, *_col.aliases):
        _HEADERS[header_key(_name)] = _col.key

_YES = frozenset({"tak", "t", "yes", "y", "1", "x", "true", "prawda", "✓", "✔"})
_NO = frozenset({"", "nie", "n", "no", "0", "false", "falsz", "-"})


def parse_flag(value: str) -> bool | None:
    """tak/nie, yes/no, 1/0, x (an empty cell is no); None when it is none of these."""
    key = search_key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


# --- header -------------------------------------------------------------------------------


@dataclass
class Header:
    index: dict[str, int]  # column key -> position
    names: dict[str, str]  # column key -> header as written
    ignored: list[str]
    width: int
    surname_first: bool = False


def _column_list(columns: list[Column]) -> str:
    return ", ".join(f"{c.polish} ({c.english})" for c in columns)


def read_header(cells: list[str]) -> Header:
    header = Header(index={}, names={}, ignored=[], width=len(cells))
    full_name: tuple[int, str, bool] | None = None
    for i, raw in enumerate(cells):
        name = tidy(raw)
        key = header_key(name)
        if not key:
            continue
        if key in FULL_NAME_HEADERS and full_name is None:
            full_name = (i, name, FULL_NAME_HEADERS[key])
            continue
        column = _HEADERS.get(key)
        if column is None:
            header.ignored.append(name)
        elif column in header.index:
            raise ImportRejected(_l(
                "The columns “%(first)s” and “%(second)s” hold the same thing. Keep only one of them.",
                first=header.names[column], second=name), code="import_duplicate_columns")
        else:
            header.index[column], header.names[column] = i, name
    if full_name is not None:
        i, name, surname_first = full_name
        if "first_name" in header.index or "last_name" in header.index:
            header.ignored.append(name)
        else:
            header.index["full_name"], header.names["first_name"], header.names["last_name"] = i, name, name
            header.surname_first = surname_first
    missing = [c for c in COLUMNS if c.required and c.key not in header.names]
    if missing:
        found = ", ".join(f"“{tidy(c)}”" for c in cells if tidy(c)) or "—"
        raise ImportRejected(_l(
            "Missing columns: %(missing)s. Columns found: %(found)s. The first line must name the "
            "columns, separated with “;” or “,”.", missing=_column_list(missing), found=found),
            code="import_missing_columns")
    return header


# --- rows ---------------------------------------------------------------------------------


class RowForm(PersonFields, NewOrganisationFields):
    """One row, validated with the registration forms' field rules (no CSRF: not a web form)."""

    class Meta:
        def get_translations(self, form: Form) -> object:
            return wtforms_translations


FORM_COLUMNS = {"organisation_name": "organisation"}


def _split_name(value: str, surname_first: bool) -> tuple[str, str]:
    parts = tidy(value).split(" ")
    if len(parts) < 2:
        return (value, "") if not surname_first else ("", value)
    if surname_first:
        return " ".join(parts[1:]), parts[0]
    return " ".join(parts[:-1]), parts[-1]


def _values(header: Header, cells: list[str]) -> dict[str, str]:
    def cell(i: int) -> str:
        return tidy(cells[i]) if i < len(cells) else ""

    values = {c.key: cell(header.index[c.key]) if c.key in header.index else "" for c in COLUMNS}
    if "full_name" in header.index:
        values["first_name"], values["last_name"] = _split_name(
            cell(header.index["full_name"]), header.surname_first)
    return values


def read_row(header: Header, delimiter: str, start: int, end: int,
             cells: list[str]) -> tuple[Row | None, list[RowProblem]]:
    """A valid row, or the reasons why it is not."""
    problems: list[RowProblem] = []

    def bad(column: str, code: str, message: Message) -> None:
        problems.append(RowProblem(start, code, message, header.names.get(column, ""), end))

    if any(c.strip() for c in cells[header.width:]):
        bad("", "extra_cells", _l(
            "This line has more cells than the first line has columns. A value containing "
            "“%(sep)s” probably needs quotation marks.", sep=delimiter))
        return None, problems
    values = _values(header, cells)
    sector = parse_sector(values["sector"])
    role = parse_role(values["role"]) if values["role"] else Role.PARTICIPANT
    flags = {key: parse_flag(values[key]) for key in ("show_email", "show_phone")}

    form = RowForm(MultiDict([
        ("first_name", values["first_name"]), ("last_name", values["last_name"]),
        ("email", values["email"]), ("phone", values["phone"]),
        ("organisation_name", values["organisation"]), ("city", values["city"]),
        ("sector", sector.value if sector else ""),
        *((key, "y") for key, flag in flags.items() if flag),
    ]))
    form.validate()
    for name, errors in form.errors.items():
        if name == "sector":  # reported below, with the value that was not understood
            continue
        column = FORM_COLUMNS.get(name, name)
        code = f"invalid_{column}" if values.get(column) else f"missing_{column}"
        if code in ("missing_first_name", "missing_last_name") and "full_name" in header.index:
            if not any(p.code.startswith("missing_") for p in problems):  # one message for both
                bad(column, code, _l("Write the first name and the last name."))
            continue
        for error in errors:
            bad(column, code, error)
    if not values["sector"]:
        bad("sector", "missing_sector", _l("Give the sector, e.g. NGO, business or resident."))
    elif sector is None:
        bad("sector", "unknown_sector", _l(
            "Unknown sector “%(value)s”. Use one of: %(choices)s.", value=values["sector"],
            choices=LazyString(lambda: ", ".join(str(s.label) for s in Sector))))
    if role is None:
        bad("role", "unknown_role", _l("Unknown role “%(value)s”. Use participant or notary.",
                                       value=values["role"]))
    elif role == Role.ORGANISER:
        bad("role", "role_not_allowed", _l(
            "Organisers cannot be imported. Import them as participants or notaries and change "
            "their role on the participants page."))
    for key, flag in flags.items():
        if flag is None:
            bad(key, "invalid_flag", _l("Write yes or no (tak or nie) instead of “%(value)s”.",
                                        value=values[key]))
    if problems or sector is None or role is None:
        return None, problems
    return Row(start, end, form.person(role), form.organisation()), []


# --- the whole file -----------------------------------------------------------------------


@dataclass
class ParsedFile:
    encoding: str
    delimiter: str
    header: Header
    rows: list[Row]
    problems: list[RowProblem]

    @property
    def total(self) -> int:
        """Data records in the file, valid or not."""
        return len(self.rows) + len({p.line for p in self.problems})


def read_file(data: bytes, max_bytes: int = MAX_BYTES) -> ParsedFile:
    """Every row of the file checked on its own (duplicates are the caller's business)."""
    check_bytes(data, max_bytes)
    text, encoding = decode(data)
    first_line, delimiter = 1, ""
    sep = SEP_LINE.match(text)
    if sep:
        first_line, delimiter, text = 2, sep.group(1), text[sep.end():]
    delimiter = delimiter or sniff_delimiter(text)
    found = records(text, delimiter, first_line)
    first = next(found, None)
    if first is None:
        raise ImportRejected(_l("The file is empty."), code="import_empty")
    header = read_header(first[2])
    parsed = ParsedFile(encoding, delimiter, header, rows=[], problems=[])
    for start, end, cells in found:
        row, problems = read_row(header, delimiter, start, end, cells)
        if row is not None:
            parsed.rows.append(row)
        parsed.problems.extend(problems)
    if not parsed.rows and not parsed.problems:
        raise ImportRejected(_l("The file names the columns but holds no participants."),
                             code="import_no_rows")
    return parsed


def template_csv() -> bytes:
    """An empty file to fill in: UTF-8 with BOM (so Excel reads the Polish letters), ';'."""
    return codecs.BOM_UTF8 + csv_row([c.polish for c in COLUMNS]).encode("utf-8")
