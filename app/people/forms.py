"""Forms about people and organisations: registration, editing, logging in."""

from __future__ import annotations

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp, ValidationError

from app.core.emails import EmailAddress
from app.core.web.formfields import Form
from app.core.web.picker import PickerField
from app.fairs.roles import ROLE_LABELS, Role
from app.network.sectors import BRANCH_LABELS, SECTOR_LABELS, Branch, Sector
from app.people.member_profile import MemberProfile
from app.people.organisations import OrganisationData
from app.people.participants import PersonData

PHONE = Regexp(r"^[0-9+()\-\s]{6,20}$", message=_l("Enter a phone number, e.g. +48 600 100 200."))


def sector_choices() -> list[SelectChoice]:
    return [SelectChoice(s.value, SECTOR_LABELS[s]) for s in Sector]


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(r.value, ROLE_LABELS[r]) for r in Role]


class PersonFields(wtforms.Form):
    first_name = StringField(_l("First name"), [DataRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), [DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), [Optional(), EmailAddress()])
    phone = StringField(_l("Phone"), [Optional(), PHONE])
    show_email = BooleanField(_l("Show my e-mail on my card"))
    show_phone = BooleanField(_l("Show my phone number on my card"))

    def person(self, role: Role = Role.PARTICIPANT) -> PersonData:
        return PersonData(
            first_name=self.first_name.data or "", last_name=self.last_name.data or "",
            email=self.email.data or "", phone=self.phone.data or "",
            show_email=bool(self.show_email.data), show_phone=bool(self.show_phone.data),
            role=role)


class NewOrganisationFields(wtforms.Form):
    organisation_name = StringField(_l("Organisation"), [Length(max=200)],
                                    description=_l("Leave empty if you come as a resident."))
    sector = SelectField(_l("Sector"), choices=sector_choices, validate_choice=True)
    city = StringField(_l("Town"), [Optional(), Length(max=100)])

    def organisation(self) -> OrganisationData:
        return OrganisationData(name=self.organisation_name.data or "",
                                sector=Sector(self.sector.data), city=self.city.data or "")

    def validate_organisation_name(self, field: StringField) -> None:

        if self.sector.data != Sector.RESIDENT.value and not (field.data or "").strip():
            raise ValidationError(_l("Give the organisation's name (or choose Resident)."))


class RegistrationForm(Form, PersonFields, NewOrganisationFields):
    consent = BooleanField(_l("I agree that the organisers keep my details for this fair."),
                           [DataRequired(message=_l("We need your consent to register you."))])


class ParticipantForm(Form, PersonFields):
    """The organiser's add/edit form: an existing organisation, or a new one."""

    organisation_id = PickerField(_l("Organisation"), required=False,
                                  description=_l("Type a few letters of its name and choose it; "
                                                 "leave empty to add a new one below."))
    organisation_name = StringField(_l("…or a new organisation"), [Length(max=200)])
    sector = SelectField(_l("Sector of the new organisation"), choices=sector_choices,
                         default=Sector.NGO.value, validate_choice=False)
    role = SelectField(_l("Role"), choices=role_choices)

    def validate_sector(self, field: SelectField) -> None:

        if field.data and field.data not in {s.value for s in Sector}:
            raise ValidationError(_l("Not a valid choice."))

    def validate_organisation_name(self, field: StringField) -> None:

        if not self.organisation_id.data and not self.organisation_id.errors \
                and not (field.data or "").strip() and self.sector.data != Sector.RESIDENT.value:
            raise ValidationError(_l("Choose an organisation or name a new one."))


class OrganisationForm(Form):
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=sector_choices)
    city = StringField(_l("Town"), [Optional(), Length(max=100)])
    email = EmailField(_l("E-mail"), [Optional(), EmailAddress()])
    phone = StringField(_l("Phone"), [Optional(), PHONE])
    website = StringField(_l("Website"), [Optional(), URL(require_tld=False), Length(max=300)])
    description = TextAreaField(_l("Description"), [Optional(), Length(max=2000)])

    def organisation(self) -> OrganisationData:
        return OrganisationData(
            name=self.name.data or "", sector=Sector(self.sector.data), city=self.city.data or "",
            email=self.email.data or "", phone=self.phone.data or "",
            website=self.website.data or "", description=self.description.data or "")


class PinLoginForm(Form):
    badge_code = StringField(_l("Badge code"), [DataRequired(), Length(min=8, max=8)],
                             description=_l("The 8 characters under the QR code on your badge."))
    pin = StringField(_l("PIN"), [DataRequired(), Regexp(r"^[0-9]{6}$", message=_l("The PIN has 6 digits."))])


class PasswordLoginForm(Form):
    # Looked up, never re-validated: an address that was accepted once can always log in.
    email = EmailField(_l("E-mail"), [DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), [DataRequired()])


class PasswordForm(Form):
    password = PasswordField(_l("New password"), [DataRequired(), Length(min=10)])


def branch_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("— not given —"))] + [SelectChoice(b.value, BRANCH_LABELS[b]) for b in Branch]


class MemberProfileForm(Form):
    public_profile = BooleanField(_l("Show our organisation in the network's public directory"))
    branch = SelectField(_l("Branch"), choices=branch_choices)
    description = TextAreaField(_l("What we do: products, services, what we can share"),
                                [Optional(), Length(max=2000)])
    city = StringField(_l("Town"), [Optional(), Length(max=100)])
    website = StringField(_l("Website"), [Optional(), URL(require_tld=False), Length(max=300)])
    email = EmailField(_l("E-mail"), [Optional(), EmailAddress()])
    phone = StringField(_l("Phone"), [Optional(), PHONE])
    nip = StringField("NIP", [Optional(), Length(max=20)])
    krs = StringField("KRS", [Optional(), Length(max=20)])
    regon = StringField("REGON", [Optional(), Length(max=20)])

    def profile(self) -> MemberProfile:
        return MemberProfile(
            public_profile=bool(self.public_profile.data), description=self.description.data or "",
            branch=Branch(self.branch.data) if self.branch.data in {b.value for b in Branch} else None,
            city=self.city.data or "", website=self.website.data or "", email=self.email.data or "",
            phone=self.phone.data or "", nip=self.nip.data or "", krs=self.krs.data or "",
            regon=self.regon.data or "")
