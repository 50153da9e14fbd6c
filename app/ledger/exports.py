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
from sqlalchemy.orm import selectinload

from app.core.extensions import db
from app.core.output.spreadsheets import Cell, csv_row
from app.fairs.models import Fair
from app.ledger.limits import limits_for
from app.ledger.models import Account, Entry, EntryKind, Posting
from app.ledger.statements import LOCAL_ZONE, Statement

FORMAT_NAME = "gielda-ledger"
FORMAT_VERSION = 1
ENTRY_COLUMNS = ["entry_id", "created_at", "kind", "idempotency_key", "memo", "fair", "source",
                 "reverses_entry_id", "account_ref", "account_kind", "account_name", "points"]
BALANCE_COLUMNS = ["account_ref", "account_kind", "account_name", "fair", "balance", "floor",
                   "ceiling", "as_of"]
CHUNK = 2000


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _csv_line(values: Sequence[Cell], delimiter: str = ",") -> str:
    return csv_row(values, delimiter)


def _accounts() -> dict[int, Account]:
    rows = db.session.scalars(select(Account).options(selectinload(Account.fair)).order_by(Account.id))
    return {a.id: a for a in rows}


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


def _entries() -> Iterator[ExportEntry]:
    """Every entry with its postings, oldest first, read a chunk at a time as plain rows."""
    slugs = {fair_id: slug for fair_id, slug in db.session.execute(select(Fair.id, Fair.slug))}
    last = 0
    while True:
        rows = db.session.execute(
            select(Entry.id, Entry.created_at, Entry.kind, Entry.idempotency_key, Entry.memo,
                   Entry.fair_id, Entry.source_kind, Entry.source_id, Entry.reverses_id,
                   Entry.actor_label)
            .where(Entry.id > last).order_by(Entry.id).limit(CHUNK)).all()
        if not rows:
            return
        legs: dict[int, list[tuple[int, int]]] = {}
        for entry_id, account_id, points in db.session.execute(
                select(Posting.entry_id, Posting.account_id, Posting.points)
                .where(Posting.entry_id >= rows[0][0], Posting.entry_id <= rows[-1][0])
                .order_by(Posting.id)):
            legs.setdefault(entry_id, []).append((account_id, points))
        for (entry_id, created_at, kind, key, memo, fair_id, source_kind, source_id, reverses_id,
             actor) in rows:
            yield ExportEntry(entry_id, created_at, EntryKind(kind).value, key, memo,
                              slugs.get(fair_id) if fair_id else None,
                              f"{source_kind}:{source_id}" if source_kind else None, reverses_id,
                              actor, tuple(legs.get(entry_id, ())))
        last = rows[-1][0]


def iter_entries_csv() -> Iterator[str]:
    """entries.csv: one row per posting; the rows of one entry share its entry_id."""
    accounts = _accounts()
    refs = {a.id: (a.ref, a.kind.value, a.name) for a in accounts.values()}
    yield _csv_line(ENTRY_COLUMNS)
    for entry in _entries():
        for account_id, points in entry.postings:
            ref, kind, name = refs[account_id]
            yield _csv_line([entry.id, iso(entry.created_at), entry.kind, entry.idempotency_key,
                             entry.memo, entry.fair or "", entry.source or "",
                             entry.reverses_id or "", ref, kind, name, points])


def _balance_row(account: Account, as_of: str) -> dict[str, Any]:
    limits = limits_for(account)
    return {"account_ref": account.ref, "account_kind": account.kind.value, "account_name": account.name,
            "fair": account.fair.slug if account.fair else None, "balance": account.balance,
            "floor": limits.floor, "ceiling": limits.ceiling, "as_of": as_of}


def iter_balances_csv() -> Iterator[str]:
    as_of = iso(datetime.now(UTC))
    yield _csv_line(BALANCE_COLUMNS)
    for account in _accounts().values():
        row = _balance_row(account, as_of)
        yield _csv_line(["" if row[c] is None else row[c] for c in BALANCE_COLUMNS])


def ledger_document() -> dict[str, Any]:
    """The whole ledger as one JSON document (format gielda-ledger, version 1)."""
    as_of = iso(datetime.now(UTC))
    accounts = _accounts()
    refs = {a.id: a.ref for a in accounts.values()}
    balances = []
    for account in accounts.values():
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


def ledger_json() -> str:
    return json.dumps(ledger_document(), ensure_ascii=False, indent=1)


def statement_csv(statement: Statement) -> str:
    """A statement for people: UTF-8 with BOM and `;` separators, as Excel in Poland expects; text
    people typed (memos, names) neutralised (by `csv_row`) so that a spreadsheet never runs it as
    a formula."""
    lines = ["\ufeff" + _csv_line([_("Date"), _("Entry no."), _("Type"), _("Description"),
                                   _("Other party"), _("Points"), _("Balance")], ";")]
    lines.append(_csv_line(["", "", "", _("Opening balance"), "", "", statement.opening], ";"))
    for line in statement.lines:
        lines.append(_csv_line([
            line.at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M"), line.entry_id, str(line.kind.label),
            line.memo, ", ".join(line.counterparties), line.points, line.balance], ";"))
    lines.append(_csv_line(["", "", "", _("Closing balance"), "", "", statement.closing], ";"))
    return "".join(lines)
