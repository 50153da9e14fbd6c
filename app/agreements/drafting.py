"""Drafting an agreement: start it from a card or a post, edit parties and obligations, cancel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.agreements.access import actor_party, get_agreement, require_version
from app.agreements.events import notify_parties
from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation
from app.agreements.money import check_no_money
from app.core.codes import new_public_code
from app.core.errors import Conflict, ValidationError
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.core.web.formkeys import Sent, lock_form_key, scoped_key
from app.fairs.categories import get_category
from app.fairs.models import Fair
from app.fairs.roles import STAFF_ROLES, Role, require_role
from app.floor.kinds import PostKind, Unit
from app.floor.posts import get_post, require_trading
from app.people.models import Participant
from app.people.participants import get_participant
from app.valuation.kinds import ValueBasis

MAX_PARTIES = 6
MAX_OBLIGATIONS = 20
MAX_POINTS = 10_000


@dataclass
class PartyData:
    organisation_id: int
    representative_id: int
    contact_name: str = ""
    contact_details: str = ""


@dataclass
class ObligationData:
    giver_organisation_id: int
    receiver_organisation_id: int
    description: str
    post_id: int | None = None
    category_id: int | None = None
    quantity: int | None = None
    unit: Unit | None = None
    when: str = ""
    where: str = ""
    duration: str = ""
    hours: int | None = None
    points: int | None = None  # None: hours × the fair's point rate
    cost_contribution: str = ""
    due_date: date | None = None
    value_basis: ValueBasis | None = None  # None: the category's (app/valuation)


@dataclass
class AgreementData:
    parties: list[PartyData]
    obligations: list[ObligationData] = field(default_factory=list)


def _contact(person: Participant, own: bool) -> str:
    """Contact details to prefill: all of one's own, only what the other person shares."""
    parts = []
    if person.email and (own or person.show_email):
        parts.append(person.email)
    if person.phone and (own or person.show_phone):
        parts.append(person.phone)
    return ", ".join(parts)


def agreement_for_form_key(actor: Participant, fair_id: int, form_key: str | None) -> Agreement | None:
    """The agreement the actor already started with this one-time form key, if any."""
    key = scoped_key(actor.id, form_key)
    if key is None:
        return None
    return db.session.scalar(select(Agreement).where(Agreement.fair_id == fair_id, Agreement.form_key == key))


def earlier_agreement(actor: Participant, fair_id: int, form_key: str | None) -> Agreement | None:
    """Inside a start: wait for any request with the same key, then what it started."""
    lock_form_key(fair_id, scoped_key(actor.id, form_key))
    return agreement_for_form_key(actor, fair_id, form_key)


@service
def start_agreement(actor: Participant, fair_id: int, counterpart_id: int,
                    post_id: int | None = None, form_key: str | None = None) -> Agreement:
    """A draft between the actor's organisation and the counterpart's, from a card or a post.

    `form_key`: the one-time key of the form sent (app/formkeys.py). A second call by the same
    person with the same key — even at the same moment — starts nothing and returns the draft
    the first call started."""
    return _start_agreement(actor, fair_id, counterpart_id, post_id, form_key).row


@service
def submit_start(actor: Participant, fair_id: int, counterpart_id: int, post_id: int | None,
                 form_key: str) -> Sent[Agreement]:
    """The start form: `start_agreement` with the form's one-time key, saying whether this
    request started the draft or the same form had been sent before (`created` False)."""
    return _start_agreement(actor, fair_id, counterpart_id, post_id, form_key)


def _start_agreement(actor: Participant, fair_id: int, counterpart_id: int, post_id: int | None,
                     form_key: str | None) -> Sent[Agreement]:
    require_role(actor, fair_id)
    earlier = earlier_agreement(actor, fair_id, form_key)
    if earlier is not None:
        return Sent(earlier, created=False)
    fair = db.session.get_one(Fair, fair_id)
    agreement, other = new_agreement(actor, fair, counterpart_id, form_key)
    if post_id is not None:
        post = get_post(fair_id, post_id)
        if post.organisation_id not in (actor.organisation_id, other.organisation_id):
            raise ValidationError(_l("The post belongs to neither party."), code="post_not_of_parties")
        giver = post.organisation_id if post.kind == PostKind.OFFER else (
            actor.organisation_id if post.organisation_id == other.organisation_id else other.organisation_id)
        receiver = other.organisation_id if giver == actor.organisation_id else actor.organisation_id
        add_obligation(agreement, fair, ObligationData(
            giver_organisation_id=giver, receiver_organisation_id=receiver, post_id=post.id,
            category_id=post.category_id, description=post.title, quantity=post.quantity, unit=post.unit,
            when=post.available_when), position=0)
    notify_parties(agreement, "agreement.drafted", exclude=actor.id)
    return Sent(agreement, created=True)


def new_agreement(actor: Participant, fair: Fair, counterpart_id: int,
                  form_key: str | None) -> tuple[Agreement, Participant]:
    """Inside a start: a draft between the actor's organisation and the counterpart's (while
    trading is open), with both parties and their contacts; flushed, so that it has its id."""
    require_trading(fair)
    other = get_participant(fair.id, counterpart_id)
    if other.organisation_id == actor.organisation_id:
        raise ValidationError(_l("An agreement needs two different organisations."), code="same_organisation")
    agreement = Agreement(fair_id=fair.id, created_by_id=actor.id, public_code=new_public_code(),
                          form_key=scoped_key(actor.id, form_key))
    agreement.parties = [
        AgreementParty(organisation_id=actor.organisation_id, representative_id=actor.id, position=0,
                       contact_name=actor.full_name, contact_details=_contact(actor, own=True)),
        AgreementParty(organisation_id=other.organisation_id, representative_id=other.id, position=1,
                       contact_name=other.full_name, contact_details=_contact(other, own=False)),
    ]
    db.session.add(agreement)
    db.session.flush()
    return agreement, other


@service
def start_paper_draft(actor: Participant, fair_id: int, first_id: int, second_id: int,
                      form_key: str | None = None) -> Agreement:
    """A notary types in an agreement signed on paper: a draft between two participants'
    organisations that the notary fills in and then records as signed. `form_key` as for
    `start_agreement`: the same form sent twice starts one draft."""
    return _start_paper_draft(actor, fair_id, first_id, second_id, form_key).row


@service
def submit_paper_draft(actor: Participant, fair_id: int, first_id: int, second_id: int,
                       form_key: str) -> Sent[Agreement]:
    """The notary's paper form: `start_paper_draft` with the form's one-time key, saying whether
    this request started the draft (`created` False: the same form had been sent before)."""
    return _start_paper_draft(actor, fair_id, first_id, second_id, form_key)


def _start_paper_draft(actor: Participant, fair_id: int, first_id: int, second_id: int,
                       form_key: str | None) -> Sent[Agreement]:
    require_role(actor, fair_id, Role.NOTARY, Role.ORGANISER)
    earlier = earlier_agreement(actor, fair_id, form_key)
    if earlier is not None:
        return Sent(earlier, created=False)
    a, b = get_participant(fair_id, first_id), get_participant(fair_id, second_id)
    if a.organisation_id == b.organisation_id:
        raise ValidationError(_l("An agreement needs two different organisations."), code="same_organisation")
    agreement = Agreement(fair_id=fair_id, created_by_id=actor.id, public_code=new_public_code(),
                          on_paper=True, form_key=scoped_key(actor.id, form_key))
    agreement.parties = [
        AgreementParty(organisation_id=p.organisation_id, representative_id=p.id, position=i,
                       contact_name=p.full_name, contact_details=_contact(p, own=True))
        for i, p in enumerate((a, b))]
    db.session.add(agreement)
    db.session.flush()
    return Sent(agreement, created=True)


def _may_edit(actor: Participant, agreement: Agreement) -> None:
    if agreement.on_paper and actor.role in STAFF_ROLES and actor.fair_id == agreement.fair_id:
        return
    actor_party(actor, agreement)


def _party_by_org(agreement: Agreement, organisation_id: int) -> AgreementParty:
    party = agreement.party_for(organisation_id)
    if party is None:
        raise ValidationError(_l("Each obligation must be between parties of the agreement."),
                              code="obligation_party_unknown")
    return party


def add_obligation(agreement: Agreement, fair: Fair, data: ObligationData, position: int) -> Obligation:
    description = (data.description or "").strip()
    if not description:
        raise ValidationError(_l("Say what is given in each obligation."), code="obligation_empty")
    if data.giver_organisation_id == data.receiver_organisation_id:
        raise ValidationError(_l("A party cannot give something to itself."), code="giver_is_receiver")
    check_no_money(description, data.when, data.where, data.duration)
    if data.cost_contribution:
        check_no_money(data.cost_contribution)
    if data.quantity is not None and not 0 < data.quantity <= 100_000:
        raise ValidationError(_l("The quantity must be a positive whole number."), code="invalid_quantity")
    if data.hours is not None and not 0 <= data.hours <= 1000:
        raise ValidationError(_l("Hours must be between 0 and 1000."), code="invalid_hours")
    points = data.points if data.points is not None else (data.hours or 0) * fair.point_rate
    if not 0 <= points <= MAX_POINTS:
        raise ValidationError(_l("Points must be between 0 and %(max)d.", max=MAX_POINTS), code="invalid_points")
    if data.category_id is not None:
        get_category(fair.id, data.category_id)
    if data.post_id is not None:
        get_post(fair.id, data.post_id)
    ob = Obligation(
        agreement=agreement, position=position,
        giver=_party_by_org(agreement, data.giver_organisation_id),
        receiver=_party_by_org(agreement, data.receiver_organisation_id),
        post_id=data.post_id, category_id=data.category_id, description=description,
        quantity=data.quantity, unit=Unit(data.unit) if data.unit else None, when=tidy(data.when),
        where=tidy(data.where), duration=tidy(data.duration), hours=data.hours, points=points,
        cost_contribution=tidy(data.cost_contribution), due_date=data.due_date,
        value_basis=data.value_basis.value if data.value_basis else None)
    db.session.add(ob)
    return ob


def _editable(agreement: Agreement) -> None:
    if agreement.state not in (AgreementState.DRAFT, AgreementState.AWAITING_SIGNATURES):
        raise Conflict(_l("This agreement is no longer a draft and cannot be changed."),
                       code="agreement_frozen")


@service
def save_draft(actor: Participant, fair_id: int, agreement_id: int, data: AgreementData,
               version: int | None = None) -> Agreement:
    """Replace the parties' contacts and the obligations. Any edit voids signatures so far."""
    agreement = get_agreement(fair_id, agreement_id, lock=True)
    _may_edit(actor, agreement)
    _editable(agreement)
    require_version(agreement, version)
    fair = db.session.get_one(Fair, fair_id)
    if not 2 <= len(data.parties) <= MAX_PARTIES:
        raise ValidationError(_l("An agreement has between 2 and %(max)d parties.", max=MAX_PARTIES),
                              code="party_count")
    if len(data.obligations) > MAX_OBLIGATIONS:
        raise ValidationError(_l("Too many obligations in one agreement."), code="too_many_obligations")
    orgs = [p.organisation_id for p in data.parties]
    if len(set(orgs)) != len(orgs):
        raise ValidationError(_l("Each organisation can be a party only once."), code="duplicate_party")
    if actor.organisation_id not in orgs and not agreement.on_paper:
        raise ValidationError(_l("You cannot remove your own organisation from the agreement."),
                              code="own_party_removed")
    existing = {p.organisation_id: p for p in agreement.parties}
    for ob in list(agreement.obligations):
        agreement.obligations.remove(ob)
    db.session.flush()
    keep = []
    for position, pd in enumerate(data.parties):
        rep = get_participant(fair_id, pd.representative_id)
        if rep.organisation_id != pd.organisation_id:
            raise ValidationError(_l("A party's contact person must belong to that organisation."),
                                  code="representative_not_member")
        party = existing.get(pd.organisation_id) or AgreementParty(organisation_id=pd.organisation_id)
        party.representative_id = rep.id
        party.position = position
        party.contact_name = tidy(pd.contact_name) or rep.full_name
        party.contact_details = tidy(pd.contact_details)
        check_no_money(party.contact_details)
        keep.append(party)
    removed = {p.id for p in agreement.parties} - {p.id for p in keep if p.id is not None}
    for sig in [s for s in agreement.signatures if s.party_id in removed]:
        agreement.signatures.remove(sig)  # a removed party's (already void) signatures go with it
    agreement.parties = keep
    db.session.flush()
    for position, od in enumerate(data.obligations):
        add_obligation(agreement, fair, od, position)
    agreement.version += 1
    agreement.state = AgreementState.DRAFT
    agreement.updated_at = utcnow()
    db.session.flush()
    db.session.refresh(agreement)
    notify_parties(agreement, "agreement.updated", exclude=actor.id)
    return agreement


@service
def cancel_agreement(actor: Participant, fair_id: int, agreement_id: int) -> Agreement:
    """A party withdraws from an unsigned draft."""
    agreement = get_agreement(fair_id, agreement_id, lock=True)
    actor_party(actor, agreement)
    if agreement.state == AgreementState.CANCELLED:
        return agreement
    if agreement.state not in (AgreementState.DRAFT, AgreementState.AWAITING_SIGNATURES):
        raise Conflict(_l("A signed agreement cannot be cancelled; it can be annulled."),
                       code="cancel_signed")
    agreement.state = AgreementState.CANCELLED
    agreement.cancelled_at = utcnow()
    agreement.cancelled_by_id = actor.id
    notify_parties(agreement, "agreement.cancelled", exclude=actor.id)
    return agreement


def my_agreements(actor: Participant) -> list[Agreement]:
    return list(db.session.scalars(
        select(Agreement).join(AgreementParty).where(
            Agreement.fair_id == actor.fair_id, AgreementParty.organisation_id == actor.organisation_id)
        .order_by(Agreement.updated_at.desc())))
