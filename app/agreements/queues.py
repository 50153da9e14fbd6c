"""The notary's queues: agreements waiting for the countersignature, drafts, signed ones."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.agreements.models import Agreement, AgreementParty, AgreementState
from app.agreements.signing import all_parties_signed
from app.core.extensions import db


def _with_contents(query: Select) -> Select:
    """Everything the desk shows and the queue rule reads, loaded in a few queries in all."""
    return query.options(selectinload(Agreement.parties).selectinload(AgreementParty.organisation),
                         selectinload(Agreement.signatures), selectinload(Agreement.obligations))


def _in_states(fair_id: int, *states: AgreementState) -> Select:
    return _with_contents(select(Agreement).where(Agreement.fair_id == fair_id, Agreement.state.in_(states)))


def is_waiting_for_notary(agreement: Agreement) -> bool:
    return (agreement.state == AgreementState.AWAITING_SIGNATURES and agreement.notary_id is None
            and bool(agreement.obligations) and all_parties_signed(agreement))


def awaiting_notary(fair_id: int) -> list[Agreement]:
    """Every party signed the current version: the notary's turn, longest waiting first."""
    rows = db.session.scalars(_in_states(fair_id, AgreementState.AWAITING_SIGNATURES)
                              .order_by(Agreement.updated_at, Agreement.id))
    return [a for a in rows if is_waiting_for_notary(a)]


SHOWN = 50  # signed agreements and drafts listed on the desk: the newest (the counts say how many in all)


@dataclass
class NotaryQueue:
    waiting: list[Agreement]
    drafts: list[Agreement]  # the newest SHOWN
    signed: list[Agreement]  # the newest SHOWN, read in SQL
    drafts_total: int
    signed_total: int


def notary_queue(fair_id: int) -> NotaryQueue:
    unsigned = list(db.session.scalars(
        _in_states(fair_id, AgreementState.DRAFT, AgreementState.AWAITING_SIGNATURES)
        .order_by(Agreement.updated_at.desc(), Agreement.id.desc())))
    signed = list(db.session.scalars(_in_states(fair_id, AgreementState.SIGNED)
                                     .order_by(Agreement.signed_at.desc(), Agreement.id.desc()).limit(SHOWN)))
    signed_total = db.session.scalar(select(func.count()).select_from(Agreement).where(
        Agreement.fair_id == fair_id, Agreement.state == AgreementState.SIGNED)) or 0
    drafts = [a for a in unsigned if not is_waiting_for_notary(a)]
    return NotaryQueue(waiting=sorted((a for a in unsigned if is_waiting_for_notary(a)),
                                      key=lambda a: (a.updated_at, a.id)),
                       drafts=drafts[:SHOWN], signed=signed, drafts_total=len(drafts), signed_total=signed_total)
