"""A fair of any size, built through the app's services: `build_fair(n)` makes n participants
(imported from CSV files), n × 0.3 organisations, 2n posts and n / 2 agreements in the states a
real fair leaves them in, with check-ins, follow-up obligations and ledger transfers.

Used by tests/test_query_counts.py (a fair at two small sizes: every page asks the same number of
SQL statements) and by bench/bigfair.py (pages timed at 10,000 participants).

Batching: people come in CSV files of 1,000 rows through `import_participants` (one service call
per file, as an organiser would). Every other write is a real service call (`create_post`,
`start_agreement`, `save_draft`, `sign_agreement`, `notarise`, `mark_delivered`,
`confirm_delivery`, `annul_by_organiser`, `transfer_points`, ...), but `BATCH` of them share one
transaction (`transaction()`: a nested service call joins the outer one), and each call adds the
audit entry the outermost service would have added. The same service code runs, checks and
records its events; only the commits are fewer.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import (
    AgreementData,
    ObligationData,
    PartyData,
    cancel_agreement,
    save_draft,
    start_agreement,
)
from app.agreements.fulfilment import confirm_delivery, dispute_delivery, mark_delivered
from app.agreements.models import Agreement, AgreementParty
from app.agreements.signing import notarise, sign_agreement
from app.certificates.issuing import issue_certificate
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.audit import audit_entry
from app.core.storage.db import utcnow
from app.core.storage.transactions import transaction
from app.door.checkin import check_in
from app.fairs.categories import fair_categories
from app.fairs.fairs import FairData
from app.fairs.models import Category, Fair
from app.fairs.roles import Role
from app.fairs.trading import announce, open_trading
from app.floor.kinds import PostKind, Unit
from app.floor.posts import PostData, create_post, hide_post, mark_post_taken
from app.ledger.accounts import find_organisation_account, open_organisation_accounts, open_person_account
from app.ledger.coordinators import set_network_coordinator
from app.ledger.models import Posting
from app.ledger.operations import post_opening_balance, transfer_points
from app.ledger.permissions import SystemActor
from app.network.sectors import Sector
from app.partnerships.records import PartnerData, PartnershipData, record_partnership
from app.people.credentials import set_password_unchecked
from app.people.csv_import import import_participants
from app.people.first_fair import FirstFair, create_fair_with_organiser
from app.people.member_profile import MemberProfile, update_member_profile
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, create_participant

BATCH = 200
IMPORT_ROWS = 1000
PASSWORD = "bigfair-password-2026"

FIRST = ["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Łucja", "Zofia", "Piotr", "Krzysztof",
         "Łukasz", "Grzegorz", "Józef", "Bartłomiej", "Ewa", "Jadwiga", "Michał", "Żaneta"]
LAST = ["Nowak", "Kowalczyk", "Wójcik", "Dąbrowska", "Mazur", "Król", "Żółkiewska", "Ślęzak",
        "Wieczorek", "Jabłońska", "Wróbel", "Stępień", "Górska", "Kwiatkowski", "Lewandowska"]
SECTORS = ["ngo", "public", "business", "social_cooperative", "informal_group"]
TITLES = ["Sala konferencyjna na {n} osób", "Wolontariusze na festyn ({n})", "Catering dla {n} gości",
          "Nagłośnienie na {n} godzin", "Szkolenie z RODO dla {n} osób", "Transport busem, {n} km",
          "Zajęcia plastyczne, {n} spotkań", "Druk {n} ulotek"]


@dataclass
class BigFair:
    """Ids of what was built (plain values: they outlive sessions)."""

    slug: str
    fair_id: int
    organiser_id: int
    notary_id: int
    broker_id: int
    participant_ids: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    sample: dict[str, Any] = field(default_factory=dict)  # URL variable -> a value of this fair


def source_digest() -> str:
    """A digest of this builder's source: a cached database built by other code is not reused."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _audited(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call service `fn` inside the batch's transaction, and add its audit entry as the
    outermost call would have."""
    result = fn(*args, **kwargs)
    db.session.add(audit_entry(getattr(fn, "__wrapped__", fn), args, kwargs, result))
    return result


def _in_batches(items: Iterable[Any], each: Callable[[Any], None], size: int = BATCH) -> None:
    chunk: list[Any] = []

    def flush() -> None:
        with transaction():
            for item in chunk:
                each(item)
        db.session.expunge_all()
        chunk.clear()

    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            flush()
    if chunk:
        flush()


def _csv(rows: list[str]) -> bytes:
    return ("imię;nazwisko;e-mail;organizacja;sektor;miasto\n" + "\n".join(rows) + "\n").encode()


def build_fair(n: int, slug: str = "duza", seed: int = 11) -> BigFair:
    """Build the fair (in the current app context) and return its ids."""

    rng = random.Random(seed)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    organiser = create_fair_with_organiser(FirstFair(
        fair=FairData(slug=slug, name=f"Duża giełda ({n})", venue="Hala widowiskowo-sportowa",
                      starts_at=now - timedelta(hours=1), trading_opens_at=now,
                      trading_closes_at=now + timedelta(hours=3)),
        organiser=PersonData("Grażyna", "Żebrowska", f"organizator@{slug}.example.org"),
        organisation=OrganisationData("Starostwo Powiatowe", Sector.PUBLIC, city="Tczew"),
        password=PASSWORD))
    fair_id, organiser_id = organiser.fair_id, organiser.id
    set_network_coordinator(SystemActor("bigfair"), organiser_id, True)

    with transaction():
        staff = {}
        for role, first in ((Role.NOTARY, "Jerzy"), (Role.BROKER, "Marta")):
            person = create_participant(fair_id, PersonData(first, "Sztabowa", f"{role.value}@{slug}.example.org",
                                                            role=role),
                                        OrganisationData("Biuro giełdy", Sector.PUBLIC, city="Tczew"))
            set_password_unchecked(person, PASSWORD)
            staff[role] = person.id
    notary_id, broker_id = staff[Role.NOTARY], staff[Role.BROKER]

    # --- people: CSV files through the import ---------------------------------------------------
    n_orgs = max(2, int(n * 0.3))
    org_names = [f"{['Fundacja', 'Stowarzyszenie', 'Spółdzielnia', 'Klub', 'Urząd'][i % 5]} Nr {i} „Źródło”"
                 for i in range(n_orgs)]
    rows = []
    for i in range(n):
        org = i % n_orgs  # every organisation has someone; larger ones a few people
        rows.append(f"{FIRST[i % len(FIRST)]};{LAST[(i // len(FIRST)) % len(LAST)]}-{i};osoba{i}@{slug}.example.org;"
                    f"{org_names[org]};{SECTORS[org % len(SECTORS)]};Tczew")
    for start in range(0, n, IMPORT_ROWS):
        import_participants(db.session.get_one(Participant, organiser_id), fair_id,
                            _csv(rows[start:start + IMPORT_ROWS]))
        db.session.expunge_all()
    people = list(db.session.execute(
        select(Participant.id, Participant.organisation_id, Participant.badge_code)
        .where(Participant.fair_id == fair_id, Participant.role == Role.PARTICIPANT)
        .order_by(Participant.id)))
    ids = [p.id for p in people]
    org_of = {p.id: p.organisation_id for p in people}

    def person(pid: int) -> Participant:
        return db.session.get_one(Participant, pid)

    def staff_member(pid: int) -> Participant:
        return db.session.get_one(Participant, pid)

    # --- the door: two thirds checked in ----------------------------------------------------------
    arrived = [p.badge_code for p in people if rng.random() < 0.67]
    _in_batches(arrived, lambda code: _audited(check_in, staff_member(notary_id), fair_id, code))

    # --- the floor: 2n posts --------------------------------------------------------------------------
    open_trading(db.session.get_one(Participant, organiser_id), fair_id, 480)
    categories = [c.id for c in fair_categories(fair_id)]
    posts: list[tuple[int, int, str]] = []  # (post id, author id, kind)

    def post(i: int) -> None:
        author = ids[i % len(ids)]
        kind = PostKind.OFFER if i % 3 else PostKind.NEED
        p = _audited(create_post, person(author), fair_id, PostData(
            kind=kind, category_id=categories[i % len(categories)],
            title=TITLES[i % len(TITLES)].format(n=i % 90 + 2), details=f"Opis ogłoszenia {i}: wtorki po 16.",
            quantity=(i % 7) or None, unit=Unit.HOURS if i % 7 else None))
        posts.append((p.id, author, kind.value))

    _in_batches(range(2 * n), post)
    hidden = posts[5::97]
    hidden_ids = {h[0] for h in hidden}
    taken = posts[7::13]
    _in_batches(hidden, lambda p: _audited(hide_post, staff_member(organiser_id), fair_id, p[0], "Nie na temat"))
    _in_batches([p for p in taken if p not in hidden],
                lambda p: _audited(mark_post_taken, person(p[1]), fair_id, p[0]))

    # --- agreements: n / 2 ----------------------------------------------------------------------------
    today = date.today()
    n_agreements = max(2, n // 2)
    states: list[str] = []  # what becomes of each
    for i in range(n_agreements):
        r = i % 20
        states.append("draft" if r < 2 else "cancelled" if r == 2 else "awaiting" if r == 3
                      else "annulled" if r == 4 else "fulfilled" if r < 11 else "signed")
    made: list[tuple[int, str, list[int]]] = []  # (agreement id, state, obligation ids)

    def agreement(i: int) -> None:
        a = ids[(2 * i) % len(ids)]
        b = ids[(2 * i + 1 + (i // len(ids))) % len(ids)]
        if org_of[a] == org_of[b]:
            b = ids[(2 * i + 3) % len(ids)]
        first, second = person(a), person(b)
        offer = posts[(2 * i) % len(posts)]
        post_id = offer[0] if offer[1] == a and offer[0] not in hidden_ids else None
        draft = _audited(start_agreement, first, fair_id, b, post_id=post_id)
        due = today + timedelta(days=(i % 30) - 10) if i % 4 else None
        data = AgreementData(
            parties=[PartyData(x.organisation_id, x.id, x.full_name, x.email) for x in (first, second)],
            obligations=[
                ObligationData(first.organisation_id, second.organisation_id,
                               TITLES[i % len(TITLES)].format(n=i % 50 + 2), hours=i % 4 + 1, due_date=due),
                ObligationData(second.organisation_id, first.organisation_id, f"Usługa w zamian nr {i}",
                               points=10 + i % 30, due_date=due),
            ])
        draft = _audited(save_draft, first, fair_id, draft.id, data, version=draft.version)
        state = states[i]
        obligations = [o.id for o in draft.obligations]
        if state == "cancelled":
            _audited(cancel_agreement, second, fair_id, draft.id)
        elif state != "draft":
            _audited(sign_agreement, first, fair_id, draft.id, draft.version)
            _audited(sign_agreement, second, fair_id, draft.id, draft.version)
            if state != "awaiting":
                _audited(notarise, staff_member(notary_id), fair_id, draft.id, draft.version)
        made.append((draft.id, state, obligations))

    _in_batches(range(n_agreements), agreement, size=BATCH // 4)

    def settle(item: tuple[int, str, list[int]]) -> None:
        agreement_id, state, obligations = item
        row = db.session.get_one(Agreement, agreement_id)
        reps = {p.organisation_id: p.representative_id for p in row.parties}
        if state == "annulled":
            _audited(annul_by_organiser, staff_member(organiser_id), fair_id, agreement_id, "Na prośbę stron")
            return
        for k, ob_id in enumerate(obligations):
            ob = next(o for o in row.obligations if o.id == ob_id)
            giver, receiver = reps[ob.giver.organisation_id], reps[ob.receiver.organisation_id]
            if state == "fulfilled" or (state == "signed" and k == 0 and agreement_id % 3 == 0):
                _audited(mark_delivered, person(giver), fair_id, ob_id)
                if state == "fulfilled":
                    _audited(confirm_delivery, person(receiver), fair_id, ob_id)
                elif agreement_id % 9 == 0:
                    _audited(dispute_delivery, person(receiver), fair_id, ob_id, "Jeszcze nie dotarło")

    # The ledger's accounts for every organisation, and opening balances, before fulfilments post.
    open_organisation_accounts(staff_member(organiser_id), fair_id)
    _in_batches([m for m in made if m[1] in ("annulled", "fulfilled", "signed")], settle, size=BATCH // 4)

    # --- the ledger: personal accounts, opening balances, transfers -----------------------------------
    holders = ids[::10]

    def opening(pid: int) -> None:
        account = _audited(open_person_account, staff_member(organiser_id), pid)
        _audited(post_opening_balance, staff_member(organiser_id), account.id, 50, "Saldo otwarcia",
                 idempotency_key=f"{slug}-open-{pid}")

    _in_batches(holders, opening)

    def transfer(k: int) -> None:
        pid = holders[k % len(holders)]
        source = open_person_account(staff_member(organiser_id), pid)
        target = find_organisation_account(org_of[ids[(k * 7 + 3) % len(ids)]])
        if target is None:
            return
        _audited(transfer_points, person(pid), source.id, target.id, 5, "Za kawę", idempotency_key=f"{slug}-t-{k}")

    _in_batches(range(len(holders)), transfer)
    for k in range(3):
        announce(staff_member(organiser_id), fair_id, f"Ogłoszenie {k}: kawa w holu")

    fair = BigFair(slug=slug, fair_id=fair_id, organiser_id=organiser_id, notary_id=notary_id,
                   broker_id=broker_id, participant_ids=ids)
    fair.sample = _sample(fair, made, posts, rows=people)
    fair.counts = {"participants": len(ids), "organisations": n_orgs, "posts": len(posts),
                   "agreements": len(made)}
    db.session.remove()
    return fair


def _sample(fair: BigFair, made: list[tuple[int, str, list[int]]], posts: list[tuple[int, int, str]],
            rows: list[Any]) -> dict[str, Any]:
    """One object of each kind, for the URLs of the pages (the same kind at every size)."""
    fulfilled = next(m for m in made if m[1] == "fulfilled")
    draft = next(m for m in made if m[1] == "draft")
    agreement = db.session.get_one(Agreement, fulfilled[0])
    party = db.session.scalars(select(AgreementParty).where(AgreementParty.agreement_id == agreement.id)
                               .order_by(AgreementParty.position)).first()
    assert party is not None
    account = find_organisation_account(party.organisation_id)  # its member's network account
    assert account is not None
    entry_id = db.session.scalar(select(Posting.entry_id).where(Posting.account_id == account.id)
                                 .order_by(Posting.entry_id))
    person = next(r for r in rows if r.id == party.representative_id)
    # The party's member shows its profile in the network's public directory (its fairs, live posts).
    member = update_member_profile(db.session.get_one(Participant, person.id), fair.fair_id, MemberProfile(
        public_profile=True, city="Tczew", description="Sala, sprzęt i wolontariusze"))
    # A partnership the agreement's parties made of it (its members attend the fair).
    members = [p.organisation.member_id for p in db.session.scalars(
        select(AgreementParty).where(AgreementParty.agreement_id == agreement.id).order_by(AgreementParty.position))]
    partnership = record_partnership(db.session.get_one(Participant, fair.organiser_id), PartnershipData(
        purpose="Wspólne warsztaty", starts_on=date(2026, 3, 1), lead_member_id=members[0],
        partners=[PartnerData(m, role="Partner") for m in dict.fromkeys(members)])).row
    # A certificate of the party's member: what it gave and received at the fair this year.
    today = utcnow().astimezone(LOCAL_ZONE).date()
    certificate = issue_certificate(db.session.get_one(Participant, fair.organiser_id), fair.fair_id, member.id,
                                    date(today.year, 1, 1), today).row
    return {
        "certificate_id": certificate.id, "certificate_code": certificate.public_code,
        "partnership_id": partnership.id, "partnership_code": partnership.public_code,
        "agreement_id": agreement.id, "draft_id": draft[0], "code": agreement.public_code,
        "obligation_id": fulfilled[2][0], "post_id": posts[0][0], "post_ids": [p[0] for p in posts[:3]],
        "pid": person.id, "badge_code": person.badge_code, "oid": party.organisation_id,
        "account_id": account.id, "entry_id": entry_id,
        "category_id": db.session.scalar(select(Category.id).where(Category.fair_id == fair.fair_id)
                                         .order_by(Category.id)),
        "token": db.session.get_one(Fair, fair.fair_id).display_token,
        "member_id": member.id,
    }
