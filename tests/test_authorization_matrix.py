"""The authorization matrix: every route of `app.url_map` and every Socket.IO handler, called by
every role, against one populated world (tests/authz_world.py).

MATRIX says, for each (endpoint, method), who may use it: a set of callers, or several cases
when it depends on whose object the URL names (whose slip, whose statement, which entry). For
every case each caller sends the request:

* a caller who is not allowed must be refused — a redirect to the login page, 401, 403 or 404,
  or a refusal by the service (a Forbidden or NotFound domain error, which some views turn into
  a flashed message and a redirect) or by the form (`choice`: the object is not among the
  caller's choices) — and must change nothing: every row of every table is compared;
* a caller who is allowed must get through (none of the above, no server error), and a POST
  that is meant to do something (`effect`) must change the database. Each allowed caller starts
  from the same world: it is restored after any change.

Callers: anonymous; the participant P (party to the agreements, author of the post, holder of
the accounts); a neighbour (another participant of the same fair); a participant of fair B; the
broker, the notary, the organiser and the network's coordinator (an organiser too) of fair A;
the organiser of fair B. Fair B's two people also try A's objects under fair B's own address
(`participant_b@b`, `organiser_b@b`): an organiser of fair B reads nothing of fair A either way.

A route without an entry, or an entry without a route, fails `test_every_route_and_handler_has_an_entry`.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from flask_wtf import FlaskForm

from app.core.errors import DomainError
from app.core.extensions import db, socketio
from tests import authz_world
from tests.authz_world import World

# --- who calls ------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
PARTICIPANT = "participant"  # P
NEIGHBOUR = "neighbour"  # another participant of fair A
PARTICIPANT_B = "participant_b"
BROKER = "broker"
NOTARY = "notary"
ORGANISER = "organiser"
COORDINATOR = "coordinator"  # an organiser of the network's space (app/fairs/network_space.py)
ORGANISER_B = "organiser_b"
PARTICIPANT_B_AT_B = "participant_b@b"  # fair B's people, naming A's objects under B's address
ORGANISER_B_AT_B = "organiser_b@b"

ROLES = (ANONYMOUS, PARTICIPANT, NEIGHBOUR, PARTICIPANT_B, BROKER, NOTARY, ORGANISER, COORDINATOR, ORGANISER_B)
AT_B = (PARTICIPANT_B_AT_B, ORGANISER_B_AT_B)
# The World attribute of each caller's person (None: nobody logged in).
PERSON = {ANONYMOUS: None, PARTICIPANT: "p", NEIGHBOUR: "neighbour", PARTICIPANT_B: "pb", BROKER: "broker",
          NOTARY: "notary", ORGANISER: "organiser", COORDINATOR: "coordinator", ORGANISER_B: "organiser_b",
          PARTICIPANT_B_AT_B: "pb", ORGANISER_B_AT_B: "organiser_b"}

EVERYONE = frozenset(ROLES)
LOGGED_IN_A = frozenset({PARTICIPANT, NEIGHBOUR, BROKER, NOTARY, ORGANISER})
HELPERS_A = frozenset({BROKER, NOTARY, ORGANISER})  # the brokers' worklist
BROKER_A = frozenset({BROKER})  # introducing two people
STAFF_A = frozenset({NOTARY, ORGANISER})  # the desk, the notary's work
ORGANISERS_A = frozenset({ORGANISER})
COORDINATOR_ONLY = frozenset({COORDINATOR})
P_ONLY = frozenset({PARTICIPANT})
NOBODY: frozenset[str] = frozenset()

# URL variables that name an object of a fair: with them, fair B's people also try B's address.
OBJECT_VARIABLES = {"pid", "post_id", "agreement_id", "obligation_id", "account_id", "entry_id", "job_id",
                    "oid", "category_id", "token", "secret", "duplicate_id", "member_id", "partnership_id",
                    "certificate_id"}


# --- the rules ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lit:
    """A literal URL value (not a World attribute)."""

    value: str


Data = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    params: dict[str, str | Lit] = field(default_factory=dict)  # URL variable -> World attribute
    query: Data | None = None
    data: Data | None = None
    effect: bool | None = None  # an allowed call changes the database (default: POST does)
    choice: str | None = None  # the form field whose choices keep others' objects out
    form_page: bool = False  # send the hidden fields of the form on the GET page (one-time keys)
    prepare: Callable[[World], None] | None = None  # changes the world for this case first
    at_space: bool = False  # the coordinator calls it under the network space's address


def rule(allowed: frozenset[str], *, query: Data | None = None, data: Data | None = None,
         effect: bool | None = None, choice: str | None = None, form_page: bool = False,
         prepare: Callable[[World], None] | None = None, at_space: bool | None = None,
         **params: str | Lit) -> Rule:
    """`at_space` defaults to whether the case is the coordinator's (they are allowed, and neither
    anyone nor fair A's organiser is)."""
    space = (COORDINATOR in allowed and ANONYMOUS not in allowed and ORGANISER not in allowed
             if at_space is None else at_space)
    return Rule(frozenset(allowed), params, query, data, effect, choice, form_page, prepare, space)


def cases(**named: Rule) -> dict[str, Rule]:
    return named


def key() -> str:
    return uuid.uuid4().hex


def _csv(text: str, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(text.encode()), name


def this_year() -> dict[str, str]:
    """A certificate's period: this year so far (in Warsaw)."""
    from app.core.i18n import LOCAL_ZONE
    from app.core.storage.db import utcnow

    today = utcnow().astimezone(LOCAL_ZONE).date()
    return {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}


def draft_form(version: str) -> Data:
    """The agreement editor's fields: P's and Q's organisations, one obligation."""
    def data(w: World) -> dict[str, Any]:
        return {"version": getattr(w, version), "action": "save",
                "parties-0-organisation_id": w.p_org, "parties-0-representative_id": w.p,
                "parties-0-contact_name": "Łucja Pawłowska", "parties-0-contact_details": "",
                "parties-1-organisation_id": w.q_org, "parties-1-representative_id": w.q,
                "parties-1-contact_name": "Kuba Quenneville", "parties-1-contact_details": "",
                "obligations-0-giver": w.p_org, "obligations-0-receiver": w.q_org,
                "obligations-0-description": "Sala na 3 godziny, we wtorek", "obligations-0-points": 30}
    return data


def trading_closed(w: World) -> None:
    from app.fairs.trading import close_trading
    from app.people.models import Participant

    close_trading(db.session.get_one(Participant, w.organiser), w.a_id)
    db.session.remove()


def ob_to_p_confirmed(w: World) -> None:
    """P has confirmed what P's organisation received: its feedback may follow."""
    from app.agreements.fulfilment import confirm_delivery
    from app.people.models import Participant

    confirm_delivery(db.session.get_one(Participant, w.p), w.a_id, w.ob_to_p)
    db.session.remove()


PERSON_FIELDS = {"first_name": "Ola", "last_name": "Przechodnia", "email": "ola@example.org"}

MATRIX: dict[tuple[str, str], Rule | dict[str, Rule]] = {
    # --- the site, the API, public documents -----------------------------------------------
    ("main.index", "GET"): rule(EVERYONE),
    ("main.first_fair", "GET"): rule(EVERYONE),
    ("main.first_fair", "POST"): rule(EVERYONE, effect=False),  # fairs exist: back to the list
    ("main.set_language", "GET"): rule(EVERYONE, code=Lit("en")),
    ("main.offline_worker", "GET"): rule(EVERYONE),  # a static script: the phone's service worker
    ("api.healthz", "GET"): rule(EVERYONE),
    ("api.openapi", "GET"): rule(EVERYONE),
    ("api.stats", "GET"): rule(EVERYONE),
    ("cards.card", "GET"): rule(EVERYONE, badge_code="p_badge"),
    ("documents.verify_page", "GET"): rule(EVERYONE, code="signed_code"),
    # The network's public directory and its API (P's member has a public profile).
    ("directory.members", "GET"): rule(EVERYONE),
    ("directory.member", "GET"): rule(EVERYONE, member_id="public_member"),
    ("directory.stats", "GET"): rule(EVERYONE),
    ("directory.members_csv", "GET"): rule(EVERYONE),
    ("directory.members_xlsx", "GET"): rule(EVERYONE),
    ("directory.members_json", "GET"): rule(EVERYONE),
    ("directory_api.members", "GET"): rule(EVERYONE),
    ("directory_api.member", "GET"): rule(EVERYONE, member_id="public_member"),  # the balance: P's own only
    ("directory_api.stats", "GET"): rule(EVERYONE),
    ("partnerships.verify_page", "GET"): rule(EVERYONE, code="partnership_code"),
    # Partnerships: fair A's organisers (the coordinator too) manage the one of P's and Q's members,
    # who both attend fair A; fair B's organiser never sees it, nor turns A's agreement into one.
    ("partnerships.index", "GET"): rule(ORGANISERS_A),
    ("partnerships.new", "GET"): cases(
        blank=rule(ORGANISERS_A),
        group_deal=rule(ORGANISERS_A, query=lambda w: {"agreement": w.signed}),
    ),
    ("partnerships.new", "POST"): rule(ORGANISERS_A, form_page=True, data=lambda w: {
        "purpose": "Wspólne pikniki", "starts_on": "2026-04-01", "lead": w.q_member,
        "partners-0-member_id": w.q_member, "partners-1-member_id": w.p_member}),
    ("partnerships.detail", "GET"): rule(ORGANISERS_A, partnership_id="partnership"),
    ("partnerships.pdf", "GET"): rule(ORGANISERS_A, partnership_id="partnership"),
    ("partnerships.end", "POST"): rule(ORGANISERS_A, partnership_id="partnership",
                                       data=lambda w: {"ends_on": "2026-12-31", "reason": "Koniec projektu"}),
    ("certificates.verify_page", "GET"): rule(EVERYONE, code="certificate_code"),
    # Certificates of in-kind contribution: fair A's organiser issues them for fair A's agreements, the
    # coordinator (at the network's space) for the whole network's and sees every one; fair B's
    # organiser never sees A's. The one of P's member, issued by A's organiser, P's people download.
    ("certificates.index", "GET"): rule(ORGANISERS_A | COORDINATOR_ONLY, at_space=True),
    ("certificates.new", "GET"): rule(ORGANISERS_A | COORDINATOR_ONLY, at_space=True),
    ("certificates.new", "POST"): rule(ORGANISERS_A | COORDINATOR_ONLY, at_space=True, form_page=True,
                                       choice="member_id", data=lambda w: {"member_id": w.p_member, **this_year()}),
    ("certificates.detail", "GET"): rule(ORGANISERS_A | COORDINATOR_ONLY, at_space=True, certificate_id="certificate"),
    ("certificates.pdf", "GET"): rule(ORGANISERS_A | COORDINATOR_ONLY, at_space=True, certificate_id="certificate"),
    ("certificates.reissue", "POST"): rule(ORGANISERS_A | COORDINATOR_ONLY, at_space=True,
                                           certificate_id="certificate", data=lambda w: {"key": key()}),
    ("certificates.mine", "GET"): rule(LOGGED_IN_A),
    ("certificates.my_pdf", "GET"): rule(P_ONLY, certificate_id="certificate"),

    # --- a fair's public pages, logging in and out ------------------------------------------
    ("fairs.home", "GET"): rule(EVERYONE),
    ("floor.board_page", "GET"): rule(EVERYONE),
    ("people.register", "GET"): rule(EVERYONE),
    ("people.register", "POST"): rule(EVERYONE, data=lambda w: {
        **PERSON_FIELDS, "organisation_name": "Fundacja Nowa", "sector": "ngo", "consent": "y"}),
    ("people.login", "GET"): rule(EVERYONE),
    ("people.login", "POST"): rule(EVERYONE, effect=False, data=lambda w: {
        "pin-badge_code": w.p_badge, "pin-pin": w.p_pin}),
    ("people.login_link", "GET"): cases(
        participant=rule(EVERYONE, secret="p_secret"),
        staff=rule(EVERYONE, secret="broker_secret"),  # opens the password form
    ),
    ("people.login_link", "POST"): rule(EVERYONE, effect=False, secret="p_secret"),
    ("people.logout", "POST"): rule(EVERYONE, effect=False),
    # The invitation link is the credential: whoever holds it chooses the password. The page
    # itself is only the form; the token is checked when it is sent.
    ("people.welcome", "GET"): rule(EVERYONE | set(AT_B), token="invitation"),
    ("people.welcome", "POST"): rule(EVERYONE, token="invitation", data=lambda w: {
        "password": "a brand new password"}),
    ("reports.screen", "GET"): rule(EVERYONE, token="display_token"),
    ("reports.results_reveal_screen", "GET"): rule(EVERYONE, token="display_token"),

    # --- the floor ---------------------------------------------------------------------------
    ("floor.post_detail", "GET"): cases(
        visible=rule(EVERYONE, post_id="post"),
        hidden=rule(ORGANISERS_A, post_id="hidden_post"),
    ),
    # The board's cards of live posts, public as the board: a hidden post's id gives no card, nor
    # does fair A's post under fair B's address (B's board; tests/floor/test_views_posts.py).
    ("floor.board_cards", "GET"): rule(EVERYONE | set(AT_B), query=lambda w: {"id": [w.post, w.hidden_post]}),
    ("floor.post_new", "GET"): rule(LOGGED_IN_A),
    ("floor.post_new", "POST"): rule(LOGGED_IN_A, form_page=True, data=lambda w: {
        "kind": "offer", "category_id": w.rooms, "title": "Rower cargo na weekend", "unit": ""}),
    ("floor.post_edit", "GET"): rule(P_ONLY, post_id="post"),
    ("floor.post_edit", "POST"): rule(P_ONLY, post_id="post", form_page=True, data=lambda w: {
        "kind": "offer", "category_id": w.rooms, "title": "Sala na 40 osób", "unit": ""}),
    ("floor.post_withdraw", "POST"): rule(P_ONLY, post_id="post"),
    ("floor.post_taken", "POST"): rule(P_ONLY, post_id="post"),
    ("floor.post_hide", "POST"): rule(ORGANISERS_A, post_id="post", data=lambda w: {"reason": "Nie na temat"}),
    ("floor.post_restore", "POST"): rule(ORGANISERS_A, post_id="hidden_post"),
    ("floor.my_posts", "GET"): rule(LOGGED_IN_A),
    ("matching.matches", "GET"): rule(LOGGED_IN_A),
    ("matching_api.post_matches", "GET"): cases(
        visible=rule(EVERYONE, post_id="post"),
        hidden=rule(ORGANISERS_A, post_id="hidden_post"),
    ),
    ("people.me", "GET"): rule(LOGGED_IN_A),
    ("people.my_member", "GET"): rule(LOGGED_IN_A),
    ("people.my_member", "POST"): rule(LOGGED_IN_A, data=lambda w: {"public_profile": "y", "description": "Sala"}),
    # The brokers' worklist (app/brokers/): organisers and notaries see it; only a broker introduces.
    ("brokers.worklist", "GET"): rule(HELPERS_A),
    ("brokers.panels", "GET"): rule(HELPERS_A),
    ("brokers.introduce_view", "POST"): rule(BROKER_A, data=lambda w: {"first": w.p, "second": w.q, "key": key()}),

    # --- the desk, badges and login slips -----------------------------------------------------
    ("door.scan", "GET"): rule(LOGGED_IN_A),
    ("door.scan", "POST"): rule(LOGGED_IN_A, effect=False, data=lambda w: {"scanned": w.q_badge}),
    ("door.desk", "GET"): rule(STAFF_A),
    ("door.desk", "POST"): rule(STAFF_A, data=lambda w: {"scanned": w.neighbour_badge}),
    ("door.walk_in", "GET"): rule(STAFF_A),
    ("door.walk_in", "POST"): rule(STAFF_A, data=lambda w: {
        **PERSON_FIELDS, "organisation_name": "Koło Gospodyń", "sector": "informal_group"}),
    ("door.walk_in_done", "GET"): rule(STAFF_A, pid="walk_in"),
    # Badges are public (they carry only the card's link): staff print anyone's.
    ("door.badge_pdf", "GET"): cases(
        participant=rule(STAFF_A, pid="p"),
        staff=rule(STAFF_A, pid="broker"),
    ),
    # A slip logs its holder in: organisers print any participant's, the desk (notaries) only
    # the walk-ins it registered, and nobody a slip for staff (they log in with a password).
    ("door.slip_pdf", "GET"): cases(
        walk_in=rule(STAFF_A, pid="walk_in"),
        participant=rule(ORGANISERS_A, pid="p"),
        staff=rule(NOBODY, pid="broker"),
    ),
    ("door.badges_all", "POST"): rule(ORGANISERS_A, effect=False, data=lambda w: {
        "kind": "slips", "layout": "sheet"}),
    ("door.badges_selection", "POST"): rule(ORGANISERS_A, effect=False, data=lambda w: {
        "kind": "slips", "layout": "sheet", "pid": [w.p, w.walk_in]}),
    ("door.badge_job", "GET"): rule(ORGANISERS_A, job_id="job"),
    ("door.badge_job_download", "GET"): rule(ORGANISERS_A, job_id="job"),

    # --- the organisers' console -------------------------------------------------------------
    ("people.admin_participants", "GET"): rule(ORGANISERS_A),
    ("people.admin_participant_new", "GET"): rule(ORGANISERS_A),
    ("people.admin_participant_new", "POST"): rule(ORGANISERS_A, data=lambda w: {
        **PERSON_FIELDS, "organisation_id": w.p_org, "role": "participant", "sector": "ngo"}),
    # The participant form's organisation picker: each fair's organisers, their own fair's names.
    ("people.pick_organisation", "GET"): rule(ORGANISERS_A | {ORGANISER_B_AT_B}, query=lambda w: {"q": "a"}),
    ("people.admin_participant", "GET"): rule(ORGANISERS_A, pid="p"),
    ("people.admin_participant_edit", "GET"): rule(ORGANISERS_A, pid="p"),
    ("people.admin_participant_edit", "POST"): rule(ORGANISERS_A, pid="p", data=lambda w: {
        "first_name": "Łucja", "last_name": "Pawłowska", "email": "lucja@example.org", "phone": "+48 600 100 200",
        "organisation_id": w.p_org, "role": "participant", "sector": "ngo"}),
    # Staff passwords: an organiser sets them, except the network coordinator's (whoever set it
    # could log in as them and read every fair's ledger): only they set their own.
    ("people.admin_participant_password", "POST"): cases(
        staff=rule(ORGANISERS_A, pid="broker", data=lambda w: {"password": "another long password"}),
        coordinator=rule(COORDINATOR_ONLY, pid="coordinator", data=lambda w: {"password": "another long password"}),
    ),
    ("people.admin_participant_reissue", "POST"): rule(ORGANISERS_A, pid="p"),
    ("people.admin_participant_revoke", "POST"): rule(ORGANISERS_A, pid="p"),
    ("people.admin_participant_remove", "POST"): rule(ORGANISERS_A, pid="neighbour"),
    ("people.admin_organisations", "GET"): rule(ORGANISERS_A),
    ("people.admin_organisation_form", "GET"): cases(
        new=rule(ORGANISERS_A),
        edit=rule(ORGANISERS_A, oid="p_org"),
    ),
    ("people.admin_organisation_form", "POST"): cases(
        new=rule(ORGANISERS_A, data=lambda w: {"name": "Fundacja Nowa", "sector": "ngo"}),
        edit=rule(ORGANISERS_A, oid="p_org", data=lambda w: {
            "name": "Fundacja Pszczoła", "sector": "ngo", "city": "Tczew"}),
    ),
    ("people.admin_organisation_remove", "POST"): rule(ORGANISERS_A, oid="empty_org"),
    ("people.admin_returning", "GET"): rule(ORGANISERS_A),
    ("people.admin_invite_members", "GET"): rule(ORGANISERS_A),
    # A fair invites any member of the network: B's organiser may invite it to B, under B's address.
    ("people.admin_invite_member", "POST"): rule(ORGANISERS_A | {ORGANISER_B_AT_B}, member_id="lone_member"),
    ("people.admin_returning_decide", "POST"): rule(ORGANISERS_A, duplicate_id="duplicate",
                                                    data=lambda w: {"same": "no"}),
    ("people.admin_registration", "POST"): rule(ORGANISERS_A, data=lambda w: {"open": "0"}),
    ("people.admin_import", "GET"): rule(ORGANISERS_A),
    ("people.admin_import", "POST"): rule(ORGANISERS_A, effect=False, data=lambda w: {  # the preview
        "file": _csv("imię;nazwisko;organizacja;sektor\nAnna;Nowak;Fundacja Nowa;ngo\n", "lista.csv")}),
    ("people.admin_import_template", "GET"): rule(ORGANISERS_A),
    ("reports.audit", "GET"): rule(ORGANISERS_A),
    ("reports.exports", "GET"): rule(ORGANISERS_A),
    ("reports.export_table_csv", "GET"): rule(ORGANISERS_A, table=Lit("participants")),
    ("reports.export_table_xlsx", "GET"): rule(ORGANISERS_A, table=Lit("agreements")),
    ("reports.export_workbook", "GET"): rule(ORGANISERS_A),
    ("reports.export_json", "GET"): rule(ORGANISERS_A),
    ("reports.control", "GET"): rule(ORGANISERS_A),
    ("reports.control_panels_fragment", "GET"): rule(ORGANISERS_A),
    ("fairs.control_open", "POST"): rule(ORGANISERS_A, prepare=trading_closed, data=lambda w: {"minutes": 30}),
    ("fairs.control_close", "POST"): rule(ORGANISERS_A),
    ("fairs.control_timer", "POST"): rule(ORGANISERS_A, data=lambda w: {"minutes": 30}),
    ("fairs.control_announce", "POST"): rule(ORGANISERS_A, data=lambda w: {"text": "Kawa w holu"}),
    ("fairs.category_add", "POST"): rule(ORGANISERS_A, data=lambda w: {"name": "Rowery"}),
    ("fairs.category_rename", "POST"): rule(ORGANISERS_A, category_id="rooms", data=lambda w: {
        "name": "Sale i pokoje"}),
    ("fairs.category_archive", "POST"): rule(ORGANISERS_A, category_id="rooms"),
    ("reports.results", "GET"): rule(ORGANISERS_A),
    ("reports.results_report", "GET"): rule(ORGANISERS_A),
    ("reports.funder_report_pdf", "GET"): rule(ORGANISERS_A),
    ("reports.funder_report_xlsx", "GET"): rule(ORGANISERS_A),
    ("reports.results_reveal", "POST"): rule(ORGANISERS_A, prepare=trading_closed),
    ("fairs.settings", "GET"): rule(ORGANISERS_A),
    ("fairs.settings", "POST"): rule(ORGANISERS_A, data=lambda w: {
        "name": "Giełda w hali", "point_rate": 10, "registration_open": "y", "notary_required": "y"}),
    ("fairs.rotate_display", "POST"): rule(ORGANISERS_A),
    ("matching.synonyms", "GET"): rule(ORGANISERS_A),
    ("matching.synonyms", "POST"): rule(ORGANISERS_A, data=lambda w: {"text": "rzutnik = projektor"}),
    ("valuation.rates", "GET"): rule(ORGANISERS_A),
    ("valuation.rates", "POST"): rule(ORGANISERS_A, data=lambda w: {"room_hour": "60,00"}),
    ("people.clone", "GET"): rule(ORGANISERS_A),
    ("people.clone", "POST"): rule(ORGANISERS_A, data=lambda w: {"slug": "klon", "name": "Klon", "copy_staff": "y"}),
    ("people.new_fair", "GET"): rule(ORGANISERS_A),
    ("people.new_fair", "POST"): rule(ORGANISERS_A, data=lambda w: {"slug": "nowa", "name": "Nowa giełda"}),
    ("people.staff", "GET"): rule(ORGANISERS_A),
    ("people.staff", "POST"): rule(ORGANISERS_A, data=lambda w: {
        "first_name": "Marek", "last_name": "Nowy", "email": "marek@example.org", "role": "broker",
        "organisation_name": "Biuro", "sector": "business"}),

    # --- agreements: the parties, the notary, the organisers -------------------------------
    ("agreements.mine", "GET"): rule(LOGGED_IN_A),
    ("agreements.start", "GET"): rule(LOGGED_IN_A, query=lambda w: {"with": w.q_badge}),
    ("agreements.start", "POST"): rule(LOGGED_IN_A, form_page=True, query=lambda w: {"with": w.q_badge}),
    ("agreements.propose", "GET"): rule(LOGGED_IN_A, query=lambda w: {"with": w.q_badge}),
    ("agreements.propose", "POST"): rule(LOGGED_IN_A, form_page=True, query=lambda w: {"with": w.q_badge},
                                         data=lambda w: {"theirs-description": "Sala na 30 osób"}),
    ("agreements.detail", "GET"): cases(
        draft=rule(P_ONLY | STAFF_A, agreement_id="draft"),
        signed=rule(P_ONLY | STAFF_A, agreement_id="signed"),
    ),
    ("agreements.edit", "GET"): rule(P_ONLY | STAFF_A, agreement_id="draft"),  # staff read it
    ("agreements.edit", "POST"): cases(
        draft=rule(P_ONLY, agreement_id="draft", data=draft_form("draft_version")),
        paper=rule(P_ONLY | STAFF_A, agreement_id="paper", data=draft_form("paper_version")),
    ),
    ("agreements.sign", "POST"): rule(P_ONLY, agreement_id="draft", data=lambda w: {"version": w.draft_version}),
    ("agreements.sign_shared", "POST"): rule(P_ONLY, agreement_id="draft", data=lambda w: {
        "version": w.draft_version, "scanned": f"http://gielda.test/f/{w.a_slug}/login/{w.q_secret}"}),
    ("agreements.cancel", "POST"): rule(P_ONLY, agreement_id="draft", data=lambda w: {"version": w.draft_version}),
    ("agreements.notarise", "POST"): rule(STAFF_A, agreement_id="awaiting_notary", data=lambda w: {
        "version": w.awaiting_notary_version}),
    ("agreements.record_paper", "POST"): rule(STAFF_A, agreement_id="paper", data=lambda w: {
        "version": w.paper_version}),
    ("agreements.request_annulment", "POST"): rule(P_ONLY, agreement_id="signed", data=lambda w: {
        "reason": "Pomyłka"}),
    ("agreements.annul", "POST"): rule(ORGANISERS_A, agreement_id="signed", data=lambda w: {
        "reason": "Na prośbę stron"}),
    ("agreements.delivered", "POST"): rule(P_ONLY, agreement_id="signed", obligation_id="ob_from_p"),
    ("agreements.confirm", "POST"): rule(P_ONLY, agreement_id="signed", obligation_id="ob_to_p", data=lambda w: {
        "rating": "5", "testimonial": "Sala jak z bajki", "quote_consent": "y"}),
    ("agreements.feedback", "POST"): rule(P_ONLY, agreement_id="signed", obligation_id="ob_to_p",
                                          prepare=ob_to_p_confirmed, data=lambda w: {
        "rating": "4", "testimonial": "Polecamy"}),
    ("agreements.dispute", "POST"): rule(P_ONLY, agreement_id="signed", obligation_id="ob_to_p", data=lambda w: {
        "comment": "Szkolenie się nie odbyło"}),
    ("agreements.notary_desk", "GET"): rule(STAFF_A),
    ("agreements.notary_desk", "POST"): rule(STAFF_A, form_page=True, data=lambda w: {
        "first": w.p_badge, "second": w.q_badge}),
    ("agreements.follow_up", "GET"): rule(ORGANISERS_A),
    ("agreements.send_reminders", "POST"): rule(ORGANISERS_A, data=lambda w: {"overdue_only": "0"}),
    ("documents.agreement_pdf", "GET"): rule(P_ONLY | STAFF_A, agreement_id="signed"),
    ("documents.agreement_copies", "GET"): rule(P_ONLY | STAFF_A, agreement_id="signed"),
    ("documents.notary_print", "GET"): rule(STAFF_A, query=lambda w: {"ids": str(w.signed)}),

    # --- the ledger ----------------------------------------------------------------------------
    ("ledger.my_points", "GET"): rule(LOGGED_IN_A),
    # A statement: its holder (the person; the organisation's representative), the organisers
    # of its fair; a system account only the coordinator; another fair's only that fair's people.
    **{(endpoint, "GET"): cases(
        person=rule(P_ONLY | ORGANISERS_A, account_id="p_account"),
        organisation=rule(P_ONLY | ORGANISERS_A, account_id="p_org_account"),
        system=rule(COORDINATOR_ONLY, account_id="system_account"),
        other_fair=rule({PARTICIPANT_B_AT_B, ORGANISER_B_AT_B}, account_id="pb_account"),
    ) for endpoint in ("ledger.statement", "ledger.statement_csv_download", "ledger.statement_pdf_download")},
    ("ledger.entry", "GET"): cases(
        mine=rule(P_ONLY | ORGANISERS_A, entry_id="p_entry"),
        other_fair=rule(COORDINATOR_ONLY | {PARTICIPANT_B_AT_B, ORGANISER_B_AT_B}, entry_id="b_entry"),
    ),
    ("ledger.transfer", "GET"): rule(LOGGED_IN_A),
    ("ledger.transfer", "POST"): rule(P_ONLY | ORGANISERS_A, choice="source", data=lambda w: {
        "source": f"person:{w.p}", "target": f"org:{w.q_org}", "points": 5, "memo": "Za kawę", "key": key()}),
    ("ledger.award", "GET"): rule(LOGGED_IN_A),
    # The ledger forms' pickers: whoever may use the form, each at their own fair's address
    # (what they find is their own fair's: tests/ledger/test_pickers.py).
    ("ledger.pick", "GET"): cases(
        target=rule(LOGGED_IN_A | set(AT_B), kind=Lit("target"), query=lambda w: {"q": "a"}),
        volunteer=rule(LOGGED_IN_A | set(AT_B), kind=Lit("volunteer"), query=lambda w: {"q": "a"}),
        source=rule(ORGANISERS_A | {ORGANISER_B_AT_B}, kind=Lit("source"), query=lambda w: {"q": "a"}),
        organisation=rule(ORGANISERS_A | {ORGANISER_B_AT_B}, kind=Lit("organisation"), query=lambda w: {"q": "a"}),
        opening=rule(ORGANISERS_A | {ORGANISER_B_AT_B}, kind=Lit("opening"), query=lambda w: {"q": "a"}),
    ),
    ("ledger.award", "POST"): rule(P_ONLY | ORGANISERS_A, choice="organisation", data=lambda w: {
        "organisation": w.p_org, "volunteer": w.neighbour, "points": 5, "reason": "Sprzątanie", "key": key()}),
    ("ledger.accounts", "GET"): rule(ORGANISERS_A),
    ("ledger.open_accounts", "POST"): rule(ORGANISERS_A),
    ("ledger.set_limits", "POST"): cases(
        person=rule(ORGANISERS_A, account_id="p_account", data=lambda w: {"floor": -50, "ceiling": 500}),
        other_fair=rule({ORGANISER_B_AT_B}, account_id="pb_account", data=lambda w: {"floor": -50, "ceiling": 500}),
    ),
    ("ledger.opening", "GET"): rule(ORGANISERS_A),
    ("ledger.opening", "POST"): rule(ORGANISERS_A, data=lambda w: {
        "target": f"person:{w.neighbour}", "points": 20, "memo": "Saldo", "key": key()}),
    ("ledger.reverse", "GET"): cases(
        mine=rule(ORGANISERS_A, entry_id="p_entry"),
        other_fair=rule(COORDINATOR_ONLY | {ORGANISER_B_AT_B}, entry_id="b_entry"),  # the coordinator reads it
    ),
    ("ledger.reverse", "POST"): cases(
        mine=rule(ORGANISERS_A, entry_id="p_entry", data=lambda w: {"reason": "Pomyłka", "key": key()}),
        other_fair=rule({ORGANISER_B_AT_B}, entry_id="b_entry", data=lambda w: {"reason": "Pomyłka", "key": key()}),
    ),
    ("ledger.import_openings", "GET"): rule(ORGANISERS_A),
    ("ledger.import_openings", "POST"): rule(ORGANISERS_A, data=lambda w: {
        "file": _csv("email;points\newa@example.org;15\n", "salda.csv")}),
    ("ledger.network", "GET"): rule(COORDINATOR_ONLY),
    ("ledger.export_entries_csv", "GET"): rule(COORDINATOR_ONLY),
    ("ledger.export_balances_csv", "GET"): rule(COORDINATOR_ONLY),
    ("ledger.export_json", "GET"): rule(COORDINATOR_ONLY),
    ("reports.network_results_page", "GET"): rule(frozenset({COORDINATOR})),
    ("reports.network_results_pdf", "GET"): rule(COORDINATOR_ONLY),
    ("reports.network_results_csv", "GET"): rule(COORDINATOR_ONLY),
    ("reports.network_results_xlsx", "GET"): rule(COORDINATOR_ONLY),
    ("reports.network_funder_report_pdf", "GET"): rule(COORDINATOR_ONLY),
    ("reports.network_funder_report_xlsx", "GET"): rule(COORDINATOR_ONLY),
    # Between fairs (app/between/): anyone logged in at a fair enters the network's space (their
    # account there is made); the space's page is its people's; going back needs the way in.
    ("between.enter", "POST"): rule(LOGGED_IN_A),
    ("between.back", "POST"): rule(NOBODY, effect=False),
    ("between.space", "GET"): rule(COORDINATOR_ONLY),
    ("between.fairs", "GET"): rule(COORDINATOR_ONLY),
    ("between.fairs", "POST"): rule(COORDINATOR_ONLY, data=lambda w: {
        "slug": f"nowa-{key()[:8]}", "name": "Giełda Zasobów w Pelplinie", "first_name": "Nina",
        "last_name": "Nowacka", "email": f"nina-{key()[:6]}@example.org", "organisation_name": "Gmina Pelplin",
        "sector": "public"}),
    ("between.remind", "POST"): rule(COORDINATOR_ONLY, effect=False),
    ("floor.post_renew", "POST"): rule(P_ONLY, post_id="post", effect=False),  # a fair's post: nothing to renew

    # --- Socket.IO (tested by test_socket_rooms_and_events) -----------------------------------
    # Logged-in people join their fair's room and their own; an anonymous board viewer the room
    # of the fair it names; the big screen (with the display token) the screen room.
    ("socketio", "connect"): rule(EVERYONE),
    ("socketio", "resync"): rule(EVERYONE),
    ("socketio", "disconnect"): rule(EVERYONE),
}

def rules_of(entry: Rule | dict[str, Rule]) -> dict[str, Rule]:
    return entry if isinstance(entry, dict) else {"": entry}


# --- the world, once per process ---------------------------------------------------------------

@pytest.fixture
def app_config() -> dict[str, Any]:
    # Many callers log in with P's PIN from one address: raise the PIN guard's limits here (they
    # are tested in tests/people/test_pin_guard.py).
    return {"PIN_RATELIMIT": "100000 per minute", "PIN_BADGE_RATELIMIT": "100000 per hour"}


@dataclass
class Prepared:
    world: World
    state: authz_world.State
    cookies: dict[str, authz_world.Cookies]


_prepared: dict[str, Prepared] = {}


def _new_client(app: Flask) -> FlaskClient:
    from tests.conftest import FreshUserClient

    app.test_client_class = FreshUserClient
    return app.test_client()


@pytest.fixture
def world(app: Flask) -> Iterator[tuple[World, authz_world.State, dict[str, FlaskClient]]]:
    """The world in this test's database, and a logged-in client for each caller."""
    dialect = db.engine.dialect.name
    if dialect not in _prepared:
        w = authz_world.build(app)
        cookies = {}
        for person in {PERSON[c] for c in PERSON if PERSON[c]}:
            client = _new_client(app)
            authz_world.log_in(client, w, person)
            cookies[person] = authz_world.cookies_of(client)
        _prepared[dialect] = Prepared(w, authz_world.state(), cookies)
    prepared = _prepared[dialect]
    authz_world.restore(prepared.state)
    authz_world.restore_files(app, prepared.world)
    clients = {}
    for caller in PERSON:
        clients[caller] = _new_client(app)
        if PERSON[caller]:
            authz_world.set_cookies(clients[caller], prepared.cookies[PERSON[caller]])
    yield prepared.world, prepared.state, clients
    db.session.remove()


# --- running one route --------------------------------------------------------------------------

@dataclass
class Call:
    """What one request did."""

    status: int
    location: str
    raised: list[DomainError]
    form_errors: dict[str, Any]


class _Recorder:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.raised: list[DomainError] = []
        self.form_errors: dict[str, Any] = {}
        original_init = DomainError.__init__
        original_validate = FlaskForm.validate
        recorder = self

        def init(self: DomainError, *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            recorder.raised.append(self)

        def validate(self: FlaskForm, *args: Any, **kwargs: Any) -> bool:
            ok = original_validate(self, *args, **kwargs)
            recorder.form_errors.update(self.errors)
            return ok

        monkeypatch.setattr(DomainError, "__init__", init)
        monkeypatch.setattr(FlaskForm, "validate", validate)

    def reset(self) -> None:
        self.raised.clear()
        self.form_errors.clear()


def refusal(call: Call, r: Rule) -> str | None:
    """Why the request was refused, or None if it got through."""
    if call.status in (401, 403, 404):
        return f"HTTP {call.status}"
    if 300 <= call.status < 400 and "/login" in call.location and "next=" in call.location:
        return "sent to the login page"
    for err in call.raised:
        if err.status in (401, 403, 404):
            return f"{type(err).__name__}({err.code})"
    if r.choice and r.choice in call.form_errors:
        return f"not among the choices of {r.choice!r}"
    return None


class _Hidden(HTMLParser):
    """The hidden inputs of the form that posts to `action`."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = urlsplit(a.get("action") or self.action).path == urlsplit(self.action).path
        elif tag == "input" and self.inside and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def hidden_fields(client: FlaskClient, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    parser = _Hidden(url)
    parser.feed(page.get_data(as_text=True))
    return parser.fields


def callers_of(r: Rule, rule_vars: set[str], has_query: bool) -> list[str]:
    names_objects = bool(rule_vars & OBJECT_VARIABLES) or has_query
    return list(ROLES) + (list(AT_B) if names_objects and "slug" in rule_vars else [])


def url_variables(app: Flask, endpoint: str, r: Rule) -> set[str]:
    """The variables of the url_map rule this case goes to (the fair's slug and the case's)."""
    for candidate in app.url_map.iter_rules(endpoint):
        if set(candidate.arguments) - {"slug"} == set(r.params):
            return set(candidate.arguments)
    raise AssertionError(f"{endpoint}: no rule takes {sorted(r.params)}")


def build_url(endpoint: str, r: Rule, variables: set[str], w: World, caller: str) -> str:
    values: dict[str, Any] = {name: source.value if isinstance(source, Lit) else getattr(w, source)
                              for name, source in r.params.items()}
    if "slug" in variables:
        values["slug"] = (w.b_slug if caller in AT_B else w.space_slug if r.at_space and caller == COORDINATOR
                          else w.a_slug)
    if r.query:
        values.update(r.query(w))
    return url_for(endpoint, **values)


def _wait_for_badge_jobs(location: str) -> None:
    match = re.search(r"/admin/badges/jobs/([0-9a-f]{32})", location)
    if match:
        from app.door import badge_jobs

        badge_jobs.wait_for(match.group(1), 120)


def check_route(app: Flask, monkeypatch: pytest.MonkeyPatch, world: Any, endpoint: str, method: str) -> None:
    """Every case of one (endpoint, method), every caller."""
    w, world_state, clients = world
    recorder = _Recorder(monkeypatch)
    failures: list[str] = []
    for case, r in rules_of(MATRIX[(endpoint, method)]).items():
        baseline = world_state
        if r.prepare:
            r.prepare(w)
            baseline = authz_world.state()
        failures += check_case(app, recorder, w, baseline, clients, endpoint, method, case, r)
        if r.prepare:
            authz_world.restore(world_state, baseline.fingerprint)
    assert not failures, "\n".join(failures)


def check_case(app: Flask, recorder: _Recorder, w: World, baseline: authz_world.State,
               clients: dict[str, FlaskClient], endpoint: str, method: str, case: str, r: Rule) -> list[str]:
    """One case, every caller, each from `baseline` (restored after any change)."""
    label = f"{endpoint} {method}{f' [{case}]' if case else ''}"
    rule_vars = url_variables(app, endpoint, r)
    callers = callers_of(r, rule_vars, r.query is not None)
    assert set(r.allowed) <= set(callers), (label, set(r.allowed) - set(callers))
    denied = [c for c in callers if c not in r.allowed]
    allowed = [c for c in callers if c in r.allowed]
    failures = []
    base_fields: dict[str, str] = {}
    for caller in denied + allowed:  # denied first: an allowed POST may change the world
        client = clients[caller]
        data: dict[str, Any] = {}
        if method == "POST":
            if r.form_page and (caller in allowed or not base_fields):
                # The form's hidden fields (one-time keys) as the page gives them: to an allowed
                # caller their own; a refused one sends an allowed caller's.
                page_caller = caller if caller in allowed else sorted(r.allowed)[0]
                base_fields = hidden_fields(clients[page_caller], build_url(endpoint, r, rule_vars, w, page_caller))
                db.session.remove()
            data = {**base_fields, **(r.data(w) if r.data else {})}
        recorder.reset()
        response = client.open(build_url(endpoint, r, rule_vars, w, caller), method=method, data=data or None)
        response.get_data()  # a streamed download runs to its end here
        response.close()
        call = Call(response.status_code, response.headers.get("Location", ""), list(recorder.raised),
                    dict(recorder.form_errors))
        _wait_for_badge_jobs(call.location)
        after = authz_world.fingerprint()
        changed = after != baseline.fingerprint
        why = refusal(call, r)
        errors = [e.code for e in call.raised]
        if call.status >= 500:
            failures.append(f"{label} by {caller}: server error {call.status}")
        elif caller in denied:
            if why is None:
                failures.append(f"{label} by {caller}: NOT refused (HTTP {call.status} {call.location}; "
                                f"errors {errors})")
            if changed:
                failures.append(f"{label} by {caller}: refused ({why}) but changed "
                                f"{authz_world.differences(baseline.rows, authz_world.state().rows)}")
        elif why is not None:
            failures.append(f"{label} by {caller}: refused ({why}), should be allowed")
        elif (r.effect if r.effect is not None else method == "POST") and not changed:
            failures.append(f"{label} by {caller}: allowed but changed nothing (HTTP {call.status}; "
                            f"errors {errors}; form {call.form_errors})")
        if changed:
            authz_world.restore(baseline, after)
        # Whatever the request did to the session (logged out, switched), the caller is back.
        person = PERSON[caller]
        authz_world.set_cookies(client, _prepared[db.engine.dialect.name].cookies[person] if person else {})
    return failures


# --- the tests -----------------------------------------------------------------------------------

def _groups(size: int = 8) -> list[list[tuple[str, str]]]:
    """Routes in small groups, a test each, for the xdist workers to share. Neighbours in MATRIX
    go to different groups, so that the PDF routes (slow to render) spread out."""
    http = [k for k in MATRIX if k[0] != "socketio"]
    count = -(-len(http) // size)
    return [http[i::count] for i in range(count)]


@pytest.mark.parametrize("routes", _groups(), ids=lambda g: f"{g[0][0]}-{g[0][1]}+{len(g) - 1}")
def test_route_matrix(app: Flask, monkeypatch: pytest.MonkeyPatch, world: Any,
                      routes: list[tuple[str, str]]) -> None:
    for endpoint, method in routes:
        check_route(app, monkeypatch, world, endpoint, method)


def test_every_route_and_handler_has_an_entry(app: Flask) -> None:
    """A new route (or Socket.IO handler) needs a MATRIX entry; an entry needs its route; every
    url_map rule is reached by some case."""
    routes = {(r.endpoint, m) for r in app.url_map.iter_rules() if r.endpoint != "static"
              for m in r.methods - {"HEAD", "OPTIONS"}}
    handlers = {("socketio", name) for name in socketio.server.handlers["/"]}
    assert routes | handlers == set(MATRIX), (
        f"without an entry: {sorted((routes | handlers) - set(MATRIX))}; "
        f"entries without a route: {sorted(set(MATRIX) - routes - handlers)}")
    reached = set()
    for (endpoint, _method), entry in MATRIX.items():
        if endpoint != "socketio":
            for r in rules_of(entry).values():
                reached |= {rule.rule for rule in app.url_map.iter_rules(endpoint)
                            if set(rule.arguments) - {"slug"} == set(r.params)}
    every = {r.rule for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert every == reached, f"rules no case reaches: {sorted(every - reached)}"


# --- Socket.IO --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SocketCase:
    """A connection: whose cookies, what it says in the handshake, which rooms it may join
    (None: refused). Rooms name their fair or person by World attribute: "fair:a_id"."""

    caller: str
    auth: Callable[[World], dict[str, Any] | None]
    rooms: frozenset[str] | None


def _own_rooms(caller: str) -> frozenset[str]:
    fair = "b_id" if caller in (PARTICIPANT_B, ORGANISER_B) else "space_id" if caller == COORDINATOR else "a_id"
    return frozenset({f"fair:{fair}", f"participant:{PERSON[caller]}"})


SOCKET_CASES: dict[str, SocketCase] = {
    "board viewer of A": SocketCase(ANONYMOUS, lambda w: {"fair": w.a_slug}, frozenset({"fair:a_id"})),
    "board viewer of B": SocketCase(ANONYMOUS, lambda w: {"fair": w.b_slug}, frozenset({"fair:b_id"})),
    "big screen of A": SocketCase(ANONYMOUS, lambda w: {"fair": w.a_slug, "screen": w.display_token},
                                  frozenset({"screen:a_id"})),
    "no fair named": SocketCase(ANONYMOUS, lambda w: None, None),
    "an unknown fair": SocketCase(ANONYMOUS, lambda w: {"fair": "nie-ma-takiej"}, None),
    "a wrong display token": SocketCase(ANONYMOUS, lambda w: {"fair": w.a_slug, "screen": "x" * 43}, None),
    "A's display token for B": SocketCase(ANONYMOUS, lambda w: {"fair": w.b_slug, "screen": w.display_token},
                                          None),
    # Logged in: the person's own fair and room, whatever fair the handshake names.
    **{f"{caller}, naming the other fair": SocketCase(
        caller, (lambda w: {"fair": w.a_slug}) if caller in (PARTICIPANT_B, ORGANISER_B) else
        (lambda w: {"fair": w.b_slug, "screen": w.display_token}), _own_rooms(caller))
       for caller in ROLES if caller != ANONYMOUS},
}


def _room(name: str, w: World) -> str:
    kind, attribute = name.split(":")
    return f"{kind}:{getattr(w, attribute)}"


def _connect(app: Flask, client: FlaskClient, auth: dict[str, Any] | None) -> Any:
    from flask import g

    for cached in ("_login_user", "_flask_babel"):  # a fresh user for every handshake, as in production
        g.pop(cached, None)
    try:
        return socketio.test_client(app, flask_test_client=client, auth=auth)
    finally:
        for cached in ("_login_user", "_flask_babel"):
            g.pop(cached, None)
        db.session.remove()


def _rooms_of(sc: Any) -> set[str]:
    sid = socketio.server.manager.sid_from_eio_sid(sc.eio_sid, "/")
    return set(socketio.server.rooms(sid, namespace="/")) - {sid}


def test_socket_rooms_and_events(app: Flask, world: Any) -> None:
    """Who joins which rooms; who receives which live events; what resync returns to whom; a
    disconnect forgets the connection. Nobody gets another person's private events, and no
    client of fair B anything of fair A (nor the other way round)."""
    from sqlalchemy import select

    from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft
    from app.core.storage.events import DomainEvent
    from app.fairs.models import Fair
    from app.fairs.trading import announce
    from app.floor import sockets
    from app.people.models import Participant

    w, _state, clients = world
    connected: dict[str, tuple[SocketCase, Any]] = {}
    for name, case in SOCKET_CASES.items():
        sc = _connect(app, clients[case.caller], case.auth(w))
        if case.rooms is None:
            assert not sc.is_connected(), f"{name}: connected, should be refused"
            continue
        assert sc.is_connected(), f"{name}: refused"
        assert _rooms_of(sc) == {_room(r, w) for r in case.rooms}, name
        connected[name] = (case, sc)
        sc.get_received()
    assert {case.caller for case, _sc in connected.values()} == MATRIX[("socketio", "connect")].allowed

    # One public event in each fair and in the network's space, and a private one for P (Q saves their draft).
    announce(db.session.get_one(Participant, w.organiser), w.a_id, "Kawa w holu")
    announce(db.session.get_one(Participant, w.organiser_b), w.b_id, "Obiad o 13")
    announce(db.session.get_one(Participant, w.coordinator), w.space_id, "Nowe oferty w sieci")
    q = db.session.get_one(Participant, w.q)
    save_draft(q, w.a_id, w.draft, AgreementData(
        parties=[PartyData(w.p_org, w.p, "Łucja", ""), PartyData(w.q_org, w.q, "Kuba", "")],
        obligations=[ObligationData(w.q_org, w.p_org, "Szkolenie dla zarządu", points=40)]),
        version=w.draft_version)
    db.session.remove()

    for name, (case, sc) in connected.items():
        fair_id = (w.b_id if "fair:b_id" in case.rooms else w.space_id if "fair:space_id" in case.rooms
                   else w.a_id)
        got = {(m["args"][0]["fair_id"], m["args"][0]["stream"], m["args"][0]["type"])
               for m in sc.get_received() if m["name"] == "event"}
        expected = {(fair_id, "fair", "fair.announcement")}
        if case.caller == PARTICIPANT:
            expected.add((w.a_id, "me", "agreement.updated"))
        assert got == expected, name

    resynced = set()
    for name, (case, sc) in connected.items():
        ack = sc.emit("resync", {"after": 0, "after_private": 0}, callback=True)
        assert ack["ok"], (name, ack)
        resynced.add(case.caller)
        fair_id = (w.b_id if "fair:b_id" in case.rooms else w.space_id if "fair:space_id" in case.rooms
                   else w.a_id)
        person = getattr(w, PERSON[case.caller]) if PERSON[case.caller] else None
        assert {e["fair_id"] for e in ack["events"]} == {fair_id}, name
        assert ack["seq"] == db.session.get_one(Fair, fair_id).event_seq, name
        mine = [(e.seq, e.type) for e in db.session.scalars(
            select(DomainEvent).where(DomainEvent.participant_id == person).order_by(DomainEvent.seq))
                ] if person else []
        assert [(e["seq"], e["type"]) for e in ack["events"] if e["stream"] == "me"] == mine, name
        if case.caller == PARTICIPANT:
            assert mine, "P has private events in this world"
        db.session.remove()
    assert resynced == MATRIX[("socketio", "resync")].allowed

    for name, (_case, sc) in connected.items():
        sid = socketio.server.manager.sid_from_eio_sid(sc.eio_sid, "/")
        assert sid in sockets._clients, name
        sc.disconnect()
        assert sid not in sockets._clients, name
    assert {case.caller for case, _sc in connected.values()} == MATRIX[("socketio", "disconnect")].allowed
