"""What a request may carry: integers the database can hold, text without control characters,
secrets compared as bytes. Checked once for every request, so that bad input gets a clear 4xx
in the user's language instead of an error deep in a view or the database driver."""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, ValidationError

# Every integer column is a plain INTEGER: 32-bit on PostgreSQL (SQLite would take 64).
DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1

_INTEGER = re.compile(r"[+-]?[0-9]{1,12}")
# NUL (refused by PostgreSQL in text) and the other C0 control characters but tab, line feed
# and carriage return (refused by XML, spreadsheets and PDFs, and never typed by people), and
# lone surrogates (a JSON body can carry them; no database or file encoding can).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in URLs: ASCII digits, up to the largest id a row can have; anything else is a
    plain 404 (the route does not match) instead of an overflow in the database driver."""

    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > DB_INT_MAX:
            raise ValidationError()
        return number


def db_int(value: Any) -> int:
    """A whole number written in ASCII digits that an INTEGER column can hold; else ValueError.

    Usable as `request.args.get(name, type=db_int)`: a bad value is then the default."""
    text = value.strip() if isinstance(value, str) else ""
    if not _INTEGER.fullmatch(text):
        raise ValueError("not a whole number")
    number = int(text)
    if not DB_INT_MIN <= number <= DB_INT_MAX:
        raise ValueError("out of range")
    return number


def db_int_or_none(value: Any) -> int | None:
    try:
        return db_int(value)
    except ValueError:
        return None


def same_secret(given: Any, expected: str) -> bool:
    """Constant-time comparison of a secret from a request with the stored one. Compares bytes:
    `hmac.compare_digest` refuses str with non-ASCII characters (a TypeError, i.e. a 500)."""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def forbidden_character(values: Iterable[Any]) -> bool:
    """Whether any text among `values` (nested in lists and dicts, as JSON is) has a character
    that no page, file or database of the app can keep."""
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _FORBIDDEN.search(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
    return False


class ControlCharacters(BadRequest):
    description = _l("The request contains control characters (such as a NUL byte), which cannot be kept. "
                     "Remove them and try again.")


def _request_texts() -> Iterator[Any]:
    yield request.path
    for key, values in request.args.lists():
        yield key
        yield values
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        try:
            form = request.form
        except RequestEntityTooLarge:
            return  # the view says so in its own words (an import page explains the limit)
        for key, values in form.lists():
            yield key
            yield values
        for key, storage in request.files.items(multi=True):
            yield key
            yield storage.filename or ""
        if request.is_json:
            yield request.get_json(silent=True)


def init_inputs(app: Flask) -> None:
    """Register the URL converter (before any route is added) and the request check."""
    app.url_map.converters["int"] = DatabaseIntConverter

    @app.before_request
    def _refuse_control_characters() -> None:
        if forbidden_character(_request_texts()):
            raise ControlCharacters()
