"""Transactions: one service call is one audited transaction; on SQLite writers take the lock first."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine

from app.core.extensions import db
from app.core.storage.audit import audit_entry, write_entry
from app.core.storage.db import Base

# --- SQLite: WAL, foreign keys, and BEGIN IMMEDIATE for service transactions -----------------

_write_transaction: contextvars.ContextVar[bool] = contextvars.ContextVar("write_tx", default=False)
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("service_depth", default=0)


def configure_sqlite(engine: Engine) -> None:
    """Take over SQLite's transaction handling so that writers start with BEGIN IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_transaction.get() else "BEGIN")


P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def transaction() -> Iterator[None]:
    """One service call = one transaction. Nested calls join the outer one."""
    if _depth.get():
        token = _depth.set(_depth.get() + 1)
        try:
            yield
        finally:
            _depth.reset(token)
        return
    session = db.session
    # End any read transaction a view may have opened, so that ours starts fresh (and, on
    # SQLite, takes the write lock up front).
    session.rollback()
    depth_token = _depth.set(1)
    write_token = _write_transaction.set(True)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _write_transaction.reset(write_token)
        _depth.reset(depth_token)


def service(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run a public service function in its own transaction, and record who did
    what in the audit log (outermost calls only) inside that same transaction."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        outermost = _depth.get() == 0
        with transaction():
            result = fn(*args, **kwargs)
            if outermost:
                if isinstance(result, Base) and inspect(result).pending:
                    db.session.flush()  # its id names it in the log (a flush the commit would do)
                write_entry(audit_entry(fn, args, kwargs, result))
            return result

    return wrapper
