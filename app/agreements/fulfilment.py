"""Follow-up after the fair: the giver marks an obligation delivered, the receiver confirms it
(which posts its points to the ledger, exactly once) or disputes it with a comment. Confirming,
the receiver may rate it and say a few words (app/agreements/feedback.py), then or later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import InstrumentedAttribute, contains_eager, joinedload, selectinload

from app.agreements.events import notify_parties
from app.agreements.feedback import apply_feedback, checked_feedback, feedback_of
from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation, ObligationState
from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.core.web.sent_actions import earlier_action, record_action
from app.fairs.roles import require_role
from app.ledger.hooks import on_obligation_fulfilled as post_to_ledger
from app.people.models import Participant


def _obligation(fair_id: int, obligation_id: int) -> Obligation:
    ob = db.session.get(Obligation, obligation_id, with_for_update=True)
    if ob is None or ob.agreement.fair_id != fair_id:
        raise NotFound(_l("This obligation does not exist."), code="obligation_not_found")
    if ob.agreement.state not in (AgreementState.SIGNED, AgreementState.FULFILLED):
        raise Conflict(_l("Only obligations of signed agreements are followed up."), code="not_signed")
    return ob


def _member_of(actor: Participant, organisation_id: int) -> None:
    if actor.organisation_id != organisation_id:
        raise Forbidden(_l("Only the party concerned can do this."), code="wrong_party")


@service
def mark_delivered(actor: Participant, fair_id: int, obligation_id: int) -> Obligation:
    require_role(actor, fair_id)
    ob = _obligation(fair_id, obligation_id)
    _member_of(actor, ob.giver.organisation_id)
    if ob.state == ObligationState.CONFIRMED:
        raise Conflict(_l("This obligation is already confirmed."), code="already_confirmed")
    if ob.state != ObligationState.DELIVERED:
        ob.state = ObligationState.DELIVERED
        ob.delivered_at = utcnow()
        notify_parties(ob.agreement, "obligation.delivered", exclude=actor.id)
    return ob


CONFIRM = "obligation.confirm"  # the actions' names in sent_actions
FEEDBACK = "obligation.feedback"


@service
def confirm_delivery(actor: Participant, fair_id: int, obligation_id: int, key: str | None = None,
                     rating: int | None = None, testimonial: str = "", quote_consent: bool = False) -> Obligation:
    """The receiver confirms: the obligation is fulfilled and its value moves to the giver. They
    may rate it (1–5) and leave a few words, with consent to quote them in reports
    (app/agreements/feedback.py): kept with the confirmation, or nothing is (a rating or words
    refused refuse the confirmation too).

    `key`: the phone's one-time key for this confirmation (app/core/web/sent_actions.py): a
    second send with the same key confirms (and posts) nothing, leaves the feedback as it is, and
    returns the obligation. A second confirmation without the key (a double tap) does the same:
    feedback given after the confirmation is `leave_feedback`'s."""
    require_role(actor, fair_id)
    ob = _obligation(fair_id, obligation_id)
    _member_of(actor, ob.receiver.organisation_id)
    feedback = checked_feedback(rating, testimonial, quote_consent)
    if earlier_action(actor.id, fair_id, key, CONFIRM, ob.id):
        return ob
    if ob.state == ObligationState.CONFIRMED:
        return ob  # a double tap confirms (and posts) once
    record_action(actor.id, fair_id, key, CONFIRM, ob.id)
    ob.state = ObligationState.CONFIRMED
    ob.confirmed_at = utcnow()
    ob.confirmed_by_id = actor.id
    if feedback.given:
        apply_feedback(ob, feedback)
    on_obligation_fulfilled(ob, actor)
    agreement = ob.agreement
    if all(o.state == ObligationState.CONFIRMED for o in agreement.obligations):
        agreement.state = AgreementState.FULFILLED
        agreement.fulfilled_at = utcnow()
    notify_parties(agreement, "obligation.confirmed", exclude=actor.id)
    return ob


@service
def leave_feedback(actor: Participant, fair_id: int, obligation_id: int, rating: int | None = None,
                   testimonial: str = "", quote_consent: bool = False, key: str | None = None) -> Obligation:
    """The receiver gives, changes or (giving none) takes back their feedback on an obligation
    they have confirmed. `key` as for `confirm_delivery`: sent again, it changes nothing."""
    require_role(actor, fair_id)
    ob = _obligation(fair_id, obligation_id)
    _member_of(actor, ob.receiver.organisation_id)
    if ob.state != ObligationState.CONFIRMED:
        raise Conflict(_l("Feedback is given once the obligation is confirmed."), code="not_confirmed")
    feedback = checked_feedback(rating, testimonial, quote_consent)
    if earlier_action(actor.id, fair_id, key, FEEDBACK, ob.id):
        return ob
    record_action(actor.id, fair_id, key, FEEDBACK, ob.id)
    if feedback != feedback_of(ob):
        apply_feedback(ob, feedback)
        notify_parties(ob.agreement, "obligation.feedback", exclude=actor.id)
    return ob


@service
def dispute_delivery(actor: Participant, fair_id: int, obligation_id: int, comment: str) -> Obligation:
    require_role(actor, fair_id)
    ob = _obligation(fair_id, obligation_id)
    _member_of(actor, ob.receiver.organisation_id)
    if ob.state == ObligationState.CONFIRMED:
        raise Conflict(_l("This obligation is already confirmed."), code="already_confirmed")
    if not tidy(comment):
        raise ValidationError(_l("Say what is wrong, so that the other party can answer."),
                              code="comment_missing")
    ob.state = ObligationState.DISPUTED
    ob.disputed_at = utcnow()
    ob.dispute_comment = tidy(comment)[:1000]
    notify_parties(ob.agreement, "obligation.disputed", exclude=actor.id)
    return ob


def on_obligation_fulfilled(ob: Obligation, actor: Participant) -> None:
    """The seam to the points ledger: the obligation's value moves from the receiver's account to
    the giver's, exactly once per obligation, inside the confirming transaction."""

    post_to_ledger(ob.id, ob.giver.organisation_id, ob.receiver.organisation_id, ob.points,
                   ob.agreement.fair_id, actor, memo=f"{ob.agreement.number}: {ob.description[:80]}")


@dataclass
class FollowUpPage:
    obligations: list[Obligation]  # this page's, in order
    total: int  # all of them


def _signed(fair_id: int) -> tuple[ColumnElement[bool], ...]:
    return (Agreement.fair_id == fair_id, Agreement.state.in_([AgreementState.SIGNED, AgreementState.FULFILLED]))


def _follow_up_order() -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]:
    """Overdue first, then those still to be done, then by due date (none last)."""
    overdue = and_(Obligation.state != ObligationState.CONFIRMED, Obligation.due_date.is_not(None),
                   Obligation.due_date < date.today())
    return (case((overdue, 0), else_=1), case((Obligation.state == ObligationState.CONFIRMED, 1), else_=0),
            Obligation.due_date.is_(None), Obligation.due_date, Obligation.id)


def follow_up_select(fair_id: int, *columns: Any) -> Select[Any]:
    """`columns` of the obligations of the fair's signed agreements (joined to their agreement)
    in `_follow_up_order`, sorted in SQL. The page reads it as objects (`_follow_up_query`), the
    export as plain columns."""
    return (select(*columns).select_from(Obligation).join(Agreement, Obligation.agreement).where(*_signed(fair_id))
            .order_by(*_follow_up_order()))


def _follow_up_query(fair_id: int) -> Select[tuple[Obligation]]:
    """`follow_up_select` as obligations, with everything the page and the export show loaded in
    a fixed number of queries however many rows: each agreement with its obligations (their
    numbering), each party with its organisation."""
    return follow_up_select(fair_id, Obligation).options(
        contains_eager(Obligation.agreement).selectinload(Agreement.obligations),
        selectinload(Obligation.giver).joinedload(AgreementParty.organisation),
        selectinload(Obligation.receiver).joinedload(AgreementParty.organisation))


def follow_up(fair_id: int) -> list[Obligation]:
    """Every obligation of the fair's signed agreements: overdue first, then by due date."""
    return list(db.session.scalars(_follow_up_query(fair_id)))


def follow_up_page(fair_id: int, page: int, page_size: int) -> FollowUpPage:
    """One page of `follow_up` (paged in SQL), and how many there are in all.

    The page's obligations are chosen by sorting only their ids and sort keys (a subquery), and
    only those rows are then read whole: sorting every obligation of the fair with its agreement's
    columns (the frozen text among them) was most of the page's time at a big fair. The page
    shows each obligation's agreement number and parties, not the agreement's other obligations."""
    total = db.session.scalar(select(func.count(Obligation.id)).join(Agreement).where(*_signed(fair_id))) or 0
    chosen = (select(Obligation.id).join(Agreement).where(*_signed(fair_id)).order_by(*_follow_up_order())
              .limit(page_size).offset((page - 1) * page_size))
    rows = db.session.scalars(
        select(Obligation).where(Obligation.id.in_(chosen.scalar_subquery()))
        .options(joinedload(Obligation.agreement).load_only(Agreement.id, Agreement.number, Agreement.state),
                 joinedload(Obligation.giver).joinedload(AgreementParty.organisation),
                 joinedload(Obligation.receiver).joinedload(AgreementParty.organisation))
        .order_by(*_follow_up_order()))
    return FollowUpPage(list(rows), total)


def overdue(state: ObligationState, due_date: date | None, today: date | None = None) -> bool:
    return state != ObligationState.CONFIRMED and due_date is not None and due_date < (today or date.today())


def is_overdue(ob: Obligation) -> bool:
    return overdue(ob.state, ob.due_date)
