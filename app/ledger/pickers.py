"""What the ledger's pickers choose from (see app/core/web/picker.py): the fair's accounts by
their holders' names, its organisations and its participants, for one caller.

An account is named by its holder, as the forms post it: `org:<id>` or `person:<id>`
(`accounts.account_for_holder` opens it on first use)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select

from app.core.textkeys import search_key
from app.core.web.picker import Pick, Picker
from app.fairs.roles import Role
from app.ledger.models import Account, AccountKind
from app.people.models import Participant
from app.people.pickers import OrganisationPicker, ParticipantPicker, organisation_pick, participant_pick
from app.people.queries import organisation_matches, participant_matches

# The pickers of the ledger's forms (transfer: source, target; award: organisation, volunteer;
# opening balance: opening) that only organisers use; a participant has a short list of their own.
ORGANISERS_ONLY = frozenset({"source", "organisation", "opening"})


def _rank(q: str, label: str) -> int:
    """Best first: the whole name, then a name (or one of its words) starting with what was typed."""
    key, name = search_key(q), search_key(label)
    if name == key:
        return 0
    return 1 if name.startswith(key) or any(w.startswith(key) for w in name.split()) else 2


@dataclass(frozen=True)
class AccountPicker:
    """The accounts of the fair's organisations and of its participants — all of them, or (with
    `opened_only`) those who have a personal account already."""

    fair_id: int
    opened_only: bool = False

    @property
    def _among(self) -> ColumnElement[bool] | None:
        if not self.opened_only:
            return None
        return Participant.person_id.in_(select(Account.person_id).where(Account.kind == AccountKind.INDIVIDUAL))

    def _org(self, org_pick: Pick) -> Pick:
        hint = " · ".join(v for v in (_("Organisation account"), org_pick.hint) if v)
        return Pick(f"org:{org_pick.value}", org_pick.label, hint)

    def _person(self, person_pick: Pick) -> Pick:
        hint = " · ".join(v for v in (_("Personal account"), person_pick.hint) if v)
        return Pick(f"person:{person_pick.value}", person_pick.label, hint)

    def find(self, value: str) -> Pick | None:
        kind, _sep, raw = value.partition(":")
        if kind == "org":
            found = OrganisationPicker(self.fair_id).find(raw)
            return self._org(found) if found else None
        if kind == "person":
            found = ParticipantPicker(self.fair_id, self._among).find(raw)
            return self._person(found) if found else None
        return None

    def search(self, q: str, limit: int) -> list[Pick]:
        orgs = [self._org(organisation_pick(o)) for o in organisation_matches(self.fair_id, q, limit)]
        people = [self._person(participant_pick(p))
                  for p in participant_matches(self.fair_id, q, limit, self._among)]
        # Each list comes sorted from SQL (organisations by name, people by last name): a stable
        # sort by rank keeps that order within each rank, organisations first.
        return sorted(orgs + people, key=lambda p: _rank(q, p.label))[:limit]


def picker_for(kind: str, actor: Participant) -> Picker | None:
    """This kind of picker for this caller, or None if it is not theirs (a participant's accounts
    and organisation are a short list of their own)."""
    if kind in ORGANISERS_ONLY and actor.role != Role.ORGANISER:
        return None
    if kind in ("target", "source"):  # transfers: organisations, and people with an account already
        return AccountPicker(actor.fair_id, opened_only=True)
    if kind == "opening":  # an opening balance opens the account
        return AccountPicker(actor.fair_id)
    if kind == "organisation":
        return OrganisationPicker(actor.fair_id)
    if kind == "volunteer":
        return ParticipantPicker(actor.fair_id)
    return None
