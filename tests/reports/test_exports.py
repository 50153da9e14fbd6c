"""Exports of a fair (app/reports/exports.py) read back: CSV (as Excel in Poland reads it), XLSX
(openpyxl), JSON; no secrets in any of them."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.agreements.models import Agreement
from app.core.extensions import db
from app.door.checkin import check_in
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.models import Participant
from app.reports.exports import TABLES, export_file
from tests.agreements.conftest import _no_task_left_running, make_signed_agreement  # noqa: F401  (fixtures)
from tests.reports import exports_fair
from tests.reports.exports_fair import FORMULA_TITLE, Scripted, get, read_csv

scripted, as_organiser = exports_fair.scripted, exports_fair.as_organiser  # fixtures

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


def test_export_file_names(app: Flask, fair: Fair) -> None:
    assert export_file(fair, "csv", "check_ins").filename == "tczew-check-ins.csv"
    assert export_file(fair, "xlsx").filename == "tczew-fair.xlsx"
    assert export_file(fair, "json").filename == "tczew-fair.json"
    with pytest.raises(ValueError):
        export_file(fair, "pdf")
