"""Polish registers' numbers a member may give: NIP (tax, 10 digits), REGON (statistics, 9 or 14
digits) and KRS (court register, 10 digits), each checked the way the registers check them."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.network.recognition import digits

_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
_REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def _check_digit(number: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(number, weights, strict=False)) % 11 % 10


def valid_nip(value: str) -> bool:
    number = digits(value)
    if len(number) != 10:
        return False
    total = sum(int(d) * w for d, w in zip(number, _NIP_WEIGHTS, strict=False)) % 11
    return total != 10 and total == int(number[9])


def valid_regon(value: str) -> bool:
    number = digits(value)
    if len(number) == 9:
        return _check_digit(number, _REGON9_WEIGHTS) == int(number[8])
    if len(number) == 14:
        return valid_regon(number[:9]) and _check_digit(number, _REGON14_WEIGHTS) == int(number[13])
    return False


def valid_krs(value: str) -> bool:
    return len(digits(value)) == 10  # a sequence number: no check digit


def identifier_problem(kind: str, value: str) -> LazyString | None:
    """Why `value` is not a `kind` ("nip", "regon", "krs") number, or None if it is (or is empty)."""
    if not digits(value) and not value.strip():
        return None
    if kind == "nip" and not valid_nip(value):
        return _l("This is not a valid NIP: 10 digits with a correct check digit.")
    if kind == "regon" and not valid_regon(value):
        return _l("This is not a valid REGON: 9 or 14 digits with a correct check digit.")
    if kind == "krs" and not valid_krs(value):
        return _l("A KRS number has 10 digits.")
    return None
