"""The tests mirror the app: `tests/<area>/` for each `app/<area>/`, one test module named after the
module it tests (`app/<area>/<module>.py` → `tests/<area>/test_<module>.py`, a view module
`app/<area>/views/<x>.py` → `tests/<area>/test_views_<x>.py`), optionally followed by an aspect
(`test_pdf_layout.py`, `test_posting_concurrency.py`), and every module with `@service` functions has
its own test module. No catch-all: a `test_views.py` names a module only where the area has a
`views.py`. At the root: tests of the top (`app/main.py` → `tests/test_main.py`) and a few modules
that test the whole app."""

from __future__ import annotations

import ast
from pathlib import Path

from app.core.paths import ROOT

# Whole-app test modules at tests/ root, and test folders that are no area of the app.
WHOLE_APP = {"test_authorization_matrix.py", "test_malformed_requests.py", "test_smoke.py", "test_layout.py",
             "test_imports.py",  # the import rules (scripts/check_imports.py) over the whole app
             "test_query_counts.py"}  # every page at two sizes of a fair
TOOLS = {"test_load.py"}  # the load harness (load/, `make load`), which drives the whole app
NOT_AREAS = {"browser", "deploy",  # end-to-end flows in a real browser; the deployment (deploy/)
             "data"}  # labelled data the tests read (tests/data/matching_pl.jsonl), no tests


def _is_service(decorator: ast.expr) -> bool:
    return (isinstance(decorator, ast.Name) and decorator.id == "service") or (
        isinstance(decorator, ast.Attribute) and decorator.attr == "service")


def service_modules(app: Path) -> list[Path]:
    """Modules under `app` with a function decorated with `@service`."""
    found = []
    for path in sorted(app.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(map(_is_service, node.decorator_list))
               for node in ast.walk(tree)):
            found.append(path)
    return found


def module_names(folder: Path) -> set[str]:
    """The modules of an area (or of the top), as a test module names them: `views/admin.py` is
    `views_admin`; a package's `__init__.py` names nothing (no catch-all over its modules)."""
    return {"_".join(path.relative_to(folder).with_suffix("").parts)
            for path in folder.rglob("*.py") if path.name != "__init__.py" and "migrations" not in path.parts}


def expected_test_module(app: Path, tests: Path, module: Path) -> Path:
    relative = module.relative_to(app)
    if len(relative.parts) == 1:  # the top: app/main.py -> tests/test_main.py
        return tests / f"test_{relative.stem}.py"
    return tests / relative.parts[0] / f"test_{'_'.join(relative.with_suffix('').parts[1:])}.py"


def missing_service_tests(app: Path, tests: Path) -> list[str]:
    return [f"{module.relative_to(app.parent)} has no {expected.relative_to(tests.parent)}"
            for module in service_modules(app)
            if not (expected := expected_test_module(app, tests, module)).exists()]


def folders_without_area(app: Path, tests: Path) -> list[str]:
    return [f"{folder.relative_to(tests.parent)} has no app/{folder.name}/"
            for folder in sorted(p for p in tests.iterdir() if p.is_dir() and p.name != "__pycache__")
            if folder.name not in NOT_AREAS and not (app / folder.name / "__init__.py").exists()]


def _names_a_module(name: str, modules: set[str]) -> bool:
    return any(name == module or name.startswith(module + "_") for module in modules)


def misnamed_test_modules(app: Path, tests: Path) -> list[str]:
    """Test modules whose name names no module of their area (or of the top, at the root)."""
    wrong = []
    top = {path.stem for path in app.glob("*.py") if path.name != "__init__.py"}
    for path in sorted(tests.rglob("test_*.py")):
        relative = path.relative_to(tests)
        name = path.stem.removeprefix("test_")
        if relative.parts[0] in NOT_AREAS:
            continue
        if len(relative.parts) == 1:
            ok = path.name in WHOLE_APP | TOOLS or _names_a_module(name, top)
        elif len(relative.parts) == 2 and (app / relative.parts[0]).is_dir():
            ok = _names_a_module(name, module_names(app / relative.parts[0]))
        else:
            ok = False  # a deeper folder, or an area that does not exist (reported above)
        if not ok:
            wrong.append(str(path.relative_to(tests.parent)))
    return wrong


# --- the app and its tests --------------------------------------------------------------------

APP, TESTS = ROOT / "app", ROOT / "tests"


def test_every_service_module_has_its_own_test_module() -> None:
    assert service_modules(APP), "the scan finds the service modules"
    assert missing_service_tests(APP, TESTS) == []


def test_every_test_folder_is_an_area_of_the_app() -> None:
    assert folders_without_area(APP, TESTS) == []


def test_every_test_module_is_named_after_a_module_of_its_area() -> None:
    assert misnamed_test_modules(APP, TESTS) == [], (
        "name it test_<module>.py (or test_<module>_<aspect>.py) after the module of app/<area>/ it tests; "
        "views/<x>.py is views_<x>")


# --- the rules catch what they are for ----------------------------------------------------------

def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_the_rules_catch_a_missing_test_module_a_stray_folder_and_catch_alls(tmp_path: Path) -> None:
    service = "from app.core.storage.transactions import service\n\n@service\ndef do() -> None:\n    pass\n"
    _write(tmp_path, {
        "app/__init__.py": "", "app/main.py": "", "app/people/__init__.py": "",
        "app/people/staff.py": service,  # tested
        "app/people/credentials.py": service,  # not tested
        "app/people/forms.py": "SERVICE = '@service'\n",  # the word alone makes no service module
        "app/people/views/__init__.py": "", "app/people/views/admin.py": "", "app/people/views/login.py": "",
        "app/ledger/__init__.py": "", "app/ledger/views.py": "",
        "tests/test_main.py": "", "tests/test_smoke.py": "", "tests/test_everything.py": "",
        "tests/people/test_staff.py": "", "tests/people/test_staff_invitations.py": "",
        "tests/people/test_views_admin.py": "", "tests/people/test_views.py": "",
        "tests/people/test_routes.py": "", "tests/people/views/test_login.py": "",
        "tests/ledger/test_views.py": "", "tests/fair/test_views.py": "", "tests/browser/test_flow.py": "",
    })
    app, tests = tmp_path / "app", tmp_path / "tests"
    assert [p.name for p in service_modules(app)] == ["credentials.py", "staff.py"]
    assert missing_service_tests(app, tests) == ["app/people/credentials.py has no tests/people/test_credentials.py"]
    assert folders_without_area(app, tests) == ["tests/fair has no app/fair/"]
    assert misnamed_test_modules(app, tests) == [
        "tests/fair/test_views.py", "tests/people/test_routes.py", "tests/people/test_views.py",
        "tests/people/views/test_login.py", "tests/test_everything.py"]
