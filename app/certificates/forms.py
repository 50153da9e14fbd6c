"""The certificate forms: issuing one (a member and a period), and reissuing one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired

from app.core.web.formkeys import KeyedForm
from app.people.pickers import MemberChoice


class IssueForm(KeyedForm):
    member_id = SelectField(_l("Member of the network"), [DataRequired()], default="")
    start = DateField(_l("From"), [DataRequired()])
    end = DateField(_l("To"), [DataRequired()])

    def offer(self, choices: list[MemberChoice]) -> None:
        """The members to choose from (the actor's: app/certificates/queries.py)."""
        self.member_id.choices = [("", "—"), *((str(c.id), c.name) for c in choices)]


class ReissueForm(KeyedForm):
    """A button: the certificate again, from the current records."""
