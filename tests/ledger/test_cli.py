"""The `flask ledger` commands (app/ledger/cli.py): verify, export, import-openings, coordinator."""

from __future__ import annotations

import json

from app.ledger.accounts import find_organisation_account
from app.ledger.exports import ENTRY_COLUMNS


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


def test_cli_imports_opening_balances(orgs, runner, fair, tmp_path, balance_of):
    path = tmp_path / "salda.csv"
    path.write_bytes("organizacja;punkty\nStowarzyszenie Łąka;44\n".encode("cp1250"))
    result = runner.invoke(args=["ledger", "import-openings", str(path), "--fair", fair.slug])
    assert result.exit_code == 0, result.output
    assert "Imported 1 opening balance(s)" in result.output
    assert balance_of(find_organisation_account(orgs[1].id)) == 44


def test_cli_import_reports_errors_by_line(orgs, runner, fair, tmp_path):
    path = tmp_path / "salda.csv"
    path.write_bytes(b"organizacja;punkty\nNieznana;44\n")
    result = runner.invoke(args=["ledger", "import-openings", str(path), "--fair", fair.slug])
    assert result.exit_code == 1
    assert "line 2:" in result.output and "[import_unknown_organisation]" in result.output


def test_verify_command_succeeds_on_a_clean_ledger(entry, runner):
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 0, result.output
    assert "Ledger OK: 1 entries, 2 postings" in result.output


def test_verify_command_fails_naming_the_offending_ids(entry, pair, runner, corrupt):
    a, _b = pair
    corrupt("UPDATE ledger_accounts SET balance = 1 WHERE id = :id", id=a.id)
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1
    assert f"FAIL balance_mismatch: cached balance differs from the sum of postings — account {a.id}" \
        in result.output


def test_coordinators_are_granted_from_the_command_line_only(runner, organiser, fair):
    from app.ledger.coordinators import network_coordinators

    result = runner.invoke(args=["ledger", "coordinator", "add", "--fair", fair.slug, "--email", organiser.email])
    assert result.exit_code == 0, result.output
    [coordinator] = network_coordinators()
    assert (coordinator.person_id, coordinator.fair.is_network) == (organiser.person_id, True)
    listed = runner.invoke(args=["ledger", "coordinator", "list"])
    assert organiser.email in listed.output
    runner.invoke(args=["ledger", "coordinator", "remove", "--fair", fair.slug, "--email", organiser.email])
    assert network_coordinators() == []
