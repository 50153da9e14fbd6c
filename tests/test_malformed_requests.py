"""No request ends in a 500: malformed values sent to every route and every parameter.

Generated from the app's url_map. For each group of routes and each role (anonymous,
participant, notary, organiser) of a populated fair (posts, a hidden one, a draft, an agreement
awaiting the notary and a signed one, ledger entries, check-ins, an invitation), the test sends,
for every method of every route:

- every path parameter with each malformed value (integers past the 32- and 64-bit ranges,
  zero, negative, non-numeric, non-ASCII, NUL, very long), an id once more asking for JSON;
- every query argument the view reads, each with each malformed value of tests/malformed.py;
  the arguments come from the links and GET forms of the role's pages and from the view's
  source (see test_every_request_read_is_found), plus the generic `lang` and `next`;
- every form field of a POST route, each with each malformed value, the other fields as the
  page gives them; the fields come from the real forms on the role's pages (hidden ones
  included), the view's form classes and its source; then an empty body, every field twice, a
  body that is no UTF-8, each other submit button, and files that are no CSV;

with the other parameters valid. A role the route refuses (login, 403) reaches no view code:
it gets the path values and one request per value with every argument and field set to it.

It fails on any 5xx, naming route, role, parameter and value, and on a 4xx page that is
Werkzeug's English default instead of the app's translated error page. How many requests were
sent and how many got a 5xx is written to test-artifacts/malformed-requests-<dialect>.jsonl (a
line per test) and summed up at the end of the run (tests/conftest.py).

PDFs: the routes render their HTML as usual, but WeasyPrint's layout is replaced by a stub (a
few hundred renders would take minutes; the PDFs have tests of their own, and no request value
reaches WeasyPrint that the HTML did not already carry).
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.routing import Rule

from app.core.extensions import db
from app.fairs.models import Fair
from app.people.models import Participant
from tests.malformed import (
    BAD_UTF8,
    FREE_TEXT_VALUES,
    GENERIC_QUERY_ARGS,
    GENERIC_VALUES,
    ID_VALUES,
    INT_PATH_VALUES,
    TEXT_VALUES,
    Form,
    Runner,
    args_read_by,
    build_path,
    parse_page,
    path_values,
    query_pairs,
    replaced,
    with_query,
)

ROLES = ("anonymous", "participant", "notary", "organiser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Groups of routes: one test per group and role, so that pytest-xdist spreads them.
GROUPS: dict[str, str] = {
    "public": (r"/(?!f/)|/f/<slug>/(|board|register|login.*|logout|me|me/organisation|network|network/(enter|back)"
               r"|screen/.*|welcome/.*)$"),
    "agreements": r"/f/<slug>/(agreements|notary|admin/(partnerships|certificates)|me/certificates)",
    "points": r"/f/<slug>/(points|admin/(points|network))",
    "floor": r"/f/<slug>/(posts|my-posts|matches|admin/(control|categories|results|follow-up|synonyms|values))",
    "people": r"/f/<slug>/admin/(participants|organisations|registration|staff)",
    "desk-setup": r"/f/<slug>/(desk|scan|badges|brokers|admin/(badges|settings|clone|new-fair|import|exports|audit))",
}

# Actions that change what later requests of the same test can reach: fuzzed last, in this order.
LAST = ("partnerships.end", "certificates.reissue", "fairs.control_close", "fairs.rotate_display", "agreements.annul",
        "agreements.cancel",
        "people.admin_participant_reissue", "people.admin_participant_revoke", "people.admin_participant_remove",
        "people.admin_organisation_remove", "between.back", "between.enter", "people.logout")
NOT_CRAWLED = ("people.login_link", "main.set_language", "people.logout")
FILES = (b"", b"\xff\xfe\x00\x01 not a CSV", "nazwa;punkty;e-mail\nŻółć;9223372036854775808;a\x00b\n".encode())


def group_of(rule: Rule) -> str:
    names = [name for name, pattern in GROUPS.items() if re.match(pattern, rule.rule)]
    assert len(names) == 1, f"{rule.rule} is in the groups {names}"
    return names[0]


def fuzzed_rules(app: Flask) -> list[Rule]:
    return list(app.url_map.iter_rules())


def _order(rule: Rule) -> tuple[int, str]:
    return (LAST.index(rule.endpoint) + 1 if rule.endpoint in LAST else 0, rule.rule)


# --- the populated fair -------------------------------------------------------------------------

@dataclass
class World:
    fair: Fair
    people: dict[str, Participant | None]  # by role
    victim: Participant  # the one the organiser's per-person forms act on
    post_id: int
    hidden_post_id: int
    draft_id: int
    signed_id: int
    awaiting_id: int  # signed by both parties, waiting for the notary
    obligation_id: int
    account_id: int
    entry_id: int
    category_id: int
    invitation: str
    member_id: int = 0  # the participant's member, in the public directory
    duplicate_id: int = 0  # a returning organisation to confirm
    partnership_id: int = 0  # of the participant's and the counterpart's members
    certificate_id: int = 0  # of the participant's member, issued by the organiser

    def path_values(self, rule: Rule, role: str) -> dict[str, str]:
        """Valid values for the rule's path: the draft for the editor's routes, the agreement
        awaiting the notary for countersigning, else the signed one; the victim for per-person
        pages; the role's own login link."""
        draft_routes = {"agreements.edit", "agreements.sign", "agreements.sign_shared", "agreements.cancel"}
        agreement = self.draft_id if rule.endpoint in draft_routes else \
            self.awaiting_id if rule.endpoint == "agreements.notarise" else self.signed_id
        me = self.people[role]
        values: dict[str, Any] = {
            "slug": self.fair.slug, "pid": self.victim.id, "oid": self.victim.organisation_id,
            "category_id": self.category_id, "account_id": self.account_id, "entry_id": self.entry_id,
            "agreement_id": agreement,
            "obligation_id": self.obligation_id,
            "post_id": self.hidden_post_id if rule.endpoint == "floor.post_restore" else self.post_id,
            "job_id": "0" * 32, "badge_code": self.victim.badge_code,
            "secret": me.login_secret if me else "not-a-login-secret",
            "token": self.invitation if rule.endpoint == "people.welcome" else self.fair.display_token,
            "table": "participants", "filename": "css/app.css", "kind": "target", "member_id": self.member_id,
            "duplicate_id": self.duplicate_id, "partnership_id": self.partnership_id,
            "certificate_id": self.certificate_id,
            "code": "en" if rule.endpoint == "main.set_language" else
            self.partnership_code() if rule.endpoint == "partnerships.verify_page" else
            self.certificate_code() if rule.endpoint == "certificates.verify_page" else self.agreement_code(),
        }
        return {name: str(values[name]) for name in rule.arguments}

    def crawl_variants(self, rule: Rule, role: str) -> list[dict[str, str]]:
        """The pages to look for forms on: each agreement, post and kind of person where a route
        takes one (a form shows only in some states: countersigning, restoring, a password)."""
        base = self.path_values(rule, role)
        others = {"agreement_id": [self.draft_id, self.awaiting_id, self.signed_id],
                  "post_id": [self.post_id, self.hidden_post_id],
                  "pid": [self.victim.id, self.people["notary"].id]}  # type: ignore[union-attr]
        variants = [base]
        for name, values in others.items():
            if name in base:
                variants += [{**base, name: str(v)} for v in values if str(v) != base[name]]
        return variants

    def agreement_code(self) -> str:
        from app.agreements.models import Agreement

        return db.session.get_one(Agreement, self.signed_id).public_code

    def partnership_code(self) -> str:
        from app.partnerships.models import Partnership

        return db.session.get_one(Partnership, self.partnership_id).public_code

    def certificate_code(self) -> str:
        from app.certificates.models import Certificate

        return db.session.get_one(Certificate, self.certificate_id).public_code

    def ids(self) -> tuple[int, ...]:
        return (self.fair.id, self.victim.id, self.post_id, self.hidden_post_id, self.draft_id, self.signed_id,
                self.awaiting_id, self.obligation_id, self.account_id, self.entry_id, self.category_id)

    def secrets(self) -> dict[str, str]:
        """Random values the pages may show: a crawl of another test's fair names them."""
        from app.agreements.models import Agreement

        found = {"display": self.fair.display_token, "invitation": self.invitation}
        for p in db.session.scalars(select(Participant).where(Participant.fair_id == self.fair.id)):
            found[f"badge:{p.id}"] = p.badge_code
            found[f"login:{p.id}"] = p.login_secret
        for a in db.session.scalars(select(Agreement).where(Agreement.fair_id == self.fair.id)):
            found[f"code:{a.id}"] = a.public_code
        return found


@pytest.fixture
def world(fair: Fair, make_participant: Callable[..., Participant]) -> World:
    """The fair in full swing. Staff are made without a password (hashing one costs more than a
    hundred requests; they log in through their link like everyone here)."""
    from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_agreement
    from app.agreements.models import Agreement
    from app.agreements.signing import notarise, sign_agreement
    from app.certificates.issuing import issue_certificate
    from app.core.i18n import LOCAL_ZONE
    from app.core.storage.db import utcnow
    from app.core.storage.transactions import transaction
    from app.door.checkin import check_in
    from app.fairs.categories import fair_categories
    from app.fairs.roles import Role
    from app.fairs.trading import open_trading
    from app.floor.kinds import PostKind
    from app.floor.posts import PostData, create_post, hide_post
    from app.ledger import operations
    from app.ledger.accounts import open_organisation_accounts, organisation_account
    from app.network.models import PossibleDuplicate
    from app.network.sectors import Sector
    from app.partnerships.records import PartnerData, PartnershipData, record_partnership
    from app.people.member_profile import MemberProfile, update_member_profile
    from app.people.organisations import OrganisationData, ensure_organisation
    from app.people.participants import PersonData, create_participant
    from app.people.staff import invitation_token, invite_staff

    def staff(first: str, last: str, role: Role) -> Participant:
        with transaction():
            person = create_participant(fair.id, PersonData(first, last, f"{role.value}@example.org", role=role),
                                        OrganisationData("Starostwo Powiatowe", Sector.PUBLIC))
        return db.session.get_one(Participant, person.id)

    def draft(a: Participant, b: Participant, *, both_ways: bool) -> Agreement:
        started = start_agreement(a, fair.id, b.id)
        obligations = [ObligationData(a.organisation_id, b.organisation_id, "Sala na 30 osób, 3 godziny", points=30)]
        if both_ways:
            obligations.append(ObligationData(b.organisation_id, a.organisation_id, "Szkolenie z wniosków", hours=4))
        data = AgreementData(
            parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (a, b)],
            obligations=obligations)
        return save_draft(a, fair.id, started.id, data, version=started.version)

    organiser, notary = staff("Grażyna", "Żebrowska", Role.ORGANISER), staff("Jerzy", "Łęcki", Role.NOTARY)
    open_trading(organiser, fair.id, 90)
    a = make_participant("Anna", "Żak", organisation="Fundacja Ład", phone="+48 600 100 200")
    b = make_participant("Bartosz", "Łoś", organisation="Spółdzielnia Źródło", sector=Sector.SOCIAL_COOPERATIVE)
    victim = make_participant("Celina", "Ćwik", organisation="Koło Gospodyń")
    categories = {c.key: c.id for c in fair_categories(fair.id)}
    post = create_post(a, fair.id, PostData(kind=PostKind.OFFER, category_id=categories["rooms"],
                                            title="Sala na 30 osób", quantity=3))
    create_post(b, fair.id, PostData(kind=PostKind.NEED, category_id=categories["equipment"],
                                     title="Potrzebny rzutnik"))
    hidden = create_post(b, fair.id, PostData(kind=PostKind.OFFER, category_id=categories["rooms"],
                                              title="Ogłoszenie do ukrycia"))
    hide_post(organiser, fair.id, hidden.id, "Spam")
    # The draft has one obligation: the editor shows it and an empty row (a second one would be
    # the same fields again, which the fuzzer leaves out, on a page a third more to render).
    unsigned, signed, awaiting = draft(a, b, both_ways=False), draft(a, b, both_ways=True), draft(a, b, both_ways=True)
    for agreement in (signed, awaiting):
        for person in (a, b):
            sign_agreement(person, fair.id, agreement.id, agreement.version)
    notarise(notary, fair.id, signed.id, signed.version)
    with transaction():  # an organisation with nobody in it: the list offers to remove it
        empty = ensure_organisation(fair.id, OrganisationData("Stowarzyszenie Puste", Sector.NGO))
        # and one with a name close to it: a returning organisation for the organiser to confirm
        close = ensure_organisation(fair.id, OrganisationData("Stowarzyszenie Puste z Gniewu", Sector.NGO))
    duplicate = db.session.scalars(select(PossibleDuplicate.id).where(
        PossibleDuplicate.member_id == close.member_id, PossibleDuplicate.candidate_id == empty.member_id)).one()
    for person in (a, b):
        check_in(notary, fair.id, person.badge_code)
    open_organisation_accounts(organiser, fair.id)
    account = organisation_account(a.organisation_id)
    operations.post_opening_balance(organiser, account.id, 500, "Na start", "fuzz:opening")
    entry = operations.transfer_points(a, account.id, organisation_account(b.organisation_id).id, 20,
                                       "Za salę", "fuzz:transfer")
    invited = invite_staff(organiser, fair.id, PersonData("Irena", "Nowa", "irena@example.org", role=Role.NOTARY),
                           OrganisationData("Starostwo Powiatowe", Sector.PUBLIC))
    member = update_member_profile(a, fair.id, MemberProfile(public_profile=True, city="Tczew",
                                                             description="Sala i rzutnik"))
    partnership = record_partnership(organiser, PartnershipData(
        purpose="Wspólne warsztaty", starts_on=date(2026, 3, 1), lead_member_id=member.id,
        partners=[PartnerData(member.id, role="Lider"), PartnerData(b.organisation.member_id, role="Sala")])).row
    today = utcnow().astimezone(LOCAL_ZONE).date()
    certificate = issue_certificate(organiser, fair.id, member.id, today.replace(month=1, day=1), today).row
    return World(
        fair=db.session.get_one(Fair, fair.id),
        people={"anonymous": None, "participant": a, "notary": notary, "organiser": organiser},
        victim=victim, post_id=post.id, hidden_post_id=hidden.id, draft_id=unsigned.id, signed_id=signed.id,
        awaiting_id=awaiting.id,
        obligation_id=db.session.get_one(Agreement, signed.id).obligations[0].id, account_id=account.id,
        entry_id=entry.id, category_id=categories["rooms"], invitation=invitation_token(invited), member_id=member.id,
        duplicate_id=duplicate, partnership_id=partnership.id, certificate_id=certificate.id)


class _StubBuilder:
    """WeasyPrint's place in PdfBuilder: keeps the HTML, writes a stub PDF."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        self.documents: list[str] = []

    def add(self, html: str) -> int:
        assert html.strip()
        self.documents.append(html)
        return 1

    @property
    def page_count(self) -> int:
        return len(self.documents)

    def write(self, target: Any) -> None:
        if not self.documents:
            raise ValueError("nothing to write")
        data = b"%PDF-1.4\n% stub\n"
        if isinstance(target, (str, Path)):
            Path(target).write_bytes(data)
        else:
            target.write(data)


class _StubHTML:
    def __init__(self, string: str, **_kwargs: Any) -> None:
        assert string.strip()

    def write_pdf(self) -> bytes:
        return b"%PDF-1.4\n% stub\n"


@pytest.fixture
def quick_pdfs(monkeypatch: pytest.MonkeyPatch, app: Flask) -> Iterator[None]:
    application = app
    import app.agreements.pdf
    import app.certificates.pdf
    import app.door.badges
    import app.ledger.pdf
    import app.reports.results_report
    from app.core.tasks import wait_for_tasks

    for module in (app.agreements.pdf, app.certificates.pdf, app.door.badges, app.reports.results_report):
        monkeypatch.setattr(module, "PdfBuilder", _StubBuilder)
    monkeypatch.setattr(app.agreements.pdf, "_printer", app.agreements.pdf._Printer())
    monkeypatch.setattr(app.ledger.pdf, "HTML", _StubHTML)
    yield
    assert wait_for_tasks(60, application)  # print runs the organiser started


# --- what each role's pages hold ----------------------------------------------------------------

@dataclass
class Crawl:
    forms: dict[str, list[Form]] = field(default_factory=dict)  # endpoint -> the forms posting there
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # endpoint -> a link's query
    link_args: dict[str, set[str]] = field(default_factory=dict)  # endpoint -> query args seen
    pages: int = 0

    def translated(self, mapping: dict[str, str]) -> Crawl:
        def tr(value: str) -> str:
            for old, new in mapping.items():
                value = value.replace(old, new)
            return value

        forms = {e: [Form(f.page, f.action, f.method, [(n, tr(v)) for n, v in f.fields], f.buttons, f.files,
                          f.free_text) for f in found] for e, found in self.forms.items()}
        links = {e: [(k, tr(v)) for k, v in pairs] for e, pairs in self.links.items()}
        return Crawl(forms, links, self.link_args, 0)


# (role, ids of the fair) -> the crawl and the secrets of the fair it was made on. The populated
# fair is built the same way in every test (same ids), so one crawl per role and process serves
# every group; the random values it saw (badge codes in links, …) are swapped for the current fair's.
_CRAWLS: dict[tuple[str, tuple[int, ...]], tuple[Crawl, dict[str, str]]] = {}


def form_classes() -> dict[str, type[FlaskForm]]:
    found: dict[str, type[FlaskForm]] = {}
    todo = [FlaskForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.setdefault(sub.__name__, sub)
            todo.append(sub)
    return found


def form_class_fields(app: Flask, names: set[str]) -> set[str]:
    classes = form_classes()
    fields: set[str] = set()
    with app.test_request_context(method="POST"):
        for name in names & set(classes):
            fields.update(f.name for f in classes[name](meta={"csrf": False}) if f.type != "FieldList")
    return fields


# --- the fuzzer ---------------------------------------------------------------------------------

_WERKZEUG_DEFAULTS = ("The browser (or proxy) sent a request", "The requested URL was not found",
                      "The method is not allowed", "You don't have the permission", "Bad Request")


class Fuzzer:
    def __init__(self, app: Flask, client: FlaskClient, world: World, role: str) -> None:
        self.app, self.client, self.world, self.role = app, client, world, role
        self.run = Runner(app, client, role)
        self.adapter = app.url_map.bind("gielda.test")
        self.crawl = Crawl()
        self.english: list[str] = []
        self.setup_requests = 0

    def login(self) -> None:
        """Be the role again (a fuzzed request may have logged out, or in as someone else)."""
        person = self.world.people[self.role]
        row = db.session.execute(select(Participant.login_secret, Participant.login_version)
                                 .where(Participant.id == (person.id if person else None))).first()
        with self.client.session_transaction() as session:
            current = session.get("_user_id")
        remembered = self.client.get_cookie("remember_token") is not None
        if person is None and current is None and not remembered:
            return
        if row is not None and current == f"{person.id}:{row.login_version}":
            return
        self.setup_requests += 1
        self.client.post(f"/f/{self.world.fair.slug}/logout")
        if person is None:
            return
        # Straight into the session, as Flask-Login keeps it (the login pages are fuzzed too, and
        # a fuzzed password form may have changed a staff member's password).
        with self.client.session_transaction() as session:
            session["_user_id"] = f"{person.id}:{row.login_version}"
            session["_fresh"] = True

    # -- discovery ---------------------------------------------------------------------------

    def endpoint_of(self, url: str, method: str) -> str | None:
        path = url.split("?", 1)[0].removeprefix("http://gielda.test")
        if not path.startswith("/"):
            return None
        try:
            endpoint, _args = self.adapter.match(path, method=method)
        except Exception:
            return None
        return endpoint

    def discover(self, rules: list[Rule]) -> None:
        key = (self.role, self.world.ids())
        cached = _CRAWLS.get(key)
        if cached is not None:
            old_secrets, new_secrets = cached[1], self.world.secrets()
            self.crawl = cached[0].translated(
                {old_secrets[k]: new_secrets[k] for k in old_secrets if k in new_secrets})
            return
        self.login()
        shown: set[str] = set()
        for rule in rules:
            if "GET" not in rule.methods or rule.endpoint in NOT_CRAWLED or re.search(r"\.\w+$", rule.rule):
                continue
            for values in self.world.crawl_variants(rule, self.role):
                if self._read_page(build_path(rule, values)):
                    shown.add(rule.endpoint)
        for endpoint, pairs in list(self.crawl.links.items()):  # pages that need their query (?with=…)
            if endpoint not in shown and endpoint not in NOT_CRAWLED:
                rule = next(r for r in rules if r.endpoint == endpoint and "GET" in r.methods)
                self._read_page(with_query(build_path(rule, self.world.path_values(rule, self.role)), pairs))
        _CRAWLS[key] = (self.crawl, self.world.secrets())

    def _read_page(self, url: str) -> bool:
        response = self.client.get(url)
        self.setup_requests += 1
        self.crawl.pages += 1
        if response.status_code != 200 or response.mimetype != "text/html":
            return False
        page = parse_page(url, response.get_data(as_text=True))
        for href in page.links:
            endpoint = self.endpoint_of(href, "GET")
            if endpoint and "?" in href:
                pairs = query_pairs(href)
                self.crawl.links.setdefault(endpoint, pairs)
                self.crawl.link_args.setdefault(endpoint, set()).update(k for k, _v in pairs)
        for form in page.forms:
            endpoint = self.endpoint_of(form.action, form.method)
            if endpoint is None:
                continue
            if form.method == "GET":
                self.crawl.link_args.setdefault(endpoint, set()).update(form.names())
                continue
            found = self.crawl.forms.setdefault(endpoint, [])
            if all(_shape(other) != _shape(form) for other in found):  # the same form on another row
                found.append(form)
        return True

    # -- sending -----------------------------------------------------------------------------

    def send(self, rule: Rule, method: str, url: str, where: str, value: str, data: Any = None,
             headers: dict[str, str] | None = None) -> Any:
        response = self.run.send(rule.endpoint, method, url, where, value, data, headers)
        if 400 <= response.status_code < 500 and response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            if any(text in body for text in _WERKZEUG_DEFAULTS):
                self.english.append(f"{response.status_code} {method} {rule.endpoint} {where}={value[:30]!r}")
        return response

    def refused(self, response: Any) -> bool:
        """The role may not use the route: it reached no code that reads the request."""
        location = response.headers.get("Location", "")
        return response.status_code in (401, 403) or (
            response.status_code in (302, 303) and ("/login?" in location or location.endswith("/login")))

    def fuzz_rule(self, rule: Rule) -> None:
        self.login()
        valid = self.world.path_values(rule, self.role)
        path = build_path(rule, valid)
        reads = args_read_by(self.app.view_functions[rule.endpoint])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            forms: list[Form | None] = [*self.crawl.forms.get(rule.endpoint, [])] or [None]
            body = _body(forms[0]) if method == "POST" else None
            refused = self.refused(self.send(rule, method, path, "<valid>", "", data=body))
            for name in rule.arguments:
                for value in path_values(rule, name, refused):
                    self.send(rule, method, build_path(rule, {**valid, name: value}), f"path:{name}", value,
                              data=body)
                for value in INT_PATH_VALUES[1:2] if name != "slug" else []:
                    self.send(rule, method, build_path(rule, {**valid, name: value}), f"path:{name} (JSON)",
                              value, data=body, headers={"Accept": "application/json"})
            query_names = reads.query | self.crawl.link_args.get(rule.endpoint, set()) if method == "GET" \
                else reads.query - reads.form
            others = reads.form | form_class_fields(self.app, reads.forms) if method == "POST" else set()
            if refused:  # no view code ran: one request per value, every argument and field set to it
                names = sorted(query_names | set(GENERIC_QUERY_ARGS))
                for value in TEXT_VALUES:
                    fields = _field_names(forms[0], others) if method == "POST" else []
                    self.send(rule, method, with_query(path, [(n, value) for n in names]), "query+form:<all>",
                              value, data=[(n, value) for n in fields] if method == "POST" else None)
                continue
            self._fuzz_query(rule, method, path, sorted(query_names), body)
            if method == "POST":
                for form in forms:
                    self._fuzz_form(rule, path, form, _field_names(form, others))

    def _fuzz_query(self, rule: Rule, method: str, path: str, names: list[str], body: Any) -> None:
        base = self.crawl.links.get(rule.endpoint, []) if method == "GET" else []
        for name in names:
            for value in TEXT_VALUES:
                self.send(rule, method, with_query(path, replaced(base, name, value)), f"query:{name}", value,
                          data=body)
            self.send(rule, method, f"{path}?{name}={BAD_UTF8}", f"query:{name}", BAD_UTF8, data=body)
        generic = sorted(set(GENERIC_QUERY_ARGS) - set(names))
        if method == "GET" and generic:  # read apart from each other: both in one request
            for value in GENERIC_VALUES:
                pairs = [(k, v) for k, v in base if k not in generic] + [(k, value) for k in generic]
                self.send(rule, method, with_query(path, pairs), f"query:{'+'.join(generic)}", value)

    def _fuzz_form(self, rule: Rule, path: str, form: Form | None, names: list[str]) -> None:
        base = _body(form)
        for name in names:
            for value in FREE_TEXT_VALUES if form and name in form.free_text else TEXT_VALUES:
                self.send(rule, "POST", path, f"form:{name}", value, data=replaced(base, name, value))
        for button in form.buttons[:-1] if form else []:  # the other actions of the form
            variant = [*form.fields, button]
            self.send(rule, "POST", path, f"form:{button[0]}={button[1]}", button[1], data=variant)
            for name in [n for n in names if n.endswith(("_id", "giver", "receiver", "version"))]:
                for value in ID_VALUES:
                    self.send(rule, "POST", path, f"form:{name} with {button[0]}={button[1]}", value,
                              data=replaced(variant, name, value))
        self.send(rule, "POST", path, "form:<empty body>", "", data={})
        self.send(rule, "POST", path, "form:<every field twice>", TEXT_VALUES[4],
                  data=base + [(n, TEXT_VALUES[4]) for n in names])
        raw = "&".join(f"{n}={BAD_UTF8}" for n in names) or f"x={BAD_UTF8}"
        self.send(rule, "POST", path, "form:<no UTF-8>", BAD_UTF8, data=raw,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        for file_field in form.files if form else []:
            for content in FILES:
                self.send(rule, "POST", path, f"file:{file_field}", repr(content[:24]),
                          data=[*base, (file_field, (io.BytesIO(content), "lista.csv"))])


def _shape(form: Form) -> set[str]:
    """A form's fields, FieldList rows counted once (an agreement with more obligations)."""
    return {re.sub(r"-\d+-", "-N-", name) for name in form.names()}


def _body(form: Form | None) -> list[tuple[str, str]]:
    """The form as the page would post it: its fields, and its main (last) submit button."""
    return [*form.fields, *form.buttons[-1:]] if form else []


def _field_names(form: Form | None, others: set[str]) -> list[str]:
    """Every field once: FieldList rows after the first are left out (same code, same checks)."""
    names = [n for n, _v in form.fields] + [n for n, _v in form.buttons] if form else []
    names += sorted(others - set(names))
    shapes: dict[str, str] = {}
    for name in names:
        shapes.setdefault(re.sub(r"-\d+-", "-N-", name), name)
    return list(shapes.values())


def _record(name: str, fuzzer: Fuzzer, per_route: dict[str, int], cpu_seconds: float) -> None:
    dialect = db.engine.dialect.name
    ARTIFACTS.mkdir(exist_ok=True)
    line = json.dumps({
        "test": name, "dialect": dialect, "role": fuzzer.role, "sent": fuzzer.run.sent,
        "server_errors": len(fuzzer.run.failures), "statuses": fuzzer.run.statuses, "per_route": per_route,
        "crawled_pages": fuzzer.crawl.pages, "setup_requests": fuzzer.setup_requests,
        "cpu_seconds": round(cpu_seconds, 2), "failures": [str(f) for f in fuzzer.run.failures[:200]],
        "english_error_pages": fuzzer.english[:50]}, ensure_ascii=False)
    with open(ARTIFACTS / f"malformed-requests-{dialect}.jsonl", "a", encoding="utf-8") as out:
        out.write(line + "\n")


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("group", list(GROUPS))
def test_no_malformed_request_gets_a_500(app: Flask, client: FlaskClient, world: World, quick_pdfs: None,
                                          group: str, role: str, request: pytest.FixtureRequest) -> None:
    started = time.process_time()
    rules = fuzzed_rules(app)
    fuzzer = Fuzzer(app, client, world, role)
    fuzzer.discover(rules)
    per_route: dict[str, int] = {}
    for rule in sorted((r for r in rules if group_of(r) == group), key=_order):
        before = fuzzer.run.sent
        fuzzer.fuzz_rule(rule)
        per_route[rule.rule] = per_route.get(rule.rule, 0) + fuzzer.run.sent - before
    _record(request.node.name, fuzzer, per_route, time.process_time() - started)
    failures = "\n".join(str(f) for f in fuzzer.run.failures[:30])
    assert not fuzzer.run.failures, f"{len(fuzzer.run.failures)} of {fuzzer.run.sent} requests got a 5xx:\n{failures}"
    assert not fuzzer.english, "Werkzeug's English error page:\n" + "\n".join(fuzzer.english[:20])
    assert all(per_route.values()), per_route


def test_every_route_is_in_a_group(app: Flask) -> None:
    for rule in fuzzed_rules(app):
        group_of(rule)


# --- Socket.IO: the connection's auth and the resync handler --------------------------------------

BAD_AFTER: list[Any] = [1e30, 2**63, -(2**63) - 1, 2**31, -1, 0.5, float("nan"), float("inf"), True, None,
                        "5", "a\x00b", "Żółć", [], {}]
BAD_PAYLOADS: list[Any] = ["x", 5, [1, 2], "\x00", {"after": [1]}]


def test_no_malformed_socket_message_gets_an_error(app: Flask, client: FlaskClient, world: World,
                                                   request: pytest.FixtureRequest) -> None:
    """The connection's auth and the resync handler, as each role: a refused connection or a
    bad_request ack, never an exception."""
    from app.core.extensions import socketio

    app.config["SOCKET_RATELIMIT"] = "10000/minute"
    slug = world.fair.slug
    auths: list[Any] = [{"fair": v} for v in TEXT_VALUES] + [{"fair": slug, "screen": v} for v in [*TEXT_VALUES, 5]]
    auths += ["x", [slug], {"fair": [slug]}]
    for role in ROLES:
        fuzzer = Fuzzer(app, client, world, role)
        fuzzer.login()
        for auth in auths:
            fuzzer.run.sent += 1
            sc = socketio.test_client(app, flask_test_client=client, auth=auth)  # an exception fails the test
            if sc.is_connected():
                sc.disconnect()
        sc = socketio.test_client(app, flask_test_client=client, auth={"fair": slug})
        assert sc.is_connected(), role
        for after in BAD_AFTER:
            fuzzer.run.sent += 1
            reply = sc.emit("resync", {"after": after}, callback=True)
            assert reply == {"ok": False, "code": "bad_request"}, f"{role}: after={after!r}: {reply}"
        for payload in BAD_PAYLOADS:
            fuzzer.run.sent += 1
            assert sc.emit("resync", payload, callback=True) == {"ok": False, "code": "bad_request"}, payload
        good = sc.emit("resync", {"after": 0}, callback=True)
        assert good["ok"] and good["seq"] == world.fair.event_seq and good["events"], role
        sc.disconnect()
        resyncs = len(BAD_AFTER) + len(BAD_PAYLOADS)
        _record(f"{request.node.name}[{role}]", fuzzer, {"socket:connect": len(auths), "socket:resync": resyncs},
                0.0)


def test_every_request_read_is_found(app: Flask) -> None:
    """Every query argument and form field the app's code reads by name is one the fuzzer finds
    in some view's source (or a generic one): a new `request.args.get("x")` cannot hide from it."""
    from tests.malformed import all_reads_in

    found: set[tuple[str, str]] = set()
    for view in app.view_functions.values():
        reads = args_read_by(view)
        found |= {("query", n) for n in reads.query} | {("form", n) for n in reads.form}
    found |= {("query", n) for n in GENERIC_QUERY_ARGS}
    in_code: set[tuple[str, str]] = set()
    for path in (Path(__file__).resolve().parent.parent / "app").rglob("*.py"):
        for kind, name in all_reads_in(path.read_text(encoding="utf-8")):
            in_code.add(("form" if kind == "form" else "query", name))
    assert in_code, "the pattern finds no read at all"
    assert in_code <= found, f"read in app/ but found in no view: {sorted(in_code - found)}"
    # A read by a variable name: its names are the literals its function passes on (ledger's period).
    assert {("query", "since"), ("query", "until")} <= found


def test_every_integer_field_is_bounded() -> None:
    """Each form's whole numbers go through app.core.web.formfields.IntegerField (the database's range)."""
    import wtforms

    import app.agreements.forms
    import app.door.forms
    import app.fairs.forms
    import app.floor.forms
    import app.ledger.forms
    import app.people.forms
    import app.people.staff_forms
    from app.core.web.formfields import IntegerField

    checked = 0
    for form in [*form_classes().values(), app.agreements.forms.ObligationForm, app.agreements.forms.PartyForm]:
        for name in dir(form):
            unbound = getattr(form, name)
            if isinstance(unbound, wtforms.fields.core.UnboundField) and \
                    issubclass(unbound.field_class, wtforms.IntegerField):
                checked += 1
                assert issubclass(unbound.field_class, IntegerField), f"{form.__name__}.{name}"
    assert checked >= 8
