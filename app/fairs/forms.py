"""Forms of a fair's organiser: settings, trading window, announcements, categories."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.core.web.formfields import Form, IntegerField


class OpenTradingForm(Form):
    minutes = IntegerField(_l("Trading time (minutes)"), [DataRequired(), NumberRange(min=1, max=480)],
                           default=90)


class AnnouncementForm(Form):
    text = TextAreaField(_l("Announcement"), [DataRequired(), Length(max=500)])


class CategoryForm(Form):
    name = StringField(_l("Category"), [DataRequired(), Length(max=80)])


SLUG = Regexp(r"^[a-z0-9][a-z0-9-]{1,62}$",
              message=_l("Use lower-case letters, digits and hyphens, e.g. tczew-2027."))


class SettingsForm(Form):
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)])
    venue = StringField(_l("Venue"), [Optional(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Date and time"), [Optional()], format="%Y-%m-%dT%H:%M")
    trading_opens_at = DateTimeLocalField(_l("Trading opens"), [Optional()], format="%Y-%m-%dT%H:%M")
    trading_closes_at = DateTimeLocalField(_l("Trading closes"), [Optional()], format="%Y-%m-%dT%H:%M")
    registration_open = BooleanField(_l("Self-registration is open"))
    notary_required = BooleanField(_l("A notary countersigns every agreement"))
    point_rate = IntegerField(_l("Points per hour of work"), [DataRequired(), NumberRange(min=0, max=1000)])
    target_agreements = IntegerField(_l("Target number of agreements"), [Optional(), NumberRange(min=1)])
