"""Exports of one fair for its organisers: tables as CSV and XLSX (for people, in the user's
language, times in Polish time), and the whole fair as one JSON document (for machines; built in
`fair_document`, format in docs/export-format.md).

Nothing secret leaves: no login secrets, PINs, password hashes or the big screen's token. The
JSON lists the fields it exports by name, so a column added to a model later stays out of it
until someone adds it here on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.agreements.fulfilment import follow_up_select, overdue
from app.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementState,
    Obligation,
    ObligationState,
)
from app.agreements.reminders import last_reminded
from app.core.extensions import db
from app.core.output.bulk import gc_paused
from app.core.output.spreadsheets import XLSX_MIMETYPE, Cell, Sheet, csv_bytes, xlsx_bytes
from app.core.textkeys import search_key
from app.fairs.categories import category_label
from app.fairs.models import Category, Fair
from app.fairs.roles import ROLE_LABELS
from app.floor.kinds import UNIT_LABELS, PostKind, PostState
from app.floor.models import Post
from app.network.sectors import SECTOR_LABELS
from app.people.models import CheckIn, Organisation, Participant
from app.reports.fair_document import fair_json

FORMATS = ("csv", "xlsx", "json")
SIGNED_STATES = (AgreementState.SIGNED, AgreementState.FULFILLED)  # followed up
TABLES = ("participants", "organisations", "posts", "agreements", "check_ins", "follow_up")

AGREEMENT_STATE_LABELS: dict[AgreementState, LazyString] = {
    AgreementState.DRAFT: _l("draft"), AgreementState.AWAITING_SIGNATURES: _l("awaiting signatures"),
    AgreementState.SIGNED: _l("signed"), AgreementState.FULFILLED: _l("fulfilled"),
    AgreementState.CANCELLED: _l("cancelled"), AgreementState.ANNULLED: _l("annulled"),
}
OBLIGATION_STATE_LABELS: dict[ObligationState, LazyString] = {
    ObligationState.PENDING: _l("to be done"), ObligationState.DELIVERED: _l("delivered"),
    ObligationState.CONFIRMED: _l("confirmed"), ObligationState.DISPUTED: _l("disputed"),
}
POST_STATE_LABELS: dict[PostState, LazyString] = {
    PostState.ACTIVE: _l("active"), PostState.TAKEN: _l("taken"), PostState.WITHDRAWN: _l("withdrawn"),
}
TABLE_TITLES: dict[str, LazyString] = {
    "participants": _l("Participants"),
    "organisations": _l("Organisations"),
    "posts": _l("Offers and needs"),
    "agreements": _l("Agreements"),
    "check_ins": _l("Check-ins"),
    "follow_up": _l("Follow-up"),
}
TABLE_DESCRIPTIONS: dict[str, LazyString] = {
    "participants": _l("Everyone registered, with their organisation, contacts and check-in time."),
    "organisations": _l("Every organisation with its sector and contacts, and how many of its people came."),
    "posts": _l("Every offer and need, including hidden and withdrawn ones."),
    "agreements": _l("Every agreement, one row per obligation, with its number, state and parties."),
    "check_ins": _l("Who arrived when, and who checked them in."),
    "follow_up": _l("The obligations of signed agreements: due dates, deliveries, confirmations, "
                    "disputes and reminders."),
}


# --- tables -----------------------------------------------------------------------------------
# Every table is read as plain columns (joins, no ORM objects: a big fair's tables have tens of
# thousands of rows) and the words of its cells are translated once per export, not per row.


def _words(labels: Mapping[Any, Any]) -> dict[Any, str]:
    """Labels (lazy strings) as text in the current language, once per export."""
    return {key: str(label) for key, label in labels.items()}


def _full_name(first: str | None, last: str | None) -> str | None:
    """As Participant.full_name; None without a person."""
    if first is None and last is None:
        return None
    return f"{first} {last}".strip()


def _participants(fair: Fair) -> Sheet:
    sectors, roles = _words(SECTOR_LABELS), _words(ROLE_LABELS)
    people = sorted(db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name, Organisation.name,
               Organisation.sector, Participant.role, Participant.email, Participant.phone,
               Participant.badge_code, Participant.registered_via, Participant.created_at, CheckIn.checked_in_at)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .outerjoin(CheckIn, CheckIn.participant_id == Participant.id)
        .where(Participant.fair_id == fair.id, Participant.removed_at.is_(None))),
        key=lambda p: (search_key(p[2]), search_key(p[1]), p[0]))  # by last name, as the lists
    headers = [_("ID"), _("First name"), _("Last name"), _("Organisation"), _("Sector"), _("Role"),
               _("E-mail"), _("Phone"), _("Badge code"), _("Registered via"), _("Registered at"),
               _("Checked in at")]
    rows = [(pid, first, last, org, sectors[sector], roles[role], email, phone, badge, via, created, arrived)
            for pid, first, last, org, sector, role, email, phone, badge, via, created, arrived in people]
    return Sheet(str(TABLE_TITLES["participants"]), headers, rows)


def _organisations(fair: Fair) -> Sheet:
    sectors = _words(SECTOR_LABELS)
    counts = dict(db.session.execute(
        select(Participant.organisation_id, func.count()).where(
            Participant.fair_id == fair.id, Participant.removed_at.is_(None))
        .group_by(Participant.organisation_id)).tuples().all())
    arrived = dict(db.session.execute(
        select(Participant.organisation_id, func.count()).join(CheckIn, CheckIn.participant_id == Participant.id)
        .where(Participant.fair_id == fair.id, Participant.removed_at.is_(None))
        .group_by(Participant.organisation_id)).tuples().all())
    orgs = sorted(db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.sector, Organisation.city, Organisation.email,
               Organisation.phone, Organisation.website, Organisation.description, Organisation.created_at,
               Organisation.name_key)
        .where(Organisation.fair_id == fair.id, Organisation.removed_at.is_(None))),
        key=lambda o: (o[9], o[0]))
    headers = [_("ID"), _("Name"), _("Sector"), _("City"), _("E-mail"), _("Phone"), _("Website"),
               _("Description"), _("Participants"), _("Checked in"), _("Registered at")]
    rows = [(oid, name, sectors[sector], city, email, phone, website, description,
             counts.get(oid, 0), arrived.get(oid, 0), created)
            for oid, name, sector, city, email, phone, website, description, created, _key in orgs]
    return Sheet(str(TABLE_TITLES["organisations"]), headers, rows)


def _posts(fair: Fair) -> Sheet:
    sectors, units, states = _words(SECTOR_LABELS), _words(UNIT_LABELS), _words(POST_STATE_LABELS)
    kinds = {kind: str(kind.label) for kind in PostKind}
    categories = {c.id: category_label(c) for c in db.session.scalars(select(Category).where(
        Category.id.in_(select(Post.category_id).where(Post.fair_id == fair.id).scalar_subquery())))}
    posts = db.session.execute(
        select(Post.id, Post.kind, Post.category_id, Post.title, Post.details, Post.quantity, Post.unit,
               Post.available_when, Organisation.name, Organisation.sector, Participant.first_name,
               Participant.last_name, Post.state, Post.hidden_at, Post.hidden_reason, Post.created_at,
               Post.updated_at)
        .join(Organisation, Organisation.id == Post.organisation_id)
        .join(Participant, Participant.id == Post.author_id)
        .where(Post.fair_id == fair.id).order_by(Post.created_at, Post.id))
    headers = [_("ID"), _("Kind"), _("Category"), _("Title"), _("Details"), _("Quantity"), _("Unit"),
               _("Available when"), _("Organisation"), _("Sector"), _("Author"), _("State"),
               _("Hidden at"), _("Reason for hiding"), _("Posted at"), _("Changed at")]
    rows = [(pid, kinds[kind], categories[category_id], title, details, quantity,
             units[unit] if unit else None, available_when, org, sectors[sector], _full_name(first, last),
             states[state], hidden_at, hidden_reason or None, created, updated)
            for (pid, kind, category_id, title, details, quantity, unit, available_when, org, sector, first, last,
                 state, hidden_at, hidden_reason, created, updated) in posts]
    return Sheet(str(TABLE_TITLES["posts"]), headers, rows)


def _signed_party_names(fair_id: int) -> dict[int, str]:
    """Per party of a signed agreement: its organisation's name."""
    return dict(db.session.execute(
        select(AgreementParty.id, Organisation.name)
        .join(Organisation, Organisation.id == AgreementParty.organisation_id)
        .join(Agreement, Agreement.id == AgreementParty.agreement_id)
        .where(Agreement.fair_id == fair_id, Agreement.state.in_(SIGNED_STATES))).tuples().all())


def _agreements(fair: Fair) -> Sheet:
    headers = [_("Agreement ID"), _("Agreement number"), _("Agreement state"), _("Parties"),
               _("Drafted at"), _("Signed at"), _("Notary"), _("Countersigned at"), _("Signed on paper"),
               _("Fulfilled at"), _("Agreement points"), _("Obligation no."), _("Who gives"), _("To whom"),
               _("What"), _("Quantity"), _("Unit"), _("When"), _("Where"), _("For how long"), _("Hours"),
               _("Points"), _("Contribution to costs"), _("Due date"), _("Obligation state")]
    agreement_states, obligation_states = _words(AGREEMENT_STATE_LABELS), _words(OBLIGATION_STATE_LABELS)
    units = _words(UNIT_LABELS)
    parties: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for agreement_id, party_id, name in db.session.execute(
            select(AgreementParty.agreement_id, AgreementParty.id, Organisation.name)
            .join(Organisation, Organisation.id == AgreementParty.organisation_id)
            .join(Agreement, Agreement.id == AgreementParty.agreement_id).where(Agreement.fair_id == fair.id)
            .order_by(AgreementParty.agreement_id, AgreementParty.position, AgreementParty.id)):
        parties.setdefault(agreement_id, []).append(name)
        names[party_id] = name
    obligations: dict[int, list[Sequence[Any]]] = {}
    for agreement_id, *ob in db.session.execute(
            select(Obligation.agreement_id, Obligation.giver_party_id, Obligation.receiver_party_id,
                   Obligation.description, Obligation.quantity, Obligation.unit, Obligation.when, Obligation.where,
                   Obligation.duration, Obligation.hours, Obligation.points, Obligation.cost_contribution,
                   Obligation.due_date, Obligation.state)
            .join(Agreement, Agreement.id == Obligation.agreement_id).where(Agreement.fair_id == fair.id)
            .order_by(Obligation.agreement_id, Obligation.position, Obligation.id)):
        obligations.setdefault(agreement_id, []).append(ob)
    notary = aliased(Participant)
    rows: list[Sequence[Cell]] = []
    for (aid, number, state, created, signed, notary_first, notary_last, notarised, on_paper,
         fulfilled) in db.session.execute(
            select(Agreement.id, Agreement.number, Agreement.state, Agreement.created_at, Agreement.signed_at,
                   notary.first_name, notary.last_name, Agreement.notarised_at, Agreement.on_paper,
                   Agreement.fulfilled_at)
            .outerjoin(notary, notary.id == Agreement.notary_id)
            .where(Agreement.fair_id == fair.id)
            .order_by(Agreement.seq_no.is_(None), Agreement.seq_no, Agreement.id)):
        obs = obligations.get(aid, [])
        head: list[Cell] = [
            aid, number, agreement_states[state], " / ".join(parties.get(aid, [])), created, signed,
            _full_name(notary_first, notary_last), notarised, on_paper, fulfilled, sum(ob[9] for ob in obs)]
        if not obs:
            rows.append([*head, *[None] * 14])
        for n, (giver, receiver, description, quantity, unit, when, where, duration, hours, points, cost, due,
                ob_state) in enumerate(obs, start=1):
            rows.append([*head, n, names[giver], names[receiver], description, quantity,
                         units[unit] if unit else None, when, where, duration, hours, points, cost, due,
                         obligation_states[ob_state]])
    return Sheet(str(TABLE_TITLES["agreements"]), headers, rows)


def _check_ins(fair: Fair) -> Sheet:
    sectors = _words(SECTOR_LABELS)
    helper = aliased(Participant)
    arrivals = db.session.execute(
        select(CheckIn.checked_in_at, CheckIn.participant_id, Participant.first_name, Participant.last_name,
               Organisation.name, Organisation.sector, helper.first_name, helper.last_name)
        .join(Participant, Participant.id == CheckIn.participant_id)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .outerjoin(helper, helper.id == CheckIn.checked_in_by_id)
        .where(CheckIn.fair_id == fair.id).order_by(CheckIn.checked_in_at, CheckIn.id))
    headers = [_("Checked in at"), _("Participant ID"), _("First name"), _("Last name"), _("Organisation"),
               _("Sector"), _("Checked in by")]
    rows = [(at, pid, first, last, org, sectors[sector], _full_name(helper_first, helper_last))
            for at, pid, first, last, org, sector, helper_first, helper_last in arrivals]
    return Sheet(str(TABLE_TITLES["check_ins"]), headers, rows)


def _follow_up(fair: Fair) -> Sheet:
    obligation_states = _words(OBLIGATION_STATE_LABELS)
    reminded = last_reminded(fair.id)
    names = _signed_party_names(fair.id)
    # An obligation's number within its agreement (as on the agreement): by position.
    numbers: dict[int, int] = {}
    previous, n = None, 0
    for agreement_id, oid in db.session.execute(
            select(Obligation.agreement_id, Obligation.id).join(Agreement, Agreement.id == Obligation.agreement_id)
            .where(Agreement.fair_id == fair.id, Agreement.state.in_(SIGNED_STATES))
            .order_by(Obligation.agreement_id, Obligation.position, Obligation.id)):
        n = n + 1 if agreement_id == previous else 1
        previous = agreement_id
        numbers[oid] = n
    confirmer = aliased(Participant)
    today = date.today()
    headers = [_("Agreement number"), _("Obligation no."), _("Who gives"), _("To whom"), _("What"),
               _("Points"), _("Due date"), _("Overdue"), _("Obligation state"), _("Delivered at"),
               _("Confirmed at"), _("Confirmed by"), _("Disputed at"), _("Dispute comment"),
               _("Last reminder sent at")]
    rows = [(number, numbers[oid], names[giver], names[receiver], description, points, due,
             overdue(state, due, today), obligation_states[state], delivered, confirmed,
             _full_name(confirmer_first, confirmer_last), disputed, comment or None, reminded.get(oid))
            for (oid, number, giver, receiver, description, points, due, state, delivered, confirmed,
                 confirmer_first, confirmer_last, disputed, comment) in db.session.execute(
                follow_up_select(
                    fair.id, Obligation.id, Agreement.number, Obligation.giver_party_id,
                    Obligation.receiver_party_id, Obligation.description, Obligation.points, Obligation.due_date,
                    Obligation.state, Obligation.delivered_at, Obligation.confirmed_at, confirmer.first_name,
                    confirmer.last_name, Obligation.disputed_at, Obligation.dispute_comment)
                .outerjoin(confirmer, confirmer.id == Obligation.confirmed_by_id))]
    return Sheet(str(TABLE_TITLES["follow_up"]), headers, rows)


BUILDERS: dict[str, Callable[[Fair], Sheet]] = {
    "participants": _participants, "organisations": _organisations, "posts": _posts,
    "agreements": _agreements, "check_ins": _check_ins, "follow_up": _follow_up,
}


def table(fair: Fair, key: str) -> Sheet:
    return BUILDERS[key](fair)


def table_csv(fair: Fair, key: str) -> bytes:
    return csv_bytes(table(fair, key), yes=_("yes"), no=_("no"))


def table_xlsx(fair: Fair, key: str) -> bytes:
    return xlsx_bytes([table(fair, key)])


def workbook_xlsx(fair: Fair) -> bytes:
    """Every table, one worksheet each."""
    return xlsx_bytes([table(fair, key) for key in TABLES])


# --- one entry point for the views and the CLI ------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    filename: str
    mimetype: str


MIMETYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_MIMETYPE, "json": "application/json"}


def export_file(fair: Fair, fmt: str, key: str | None = None) -> ExportFile:
    """A table (`key`) as CSV or XLSX, every table as one XLSX workbook (no key), or the JSON
    document. ValueError for a combination that does not exist."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if key is not None and key not in TABLES:
        raise ValueError(f"unknown table {key!r}")
    if fmt == "json" and key is not None:
        raise ValueError("the JSON export is the whole fair; it takes no table")
    if fmt == "csv" and key is None:
        raise ValueError("a CSV file holds one table: name it")
    with gc_paused():
        if fmt == "json":
            data = fair_json(fair)
        elif fmt == "csv" and key is not None:
            data = table_csv(fair, key)
        else:
            data = table_xlsx(fair, key) if key else workbook_xlsx(fair)
    stem = f"{fair.slug}-{(key or 'fair').replace('_', '-')}"
    return ExportFile(data, f"{stem}.{fmt}", MIMETYPES[fmt])

