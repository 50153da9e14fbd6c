"""The write path: one signature and one points transfer, as service calls — SQL statements per
operation, time per operation against a floor doing the bare SQL of the same operation in the same
transaction machinery, and where the time goes (a cProfile summary).

**Signature**: the second party's `sign_agreement()` on a draft between two organisations with an
obligation each way, at a fair without the notary rule, so that this signature completes the
agreement (it locks the agreement, adds the signature, locks the fair, numbers the agreement,
freezes its content and hash, and records three events: one to each party's private stream and
`agreement.signed` to the fair's). The first party's signature is made beforehand, not timed.
**floor**: the SQL such a signature cannot do without, as text in one `transaction()`: the
agreement row locked, the parties, organisations, people and obligations read (what the frozen
content says), the signature inserted, the fair row locked, the highest number read, the
agreement updated, each stream's counter bumped (the fair's and the two parties' people), the
three events inserted and the audit row.

**Transfer**: `transfer_points()` by an organisation's representative from their organisation's
account to another's (validation, permission, idempotency key, account rows locked in id order,
limits, entry + two postings + cached balances, audit). **floor**: the two account rows locked,
the key looked up, the entry, its two postings, the two balance updates and the audit row.

Each operation starts as a request would: a fresh session, the actor loaded by id (as the login
does), not counted; the statements counted are those the service call sends. Time per operation:
the median of BENCH_WRITEPATH_OPS (default 60) operations, best of BENCH_ROUNDS (default 3) rounds
alternating with the floor. The profile is a separate batch under cProfile (which slows everything
it watches); its summary lists the functions of `app/` with the largest cumulative time.

SQLite: a file in WAL mode; PostgreSQL: a throwaway database on BENCH_DATABASE_URL's server (default:
the local test server). The profile runs on PostgreSQL when it answers, on SQLite otherwise.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text

from bench._report import machine
from bench.ledger import _postgres, _sqlite

OPS = int(os.environ.get("BENCH_WRITEPATH_OPS", "60"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TOP = int(os.environ.get("BENCH_WRITEPATH_TOP", "14"))


def _app(url: str) -> Any:
    from app import create_app

    instance = tempfile.mkdtemp(prefix="bench-writepath-instance-")
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance,
                       "AUTO_MIGRATE": True, "TESTING": True, "AGREEMENT_PDF_AFTER_SIGNING": "off"})


class Statements:
    """Counts the statements sent to the database while `on`."""

    def __init__(self, engine: Any) -> None:
        self.on = False
        self.sent: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.on:
            self.sent.append(statement)

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        self.sent = []
        self.on = True
        try:
            yield self.sent
        finally:
            self.on = False


def _kind(statement: str) -> str:
    """'SELECT agreements FOR UPDATE', 'UPDATE fairs', 'INSERT domain_events' ..."""
    words = statement.split()
    verb = words[0].upper() if words else "?"
    if verb == "SELECT":
        found = re.search(r"\bFROM\s+\"?(\w+)", statement, re.I)
        table = found.group(1) if found else "?"
        return f"SELECT {table}" + (" FOR UPDATE" if "FOR UPDATE" in statement.upper() else "")
    if verb in ("INSERT", "UPDATE", "DELETE"):
        found = re.search(r"\b(?:INTO|UPDATE|FROM)\s+\"?(\w+)", statement, re.I)
        return f"{verb} {found.group(1) if found else '?'}"
    return verb


# --- the world: a fair, drafts signed once, accounts -------------------------------------------

def _fair() -> tuple[int, int]:
    """A fair in trading without the notary rule: (fair id, organiser id)."""
    from app.core.extensions import db
    from app.core.storage.transactions import transaction
    from app.fairs.fairs import FairData, create_fair
    from app.fairs.models import Fair
    from app.fairs.roles import Role
    from app.fairs.trading import open_trading
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    fair = create_fair(FairData(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Giełda Zasobów Tczew"))
    with transaction():
        organiser = create_participant(fair.id, PersonData("Grażyna", "Żebrowska", "org@example.org",
                                                           role=Role.ORGANISER),
                                       OrganisationData("Starostwo Powiatowe w Tczewie", Sector.PUBLIC))
        db.session.get_one(Fair, fair.id).notary_required = False
    open_trading(organiser, fair.id, 90)
    return fair.id, organiser.id


def _drafts(fair_id: int, n: int, tag: str) -> list[dict[str, int]]:
    """`n` drafts, each between two new organisations, signed by its first party."""
    from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_agreement
    from app.agreements.signing import sign_agreement
    from app.core.extensions import db
    from app.core.storage.transactions import transaction
    from app.floor.kinds import Unit
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    made = []
    for i in range(n):
        with transaction():
            a = create_participant(fair_id, PersonData("Łucja", f"Żółkiewska-{tag}{i}", f"a{tag}{i}@example.org",
                                                       phone="+48 600 100 200"),
                                   OrganisationData(f"Fundacja Źdźbło {tag}{i}", Sector.NGO))
            b = create_participant(fair_id, PersonData("Grzegorz", f"Brzęczyszczykiewicz-{tag}{i}",
                                                       f"b{tag}{i}@example.org"),
                                   OrganisationData(f"Spółdzielnia „Łąka” {tag}{i}", Sector.SOCIAL_COOPERATIVE))
        draft = start_agreement(a, fair_id, b.id)
        data = AgreementData(
            parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (a, b)],
            obligations=[
                ObligationData(a.organisation_id, b.organisation_id, "Sala konferencyjna na 30 osób z rzutnikiem",
                               quantity=3, unit=Unit.HOURS, when="sobota 14 marca, 10:00–13:00",
                               where="Centrum Kultury, ul. Łąkowa 3, Tczew", duration="3 godziny", points=30,
                               cost_contribution="zwrot kosztów sprzątania sali"),
                ObligationData(b.organisation_id, a.organisation_id, "Szkolenie z pisania wniosków grantowych",
                               quantity=2, unit=Unit.PEOPLE, when="do końca kwietnia", where="Gdańska 12",
                               duration="4 godziny", hours=4, points=40),
            ])
        draft = save_draft(a, fair_id, draft.id, data, version=draft.version)
        sign_agreement(a, fair_id, draft.id, draft.version)
        parties = sorted(draft.parties, key=lambda p: p.position)
        made.append({"agreement": draft.id, "version": draft.version, "signer": b.id, "first": a.id,
                     "party": next(p.id for p in parties if p.representative_id == b.id)})
        db.session.remove()
    return made


def _accounts(fair_id: int, n: int) -> list[dict[str, int]]:
    """`n` organisations with their representative and account."""
    from app.core.storage.transactions import transaction
    from app.ledger.accounts import organisation_account
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    made = []
    with transaction():
        for i in range(n):
            person = create_participant(fair_id, PersonData("Zofia", f"Wąsowicz-{i}", f"t{i}@example.org"),
                                        OrganisationData(f"Stowarzyszenie Źródło {i}", Sector.NGO))
            made.append({"person": person.id, "account": organisation_account(person.organisation_id).id})
    return made


# --- one operation each, ours and the floor ---------------------------------------------------

def _sign(d: dict[str, int], fair_id: int, _i: int) -> Callable[[], Any]:
    from app.agreements.signing import sign_agreement
    from app.core.extensions import db
    from app.people.models import Participant

    actor = db.session.get_one(Participant, d["signer"])  # as the login does
    return lambda: sign_agreement(actor, fair_id, d["agreement"], d["version"])


def _sign_floor(d: dict[str, int], fair_id: int, _i: int) -> Callable[[], Any]:
    from app.core.extensions import db
    from app.core.storage.transactions import transaction

    def work() -> None:
        now = datetime.now(UTC)
        s = db.session
        with transaction():
            s.execute(text("SELECT id, state, version FROM agreements WHERE id = :a FOR UPDATE"
                           if db.engine.dialect.name == "postgresql" else
                           "SELECT id, state, version FROM agreements WHERE id = :a"), {"a": d["agreement"]})
            s.execute(text("SELECT p.id, p.representative_id, o.name, o.sector, r.first_name, r.last_name "
                           "FROM agreement_parties p JOIN organisations o ON o.id = p.organisation_id "
                           "JOIN participants r ON r.id = p.representative_id WHERE p.agreement_id = :a"),
                      {"a": d["agreement"]}).all()
            s.execute(text("SELECT * FROM obligations WHERE agreement_id = :a"), {"a": d["agreement"]}).all()
            s.execute(text("SELECT * FROM signatures WHERE agreement_id = :a"), {"a": d["agreement"]}).all()
            s.execute(text("INSERT INTO signatures (agreement_id, party_id, participant_id, version, method, "
                           "signed_at) VALUES (:a, :p, :who, :v, 'own_device', :now)"),
                      {"a": d["agreement"], "p": d["party"], "who": d["signer"], "v": d["version"], "now": now})
            lock = " FOR UPDATE" if db.engine.dialect.name == "postgresql" else ""
            slug = s.execute(text(f"SELECT slug FROM fairs WHERE id = :f{lock}"), {"f": fair_id}).scalar_one()
            last = s.execute(text("SELECT max(seq_no) FROM agreements WHERE fair_id = :f"),
                             {"f": fair_id}).scalar() or 0
            s.execute(text("UPDATE agreements SET state = 'signed', seq_no = :n, number = :num, signed_at = :now, "
                           "frozen_content = :c, content_hash = :h WHERE id = :a"),
                      {"n": last + 1, "num": f"GZ/{slug}/{last + 1:03d}/{uuid.uuid4().hex[:6]}", "now": now,
                       "c": "{}" * 300, "h": "0" * 64, "a": d["agreement"]})
            public = s.execute(text("UPDATE fairs SET event_seq = event_seq + 1 WHERE id = :f RETURNING event_seq"),
                               {"f": fair_id}).scalar_one()
            private = dict(s.execute(text(
                "UPDATE participants SET event_seq = event_seq + 1 WHERE id IN (:a, :b) RETURNING id, event_seq"),
                {"a": d["first"], "b": d["signer"]}).all())
            s.execute(text("INSERT INTO domain_events (fair_id, seq, type, payload, participant_id, created_at) "
                           "VALUES (:f, :s1, 'agreement.signed_for_you', '{}', :a, :now), "
                           "(:f, :s2, 'agreement.signed_for_you', '{}', :b, :now), "
                           "(:f, :s3, 'agreement.signed', '{}', NULL, :now)"),
                      {"f": fair_id, "s1": private[d["first"]], "s2": private[d["signer"]], "s3": public,
                       "a": d["first"], "b": d["signer"], "now": now})
            s.execute(text("INSERT INTO audit_events (fair_id, actor_id, action, target, details, at) "
                           "VALUES (:f, :who, 'sign_agreement', '', '{}', :now)"),
                      {"f": fair_id, "who": d["signer"], "now": now})

    return work


def _transfer(pair: tuple[dict[str, int], dict[str, int]], _fair_id: int, i: int) -> Callable[[], Any]:
    from app.core.extensions import db
    from app.ledger.operations import transfer_points
    from app.people.models import Participant

    source, target = pair
    actor = db.session.get_one(Participant, source["person"])  # as the login does
    key = f"bench-{uuid.uuid4().hex}-{i}"
    return lambda: transfer_points(actor, source["account"], target["account"], 1, "Usługa pomiarowa", key)


def _transfer_floor(pair: tuple[dict[str, int], dict[str, int]], _fair_id: int, i: int) -> Callable[[], Any]:
    from app.core.extensions import db
    from app.core.storage.transactions import transaction

    source, target = pair
    key = f"floor-{uuid.uuid4().hex}-{i}"

    def work() -> None:
        now = datetime.now(UTC)
        s = db.session
        lock = " FOR UPDATE" if db.engine.dialect.name == "postgresql" else ""
        with transaction():
            s.execute(text(f"SELECT id, balance FROM ledger_accounts WHERE id IN (:a, :b) ORDER BY id{lock}"),
                      {"a": source["account"], "b": target["account"]}).all()
            s.execute(text("SELECT id FROM ledger_entries WHERE idempotency_key = :k"), {"k": key}).all()
            entry_id = s.execute(text(
                "INSERT INTO ledger_entries (kind, idempotency_key, fingerprint, memo, actor_label, created_at)"
                " VALUES ('transfer', :key, '', 'Usługa pomiarowa', 'bench', :now) RETURNING id"),
                {"key": key, "now": now}).scalar_one()
            s.execute(text("INSERT INTO ledger_postings (entry_id, account_id, points) "
                           "VALUES (:e, :a, -1), (:e, :b, 1)"),
                      {"e": entry_id, "a": source["account"], "b": target["account"]})
            s.execute(text("UPDATE ledger_accounts SET balance = balance - 1 WHERE id = :a"), {"a": source["account"]})
            s.execute(text("UPDATE ledger_accounts SET balance = balance + 1 WHERE id = :b"), {"b": target["account"]})
            s.execute(text("INSERT INTO audit_events (fair_id, actor_id, action, target, details, at) "
                           "VALUES (NULL, :who, 'transfer_points', '', '{}', :now)"),
                      {"who": source["person"], "now": now})

    return work


Prepare = Callable[[Any, int, int], Callable[[], Any]]


def _timed(prepare: Prepare, items: list[Any], fair_id: int, counter: Statements) -> tuple[list[float], list[int],
                                                                                             list[str]]:
    """Run one operation per item, each from a fresh session: (seconds, statements, kinds of the first)."""
    from app.core.extensions import db

    seconds, counts, first = [], [], []
    for i, item in enumerate(items):
        db.session.remove()
        op = prepare(item, fair_id, i)
        with counter.counting() as sent:
            started = time.perf_counter()
            op()
            seconds.append(time.perf_counter() - started)
        counts.append(len(sent))
        if not first:
            first = [_kind(s) for s in sent]
    db.session.remove()
    return seconds, counts, first


def _profiled(prepare: Prepare, items: list[Any], fair_id: int) -> str:
    from app.core.extensions import db

    profile = cProfile.Profile()
    for i, item in enumerate(items):
        db.session.remove()
        op = prepare(item, fair_id, i)
        profile.enable()
        op()
        profile.disable()
    db.session.remove()
    return _summary(profile, len(items))


def _summary(profile: cProfile.Profile, n: int) -> str:
    """The `app/` functions with the largest cumulative time, per operation."""
    stats = pstats.Stats(profile, stream=io.StringIO())
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows = []
    total = 0.0
    for (path, line, name), (_cc, calls, _tt, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        total = max(total, cumulative)
        if path.startswith(os.path.join(root, "app") + os.sep):
            rows.append((cumulative, calls, f"{os.path.relpath(path, root)}:{line} {name}"))
    rows.sort(reverse=True)
    lines = [f"{'ms/op':>7} {'calls/op':>8}  function (cProfile, {n} operations; total {1000 * total / n:.1f} ms/op)"]
    for cumulative, calls, where in rows[:TOP]:
        lines.append(f"{1000 * cumulative / n:7.2f} {calls / n:8.1f}  {where}")
    return "\n".join(lines)


def _world(url: str) -> tuple[Any, Statements, int, dict[str, list[Any]]]:
    app = _app(url)
    ctx = app.app_context()
    ctx.push()
    from app.core.extensions import db

    fair_id, _organiser = _fair()
    accounts = _accounts(fair_id, 20)
    pairs = [(accounts[i % 20], accounts[(i * 7 + 3) % 20]) for i in range(10 * OPS + 20)]
    pairs = [p for p in pairs if p[0]["account"] != p[1]["account"]]
    return app, Statements(db.engine), fair_id, {"accounts": pairs}


def measure(url: str, profile: bool) -> dict[str, Any]:
    _, counter, fair_id, world = _world(url)
    pairs = world["accounts"]
    need = OPS * ROUNDS + 5 + (OPS if profile else 0)
    ours_drafts = _drafts(fair_id, need, "o")
    floor_drafts = _drafts(fair_id, OPS * ROUNDS + 5, "f")
    result: dict[str, Any] = {}
    ops: dict[str, tuple[Prepare, Prepare, list[Any], list[Any]]] = {
        "signature": (_sign, _sign_floor, ours_drafts, floor_drafts),
        "transfer": (_transfer, _transfer_floor, pairs, pairs),
    }
    for name, (ours, floor, ours_items, floor_items) in ops.items():
        _timed(ours, ours_items[:5], fair_id, counter)  # warm-up: imports, statement caches
        _timed(floor, floor_items[:5], fair_id, counter)
        best: dict[str, float] = {}
        counts: dict[str, list[int]] = {"ours": [], "floor": []}
        kinds: dict[str, list[str]] = {}
        for r in range(ROUNDS):
            order = [("ours", ours, ours_items), ("floor", floor, floor_items)]
            for who, prepare, items in order if r % 2 == 0 else order[::-1]:
                batch = items[5 + r * OPS: 5 + (r + 1) * OPS]
                seconds, sent, first = _timed(prepare, batch, fair_id, counter)
                median = statistics.median(seconds)
                best[who] = min(median, best.get(who, float("inf")))
                counts[who] += sent
                kinds.setdefault(who, first)
                print(f"{name} round {r + 1} {who}: {1000 * median:.2f} ms/op, "
                      f"{statistics.mean(sent):.1f} statements/op", flush=True)
        result[name] = {"ours_ms": 1000 * best["ours"], "floor_ms": 1000 * best["floor"],
                        "ours_statements": statistics.mean(counts["ours"]),
                        "floor_statements": statistics.mean(counts["floor"]),
                        "kinds": Counter(kinds["ours"])}
        if profile:
            rest = ours_items[5 + ROUNDS * OPS:5 + ROUNDS * OPS + OPS] if name == "signature" else ours_items[:OPS]
            result[name]["profile"] = _profiled(ours, rest, fair_id)
            print(result[name]["profile"], flush=True)
    from app.core.extensions import db

    db.session.remove()
    db.engine.dispose()
    return result


def _backend(name: str, opener: Callable[[], Any], profile: bool) -> tuple[dict[str, Any] | None, str | None]:
    try:
        with opener() as url:
            return measure(url, profile), None
    except Exception as exc:
        if name == "SQLite":
            raise
        print(f"{name}: not measured: {exc!r}", flush=True)
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"


def run() -> str:
    header = machine("SQLAlchemy", "psycopg")
    pg, pg_error = _backend("PostgreSQL", _postgres, profile=True)
    lite, _ = _backend("SQLite", _sqlite, profile=pg is None)
    results = {"SQLite": lite, "PostgreSQL": pg}
    lines = [
        "## The write path: one signature, one transfer (`writepath`)",
        "",
        header,
        "",
        "Each operation as a service call from a fresh session (the actor loaded by id first, as the login "
        "does, not counted): **signature** = the second party's `sign_agreement()`, which completes the "
        "agreement (number, frozen content and hash, two private events and one public); **transfer** = "
        "`transfer_points()` by an organisation's representative. The **floor** does the bare SQL the "
        "operation must do, as text in the same `transaction()` (see `bench/writepath.py`). Time: median "
        f"of {OPS} operations, best of {ROUNDS} rounds alternating with the floor.",
        "",
        "| database | operation | statements | floor statements | ms/op | floor ms/op | ÷ floor |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for db_name, result in results.items():
        if result is None:
            lines.append(f"| {db_name} | — | not measured: {pg_error} | — | — | — | — |")
            continue
        for op in ("signature", "transfer"):
            r = result[op]
            lines.append(f"| {db_name} | {op} | {r['ours_statements']:.0f} | {r['floor_statements']:.0f} | "
                         f"{r['ours_ms']:.2f} | {r['floor_ms']:.2f} | {r['ours_ms'] / r['floor_ms']:.2f} |")
    where = "PostgreSQL" if pg is not None else "SQLite"
    for op in ("signature", "transfer"):
        r = (pg or lite or {})[op]
        kinds = ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in sorted(r["kinds"].items()))
        lines += ["", f"Statements of one {op} on {where}: {kinds}.", "",
                  f"Profile of the {op} on {where}:", "", "```", r["profile"], "```"]
    return "\n".join(lines) + "\n"
