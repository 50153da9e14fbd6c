"""Forms of the fair set-up pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
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
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.emails import EmailAddress
from app.fair.forms import PersonFields, sector_choices
from app.fair.sectors import ROLE_LABELS, Role
from app.formfields import IntegerField

SLUG = Regexp(r"^[a-z0-9][a-z0-9-]{1,62}$",
              message=_l("Use lower-case letters, digits and hyphens, e.g. tczew-2027."))


class SettingsForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)])
    venue = StringField(_l("Venue"), [Optional(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Date and time"), [Optional()], format="%Y-%m-%dT%H:%M")
    trading_opens_at = DateTimeLocalField(_l("Trading opens"), [Optional()], format="%Y-%m-%dT%H:%M")
    trading_closes_at = DateTimeLocalField(_l("Trading closes"), [Optional()], format="%Y-%m-%dT%H:%M")
    registration_open = BooleanField(_l("Self-registration is open"))
    notary_required = BooleanField(_l("A notary countersigns every agreement"))
    point_rate = IntegerField(_l("Points per hour of work"), [DataRequired(), NumberRange(min=0, max=1000)])
    target_agreements = IntegerField(_l("Target number of agreements"), [Optional(), NumberRange(min=1)])


class NewFairForm(FlaskForm):
    slug = StringField(_l("Short name (in the address)"), [DataRequired(), SLUG])
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Date and time"), [Optional()], format="%Y-%m-%dT%H:%M")
    copy_staff = BooleanField(_l("Invite the same notaries, brokers and organisers"), default=True)


class InviteForm(FlaskForm, PersonFields):
    role = SelectField(_l("Role"), choices=lambda: [SelectChoice(r.value, ROLE_LABELS[r])
                                                    for r in (Role.NOTARY, Role.BROKER, Role.ORGANISER)])
    organisation_name = StringField(_l("Organisation"), [DataRequired(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=sector_choices)


class WelcomeForm(FlaskForm):
    password = PasswordField(_l("Choose a password"), [DataRequired(), Length(min=10)])


class FirstFairForm(FlaskForm, PersonFields):
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
