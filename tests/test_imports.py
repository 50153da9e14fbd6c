"""The import rules beside import-linter's contract (scripts/check_imports.py), also run by `make lint`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _checker():  # the script is not a package module: load it from its file
    spec = importlib.util.spec_from_file_location("check_imports", ROOT / "scripts" / "check_imports.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_app_has_no_late_import_without_a_reason_and_never_imports_its_top():
    assert _checker().problems() == []


def test_the_checker_finds_a_late_import_and_an_import_of_the_top(tmp_path):
    area = tmp_path / "area"
    area.mkdir()
    (area / "mod.py").write_text("from app import create_app\n\n\ndef f():\n    import json\n"
                                 "    import csv  # late: a reason\n    return json, csv\n")
    found = _checker().problems(tmp_path)
    assert len(found) == 2
    assert "imports the top of the app" in found[0] and "mod.py:1" in found[0]
    assert "import inside a function" in found[1] and "mod.py:5" in found[1]
