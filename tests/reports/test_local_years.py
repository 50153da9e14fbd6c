"""Calendar years in Warsaw (app/reports/local_years.py): a year's bounds in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from app.reports.local_years import year_bounds, year_of


def test_a_year_starts_and_ends_at_midnight_in_warsaw() -> None:
    start, end = year_bounds(2026)
    assert (start, end) == (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), datetime(2026, 12, 31, 23, 0, tzinfo=UTC))
    assert year_of(start) == 2026 and year_of(end) == 2027
