"""The form of a member's own page in the network (app/people/member_profile.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import URL, Length, Optional

from app.core.emails import EmailAddress
from app.core.web.formfields import Form
from app.network.sectors import BRANCH_LABELS, Branch
from app.people.forms import PHONE
from app.people.member_profile import MemberProfile


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
