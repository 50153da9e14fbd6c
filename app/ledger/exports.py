"""Exports in the interchange format of docs/ledger-format.md (entries, balances; CSV and
JSON), and the human-readable statement CSV. Every CSV line is written by
`app.core.output.spreadsheets.csv_row`: text a spreadsheet could run as a formula is neutralised, numbers
stay numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.extensions import db
from app.core.output.bulk import gc_paused
from app.core.output.spreadsheets import Cell, csv_row, csv_rows
from app.fairs.models import Fair
from app.ledger.limits import Limits, kind_defaults, limits_of
from app.ledger.models import Account, AccountKind, Entry, EntryKind, Posting, account_ref
from app.ledger.statements import LOCAL_ZONE, Statement

FORMAT_NAME = "gielda-ledger"
FORMAT_VERSION = 1
ENTRY_COLUMNS = ["entry_id", "created_at", "kind", "idempotency_key", "memo", "fair", "source",
                 "reverses_entry_id", "account_ref", "account_kind", "account_name", "points"]
BALANCE_COLUMNS = ["account_ref", "account_kind", "account_name", "fair", "balance", "floor",
                   "ceiling", "as_of"]
CHUNK = 2000  # rows read, and CSV lines sent, at a time


def iso(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` (isoformat: several times faster than strftime)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def _csv_line(values: Sequence[Cell], delimiter: str = ",") -> str:
    return csv_row(values, delimiter)


@dataclass(frozen=True)
class ExportAccount:
    id: int
    ref: str
    kind: str
    name: str
    fair: str | None  # its fair's slug
    balance: int
    limits: Limits


def _accounts() -> list[ExportAccount]:
    """Every account, by id, read as columns (no ORM objects: a network has thousands)."""
    defaults = {kind: kind_defaults(kind) for kind in AccountKind}
    return [ExportAccount(account_id, account_ref(kind, system_key, slug, organisation_id, participant_id,
                                                  member_id, person_id),
                          kind.value, name, slug, balance, limits_of(kind, floor, ceiling, defaults[kind]))
            for (account_id, kind, system_key, slug, organisation_id, participant_id, member_id, person_id, name,
                 floor, ceiling, balance) in db.session.execute(
                select(Account.id, Account.kind, Account.system_key, Fair.slug, Account.organisation_id,
                       Account.participant_id, Account.member_id, Account.person_id, Account.name, Account.floor,
                       Account.ceiling, Account.balance)
                .outerjoin(Fair, Fair.id == Account.fair_id).order_by(Account.id))]


@dataclass(frozen=True)
class ExportEntry:
    id: int
    created_at: datetime
    kind: str
    idempotency_key: str
    memo: str
    fair: str | None
    source: str | None
    reverses_id: int | None
    actor: str
    postings: tuple[tuple[int, int], ...]  # (account id, points)


def _entry_rows() -> Iterator[Any]:
    """Every posting with its entry's columns (an entry without postings: one row without),
    oldest entry first: one statement, read a chunk at a time."""
    result = db.session.execute(
        select(Entry.id, Entry.created_at, Entry.kind, Entry.idempotency_key, Entry.memo, Fair.slug,
               Entry.source_kind, Entry.source_id, Entry.reverses_id, Entry.actor_label, Posting.account_id,
               Posting.points)
        .outerjoin(Fair, Fair.id == Entry.fair_id).outerjoin(Posting, Posting.entry_id == Entry.id)
        .order_by(Entry.id, Posting.id).execution_options(yield_per=CHUNK))
    for rows in result.partitions():
        yield from rows


def _entries() -> Iterator[ExportEntry]:
    """Every entry with its postings, oldest first."""
    head: Any = None
    legs: list[tuple[int, int]] = []
    for row in _entry_rows():
        if head is not None and row[0] != head[0]:
            yield _entry(head, legs)
            legs = []
        head = row
        if row[10] is not None:
            legs.append((row[10], row[11]))
    if head is not None:
        yield _entry(head, legs)


def _entry(row: Any, legs: list[tuple[int, int]]) -> ExportEntry:
    entry_id, created_at, kind, key, memo, fair, source_kind, source_id, reverses_id, actor, *_posting = row
    return ExportEntry(entry_id, created_at, EntryKind(kind).value, key, memo, fair,
                       f"{source_kind}:{source_id}" if source_kind else None, reverses_id, actor, tuple(legs))


def iter_entries_csv() -> Iterator[str]:
    """entries.csv: one row per posting; the rows of one entry share its entry_id. Sent CHUNK
    lines at a time."""
    refs = {a.id: (a.ref, a.kind, a.name) for a in _accounts()}
    yield _csv_line(ENTRY_COLUMNS)
    lines: list[list[Cell]] = []
    for (entry_id, created_at, kind, key, memo, fair, source_kind, source_id, reverses_id, _actor, account_id,
         points) in _entry_rows():
        if account_id is None:
            continue
        ref, account_kind, name = refs[account_id]
        lines.append([entry_id, iso(created_at), EntryKind(kind).value, key, memo, fair or "",
                      f"{source_kind}:{source_id}" if source_kind else "", reverses_id or "", ref, account_kind,
                      name, points])
        if len(lines) == CHUNK:
            yield csv_rows(lines, ",")
            lines = []
    if lines:
        yield csv_rows(lines, ",")


def _balance_row(account: ExportAccount, as_of: str) -> dict[str, Any]:
    return {"account_ref": account.ref, "account_kind": account.kind, "account_name": account.name,
            "fair": account.fair, "balance": account.balance, "floor": account.limits.floor,
            "ceiling": account.limits.ceiling, "as_of": as_of}


def iter_balances_csv() -> Iterator[str]:
    as_of = iso(datetime.now(UTC))
    yield _csv_line(BALANCE_COLUMNS)
    rows = [_balance_row(account, as_of) for account in _accounts()]
    for start in range(0, len(rows), CHUNK):
        yield csv_rows((["" if row[c] is None else row[c] for c in BALANCE_COLUMNS]
                        for row in rows[start:start + CHUNK]), ",")


def ledger_document() -> dict[str, Any]:
    """The whole ledger as one JSON document (format gielda-ledger, version 1)."""
    as_of = iso(datetime.now(UTC))
    accounts = _accounts()
    refs = {a.id: a.ref for a in accounts}
    balances = []
    for account in accounts:
        row = _balance_row(account, as_of)
        balances.append({"ref": row["account_ref"], "kind": row["account_kind"],
                         "name": row["account_name"], "fair": row["fair"], "balance": row["balance"],
                         "floor": row["floor"], "ceiling": row["ceiling"]})
    entries = [{
        "id": e.id, "created_at": iso(e.created_at), "kind": e.kind,
        "idempotency_key": e.idempotency_key, "memo": e.memo, "fair": e.fair,
        "source": e.source, "reverses_entry_id": e.reverses_id, "actor": e.actor,
        "postings": [{"account": refs[a], "points": p} for a, p in e.postings],
    } for e in _entries()]
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "unit": "points", "exported_at": as_of,
            "accounts": balances, "entries": entries}


def indented_json(value: Any, level: int = 0) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)`, the same text, several times faster:
    json's C encoder writes every dict or list of plain values (with its separators set to the
    indentation) and only the nesting is done here; with `indent`, json would use its pure-Python
    encoder for the whole document."""
    if isinstance(value, dict | list | tuple) and value:
        inner, outer = "\n" + " " * (level + 1), "\n" + " " * level
        values = value.values() if isinstance(value, dict) else value
        if not any(isinstance(v, dict | list | tuple) for v in values):
            text = _flat_encoder(level + 1).encode(value)
            return text[0] + inner + text[1:-1] + outer + text[-1]
        if isinstance(value, dict):
            items = [f"{json.dumps(str(k), ensure_ascii=False)}: {indented_json(v, level + 1)}"
                     for k, v in value.items()]
            return "{" + inner + ("," + inner).join(items) + outer + "}"
        return "[" + inner + ("," + inner).join(indented_json(v, level + 1) for v in value) + outer + "]"
    return json.dumps(value, ensure_ascii=False)


_FLAT_ENCODERS: dict[int, json.JSONEncoder] = {}


def _flat_encoder(level: int) -> json.JSONEncoder:
    if level not in _FLAT_ENCODERS:
        _FLAT_ENCODERS[level] = json.JSONEncoder(ensure_ascii=False, separators=(",\n" + " " * level, ": "))
    return _FLAT_ENCODERS[level]


def ledger_json() -> str:
    with gc_paused():
        return indented_json(ledger_document())


def statement_csv(statement: Statement) -> str:
    """A statement for people: UTF-8 with BOM and `;` separators, as Excel in Poland expects; text
    people typed (memos, names) neutralised (by `csv_row`) so that a spreadsheet never runs it as
    a formula."""
    lines = ["\ufeff" + _csv_line([_("Date"), _("Entry no."), _("Type"), _("Description"), _("Fair"),
                                   _("Other party"), _("Points"), _("Balance")], ";")]
    lines.append(_csv_line(["", "", "", _("Opening balance"), "", "", "", statement.opening], ";"))
    for line in statement.lines:
        lines.append(_csv_line([
            line.at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M"), line.entry_id, str(line.kind.label),
            line.description, line.origin, ", ".join(line.counterparties), line.points, line.balance], ";"))
    lines.append(_csv_line(["", "", "", _("Closing balance"), "", "", "", statement.closing], ";"))
    return "".join(lines)
