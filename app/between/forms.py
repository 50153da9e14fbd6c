"""The coordinator's form for a new fair inside the network."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.core.web.formfields import Form
from app.people.forms import PersonFields, sector_choices
from app.people.staff_forms import SLUG


class NetworkFairForm(Form, PersonFields):
    """The fair, and its first organiser (their e-mail is required: the invitation goes there)."""

    slug = StringField(_l("Short name (in the address)"), [DataRequired(), SLUG])
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)])
    venue = StringField(_l("Venue"), [Optional(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Date and time"), [Optional()], format="%Y-%m-%dT%H:%M")
    organisation_name = StringField(_l("The organiser's organisation"), [DataRequired(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=sector_choices)
