"""`flask fair export` (app/reports/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask
from openpyxl import load_workbook

from app.reports.exports import TABLES
from tests.agreements.conftest import _no_task_left_running, make_signed_agreement  # noqa: F401  (fixtures)
from tests.reports import exports_fair
from tests.reports.exports_fair import Scripted, read_csv

scripted = exports_fair.scripted  # fixtures


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
