"""Who may do what in the ledger.

* A participant holds their person's account and, as its representative, the account of the
  member they came for: they see both balances and may transfer points out of them; a member's
  representative may award its points to a volunteer. The accounts last across fairs.
* Organisers of a fair manage the accounts of the members and people at that fair (and that
  fair's closed accounts from before the network): statements, limits, awards, transfers,
  opening balances, reversals, imports.
* The *network admin* (who sees network totals, system accounts and whole-ledger exports) is
  an organiser marked as the network's coordinator (`flask ledger coordinator add`). Any other
  organiser sees only their own fair: system accounts touch every fair, so they make nothing
  visible by themselves.
* Command-line operators (`flask ledger …`) act as a `SystemActor` and may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.errors import Forbidden
from app.core.extensions import db
from app.fairs.roles import Role
from app.ledger.models import Account, AccountKind, Entry
from app.people.models import Organisation, Participant


@dataclass(frozen=True)
class SystemActor:
    """A trusted operator outside the web app (the CLI, an import job)."""

    label: str = "cli"


Actor = Participant | SystemActor


def actor_label(actor: Actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.label
    return f"{actor.full_name} ({actor.fair.name})"


def actor_id(actor: Actor) -> int | None:
    return None if isinstance(actor, SystemActor) else actor.id


def _active(actor: Actor) -> bool:
    return isinstance(actor, SystemActor) or actor.is_active


def is_network_admin(actor: Actor) -> bool:
    """The command line, or a coordinator: an organiser of the network's own space (not of a fair)."""
    return isinstance(actor, SystemActor) or (
        actor.is_active and actor.role == Role.ORGANISER and actor.fair.is_network)


def _member_at(member_id: int | None, fair_id: int) -> bool:
    return db.session.scalar(select(Organisation.id).where(
        Organisation.member_id == member_id, Organisation.fair_id == fair_id,
        Organisation.removed_at.is_(None)).limit(1)) is not None


def _person_at(person_id: int | None, fair_id: int) -> bool:
    return db.session.scalar(select(Participant.id).where(
        Participant.person_id == person_id, Participant.fair_id == fair_id,
        Participant.removed_at.is_(None)).limit(1)) is not None


def manages(actor: Actor, account: Account) -> bool:
    """An organiser manages the accounts of the members and people at their own fair; the
    network's coordinator every account, the system ones included."""
    if isinstance(actor, SystemActor):
        return True
    if not actor.is_active or actor.role != Role.ORGANISER:
        return False
    if is_network_admin(actor):  # the coordinator: the whole ledger
        return True
    if account.kind == AccountKind.SYSTEM:
        return False
    if account.kind == AccountKind.MEMBER:
        return _member_at(account.member_id, actor.fair_id)
    if account.kind == AccountKind.INDIVIDUAL:
        return _person_at(account.person_id, actor.fair_id)
    return account.fair_id == actor.fair_id


def holds(actor: Actor, account: Account) -> bool:
    """The actor's person's account, or the account of the member they represent."""
    if isinstance(actor, SystemActor) or not actor.is_active:
        return False
    if account.kind == AccountKind.INDIVIDUAL:
        return account.person_id == actor.person_id
    if account.kind == AccountKind.MEMBER:
        return account.member_id == actor.organisation.member_id
    if account.kind == AccountKind.PERSON:
        return account.participant_id == actor.id
    if account.kind == AccountKind.ORGANISATION:
        return account.organisation_id == actor.organisation_id
    return False


def can_see(actor: Actor, account: Account) -> bool:
    return holds(actor, account) or manages(actor, account)


def can_see_entry(actor: Actor, entry: Entry) -> bool:
    """Through an account of the actor's own (a system account shows nothing by itself: it
    touches every fair), or as the network admin."""
    return is_network_admin(actor) or any(
        p.account.kind != AccountKind.SYSTEM and can_see(actor, p.account) for p in entry.postings)


def can_spend(actor: Actor, account: Account) -> bool:
    return account.kind != AccountKind.SYSTEM and (holds(actor, account) or manages(actor, account))


def require_network_admin(actor: Actor) -> None:
    if not is_network_admin(actor):
        raise Forbidden(_l("Only the network's organisers may do this."), code="not_network_admin")


def require_manages(actor: Actor, account: Account) -> None:
    if not _active(actor) or not manages(actor, account):
        raise Forbidden(_l("You do not manage the account %(account)s.", account=account.name),
                        code="not_account_manager")


def require_can_spend(actor: Actor, account: Account) -> None:
    if not _active(actor) or not can_spend(actor, account):
        raise Forbidden(_l("You may not spend points from %(account)s.", account=account.name),
                        code="not_account_holder")


def require_can_see(actor: Actor, account: Account) -> None:
    if not _active(actor) or not can_see(actor, account):
        raise Forbidden(_l("You may not see the account %(account)s.", account=account.name),
                        code="account_hidden")
