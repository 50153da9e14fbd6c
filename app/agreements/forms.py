"""Agreement forms. The draft editor is one form: party contacts and a list of obligations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.agreements.drafting import AgreementData, ObligationData, PartyData
from app.core.web.formfields import Form, IdField, IntegerField, SubForm, stale_form_message
from app.core.web.formkeys import KeyedForm
from app.core.web.inputs import db_int_or_none
from app.floor.forms import unit_choices
from app.floor.kinds import Unit
from app.valuation.kinds import ValueBasis, basis_choices


class PartyForm(SubForm):
    organisation_id = IdField(required=True)
    representative_id = IdField(required=True)
    contact_name = StringField(_l("Contact person"), [Optional(), Length(max=200)])
    contact_details = StringField(_l("Contact details"), [Optional(), Length(max=300)])


def _party_choice(form: ObligationForm, field: SelectField) -> None:
    """Giver and receiver name a party's organisation id (the editor's choices)."""

    if db_int_or_none(field.data) is None:
        raise ValidationError(stale_form_message())


class ObligationForm(SubForm):
    giver = SelectField(_l("Who gives"), [_party_choice], validate_choice=False)
    receiver = SelectField(_l("To whom"), [_party_choice], validate_choice=False)
    description = TextAreaField(_l("What"), [Optional(), Length(max=2000)])
    quantity = IntegerField(_l("How much"), [Optional(), NumberRange(min=1, max=100_000)])
    unit = SelectField(_l("Unit"), choices=unit_choices, default="")
    when = StringField(_l("When"), [Optional(), Length(max=200)])
    where = StringField(_l("Where"), [Optional(), Length(max=200)])
    duration = StringField(_l("For how long"), [Optional(), Length(max=100)])
    hours = IntegerField(_l("Hours of work"), [Optional(), NumberRange(min=0, max=1000)])
    points = IntegerField(_l("Value in points"), [Optional(), NumberRange(min=0, max=10_000)],
                          description=_l("Empty: hours × the fair's point rate."))
    cost_contribution = StringField(_l("Contribution to costs (if any)"), [Optional(), Length(max=300)],
                                    description=_l("e.g. reimbursement of fuel costs"))
    due_date = DateField(_l("To be done by"), [Optional()])
    value_basis = SelectField(_l("Social value counted as"), choices=basis_choices, default="")
    post_id = IdField()
    category_id = IdField()


class DraftForm(Form):
    version = IdField()
    parties = FieldList(FormField(PartyForm), min_entries=0)
    obligations = FieldList(FormField(ObligationForm), min_entries=0)

    def agreement_data(self) -> AgreementData:
        """The agreement as the (validated) form has it."""
        parties = [PartyData(p.organisation_id.data, p.representative_id.data,
                             p.contact_name.data or "", p.contact_details.data or "")
                   for p in (entry.form for entry in self.parties)]
        obligations = []
        for o in (entry.form for entry in self.obligations):
            if not (o.description.data or "").strip():
                continue  # an empty row of the editor
            obligations.append(ObligationData(
                giver_organisation_id=int(o.giver.data), receiver_organisation_id=int(o.receiver.data),
                description=o.description.data or "", quantity=o.quantity.data,
                unit=Unit(o.unit.data) if o.unit.data else None, when=o.when.data or "",
                where=o.where.data or "", duration=o.duration.data or "", hours=o.hours.data,
                points=o.points.data, cost_contribution=o.cost_contribution.data or "",
                due_date=o.due_date.data, post_id=o.post_id.data, category_id=o.category_id.data,
                value_basis=ValueBasis(o.value_basis.data) if o.value_basis.data else None))
        return AgreementData(parties=parties, obligations=obligations)


class VersionForm(Form):
    """A POST button acting on the version of the agreement the user is looking at."""

    version = IdField()


class SharedSignForm(Form):
    version = IdField()
    scanned = StringField(_l("Private QR code (scan or paste the link)"), [Optional(), Length(max=300)])
    badge_code = StringField(_l("Badge code"), [Optional(), Length(max=8)])
    pin = StringField(_l("PIN"), [Optional(), Regexp(r"^[0-9]{6}$", message=_l("The PIN has 6 digits."))])


class ReasonForm(Form):
    reason = StringField(_l("Reason"), [DataRequired(), Length(max=500)])


class DisputeForm(Form):
    comment = TextAreaField(_l("What is wrong?"), [DataRequired(), Length(max=1000)])


class StartForm(KeyedForm):
    """Starting an agreement from a card or a post: a one-time key (a double submit starts one)."""


class PaperDraftForm(KeyedForm):
    first = StringField(_l("First party: badge code"), [DataRequired(), Length(max=300)])
    second = StringField(_l("Second party: badge code"), [DataRequired(), Length(max=300)])


class ProposalSideForm(SubForm):
    """What one side gives, prefilled from the posts (app/agreements/proposals.py); all optional."""

    description = TextAreaField(_l("What"), [Optional(), Length(max=2000)])
    quantity = IntegerField(_l("How much"), [Optional(), NumberRange(min=1, max=100_000)])
    unit = SelectField(_l("Unit"), choices=unit_choices, default="")
    when = StringField(_l("When"), [Optional(), Length(max=200)])
    hours = IntegerField(_l("Hours of work"), [Optional(), NumberRange(min=0, max=1000)])
    points = IntegerField(_l("Value in points"), [Optional(), NumberRange(min=0, max=10_000)],
                          description=_l("Empty: hours × the fair's point rate."))
    post_id = IdField()
    category_id = IdField()

    def obligation(self, giver: int, receiver: int) -> ObligationData | None:
        """The obligation this side says (None: left empty)."""
        if not (self.description.data or "").strip():
            return None
        return ObligationData(
            giver_organisation_id=giver, receiver_organisation_id=receiver,
            description=self.description.data or "", quantity=self.quantity.data,
            unit=Unit(self.unit.data) if self.unit.data else None, when=self.when.data or "",
            hours=self.hours.data, points=self.points.data, post_id=self.post_id.data,
            category_id=self.category_id.data)


class ProposalForm(KeyedForm):
    """A proposed exchange: what they give me and what I give them, sent with my signature."""

    theirs = FormField(ProposalSideForm)
    mine = FormField(ProposalSideForm)
