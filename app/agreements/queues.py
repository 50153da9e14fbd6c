"""The notary's queues: agreements waiting for the countersignature, drafts, signed ones.

Which list an agreement is on is decided in SQL (`_waiting`), so that each list is searched,
counted, sorted and paged by the database: the desk reads one page of each, in a fixed number
of queries however many agreements the fair has."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import defer, selectinload

from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation, Signature
from app.agreements.signing import all_parties_signed
from app.core.extensions import db
from app.core.textkeys import search_key
from app.people.models import Organisation, Participant

PAGE_SIZE = 50  # agreements on one page of each of the desk's lists
MAX_QUERY = 100  # characters of a search that are used


def _all_parties_signed() -> ColumnElement[bool]:
    """SQL: no party of the agreement lacks a signature of its current version."""
    signed = exists().where(Signature.agreement_id == Agreement.id, Signature.party_id == AgreementParty.id,
                            Signature.version == Agreement.version).correlate_except(Signature)
    return ~exists().where(AgreementParty.agreement_id == Agreement.id, ~signed).correlate_except(AgreementParty)


def _ready_for_notary() -> ColumnElement[bool]:
    """SQL for `is_waiting_for_notary`, less the state."""
    return and_(Agreement.notary_id.is_(None), exists().where(Obligation.agreement_id == Agreement.id),
                _all_parties_signed())


def _waiting() -> ColumnElement[bool]:
    return and_(Agreement.state == AgreementState.AWAITING_SIGNATURES, _ready_for_notary())


def _drafts() -> ColumnElement[bool]:
    """Not signed yet, and not (yet) the notary's turn."""
    return and_(Agreement.state.in_([AgreementState.DRAFT, AgreementState.AWAITING_SIGNATURES]),
                not_(and_(Agreement.state == AgreementState.AWAITING_SIGNATURES, _ready_for_notary())))


def _signed() -> ColumnElement[bool]:
    return Agreement.state == AgreementState.SIGNED


def is_waiting_for_notary(agreement: Agreement) -> bool:
    return (agreement.state == AgreementState.AWAITING_SIGNATURES and agreement.notary_id is None
            and bool(agreement.obligations) and all_parties_signed(agreement))


def _listed(query: Select[tuple[Agreement]], obligations: bool = True) -> Select[tuple[Agreement]]:
    """What a list shows: each party's organisation, and the obligations where it shows them
    (never the frozen text or the PDF)."""
    query = query.options(defer(Agreement.frozen_content),
                          selectinload(Agreement.parties).selectinload(AgreementParty.organisation))
    return query.options(selectinload(Agreement.obligations)) if obligations else query


def awaiting_notary(fair_id: int) -> list[Agreement]:
    """Every party signed the current version: the notary's turn, longest waiting first."""
    return list(db.session.scalars(_listed(select(Agreement).where(Agreement.fair_id == fair_id, _waiting()),
                                           obligations=False).order_by(Agreement.updated_at, Agreement.id)))


def _matching(q: str) -> list[ColumnElement[bool]]:
    """Every word of the search is in the agreement's number or in a party's organisation or
    contact person (name, e-mail, badge code), case and diacritics ignored."""
    conditions = []
    for word in search_key(q[:MAX_QUERY]).split():
        party = (select(AgreementParty.id)
                 .join(Organisation, Organisation.id == AgreementParty.organisation_id)
                 .join(Participant, Participant.id == AgreementParty.representative_id)
                 .where(AgreementParty.agreement_id == Agreement.id,
                        or_(Organisation.search_text.contains(word, autoescape=True),
                            Participant.search_text.contains(word, autoescape=True)))
                 .correlate_except(AgreementParty, Organisation, Participant).exists())
        conditions.append(or_(func.lower(Agreement.number).contains(word, autoescape=True), party))
    return conditions


@dataclass(frozen=True)
class DeskList:
    agreements: list[Agreement]  # this page's, in order
    total: int  # all on the list (that match the search)
    page: int  # the page shown: 1 to `pages`

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


@dataclass(frozen=True)
class DeskPages:
    """The page asked for of each list (1 = the first; past the last shows the last)."""

    waiting: int = 1
    drafts: int = 1
    signed: int = 1


@dataclass(frozen=True)
class NotaryQueue:
    waiting: DeskList  # longest waiting first
    drafts: DeskList  # newest first
    signed: DeskList  # newest first


def notary_queue(fair_id: int, q: str = "", pages: DeskPages | None = None) -> NotaryQueue:
    """The desk's three lists, searched (`q`: see `_matching`) and paged in SQL: one query counts
    all three, then one page of each is read (with parties and obligations)."""
    pages = pages or DeskPages()
    base = [Agreement.fair_id == fair_id, *_matching(q)]
    lists = {"waiting": _waiting(), "drafts": _drafts(), "signed": _signed()}
    listed_states = [AgreementState.DRAFT, AgreementState.AWAITING_SIGNATURES, AgreementState.SIGNED]
    totals = db.session.execute(select(*(func.count(case((where, 1))) for where in lists.values()))
                                .where(*base, Agreement.state.in_(listed_states))).one()
    orders = {"waiting": (Agreement.updated_at, Agreement.id),
              "drafts": (Agreement.updated_at.desc(), Agreement.id.desc()),
              "signed": (Agreement.signed_at.desc(), Agreement.id.desc())}
    shown = {}
    for (name, where), total in zip(lists.items(), totals, strict=True):
        page = min(max(1, getattr(pages, name)), max(1, -(-total // PAGE_SIZE)))
        rows = db.session.scalars(_listed(select(Agreement).where(*base, where), obligations=name == "waiting")
                                  .order_by(*orders[name])
                                  .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
        shown[name] = DeskList(list(rows), total, page)
    return NotaryQueue(**shown)
