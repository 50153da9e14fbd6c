"""Calendar years where the network is (Warsaw), in SQL and in Python, so that a figure counted
by year in the database and a date shown on the page fall into the same year.

PostgreSQL converts a moment to Warsaw time itself. SQLite keeps UTC text and has no time zones:
a moment's Warsaw year is the UTC year of the moment plus Warsaw's offset in January. That is
exact: a year changes at midnight on 1 January, when Warsaw is on winter time, and the summer
hour (one hour more, from March to October) is far from any new year.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, extract, func

from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.fairs.models import Fair

EARLIEST, LATEST = 1990, 2200  # a year asked for outside these is no year of the network


def _january_offset_hours() -> int:
    offset = LOCAL_ZONE.utcoffset(datetime(2000, 1, 1))
    return int(offset.total_seconds() // 3600) if offset is not None else 0


def local_year(moment: Any) -> ColumnElement[int]:
    """The calendar year in Warsaw of a UTC moment column, as an integer."""
    if db.engine.dialect.name == "postgresql":
        return cast(extract("year", func.timezone(LOCAL_ZONE.key, moment)), Integer)
    return cast(func.strftime("%Y", moment, f"{_january_offset_hours():+d} hours"), Integer)


def fair_year() -> ColumnElement[int]:
    """A fair's year: that of its start, else of its creation."""
    return local_year(func.coalesce(Fair.starts_at, Fair.created_at))


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first moment of the year in Warsaw and of the next, in UTC: [start, end)."""
    return (datetime(year, 1, 1, tzinfo=LOCAL_ZONE).astimezone(UTC),
            datetime(year + 1, 1, 1, tzinfo=LOCAL_ZONE).astimezone(UTC))


def year_of(moment: datetime) -> int:
    """The calendar year in Warsaw of a moment."""
    return moment.astimezone(LOCAL_ZONE).year


def parse_year(value: Any) -> int | None:
    """A year from a query string ("2026"); None for anything else (blank, words, 20260, -1)."""
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if EARLIEST <= year <= LATEST else None
