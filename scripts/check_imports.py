"""The import rules import-linter cannot state (`make lint`, and a test):

* nothing in app/ imports the top of the app (`from app import create_app`; `app.factory` is
  forbidden by the contract in .importlinter);
* no import inside a function body, unless a comment on its line says why it must be late
  (`# late: <why>`)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"


def _imports(tree: ast.AST) -> list[tuple[ast.stmt, bool]]:
    """Every import with whether it sits inside a function."""
    found: list[tuple[ast.stmt, bool]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, in_function))
            walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    walk(tree, False)
    return found


def problems(root: Path = APP) -> list[str]:
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or (path.name == "__main__.py" and path.parent == APP):  # the top itself
            continue
        text = path.read_text()
        lines = text.splitlines()
        rel = path.relative_to(root.parent)
        for node, in_function in _imports(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module == "app" and not node.level and any(
                    not (APP / a.name).is_dir() and not (APP / f"{a.name}.py").is_file() for a in node.names):
                out.append(f"{rel}:{node.lineno}: imports the top of the app (app/__init__.py)")
            if isinstance(node, ast.Import) and any(a.name == "app" for a in node.names):
                out.append(f"{rel}:{node.lineno}: imports the top of the app (app/__init__.py)")
            if in_function:
                said = " ".join(lines[node.lineno - 1:node.end_lineno or node.lineno])
                if "# late:" not in said:
                    out.append(f"{rel}:{node.lineno}: import inside a function; move it to the top, "
                               "or say why it must be late with `# late: <why>`")
    return out


if __name__ == "__main__":
    found = problems()
    print("\n".join(found) or "imports: fine")
    sys.exit(1 if found else 0)
