"""An app to print with, shared by a whole test module: PDFs are rendered from plain values, so
the layout tests need templates, translations and fonts, never a database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from tests.conftest import build_app


@contextmanager
def printing_app(folder: Path) -> Iterator[Flask]:
    """The app in the test configuration over an empty in-memory database, its context pushed."""
    app = build_app("sqlite://", folder)
    with app.app_context():
        yield app
