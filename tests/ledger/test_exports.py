"""Exports in the documented interchange format, from the services and from the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest

from app.ledger.exports import BALANCE_COLUMNS, ENTRY_COLUMNS, iter_balances_csv, iter_entries_csv, ledger_document
from app.ledger.hooks import on_obligation_fulfilled
from app.ledger.operations import reverse_entry, transfer_points


@pytest.fixture
def booked(make_account, operator, fair, make_organisation):
    a, b = make_account("Fundacja „Żółw”, Tczew"), make_account("Klub Ósemka")
    first = transfer_points(operator, a.id, b.id, 30, "Sala; projektor, \"nagłośnienie\"", "k1")
    reverse_entry(operator, first.id, "Pomyłka")
    giver, receiver = make_organisation(), make_organisation()
    on_obligation_fulfilled(17, giver.id, receiver.id, 12, fair.id, None)
    return a, b, first


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


def test_json_document_holds_accounts_and_balanced_entries(booked):
    document = ledger_document()
    assert (document["format"], document["version"], document["unit"]) == ("gielda-ledger", 1, "points")
    assert len(document["entries"]) == 3
    refs = {a["ref"] for a in document["accounts"]}
    for entry in document["entries"]:
        assert sum(p["points"] for p in entry["postings"]) == 0
        assert {p["account"] for p in entry["postings"]} <= refs


def test_cli_exports_json(booked, runner):
    result = runner.invoke(args=["ledger", "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["format"] == "gielda-ledger"


def test_cli_exports_entries_csv(booked, runner):
    result = runner.invoke(args=["ledger", "export", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == ",".join(ENTRY_COLUMNS)


def test_cli_exports_balances_csv_to_a_file(booked, runner, tmp_path):
    target = tmp_path / "balances.csv"
    result = runner.invoke(args=["ledger", "export", "--format", "csv", "--what", "balances", "-o", str(target)])
    assert result.exit_code == 0
    assert "Klub Ósemka" in target.read_text(encoding="utf-8")
