"""Forms for the fair's staff and for starting a fair."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.core.emails import EmailAddress
from app.core.web.formfields import Form
from app.fairs.roles import ROLE_LABELS, Role
from app.people.forms import PersonFields, sector_choices

SLUG = Regexp(r"^[a-z0-9][a-z0-9-]{1,62}$",
              message=_l("Use lower-case letters, digits and hyphens, e.g. tczew-2027."))


class NewFairForm(Form):
    slug = StringField(_l("Short name (in the address)"), [DataRequired(), SLUG])
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Date and time"), [Optional()], format="%Y-%m-%dT%H:%M")
    copy_staff = BooleanField(_l("Invite the same notaries, brokers and organisers"), default=True)


class InviteForm(Form, PersonFields):
    role = SelectField(_l("Role"), choices=lambda: [SelectChoice(r.value, ROLE_LABELS[r])
                                                    for r in (Role.NOTARY, Role.BROKER, Role.ORGANISER)])
    organisation_name = StringField(_l("Organisation"), [DataRequired(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=sector_choices)


class WelcomeForm(Form):
    password = PasswordField(_l("Choose a password"), [DataRequired(), Length(min=10)])


class FirstFairForm(Form, PersonFields):
    """A new installation's first fair and its organiser."""

    code = HiddenField()
    fair_name = StringField(_l("Name of the fair"), [DataRequired(), Length(max=200)],
                            description=_l("e.g. Giełda Zasobów Tczew 2027"))
    slug = StringField(_l("Short name (in the address)"), [DataRequired(), SLUG])
    venue = StringField(_l("Venue"), [Optional(), Length(max=300)])
    organisation_name = StringField(_l("Your organisation"), [DataRequired(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=sector_choices)
    password = PasswordField(_l("Choose a password"), [DataRequired(), Length(min=10)])
    # The organiser logs in with it: required here.
    email = EmailField(_l("E-mail"), [DataRequired(), EmailAddress()])
