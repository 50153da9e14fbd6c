"""Giełda: a live resource exchange fair and the points ledger it feeds.

`create_app` (app/factory.py) builds the app. It is imported only when asked for: `python -m app`
imports this package, then starts again under gevent (app/core/serving.py), and importing every
area before that cost each start seconds for nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.factory import create_app as create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from app.factory import create_app  # late: see the module's docstring

        return create_app
    raise AttributeError(f"module 'app' has no attribute {name!r}")
