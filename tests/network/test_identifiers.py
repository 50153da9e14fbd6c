"""Polish registers' numbers (app/network/identifiers.py)."""

import pytest

from app.network.identifiers import identifier_problem, valid_krs, valid_nip, valid_regon


@pytest.mark.parametrize(("value", "ok"), [
    ("5260250274", True),  # a real NIP (Ministry of Finance)
    ("526-025-02-74", True), ("PL 526 025 02 74", True),
    ("5260250275", False), ("526025027", False), ("", False),
])
def test_nip(value: str, ok: bool) -> None:
    assert valid_nip(value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("000331501", True),  # GUS's own REGON
    ("000331502", False), ("00033150100000", True), ("00033150100001", False), ("12345", False),
])
def test_regon(value: str, ok: bool) -> None:
    assert valid_regon(value) is ok


def test_krs_has_ten_digits() -> None:
    assert valid_krs("0000123456") and not valid_krs("123456")


def test_problems_are_named_and_empty_is_fine(app: object) -> None:
    assert identifier_problem("nip", "") is None and identifier_problem("nip", "5260250274") is None
    assert "NIP" in str(identifier_problem("nip", "123"))
    assert "REGON" in str(identifier_problem("regon", "123"))
    assert "KRS" in str(identifier_problem("krs", "123"))
