"""One-time form keys: a double submit does one thing.

A form that creates something (a post, an agreement) carries a random key, rendered into the
page when it is served. The service stores the key on the row it creates, bound to the author
(`scoped_key`: another person sending the same key gets a key of their own, never someone
else's row), under a unique constraint (fair, key). A second call with the same key — a double
click, a retried request, the back button and "send" again, or two identical requests at the
same moment — creates nothing and returns the row the first call created. As the ledger's
entries do with their idempotency keys, and check-in with its badge.

Two requests with one key at the same moment: the service takes `lock_form_key` before it looks
for an earlier row, so the second waits until the first has committed and then finds its row.
On SQLite every service transaction is a writer that starts with BEGIN IMMEDIATE, which
serialises them already; on PostgreSQL it is a transaction-level advisory lock on the key. (No
savepoint and no caught IntegrityError: the unique constraint is the backstop, never the path.)

A request without a key (a client that does not send the field) gets a fresh one from the form,
so it is never mistaken for another; a malformed key is refused.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import HiddenField
from wtforms.validators import Regexp

from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.web.formfields import Form

KEY_RE = re.compile(r"^[0-9a-f]{32}$")
T = TypeVar("T")


@dataclass(frozen=True)
class Sent(Generic[T]):
    """What a form sent with a one-time key produced: `row`, and `created` — False when the same
    form had been sent before and `row` is what that earlier request created."""

    row: T
    created: bool
    row_id: int = field(init=False)  # read while the row is loaded: after the commit it would be fetched again

    def __post_init__(self) -> None:
        object.__setattr__(self, "row_id", cast(Any, self.row).id)

    @property
    def audit_target(self) -> T:
        """The audit log names the row, not this wrapper."""
        return self.row


def new_key() -> str:
    return uuid.uuid4().hex


class KeyedForm(Form):
    """A form with a one-time key (a hidden field filled when the page is rendered). A request
    without the field gets a fresh key (nothing to mistake it for); a malformed key is an error,
    and the form shown again carries a fresh key, so that sending it once more works."""

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


def lock_form_key(fair_id: int, key: str | None) -> None:
    """Until this transaction ends, no other request carrying `key` (a scoped key) at this fair
    gets past this point. PostgreSQL: an advisory lock on a 64-bit hash of the key (a collision
    only makes two unrelated requests wait for each other). SQLite: the write transaction the
    service runs in is exclusive already."""
    if key is None or db.session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"form-key:{fair_id}:{key}".encode(), digest_size=8).digest()
    db.session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, "big", signed=True))))
