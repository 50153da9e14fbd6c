"""Declarative base, naming convention, and the one-transaction-per-service helper."""

from __future__ import annotations

import contextvars
import enum
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(cls: type[enum.Enum], *, name: str | None = None, length: int = 32) -> Enum:
    """A Python enum stored as its string values in a VARCHAR with a CHECK constraint (portable
    between SQLite and PostgreSQL; adding a value is a small migration, not an ALTER TYPE)."""
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e],
                validate_strings=True, create_constraint=True, name=name or cls.__name__.lower())


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


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
    from app.core.extensions import db

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
                from app.core.audit import audit_entry
                from app.core.extensions import db

                db.session.add(audit_entry(fn, args, kwargs, result))
            return result

    return wrapper
