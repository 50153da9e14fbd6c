"""What the organiser and the brokers watch during the fair: who needs help, what is waiting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, joinedload

from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation, Signature
from app.core.extensions import db
from app.fairs.roles import Role
from app.floor.kinds import PostKind, PostState
from app.floor.models import Post
from app.people.models import CheckIn, Organisation, Participant


@dataclass(frozen=True)
class Waiting:
    """An agreement waiting for the notary, as the panel lists it."""

    id: int
    parties: list[str]  # the parties' organisations, in the agreement's order


@dataclass
class Panels:
    awaiting_notary: list[Waiting]  # agreements every party signed, waiting for the countersignature
    recent_check_ins: list[CheckIn]
    without_posts: list[Participant]
    unanswered_needs: list[Post]


def awaiting_notary(fair_id: int) -> list[Waiting]:
    """Every party signed the current version: the notary's turn, longest waiting first. The rule
    of app.agreements.queues.awaiting_notary (awaiting signatures, no notary yet, something
    promised, no party without a signature of the current version), decided in SQL; read with the
    parties' names in one statement."""
    signed = exists().where(Signature.agreement_id == Agreement.id, Signature.party_id == AgreementParty.id,
                            Signature.version == Agreement.version).correlate(Agreement, AgreementParty)
    unsigned_party = exists().where(AgreementParty.agreement_id == Agreement.id, ~signed)
    promises = exists().where(Obligation.agreement_id == Agreement.id)
    party = aliased(AgreementParty)
    rows = db.session.execute(
        select(Agreement.id, Organisation.name)
        .outerjoin(party, party.agreement_id == Agreement.id)
        .outerjoin(Organisation, Organisation.id == party.organisation_id)
        .where(Agreement.fair_id == fair_id, Agreement.state == AgreementState.AWAITING_SIGNATURES,
               Agreement.notary_id.is_(None), promises, ~unsigned_party)
        .order_by(Agreement.updated_at, Agreement.id, party.position))
    waiting: dict[int, Waiting] = {}
    for agreement_id, name in rows:
        names = waiting.setdefault(agreement_id, Waiting(agreement_id, [])).parties
        if name is not None:
            names.append(name)
    return list(waiting.values())


def participants_without_posts(fair_id: int, limit: int = 100) -> list[Participant]:
    """Participants whose organisation has posted nothing yet: brokers go and help them."""
    # Decided per organisation of the fair (fewer than its people), then their people read by
    # organisation. An organisation belongs to one fair: its posts are that fair's. (With
    # `Post.fair_id` here too, SQLite may answer each organisation by reading every post of the fair.)
    silent = select(Organisation.id).where(
        Organisation.fair_id == fair_id, ~exists().where(Post.organisation_id == Organisation.id))
    return list(db.session.scalars(
        select(Participant).options(joinedload(Participant.organisation), joinedload(Participant.check_in))
        .where(Participant.fair_id == fair_id, Participant.removed_at.is_(None),
               Participant.role == Role.PARTICIPANT, Participant.organisation_id.in_(silent))
        .order_by(Participant.last_name, Participant.first_name).limit(limit)).unique())


def unanswered_needs(fair_id: int, limit: int = 100) -> list[Post]:
    """Live needs that no agreement (draft or signed, not cancelled or annulled) refers to."""

    answered = exists().where(
        Obligation.post_id == Post.id, Obligation.agreement_id == Agreement.id,
        Agreement.state.not_in([AgreementState.CANCELLED, AgreementState.ANNULLED]))
    return list(db.session.scalars(
        select(Post).options(joinedload(Post.organisation), joinedload(Post.category), joinedload(Post.author))
        .where(Post.fair_id == fair_id, Post.kind == PostKind.NEED, Post.state == PostState.ACTIVE,
               Post.hidden_at.is_(None), ~answered)
        .order_by(Post.created_at).limit(limit)).unique())


def recent_check_ins(fair_id: int, limit: int = 30) -> list[CheckIn]:
    return list(db.session.scalars(
        select(CheckIn).options(joinedload(CheckIn.participant).joinedload(Participant.organisation))
        .where(CheckIn.fair_id == fair_id).order_by(CheckIn.checked_in_at.desc()).limit(limit)))


def control_panels(fair_id: int) -> Panels:

    return Panels(awaiting_notary(fair_id), recent_check_ins(fair_id), participants_without_posts(fair_id),
                  unanswered_needs(fair_id))
