"""Form fields and nested forms shared by every package: whole numbers the database can hold, hidden
ids and versions that a tampered page cannot turn into a server error, and nested forms whose
messages are in the user's language like the rest of the form."""

from __future__ import annotations

from typing import Any

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import HiddenField
from wtforms.validators import ValidationError

from app.core.web.field_html import render_field
from app.core.web.inputs import DB_INT_MAX, DB_INT_MIN, db_int


class Form(FlaskForm):
    """Every form of the app: a FlaskForm (CSRF, the request's language) whose fields' HTML is
    rendered once and reused while nothing on it changes (app/core/web/field_html.py)."""

    class Meta:
        def render_field(self, field: wtforms.Field, render_kw: dict[str, Any]) -> Any:
            return render_field(self, field, render_kw)


class SubForm(wtforms.Form):
    """A form nested in a FlaskForm (FormField, FieldList). WTForms gives a nested form its own
    meta, without the translations of the form around it: its built-in messages were English."""

    class Meta:
        def get_translations(self, form: wtforms.Form) -> object:
            return wtforms_translations


class IntegerField(wtforms.IntegerField):
    """A whole number in ASCII digits that an INTEGER column can hold. WTForms' own reads any
    Python int (2**70, "1_000", Arabic-Indic digits): the database then failed on it."""

    data: int | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = db_int(valuelist[0])
        except ValueError as exc:
            self.data = None
            raw = valuelist[0].strip() if isinstance(valuelist[0], str) else ""
            if raw.lstrip("+-").isascii() and raw.lstrip("+-").isdigit():
                raise ValueError(_l("Enter a number between %(min)d and %(max)d.",
                                    min=DB_INT_MIN, max=DB_INT_MAX)) from exc
            raise ValueError(self.invalid_value_message or self.gettext("Not a valid integer value.")) from exc


class IdField(wtforms.HiddenField):
    """A hidden id or version number: an int the database can hold, or None when empty. Hidden
    fields are never typed; a value that is no such number comes from a damaged or forged page."""

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required = required

    def process_data(self, value: Any) -> None:
        if value is None or value == "":
            self.data = None
        else:
            self.data = value if isinstance(value, int) else db_int(value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        raw = valuelist[0]
        if isinstance(raw, str) and not raw.strip():
            self.data = None
            return
        try:
            self.data = db_int(raw)
        except ValueError as exc:
            self.data = None
            raise ValueError(stale_form_message()) from exc

    def pre_validate(self, form: wtforms.Form) -> None:
        if self.required and self.data is None and not self.process_errors:
            raise ValidationError(stale_form_message())

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


def stale_form_message() -> Any:
    return _l("The form has expired. Please try again.")


class ConfirmForm(Form):
    """An empty form: a POST button with a CSRF token."""

    next = HiddenField()


def required_int(field: wtforms.Field) -> int:
    """The value of a whole-number field whose validators refuse an empty one, once validated."""
    if field.data is None:
        raise ValueError(f"{field.name}: validated as required, yet empty")
    return int(field.data)
