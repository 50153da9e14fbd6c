"""The funder's report as a workbook (app/reports/funder_xlsx.py), read back with openpyxl: a sheet
per section, headers in Polish, numbers as numbers, złoty as whole numbers with "zł", compared
with the scripted fair and network (tests/reports/funder_fair.py)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.core.output.spreadsheets import XLSX_SHARE, XLSX_ZLOTY, XLSX_ZLOTY_GROSZE
from app.reports.funder_report import fair_report, network_report
from app.reports.funder_xlsx import funder_xlsx
from tests.reports import funder_fair as world
from tests.reports.funder_fair import NOT_QUOTED, NOW, QUOTED, FunderFair, FunderNetwork

make_signed_agreement, funder_fair, funder_network = (world.make_signed_agreement, world.funder_fair,  # fixtures
                                                       world.funder_network)

SHEETS = ["Raport", "Uczestnicy", "Umowy", "Realizacja", "Wartość wg kategorii", "Wartość wg sektorów", "Stawki",
          "Między sektorami", "Partnerstwa", "Stali partnerzy", "Oceny", "Opinie"]


def rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def by_label(sheet: Worksheet) -> dict[str, Any]:
    return {row[0]: row[1] for row in rows(sheet)[1:]}


def test_the_fairs_workbook_reads_back(app: Any, funder_fair: FunderFair) -> None:
    with app.test_request_context():
        data = funder_xlsx(fair_report(funder_fair.fair, NOW))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == SHEETS

    about = rows(book["Raport"])
    assert about[0] == ["Temat", "Opis"] and about[1] == ["Raport dla grantodawcy", "Giełda Zasobów Tczew"]
    assert about[3][0] == "Stan na" and isinstance(about[3][1], datetime)
    assert [r[0] for r in about[4:]] == [
        "1. Uczestnicy i organizacje według sektorów", "2. Umowy, zobowiązania i punkty", "3. Realizacja w czasie",
        "4. Wartość społeczna zadeklarowana i zrealizowana", "5. Wymiany między sektorami", "6. Partnerstwa",
        "7. Stali partnerzy", "8. Oceny i opinie"]
    assert all(r[1].endswith(".") for r in about[4:])

    people = rows(book["Uczestnicy"])
    assert people[0] == ["Sektor", "Osoby", "Organizacje"]
    assert people[1] == ["Organizacja pozarządowa", 2, 2] and people[-1] == ["Razem", 6, 6]

    agreements = by_label(book["Umowy"])
    assert {k: agreements[k] for k in ("Umowy", "Umowy wykonane", "Zobowiązania", "Potwierdzone zobowiązania",
                                       "Zadeklarowane punkty", "Potwierdzone punkty", "Zobowiązania bez wyceny",
                                       "Umowy międzysektorowe", "Pary stałych partnerów")} == {
        "Umowy": 4, "Umowy wykonane": 1, "Zobowiązania": 6, "Potwierdzone zobowiązania": 3, "Zadeklarowane punkty": 215,
        "Potwierdzone punkty": 60, "Zobowiązania bez wyceny": 1, "Umowy międzysektorowe": 4,
        "Pary stałych partnerów": 1}
    assert (agreements["Zadeklarowana wartość społeczna"], agreements["Zrealizowana wartość społeczna"]) == (1336, 550)
    cells = {row[0].value: row[1] for row in book["Umowy"].iter_rows(min_row=2)}
    assert cells["Zadeklarowana wartość społeczna"].number_format == XLSX_ZLOTY
    assert (cells["Wskaźnik realizacji"].value, cells["Wskaźnik realizacji"].number_format) == (0.5, XLSX_SHARE)
    assert cells["Umowy"].number_format == "General" and isinstance(cells["Umowy"].value, int)

    weeks = rows(book["Realizacja"])
    assert weeks[0] == ["Tydzień", "Do dnia", "Zobowiązania", "Potwierdzone zobowiązania", "Część potwierdzona"]
    assert [(r[0], r[1].date().isoformat(), r[2], r[3]) for r in weeks[1:]] == [
        ("tydzień 0", "2026-03-20", 6, 1), ("tydzień 1", "2026-03-27", 6, 2), ("tydzień 2", "2026-04-03", 6, 3),
        ("tydzień 3", "2026-04-10", 6, 3)]

    categories = book["Wartość wg kategorii"]
    assert rows(categories) == [
        ["Kategoria", "Zadeklarowana", "Zrealizowana"], ["Sale i pomieszczenia", 150, 150],
        ["Wolontariusze i czas", 286, 0], ["Catering", 600, 400], ["Szkolenia", 300, 0], ["Bez kategorii", 0, 0],
        ["Razem", 1336, 550]]
    assert {c.number_format for row in categories.iter_rows(min_row=2, min_col=2) for c in row} == {XLSX_ZLOTY}
    sectors = by_label(book["Wartość wg sektorów"])
    assert (sectors["Organizacja pozarządowa"], sectors["Firma"], sectors["Razem"]) == (550, 200, 1336)

    rates = book["Stawki"]
    assert rows(rates)[1] == ["Pomoc podstawowa, za godzinę", 28.61] and rates["B2"].number_format == XLSX_ZLOTY_GROSZE

    matrix = rows(book["Między sektorami"])
    assert matrix[0][:3] == ["Sektor", "Organizacja pozarządowa", "Instytucja publiczna"]
    assert matrix[1] == ["Organizacja pozarządowa", 0, 1, 0, 2, 0, 0]

    partnerships = by_label(book["Partnerstwa"])
    assert (partnerships["Partnerstwa"], partnerships["2–3 członków"], partnerships["łączące trzy sektory lub więcej"],
            partnerships["Organizacja pozarządowa + Instytucja publiczna + Spółdzielnia socjalna"]) == (1, 1, 1, 1)
    assert rows(book["Stali partnerzy"]) == [
        ["Członek", "Sektor", "Partner", "Sektor partnera", "Giełdy", "Umowy"],
        ["Fundacja Źdźbło", "Organizacja pozarządowa", "Spółdzielnia Łąka", "Spółdzielnia socjalna", 1, 2]]

    assert rows(book["Oceny"]) == [["Ocena", "Liczba"], ["5 gwiazdek", 1], ["4 gwiazdki", 1], ["3 gwiazdki", 1],
                                   ["2 gwiazdki", 0], ["1 gwiazdka", 0], ["Wystawione oceny", 3], ["Średnia ocena", 4]]
    quotes = rows(book["Opinie"])
    assert quotes[0][:3] == ["Opinia", "Autor(ka)", "Sektor autora"] and len(quotes) == 2
    assert quotes[1][:6] == [QUOTED, "Spółdzielnia Łąka", "Spółdzielnia socjalna", "Sala", "Fundacja Źdźbło",
                             "Organizacja pozarządowa"]
    assert quotes[1][6].date().isoformat() == "2026-03-15" and quotes[1][7] == 5 and quotes[1][8]
    assert NOT_QUOTED not in repr([rows(book[name]) for name in book.sheetnames])


def test_the_networks_workbook_of_a_year(app: Any, funder_network: FunderNetwork) -> None:
    with app.test_request_context():
        book = load_workbook(io.BytesIO(funder_xlsx(network_report(2025, NOW))))
    about = by_label(book["Raport"])
    assert about["Raport dla grantodawcy"] and about["Okres"] == "2025"
    agreements = by_label(book["Umowy"])
    assert (agreements["Zorganizowane giełdy"], agreements["Umowy"], agreements["Zadeklarowana wartość społeczna"],
            agreements["Pary stałych partnerów"]) == (1, 1, 280, 0)
    assert rows(book["Uczestnicy"])[0] == ["Sektor", "Osoby", "Członkowie"]
    months = rows(book["Realizacja"])
    assert months[0][0] == "Miesiąc" and months[1][0] == "cze 2025" and months[2][2:4] == [1, 1]
    assert len(rows(book["Stali partnerzy"])) == 1  # the headers only
