"""One-time form keys: a double submit does one thing.

A form that creates something (a post, an agreement) carries a random key, rendered into the
page when it is served. The service stores the key on the row it creates, bound to the author
(`scoped_key`: another person sending the same key gets a key of their own, never someone
else's row), under a unique constraint (fair, key). A second call with the same key — a double
click, a retried request, the back button and "send" again, or two identical requests at the
same moment — creates nothing and returns the row the first call created. As the ledger's
entries do with their idempotency keys, and check-in with its badge.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.validators import Regexp

from app.errors import ValidationError
from app.extensions import db

KEY_RE = re.compile(r"^[0-9a-f]{32}$")
MAX_SCOPED_KEY = 64  # the column: "<participant id>:<32 hex digits>"
T = TypeVar("T")


def new_key() -> str:
    return uuid.uuid4().hex


class KeyedForm(FlaskForm):
    """A form with a one-time key (a hidden field filled when the page is rendered). A key that
    is missing or malformed (a page from before the key existed) is an error, and the form shown
    again carries a fresh key, so that sending it once more works."""

    key = HiddenField(default=new_key, validators=[Regexp(KEY_RE, message=_l(
        "The form has expired. Please try again."))])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.key.errors:
            self.key.data = new_key()
        return valid


def scoped_key(actor_id: int, key: str | None) -> str | None:
    """The key as stored: the form's key bound to its author. None: no key, no deduplication."""
    if key is None:
        return None
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise ValidationError(_l("The form has expired. Please try again."), code="invalid_form_key")
    return f"{actor_id}:{key}"


def add_once(row: T, first: Callable[[], T | None]) -> tuple[T, bool]:
    """Insert `row` (which carries its form key) in a savepoint: (row, True). When a concurrent
    request with the same key committed first, the unique constraint refuses ours and the result
    is (the row that request created, False). Other integrity errors are raised."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        earlier = first()
        if earlier is None:
            raise
        return earlier, False
    return row, True
