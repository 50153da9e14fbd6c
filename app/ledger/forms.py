"""Ledger forms. Every form that posts carries a one-time key, so a double-click or a retried
request posts once (the view turns it into the entry's idempotency key)."""

from __future__ import annotations

import re
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.core.web.formfields import Form, IntegerField
from app.core.web.picker import PickerField
from app.ledger.operations import MAX_POINTS

KEY_RE = re.compile(r"^[0-9a-f]{32}$")


def new_key() -> str:
    return uuid.uuid4().hex


class KeyedForm(Form):
    key = HiddenField(default=new_key, validators=[Regexp(KEY_RE, message=_l(
        "The form has expired. Please try again."))])

    def idempotency_key(self, actor_id: int, purpose: str) -> str:
        return f"web:{purpose}:{actor_id}:{self.key.data}"


def _points_field(label: object, minimum: int = 1) -> IntegerField:
    return IntegerField(label, [InputRequired(message=_l("Give a number of points.")),
                                NumberRange(min=minimum, max=MAX_POINTS)],
                        render_kw={"inputmode": "numeric", "min": minimum})


class TransferForm(KeyedForm):
    source = PickerField(_l("From account"))
    target = PickerField(_l("To account"), description=_l(
        "Type a few letters of the organisation's or the person's name and choose the account."))
    points = _points_field(_l("Points"))
    memo = StringField(_l("What for"), [DataRequired(message=_l("Describe what the points are for.")),
                                        Length(max=500)])


class AwardForm(KeyedForm):
    organisation = PickerField(_l("Awarding organisation"))
    volunteer = PickerField(_l("Volunteer"), description=_l(
        "Type a few letters of the name (or the badge code) and choose the person."))
    points = _points_field(_l("Points"))
    reason = StringField(_l("Task or reason"), [DataRequired(message=_l("Give a reason.")),
                                                Length(max=500)])


class OpeningForm(KeyedForm):
    target = PickerField(_l("Account"), description=_l(
        "Type a few letters of the organisation's or the person's name and choose the account."))
    points = IntegerField(_l("Opening balance (points, may be negative)"),
                          [InputRequired(message=_l("Give a number of points.")),
                           NumberRange(min=-MAX_POINTS, max=MAX_POINTS)])
    memo = StringField(_l("Description"), [Optional(), Length(max=500)])


class ReverseForm(KeyedForm):
    reason = TextAreaField(_l("Why is this entry reversed?"),
                           [DataRequired(message=_l("Give a reason.")), Length(max=500)])


class LimitsForm(Form):
    floor = IntegerField(_l("Floor"), [Optional(), NumberRange(max=0)],
                         description=_l("Empty: the network default."))
    ceiling = IntegerField(_l("Ceiling"), [Optional(), NumberRange(min=0)],
                           description=_l("Empty: the network default."))


class ImportForm(Form):
    file = FileField(_l("CSV file"), [FileRequired(message=_l("Choose a file."))])
