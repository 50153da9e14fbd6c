"""The one rule for e-mail addresses people type: forms, CSV import, the CLI and services all
use it, so an address one of them accepts is one every other accepts (and can log in with).

Logging in never re-validates an address: it only looks it up (`email_key`).
"""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError as FieldError

from app.core.errors import ValidationError
from app.core.textkeys import tidy

MAX_LENGTH = 254


def invalid_email_error(value: str) -> ValidationError:
    return ValidationError(
        _l("“%(email)s” is not an e-mail address we can write to, e.g. anna.nowak@example.org.",
           email=value[:80]),
        code="invalid_email")


def normalise_email(value: str | None) -> str:
    """'' for no address; else the address in its normal form (domain in lower case).

    Refused: anything that is not a mailbox on a public domain name (e.g. `x@host`, names
    under special-use domains such as `.local`, `.test` or `.localhost`), so that reminders
    and invitations can reach it. Deliverability (DNS) is not checked: the venue may be offline.
    """
    text = tidy(value)
    if not text:
        return ""
    if len(text) > MAX_LENGTH:
        raise invalid_email_error(text)
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as err:
        raise invalid_email_error(text) from err


def email_key(value: str | None) -> str:
    """What an address is looked up by: trimmed and case-folded, nothing else."""
    return tidy(value).lower()


class EmailAddress:
    """WTForms validator applying `normalise_email` (use with Optional() or DataRequired())."""

    def __call__(self, form: Any, field: Any) -> None:
        try:
            normalise_email(field.data)
        except ValidationError as err:
            raise FieldError(str(err.message)) from err
