"""One CSV writer for the whole app (app/core/output/spreadsheets.py): nothing else in app/ writes CSV, and
every CSV the app serves is a download whose neutralisation a test checks."""

from __future__ import annotations

import ast
import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask

from app.core.i18n import LOCAL_ZONE
from app.core.output.spreadsheets import (
    FORMULA_PREFIXES,
    Sheet,
    _cell_xml,
    _sheet_xml,
    csv_cell,
    csv_row,
    csv_rows,
    neutralise,
    sheet_title,
    xlsx_cell,
)
from app.core.paths import ROOT

WRITER = ROOT / "app" / "core" / "output" / "spreadsheets.py"
CSV_WRITERS = {"writer", "DictWriter"}

# Every CSV download, and the test that proves a hostile memo or name comes out neutralised.
FAIR_TABLES = "tests/reports/test_exports.py::test_every_table_neutralises_typed_text_that_starts_like_a_formula"
LEDGER = "tests/ledger/test_views.py::test_every_ledger_csv_download_neutralises_typed_text"
TEMPLATE = "tests/core/test_output_spreadsheets.py::test_the_import_template_goes_through_the_one_writer"
CSV_ROUTES = {
    "/f/<slug>/admin/exports/<table>.csv": FAIR_TABLES,
    "/f/<slug>/admin/points/export/entries.csv": LEDGER,
    "/f/<slug>/admin/points/export/balances.csv": LEDGER,
    "/f/<slug>/points/accounts/<account_id>/statement.csv": LEDGER,
    "/f/<slug>/admin/import/template.csv": TEMPLATE,
    "/network/members.csv": "tests/directory/test_views.py::test_the_csv_neutralises_a_formula_and_keeps_the_filters",
    "/f/<slug>/admin/network/results/fairs.csv":
        "tests/reports/test_views_network_results.py::"
        "test_the_per_fair_csv_neutralises_a_fair_name_that_starts_like_a_formula",
}


def _csv_writer_uses(path: Path, root: Path = ROOT) -> list[str]:
    """Where a module uses csv.writer / csv.DictWriter (however imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    csv_names = {"csv"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            csv_names |= {alias.asname or alias.name for alias in node.names if alias.name == "csv"}
        elif isinstance(node, ast.ImportFrom) and node.module == "csv":
            found += [f"{path.relative_to(root)}:{node.lineno} from csv import {a.name}"
                      for a in node.names if a.name in CSV_WRITERS or a.name == "*"]
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in CSV_WRITERS and isinstance(node.value, ast.Name)
                and node.value.id in csv_names):
            found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_nothing_in_the_app_writes_csv_but_the_one_writer() -> None:
    offenders = [use for path in sorted((ROOT / "app").rglob("*.py")) if path != WRITER
                 for use in _csv_writer_uses(path)]
    assert offenders == [], "write CSV with app.core.output.spreadsheets.csv_row (it neutralises formulas)"
    assert _csv_writer_uses(WRITER), "the one writer itself uses csv.writer"  # the scan does find uses


def test_the_scan_finds_every_way_of_reaching_the_csv_writer(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import csv as c\nfrom csv import DictWriter\nw = c.writer(None)\nimport io\n")
    assert len(_csv_writer_uses(sample, tmp_path)) == 2


def test_every_csv_download_is_known_and_tested(app: Flask) -> None:
    served = {re.sub(r"<(?:[^<>]*:)?([^<>:]*)>", r"<\1>", rule.rule)  # no converters
              for rule in app.url_map.iter_rules() if ".csv" in rule.rule}
    assert served == set(CSV_ROUTES), "a new CSV download needs a neutralisation test listed here"
    for test in set(CSV_ROUTES.values()):
        path, name = test.split("::")
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), test


def test_the_import_template_goes_through_the_one_writer(client, fair, organiser, login) -> None:
    login(organiser)
    r = client.get(f"/f/{fair.slug}/admin/import/template.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    from app.people.csv_rows import COLUMNS

    assert r.data == b"\xef\xbb\xbf" + csv_row([c.polish for c in COLUMNS]).encode("utf-8")
    assert not any(c.polish.startswith(FORMULA_PREFIXES) for c in COLUMNS)


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+48 600", "'+48 600"), ("-2", "'-2"), ("@A1", "'@A1"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Łódź", "Łódź"), (" =x", " =x"), (-30, "-30"), (2.5, "2.5"), (None, ""),
])
def test_text_is_neutralised_and_numbers_stay_numbers(value: object, cell: str) -> None:
    line = csv_row([value], ",")
    assert next(csv.reader(io.StringIO(line))) == [cell]
    assert line.endswith("\r\n")


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
    assert csv_cell(datetime(2027, 3, 14, 9, 5, tzinfo=UTC)) == "2027-03-14 10:05"  # Polish time (CET)


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_title("Umowy: 2027/03?", taken) == "Umowy- 2027-03-"
    long = "x" * 40
    assert sheet_title(long, taken) == "x" * 31
    assert sheet_title(long, taken) == "x" * 27 + " (2)"


# Cells of every kind, the awkward ones included: formulas, quotes, separators, line breaks,
# characters XML forbids, markup, an over-long text, empty text, booleans, dates, moments.
AWKWARD_ROW = ["=1+1", "+48 600", 'say "hi"; ok', "a\nb", "a\r\nb", "ctl\x01x", "<b>&amp;</b>", "x" * 40000, "",
               "Łódź", True, False, -30, 2.5, None, date(2027, 3, 14), datetime(2027, 3, 14, 9, 5, tzinfo=UTC)]


def test_csv_rows_writes_the_lines_csv_row_writes() -> None:
    rows = [AWKWARD_ROW, list(reversed(AWKWARD_ROW)), []]
    assert csv_rows(rows, ";", "tak", "nie") == "".join(csv_row(row, ";", "tak", "nie") for row in rows)


def test_worksheet_cells_are_the_cell_writers_cells() -> None:
    xml = _sheet_xml(Sheet("t", [f"h{i}" for i in range(len(AWKWARD_ROW))], [AWKWARD_ROW]), LOCAL_ZONE).decode()
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for i, value in enumerate(AWKWARD_ROW):
        if value is not None:
            assert _cell_xml(f"{letters[i]}2", xlsx_cell(value)) in xml, value
