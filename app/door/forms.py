"""Forms of the door: the scanner field and the walk-in registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    StringField,
)
from wtforms.validators import DataRequired, Length

from app.core.web.formfields import Form
from app.people.forms import NewOrganisationFields, PersonFields


class WalkInForm(Form, PersonFields, NewOrganisationFields):
    pass


class ScanForm(Form):
    scanned = StringField(_l("Badge"), [DataRequired(message=_l("Scan a badge or type its code."))])


class CardScanForm(Form):
    """A participant's scan of another badge: its QR (a link to the card) or the code typed."""

    scanned = StringField(_l("Badge"), [DataRequired(message=_l("Scan a badge or type its code.")), Length(max=300)])
