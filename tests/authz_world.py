"""The populated world of the authorization matrix (tests/test_authorization_matrix.py).

Two fairs. In fair A ("hala"): a participant P who is party to a draft, a signed agreement
with obligations both ways, one waiting for the notary and a paper draft; who wrote a post,
holds a personal and an organisation account with entries, and whose organisation's network
member is in the public directory, and who is a partner, with Q, of a partnership, and whose
member has a certificate of in-kind contribution. Around P: the counterpart Q, a
neighbour (another participant of A with nothing of P's), a broker, a notary, an organiser, a
second organiser who is the network's coordinator, a walk-in the desk registered, an invited
notary who has not chosen a password yet, check-ins, a hidden post and a finished badge job. In
fair B ("obok"): a participant with an account and an entry, and an organiser.

Building it through the services takes a while, so it is built once per test process and kept
as the rows of every table (`state`); each test copies the rows into its own database
(`restore`), as well as the badge job's files and each caller's logged-in cookies.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import LargeBinary, delete, insert, select, text

from app.core.extensions import db
from app.core.storage.db import Base
from app.core.storage.transactions import transaction
from app.network.models import PossibleDuplicate

PASSWORD = "correct horse battery"
BASE = "http://gielda.test"

Rows = dict[str, list[tuple[Any, ...]]]


@dataclass
class World:
    """Ids, codes and secrets of the world's objects (plain values: they outlive sessions)."""

    a_slug: str = "hala"
    b_slug: str = "obok"
    space_slug: str = ""  # the network's space, where the coordinator logs in
    space_id: int = 0
    a_id: int = 0
    b_id: int = 0
    display_token: str = ""
    # people of fair A
    p: int = 0
    p_badge: str = ""
    p_secret: str = ""
    p_pin: str = ""
    p_org: int = 0
    q: int = 0
    q_badge: str = ""
    q_secret: str = ""
    q_org: int = 0
    neighbour: int = 0
    neighbour_badge: str = ""
    broker: int = 0
    broker_email: str = "makler@example.org"
    broker_secret: str = ""
    notary: int = 0
    organiser: int = 0
    coordinator: int = 0
    walk_in: int = 0
    empty_org: int = 0  # an organisation nobody represents (any more)
    duplicate: int = 0  # a possible duplicate of it to confirm (app/people/members.py)
    invited: int = 0
    invitation: str = ""
    public_member: int = 0  # P's organisation's network member, in the public directory
    lone_member: int = 0  # a network member at neither fair (app/people/member_invites.py)
    # people of fair B
    pb: int = 0
    pb_badge: str = ""
    organiser_b: int = 0
    # the floor
    rooms: int = 0  # a category of fair A
    post: int = 0  # P's offer
    hidden_post: int = 0  # Q's need, hidden by the organiser
    # agreements of fair A, all between P's and Q's organisations
    draft: int = 0
    draft_version: int = 0
    signed: int = 0
    signed_code: str = ""
    ob_from_p: int = 0  # of the signed agreement: P's organisation gives
    ob_to_p: int = 0  # of the signed agreement: P's organisation receives
    awaiting_notary: int = 0
    awaiting_notary_version: int = 0
    paper: int = 0
    paper_version: int = 0
    # a partnership of P's and Q's members, recorded by fair A's organiser
    p_member: int = 0
    q_member: int = 0
    partnership: int = 0
    partnership_code: str = ""
    # a certificate of P's member for this year, issued by fair A's organiser
    certificate: int = 0
    certificate_code: str = ""
    # the ledger
    p_account: int = 0  # P's personal account
    p_org_account: int = 0
    system_account: int = 0  # the opening balances' counterpart, shared by every fair
    pb_account: int = 0  # the personal account of fair B's participant
    p_entry: int = 0  # P's opening balance
    b_entry: int = 0  # fair B's participant's opening balance
    # a finished badge print run of fair A
    job: str = ""
    job_files: dict[str, bytes] = field(default_factory=dict)


# --- the rows of every table ------------------------------------------------------------------

@dataclass(frozen=True)
class State:
    """The database at one moment: its rows as the app reads them (to restore them) and as the
    driver returns them (a quick fingerprint to compare)."""

    rows: Rows
    fingerprint: Rows


def tables() -> list[Any]:
    return list(Base.metadata.sorted_tables)


def fingerprint() -> Rows:
    """Every row of every table: as the driver returns them (SQLite), or one digest of them per
    table, all in one query (PostgreSQL, where each query is a round trip)."""
    db.session.remove()
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            digests = conn.exec_driver_sql(_digest_query()).one()
            return {t.name: [(digest,)] for t, digest in zip(tables(), digests, strict=True)}
        return {table.name: conn.exec_driver_sql(sql).fetchall() for table, sql in _selects()}


def _order(table: Any, alias: str = "") -> str:
    return ", ".join(f'{alias}"{c.name}"' for c in table.primary_key)


@functools.cache
def _selects() -> list[tuple[Any, str]]:
    return [(t, f'SELECT * FROM "{t.name}" ORDER BY {_order(t)}') for t in tables()]


@functools.cache
def _digest_query() -> str:
    def value(column: Any) -> str:  # a stored PDF by its digest: no need to spell it out in hex
        return f'md5(x."{column.name}")' if isinstance(column.type, LargeBinary) else f'x."{column.name}"'

    return "SELECT " + ", ".join(
        f"(SELECT md5(coalesce(string_agg(ROW({', '.join(value(c) for c in t.columns)})::text, '|' "
        f"ORDER BY {_order(t, 'x.')}), '')) FROM \"{t.name}\" x)"
        for t in tables())


def state() -> State:
    db.session.remove()
    with db.engine.connect() as conn:
        rows = {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in tables()}
    return State(rows, fingerprint())


def restore(to: State, now: Rows | None = None) -> None:
    """Make the database hold exactly the rows of `to` again (`now`: its fingerprint, if known:
    then only the tables that differ are rewritten where the database allows it)."""
    db.session.remove()
    changed = [t for t in tables() if now is None or now[t.name] != to.fingerprint[t.name]]
    if not changed:
        return
    with db.engine.begin() as conn:
        triggers: list[Any] = []
        if conn.dialect.name == "postgresql":
            if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
                # Neither foreign keys nor the ledger's append-only triggers while the rows are copied.
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            else:  # TRUNCATE passes the triggers too, but it is slow
                changed = tables()
                conn.execute(text("TRUNCATE {} CASCADE".format(", ".join(f'"{t.name}"' for t in changed))))
        else:  # SQLite (quick): every table, as deleting a fair cascades; the ledger's triggers lifted
            changed = tables()
            triggers = list(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")))
            for name, _sql in triggers:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
        for table in reversed(changed):
            conn.execute(delete(table))
        for table in changed:
            if to.rows[table.name]:
                columns = [c.name for c in table.columns]
                conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in to.rows[table.name]])
        for _name, sql in triggers:
            conn.execute(text(sql))
        if conn.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table in changed:
                if "id" in table.columns:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))


def differences(before: Rows, after: Rows) -> list[str]:
    """What changed, table by table (for failure messages: pass `State.rows`)."""
    changed = []
    for name in before:
        old, now = set(map(repr, before[name])), set(map(repr, after[name]))
        if old != now:
            changed.append(f"{name}: {len(old - now)} rows gone, {len(now - old)} new, e.g. "
                           f"{[row[:160] for row in sorted(now - old)[:2]]}")
    return changed


# --- building it ------------------------------------------------------------------------------

def _person(fair_id: int, first: str, last: str, email: str, org: str, *, role: Any = None,
            sector: Any = None, password: bool = False) -> Any:
    from app.fairs.roles import Role
    from app.network.sectors import Sector
    from app.people.credentials import set_password_unchecked
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    with transaction():
        person = create_participant(fair_id, PersonData(first, last, email, role=role or Role.PARTICIPANT),
                                    OrganisationData(org, sector or Sector.NGO))
        if password:
            set_password_unchecked(person, PASSWORD)
    return person


def build(app: Flask) -> World:
    """Fill the (empty) database of `app` with the world; return its ids."""
    from app.agreements.drafting import (
        AgreementData,
        ObligationData,
        PartyData,
        save_draft,
        start_agreement,
        start_paper_draft,
    )
    from app.agreements.models import Agreement
    from app.agreements.signing import notarise, sign_agreement
    from app.certificates.issuing import issue_certificate
    from app.core.i18n import LOCAL_ZONE
    from app.core.storage.db import utcnow
    from app.door import badge_jobs
    from app.door.badges import PrintKind, PrintLayout
    from app.door.checkin import check_in, register_walk_in
    from app.fairs.categories import fair_categories
    from app.fairs.fairs import FairData, create_fair
    from app.fairs.models import Fair
    from app.fairs.roles import Role
    from app.fairs.trading import open_trading
    from app.floor.kinds import PostKind
    from app.floor.posts import PostData, create_post, hide_post
    from app.ledger.accounts import (
        OPENING,
        open_organisation_accounts,
        open_person_account,
        organisation_account,
        system_account,
    )
    from app.ledger.coordinators import set_network_coordinator
    from app.ledger.operations import post_opening_balance
    from app.ledger.permissions import SystemActor
    from app.network.sectors import Sector
    from app.partnerships.records import PartnerData, PartnershipData, record_partnership
    from app.people.member_profile import MemberProfile, update_member_profile
    from app.people.models import Participant
    from app.people.organisations import OrganisationData, ensure_organisation
    from app.people.participants import PersonData
    from app.people.staff import invitation_token, invite_staff

    w = World()
    fair_a = create_fair(FairData(slug=w.a_slug, name="Giełda Zasobów w hali"))
    fair_b = create_fair(FairData(slug=w.b_slug, name="Giełda Zasobów obok"))
    w.a_id, w.b_id = fair_a.id, fair_b.id
    with transaction():
        for fid in (w.a_id, w.b_id):
            db.session.get_one(Fair, fid).registration_open = True

    organiser = _person(w.a_id, "Grażyna", "Żebrowska", "org@example.org", "Starostwo", role=Role.ORGANISER,
                        sector=Sector.PUBLIC, password=True)
    # The coordinator: an organiser of fair A too, but logged in at the network's space.
    at_a = _person(w.a_id, "Cezary", "Kołodziej", "koordynator@example.org", "Sieć Giełd",
                   role=Role.ORGANISER, password=True)
    coordinator = set_network_coordinator(SystemActor(), at_a.id, True)
    w.space_slug, w.space_id = coordinator.fair.slug, coordinator.fair_id
    notary = _person(w.a_id, "Jerzy", "Łęcki", "notariusz@example.org", "Kancelaria", role=Role.NOTARY,
                     password=True)
    broker = _person(w.a_id, "Bartosz", "Maklerski", w.broker_email, "Biuro Maklerskie", role=Role.BROKER,
                     password=True)
    p = _person(w.a_id, "Łucja", "Pawłowska", "lucja@example.org", "Fundacja Pszczoła")
    q = _person(w.a_id, "Kuba", "Quenneville", "kuba@example.org", "Stowarzyszenie Kwadrat")
    neighbour = _person(w.a_id, "Ewa", "Sąsiadka", "ewa@example.org", "Spółdzielnia Sąsiedzka",
                        sector=Sector.SOCIAL_COOPERATIVE)
    organiser_b = _person(w.b_id, "Olga", "Obocka", "olga@example.org", "Gmina Obok", role=Role.ORGANISER,
                          sector=Sector.PUBLIC, password=True)
    pb = _person(w.b_id, "Borys", "Bocian", "borys@example.org", "Fundacja Obok")
    w.organiser, w.coordinator, w.notary, w.broker = organiser.id, coordinator.id, notary.id, broker.id
    w.p, w.q, w.neighbour, w.organiser_b, w.pb = p.id, q.id, neighbour.id, organiser_b.id, pb.id

    w.public_member = update_member_profile(p, w.a_id, MemberProfile(public_profile=True, city="Tczew")).id
    open_trading(organiser, w.a_id, 90)
    w.rooms = next(c.id for c in fair_categories(w.a_id) if c.key == "rooms")
    w.post = create_post(p, w.a_id, PostData(kind=PostKind.OFFER, category_id=w.rooms,
                                             title="Sala na 30 osób")).id
    w.hidden_post = create_post(q, w.a_id, PostData(kind=PostKind.NEED, category_id=w.rooms,
                                                    title="Kup tanio zegarki")).id
    hide_post(organiser, w.a_id, w.hidden_post, "Reklama, nie potrzeba")
    check_in(notary, w.a_id, p.badge_code)

    # The ledger: organisation accounts, P's opening balances, and one of fair B.
    open_organisation_accounts(organiser, w.a_id)
    w.p_account = open_person_account(organiser, w.p).id
    w.p_entry = post_opening_balance(organiser, w.p_account, 100, "Saldo z zeszłego roku", "w-p").id
    with transaction():
        w.p_org_account = organisation_account(p.organisation_id).id
        w.system_account = system_account(OPENING).id
    post_opening_balance(organiser, w.p_org_account, 200, "Saldo organizacji", "w-p-org")
    with transaction():
        q_org_account = organisation_account(q.organisation_id).id
    post_opening_balance(organiser, q_org_account, 200, "Saldo organizacji", "w-q-org")
    w.pb_account = open_person_account(organiser_b, w.pb).id
    w.b_entry = post_opening_balance(organiser_b, w.pb_account, 50, "Saldo", "w-pb").id

    # Agreements between P's and Q's organisations.
    def data(*obligations: tuple[Any, Any, str, int]) -> AgreementData:
        return AgreementData(
            parties=[PartyData(x.organisation_id, x.id, x.full_name, x.email) for x in (p, q)],
            obligations=[ObligationData(g.organisation_id, r.organisation_id, what, points=pts)
                         for g, r, what, pts in obligations])

    both_ways = ((p, q, "Sala konferencyjna na 30 osób, 3 godziny", 30),
                 (q, p, "Szkolenie z pisania wniosków dla zarządu", 40))

    def drafted() -> Agreement:
        started = start_agreement(p, w.a_id, q.id)
        return save_draft(p, w.a_id, started.id, data(*both_ways), version=started.version)

    draft = drafted()
    w.draft, w.draft_version = draft.id, draft.version
    signed = drafted()
    sign_agreement(p, w.a_id, signed.id, signed.version)
    sign_agreement(q, w.a_id, signed.id, signed.version)
    signed = notarise(notary, w.a_id, signed.id, signed.version)
    w.signed, w.signed_code = signed.id, signed.public_code
    w.ob_from_p = next(o.id for o in signed.obligations if o.giver.organisation_id == p.organisation_id)
    w.ob_to_p = next(o.id for o in signed.obligations if o.receiver.organisation_id == p.organisation_id)
    waiting = drafted()
    sign_agreement(p, w.a_id, waiting.id, waiting.version)
    waiting = sign_agreement(q, w.a_id, waiting.id, waiting.version)
    w.awaiting_notary, w.awaiting_notary_version = waiting.id, waiting.version
    paper = start_paper_draft(notary, w.a_id, p.id, q.id)
    paper = save_draft(notary, w.a_id, paper.id, data(*both_ways), version=paper.version)
    w.paper, w.paper_version = paper.id, paper.version

    # A partnership of P's and Q's members (both at fair A).
    w.p_member, w.q_member = p.organisation.member_id, q.organisation.member_id
    partnership = record_partnership(organiser, PartnershipData(
        purpose="Wspólne warsztaty", starts_on=date(2026, 3, 1), lead_member_id=w.p_member,
        partners=[PartnerData(w.p_member, role="Lider"), PartnerData(w.q_member, role="Sala")])).row
    w.partnership, w.partnership_code = partnership.id, partnership.public_code
    today = utcnow().astimezone(LOCAL_ZONE).date()
    certificate = issue_certificate(organiser, w.a_id, w.p_member, date(today.year, 1, 1), today).row
    w.certificate, w.certificate_code = certificate.id, certificate.public_code

    # The desk: a walk-in (registered after the accounts were opened: it has none yet).
    w.walk_in = register_walk_in(notary, w.a_id, PersonData("Wojciech", "Wejście", "wojtek@example.org"),
                                 OrganisationData("Klub Seniora", Sector.INFORMAL_GROUP)).participant.id
    with transaction():
        w.empty_org = ensure_organisation(w.a_id, OrganisationData("Fundacja Uśpiona", Sector.NGO)).id
        # A name close to it at the same fair: a returning organisation for the organiser to confirm.
        close = ensure_organisation(w.a_id, OrganisationData("Fundacja Uśpiona z Tczewa", Sector.NGO))
        w.duplicate = db.session.scalars(select(PossibleDuplicate.id).where(
            PossibleDuplicate.member_id == close.member_id)).first() or 0
    assert w.duplicate, "the close name asks"
    # A member of the network at neither fair (it came to an earlier one): for a fair to invite.
    earlier = create_fair(FairData(slug="wczesniej", name="Giełda wcześniejsza"))
    with transaction():
        w.lone_member = ensure_organisation(earlier.id, OrganisationData("Ochotnicza Straż Pożarna w Lubiszewie",
                                                                         Sector.INFORMAL_GROUP)).member_id
    invited = invite_staff(organiser, w.a_id, PersonData("Irena", "Zaproszona", "irena@example.org",
                                                          role=Role.NOTARY),
                           OrganisationData("Kancelaria Druga", Sector.BUSINESS))
    w.invited, w.invitation = invited.id, invitation_token(invited)

    job = badge_jobs.start_job(w.a_id, PrintKind.BADGES, PrintLayout.SHEET, [w.p], w.organiser, base=BASE,
                               locale="pl")
    finished = badge_jobs.wait_for(job.id, 120)
    assert finished is not None and finished.state == "done", finished
    w.job = job.id
    folder = badge_jobs.jobs_folder()
    w.job_files = {path.name: path.read_bytes() for path in folder.iterdir() if path.name.startswith(job.id)}

    db.session.remove()
    person = {pid: db.session.get_one(Participant, pid) for pid in (w.p, w.q, w.neighbour, w.pb, w.broker)}
    w.p_badge, w.p_secret, w.p_pin, w.p_org = (person[w.p].badge_code, person[w.p].login_secret, person[w.p].pin,
                                               person[w.p].organisation_id)
    w.q_badge, w.q_secret, w.q_org = person[w.q].badge_code, person[w.q].login_secret, person[w.q].organisation_id
    w.neighbour_badge, w.pb_badge = person[w.neighbour].badge_code, person[w.pb].badge_code
    w.broker_secret = person[w.broker].login_secret
    w.display_token = db.session.get_one(Fair, w.a_id).display_token
    db.session.remove()
    return w


def restore_files(app: Flask, w: World) -> None:
    folder = Path(app.instance_path) / "badges"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, data in w.job_files.items():
        (folder / name).write_bytes(data)


# --- the callers' logged-in clients ------------------------------------------------------------

Cookies = dict[Any, Any]


def log_in(client: FlaskClient, w: World, who: str) -> None:
    """As people do: participants by their private link, staff with e-mail and password."""
    from app.fairs.roles import Role
    from app.people.models import Participant

    person = db.session.get_one(Participant, getattr(w, who))
    slug = person.fair.slug
    if person.role == Role.PARTICIPANT:
        r = client.get(f"/f/{slug}/login/{person.login_secret}")
    else:
        r = client.post(f"/f/{slug}/login", data={"staff-email": person.email, "staff-password": PASSWORD})
    db.session.remove()
    assert r.status_code == 303, (who, r.status_code)


def cookies_of(client: FlaskClient) -> Cookies:
    return dict(client._cookies)  # werkzeug's cookie jar: (domain, path, name) -> Cookie


def set_cookies(client: FlaskClient, cookies: Cookies) -> None:
    client._cookies.clear()
    client._cookies.update(cookies)
