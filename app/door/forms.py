"""Forms of the door: the scanner field and the walk-in registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    StringField,
)
from wtforms.validators import DataRequired

from app.core.web.formfields import Form
from app.people.forms import NewOrganisationFields, PersonFields


class WalkInForm(Form, PersonFields, NewOrganisationFields):
    pass


class ScanForm(Form):
    scanned = StringField(_l("Badge"), [DataRequired(message=_l("Scan a badge or type its code."))])
