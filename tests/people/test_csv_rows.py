"""Reading the rows of a participants file (app/people/csv_rows.py)."""

from app.people.csv_rows import parse_flag


def test_parse_flag():
    assert [parse_flag(v) for v in ("tak", "X", "1", "yes", "", "nie", "0", "No", "może")] == [
        True, True, True, True, False, False, False, False, None]
