"""Importing participants from a CSV file: a preview that writes nothing, and the import itself,
which writes every row or none.

The file is read and each row checked in app/csv_rows.py; here the rows are checked
against each other and against the fair (duplicates, organisations' sectors) and then created.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.extensions import db
from app.core.storage.events import record_event
from app.core.storage.transactions import service
from app.core.textkeys import name_key, tidy
from app.fairs.models import Fair
from app.fairs.roles import Role, require_role
from app.network.sectors import Sector
from app.people.csv_rows import MAX_BYTES, ImportRejected, Message, Row, RowProblem, read_file
from app.people.models import Organisation, Participant
from app.people.organisations import OrganisationData, find_organisation
from app.people.participants import create_participant, find_duplicate

__all__ = ["ImportRejected", "ImportReport", "PlannedRow", "import_participants", "preview_import"]


@dataclass
class PlannedRow:
    line: int
    row: Row
    organisation: OrganisationData  # as it will be stored (a resident's is their own name)
    new_organisation: bool


@dataclass
class ImportReport:
    encoding: str
    delimiter: str
    total: int  # data rows in the file, valid or not
    rows: list[PlannedRow] = field(default_factory=list)  # the rows that can be imported
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    created: int = 0  # participants written (0 in a preview)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def participants(self) -> int:
        return len(self.rows)

    @property
    def organisations(self) -> int:
        return len({name_key(r.organisation.name) for r in self.rows})

    @property
    def new_organisations(self) -> int:
        return len({name_key(r.organisation.name) for r in self.rows if r.new_organisation})

    @property
    def bad_lines(self) -> int:
        return len({p.line for p in self.problems})


def _max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES", MAX_BYTES))


def _organisation_of(row: Row) -> OrganisationData:
    """What create_participant will store: a resident represents themself."""
    if row.organisation.sector != Sector.RESIDENT:
        return row.organisation
    person = row.person
    return OrganisationData(name=tidy(f"{person.first_name} {person.last_name}"), sector=Sector.RESIDENT,
                            city=row.organisation.city, email=person.email, phone=person.phone)


class _Planner:
    """Checks rows against each other and against the fair, in file order."""

    def __init__(self, fair_id: int, header_names: dict[str, str]) -> None:
        self.fair_id = fair_id
        self.names = header_names
        self.organisations: dict[str, Organisation | None] = {}
        self.sectors: dict[str, tuple[Sector, int]] = {}
        self.emails: dict[str, int] = {}
        self.people: dict[tuple[str, str], int] = {}

    def _existing(self, name: str) -> Organisation | None:
        key = name_key(name)
        if key not in self.organisations:
            self.organisations[key] = find_organisation(self.fair_id, name)
        return self.organisations[key]

    def check(self, row: Row) -> tuple[PlannedRow | None, list[RowProblem]]:
        problems: list[RowProblem] = []

        def bad(column: str, code: str, message: Message) -> None:
            problems.append(RowProblem(row.line, code, message, self.names.get(column, ""), row.end_line))

        person, org = row.person, _organisation_of(row)
        org_key, person_key = name_key(org.name), name_key(f"{person.first_name} {person.last_name}")
        full_name = tidy(f"{person.first_name} {person.last_name}")
        existing = self._existing(org.name)

        if existing is not None and existing.sector != org.sector:
            bad("sector", "sector_mismatch", _l(
                "%(organisation)s is already registered with the sector %(sector)s.",
                organisation=existing.name, sector=existing.sector.label))
        elif org_key in self.sectors and self.sectors[org_key][0] != org.sector:
            sector, line = self.sectors[org_key]
            bad("sector", "sector_mismatch_in_file", _l(
                "Line %(line)d gives %(organisation)s the sector %(sector)s.",
                line=line, organisation=org.name, sector=sector.label))
        self.sectors.setdefault(org_key, (org.sector, row.line))

        email_key = tidy(person.email).lower()
        if email_key and email_key in self.emails:
            bad("email", "duplicate_email_in_file", _l(
                "The e-mail %(email)s is already on line %(line)d.",
                email=person.email, line=self.emails[email_key]))
        elif email_key:
            self.emails[email_key] = row.line
        if (org_key, person_key) in self.people:
            bad("first_name", "duplicate_person_in_file", _l(
                "%(name)s of %(organisation)s is already on line %(line)d.",
                name=full_name, organisation=org.name, line=self.people[(org_key, person_key)]))
        else:
            self.people[(org_key, person_key)] = row.line

        dup = find_duplicate(self.fair_id, person, existing.id if existing is not None else None)
        if dup is not None:
            kind, who = dup
            if kind == "duplicate_email":
                bad("email", "duplicate_email", _l(
                    "%(name)s (%(organisation)s) is already registered with the e-mail %(email)s.",
                    name=who.full_name, organisation=who.organisation.name, email=who.email))
            else:
                bad("first_name", "duplicate_person", _l(
                    "%(name)s is already registered for %(organisation)s.",
                    name=who.full_name, organisation=who.organisation.name))
        if problems:
            return None, problems
        return PlannedRow(row.line, row, org, new_organisation=existing is None), []


def _plan(fair_id: int, data: bytes) -> ImportReport:
    parsed = read_file(data, _max_bytes())
    report = ImportReport(encoding=parsed.encoding, delimiter=parsed.delimiter, total=parsed.total,
                          problems=list(parsed.problems), ignored_columns=parsed.header.ignored)
    planner = _Planner(fair_id, parsed.header.names)
    for row in parsed.rows:
        planned, problems = planner.check(row)
        if planned is not None:
            report.rows.append(planned)
        report.problems.extend(problems)
    report.problems.sort(key=lambda p: p.line)  # stable: a line's problems keep their order
    return report


def preview_import(actor: Participant, fair_id: int, data: bytes) -> ImportReport:
    """What importing `data` would do, with every problem found; writes nothing.

    Raises ImportRejected only for a file that cannot be read at all (its code says why)."""
    require_role(actor, fair_id, Role.ORGANISER)
    return _plan(fair_id, data)


@service
def import_participants(actor: Participant, fair_id: int, data: bytes) -> ImportReport:
    """Create a participant for every row of the CSV file, or, if anything is wrong, none.

    Raises ImportRejected: code "import_invalid" with `problems` (line numbers and reasons),
    or a file-level code such as "import_encoding" or "import_missing_columns"."""
    require_role(actor, fair_id, Role.ORGANISER)
    # Serialise imports and registrations at this fair on PostgreSQL (SQLite: BEGIN IMMEDIATE).
    db.session.execute(select(Fair.id).where(Fair.id == fair_id).with_for_update())
    report = _plan(fair_id, data)
    if report.problems:
        raise ImportRejected(_l("Nothing was imported. Lines with problems: %(n)d.", n=report.bad_lines),
                             code="import_invalid", problems=report.problems)
    for planned in report.rows:
        create_participant(fair_id, planned.row.person, planned.organisation, via="import")
    report.created = len(report.rows)
    record_event(fair_id, "participants.imported", {
        "count": report.created, "organisations_created": report.new_organisations})
    return report
