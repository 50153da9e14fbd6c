"""Import of opening balances from a CSV file: all or nothing, with line-numbered errors.

The file (UTF-8, with or without BOM, or Windows-1250; `;`, `,` or tab separated) has a header
row naming its columns, in English or Polish:

* `organisation` / `organizacja` — an organisation of the fair, by name; or
* `email` / `e-mail` — a participant of the fair, by e-mail (their personal account);
* `points` / `punkty` — the opening balance, a whole number, may be negative;
* `memo` / `opis` — optional description.

Every row is checked first (unknown names, bad numbers, the same account twice, limits) and
nothing is posted unless every row is valid. Each row's idempotency key is derived from the
file's content and the line number, so importing the same file twice posts it once.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString, lazy_ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.errors import DomainError, Forbidden, ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.core.web.inputs import forbidden_character
from app.fairs.roles import Role
from app.ledger.accounts import OPENING, organisation_account, person_account, system_account
from app.ledger.limits import check_move
from app.ledger.models import Account, Entry
from app.ledger.operations import MAX_POINTS, post_opening_balance
from app.ledger.permissions import Actor, SystemActor
from app.ledger.posting import lock_accounts, lock_fair
from app.people.models import Participant
from app.people.organisations import find_organisation

COLUMNS = {
    "organisation": {"organisation", "organization", "organizacja", "podmiot"},
    "email": {"email", "e-mail", "mail", "adres e-mail"},
    "points": {"points", "punkty", "saldo", "balance"},
    "memo": {"memo", "opis", "description", "uwagi"},
}
MAX_ROWS = 10_000


@dataclass(frozen=True)
class LineError:
    line: int
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class ImportResult:
    posted: int
    already_posted: int
    points: int  # sum of the balances in the file


@dataclass(frozen=True)
class _Row:
    line: int
    account: Account
    points: int
    memo: str


def decode(data: bytes) -> str:
    """UTF-8 (BOM optional), else Windows-1250, as spreadsheets in Poland save CSV."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1250")
        except UnicodeDecodeError as exc:
            raise ValidationError(_l("The file is neither UTF-8 nor Windows-1250 text."),
                                  code="import_encoding") from exc
    if forbidden_character([text]):  # NUL and the like: a binary or UTF-16 file, not CSV text
        raise ValidationError(_l("The file holds control characters (such as NUL bytes): it is not a CSV text "
                                 "file."), code="import_control_characters")
    return text


def read_rows(text: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """The header's column positions (by our column name) and the data rows with line numbers."""
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(_l("The file is empty."), code="import_empty") from None
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = tidy(title).casefold()
        for column, names in COLUMNS.items():
            if key in names and column not in positions:
                positions[column] = index
    if "points" not in positions or not ({"organisation", "email"} & positions.keys()):
        raise ValidationError(
            _l("The first row must name the columns: organisation or email, and points."),
            code="import_missing_column")
    rows = []
    line = reader.line_num
    for values in reader:
        start, line = line + 1, reader.line_num
        if any(v.strip() for v in values):
            rows.append((start, values))
    if not rows:
        raise ValidationError(_l("The file has no rows to import."), code="import_empty")
    if len(rows) > MAX_ROWS:
        raise ValidationError(_l("At most %(n)s rows can be imported at once.", n=MAX_ROWS),
                              code="import_too_many_rows")
    return positions, rows


def _cell(values: list[str], positions: dict[str, int], column: str) -> str:
    index = positions.get(column)
    return tidy(values[index]) if index is not None and index < len(values) else ""


def _parse_points(raw: str) -> int | None:
    cleaned = raw.replace(" ", "").replace("\u00a0", "").replace("\u2212", "-")
    try:
        return int(cleaned)
    except ValueError:
        return None


def _target(fair_id: int, organisation: str, email: str) -> tuple[Account | None, str, LazyString | None]:
    if bool(organisation) == bool(email):
        return None, "import_target_missing", _l("Give either an organisation or an e-mail, not both.")
    if organisation:
        org = find_organisation(fair_id, organisation)
        if org is None:
            return None, "import_unknown_organisation", _l(
                "There is no organisation %(name)s at this fair.", name=organisation)
        return organisation_account(org.id), "", None
    person = db.session.scalar(select(Participant).where(
        Participant.fair_id == fair_id, Participant.email_key == email.lower(),
        Participant.removed_at.is_(None)))
    if person is None:
        return None, "import_unknown_email", _l("There is no participant with the e-mail %(email)s.",
                                                 email=email)
    return person_account(person.id), "", None


def _validate(fair_id: int, positions: dict[str, int], rows: list[tuple[int, list[str]]],
              posted_lines: set[int]) -> tuple[list[_Row], list[LineError]]:
    valid: list[_Row] = []
    errors: list[LineError] = []
    seen: dict[int, int] = {}
    for line, values in rows:
        problems: list[tuple[str, Any]] = []
        account, code, message = _target(fair_id, _cell(values, positions, "organisation"),
                                          _cell(values, positions, "email"))
        if account is None:
            problems.append((code, message))
        raw = _cell(values, positions, "points")
        points = _parse_points(raw)
        if points is None or points == 0:
            problems.append(("import_invalid_points",
                             _l("“%(value)s” is not a non-zero whole number of points.", value=raw)))
        elif abs(points) > MAX_POINTS:
            problems.append(("points_too_large",
                             _l("At most %(max)s points can be moved at once.", max=MAX_POINTS)))
        memo = _cell(values, positions, "memo")
        if len(memo) > 500:
            problems.append(("memo_too_long", _l("The description may have at most 500 characters.")))
        if account is not None:
            if account.id in seen:
                problems.append(("import_duplicate_account", _l(
                    "%(account)s already appears on line %(line)s.", account=account.name,
                    line=seen[account.id])))
            else:
                seen[account.id] = line
            if points and not problems and line not in posted_lines:
                try:
                    check_move(account, account.balance, points)
                except DomainError as err:
                    problems.append((err.code, err.message))
        if problems:
            errors.extend(LineError(line, c, str(m)) for c, m in problems)
        elif account is not None and points is not None:
            valid.append(_Row(line, account, points, memo))
    return valid, errors


@service
def import_opening_balances(actor: Actor, fair_id: int, data: bytes) -> ImportResult:
    """Post one opening-balance entry per row, or nothing if any row is invalid."""
    if not isinstance(actor, SystemActor) and (
            actor.fair_id != fair_id or actor.role != Role.ORGANISER or not actor.is_active):
        raise Forbidden(_l("Only this fair's organisers may import opening balances."),
                        code="not_account_manager")
    positions, rows = read_rows(decode(data))
    digest = hashlib.sha256(data).hexdigest()[:24]
    keys = {line: f"opening-import:{fair_id}:{digest}:{line}" for line, _values in rows}
    known = set(db.session.scalars(select(Entry.idempotency_key).where(
        Entry.idempotency_key.in_(list(keys.values())))))
    valid, errors = _validate(fair_id, positions, rows,
                              {line for line, key in keys.items() if key in known})
    if errors:
        raise ValidationError(
            lazy_ngettext("Nothing was imported: %(num)d problem in the file.",
                "Nothing was imported: %(num)d problems in the file.", len(errors)),
            code="import_invalid", errors=[e.as_dict() for e in errors])
    # Lock order as in post_entry: the fair, then every account of the file at once, by id.
    lock_fair(fair_id)
    lock_accounts([system_account(OPENING).id, *(row.account.id for row in valid)])
    for row in valid:
        post_opening_balance(actor, row.account.id, row.points, row.memo, keys[row.line])
    return ImportResult(posted=len(valid) - len(known), already_posted=len(known),
                        points=sum(row.points for row in valid))
