"""Web forms (WTForms). The CSV import validates each row with the same field rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from app.emails import EmailAddress
from app.fair.organisations import OrganisationData
from app.fair.participants import PersonData
from app.fair.posts import PostData
from app.fair.sectors import ROLE_LABELS, SECTOR_LABELS, UNIT_LABELS, PostKind, Role, Sector, Unit
from app.formfields import IdField, IntegerField
from app.formkeys import KeyedForm

PHONE = Regexp(r"^[0-9+()\-\s]{6,20}$", message=_l("Enter a phone number, e.g. +48 600 100 200."))


def sector_choices() -> list[SelectChoice]:
    return [SelectChoice(s.value, SECTOR_LABELS[s]) for s in Sector]


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(r.value, ROLE_LABELS[r]) for r in Role]


class PersonFields(Form):
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


class NewOrganisationFields(Form):
    organisation_name = StringField(_l("Organisation"), [Length(max=200)],
                                    description=_l("Leave empty if you come as a resident."))
    sector = SelectField(_l("Sector"), choices=sector_choices, validate_choice=True)
    city = StringField(_l("Town"), [Optional(), Length(max=100)])

    def organisation(self) -> OrganisationData:
        return OrganisationData(name=self.organisation_name.data or "",
                                sector=Sector(self.sector.data), city=self.city.data or "")

    def validate_organisation_name(self, field: StringField) -> None:
        from wtforms.validators import ValidationError

        if self.sector.data != Sector.RESIDENT.value and not (field.data or "").strip():
            raise ValidationError(_l("Give the organisation's name (or choose Resident)."))


class RegistrationForm(FlaskForm, PersonFields, NewOrganisationFields):
    consent = BooleanField(_l("I agree that the organisers keep my details for this fair."),
                           [DataRequired(message=_l("We need your consent to register you."))])


class WalkInForm(FlaskForm, PersonFields, NewOrganisationFields):
    pass


class ParticipantForm(FlaskForm, PersonFields):
    """The organiser's add/edit form: an existing organisation, or a new one."""

    organisation_id = SelectField(_l("Organisation"), coerce=str, validate_choice=True)
    organisation_name = StringField(_l("…or a new organisation"), [Length(max=200)])
    sector = SelectField(_l("Sector of the new organisation"), choices=sector_choices,
                         default=Sector.NGO.value, validate_choice=False)
    role = SelectField(_l("Role"), choices=role_choices)

    def validate_sector(self, field: SelectField) -> None:
        from wtforms.validators import ValidationError

        if field.data and field.data not in {s.value for s in Sector}:
            raise ValidationError(_l("Not a valid choice."))

    def validate_organisation_name(self, field: StringField) -> None:
        from wtforms.validators import ValidationError

        if not self.organisation_id.data and not (field.data or "").strip() \
                and self.sector.data != Sector.RESIDENT.value:
            raise ValidationError(_l("Choose an organisation or name a new one."))


class OrganisationForm(FlaskForm):
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


class PinLoginForm(FlaskForm):
    badge_code = StringField(_l("Badge code"), [DataRequired(), Length(min=8, max=8)],
                             description=_l("The 8 characters under the QR code on your badge."))
    pin = StringField(_l("PIN"), [DataRequired(), Regexp(r"^[0-9]{6}$", message=_l("The PIN has 6 digits."))])


class PasswordLoginForm(FlaskForm):
    # Looked up, never re-validated: an address that was accepted once can always log in.
    email = EmailField(_l("E-mail"), [DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), [DataRequired()])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), [DataRequired(), Length(min=10)])


class ScanForm(FlaskForm):
    scanned = StringField(_l("Badge"), [DataRequired(message=_l("Scan a badge or type its code."))])


class ConfirmForm(FlaskForm):
    """An empty form: a POST button with a CSRF token."""

    next = HiddenField()


def unit_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("—"))] + [SelectChoice(u.value, UNIT_LABELS[u]) for u in Unit]


class PostForm(FlaskForm):
    kind = RadioField(_l("I…"), choices=[SelectChoice(PostKind.OFFER.value, _l("offer")),
                                         SelectChoice(PostKind.NEED.value, _l("need"))],
                      default=PostKind.OFFER.value)
    category_id = SelectField(_l("Category"), coerce=int, validate_choice=True)
    title = StringField(_l("What"), [DataRequired(message=_l("Give your post a title.")), Length(max=120)],
                        description=_l("e.g. Room for 30 people, Tuesday evenings"))
    details = TextAreaField(_l("Details"), [Optional(), Length(max=2000)])
    quantity = IntegerField(_l("How much"), [Optional(), NumberRange(min=1, max=100_000)])
    unit = SelectField(_l("Unit"), choices=unit_choices, default="")
    available_when = StringField(_l("When"), [Optional(), Length(max=200)],
                                 description=_l("e.g. weekdays after 4 pm, in May"))
    version = IdField()

    def validate_unit(self, field: SelectField) -> None:
        from wtforms.validators import ValidationError

        if field.data and self.quantity.data is None:
            raise ValidationError(_l("Give a quantity for the unit."))

    def post_data(self) -> PostData:
        return PostData(kind=PostKind(self.kind.data), category_id=self.category_id.data,
                        title=self.title.data or "", details=self.details.data or "",
                        quantity=self.quantity.data, unit=Unit(self.unit.data) if self.unit.data else None,
                        available_when=self.available_when.data or "")


class NewPostForm(PostForm, KeyedForm):
    """A new post: the post's fields and a one-time key (a double submit posts once)."""


class HidePostForm(FlaskForm):
    reason = StringField(_l("Reason"), [DataRequired(message=_l("Say why the post is hidden.")),
                                        Length(max=300)])


class OpenTradingForm(FlaskForm):
    minutes = IntegerField(_l("Trading time (minutes)"), [DataRequired(), NumberRange(min=1, max=480)],
                           default=90)


class AnnouncementForm(FlaskForm):
    text = TextAreaField(_l("Announcement"), [DataRequired(), Length(max=500)])


class CategoryForm(FlaskForm):
    name = StringField(_l("Category"), [DataRequired(), Length(max=80)])
