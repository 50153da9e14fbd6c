"""The partnership forms: recording one (a row per partner), and ending one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.web.formfields import Form, IdField, SubForm
from app.core.web.formkeys import KeyedForm
from app.core.web.inputs import db_int_or_none
from app.partnerships.records import MAX_MEMBERS, PartnerData, PartnershipData
from app.people.pickers import MemberChoice

PARTNER_ROWS = 6  # empty rows on a new form (rows left empty are no partners)


class PartnerForm(SubForm):
    member_id = SelectField(_l("Partner"), default="")
    role = StringField(_l("Role"), [Optional(), Length(max=300)])
    contribution = TextAreaField(_l("Contribution"), [Optional(), Length(max=2000)])


class PartnershipForm(KeyedForm):
    purpose = StringField(_l("Purpose"), [DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), [Optional(), Length(max=4000)])
    starts_on = DateField(_l("Starts on"), [DataRequired()])
    ends_on = DateField(_l("Ends on"), [Optional()], description=_l("Empty: no end date set."))
    lead = SelectField(_l("Lead member"), default="")
    agreement_id = IdField()
    partners = FieldList(FormField(PartnerForm), min_entries=0, max_entries=MAX_MEMBERS)

    def offer(self, choices: list[MemberChoice]) -> None:
        """The members to choose from (the actor's: app/partnerships/queries.py)."""
        options = [("", "—"), *((str(c.id), c.name) for c in choices)]
        self.lead.choices = options
        for entry in self.partners:
            entry.form.member_id.choices = options

    def fill_rows(self, rows: int = PARTNER_ROWS) -> None:
        while len(self.partners) < min(rows, MAX_MEMBERS):
            self.partners.append_entry()

    def set_data(self, data: PartnershipData) -> None:
        self.purpose.data, self.description.data = data.purpose, data.description
        self.starts_on.data, self.ends_on.data = data.starts_on, data.ends_on
        self.lead.data = str(data.lead_member_id)
        for partner in data.partners:
            self.partners.append_entry({"member_id": str(partner.member_id), "role": partner.role,
                                        "contribution": partner.contribution})

    def partnership_data(self) -> PartnershipData:
        partners = [PartnerData(member_id, e.form.role.data or "", e.form.contribution.data or "")
                    for e in self.partners if (member_id := db_int_or_none(e.form.member_id.data)) is not None]
        assert self.starts_on.data is not None  # validated as required
        return PartnershipData(purpose=self.purpose.data or "", description=self.description.data or "",
                               starts_on=self.starts_on.data, ends_on=self.ends_on.data,
                               lead_member_id=db_int_or_none(self.lead.data) or 0, partners=partners)


class EndForm(Form):
    ends_on = DateField(_l("Ended on"), [Optional()], description=_l("Empty: today."))
    reason = StringField(_l("Why it ends"), [Optional(), Length(max=500)])
