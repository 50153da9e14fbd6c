"""Recognising returning members and people, so that a fair never makes a second record of
someone the network already knows.

A member is the same member when it gives the same identifier (NIP, KRS or REGON), the same
e-mail address, or the same name (case ignored) in the same place (or with no place given on one
side). A name that is only *close* to a known one ("Fundacja Nowa Droga" / "Fundacja Nowej
Drogi") makes a new member and a `PossibleDuplicate` the organiser confirms or rejects: a guess
never joins two records by itself. A person is the same person when they give the same e-mail
address (the people area adds: the same name on behalf of the same member).

These functions run inside the caller's transaction (registration, CSV import, the desk).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app.core.emails import email_key as email_lookup_key
from app.core.emails import normalise_email
from app.core.extensions import db
from app.core.textkeys import name_key, person_keys, search_key, tidy
from app.network.models import Member, Person, PossibleDuplicate
from app.network.sectors import Branch, Sector

# How close two folded names must be (rapidfuzz's WRatio, 0-100) to ask whether they are one.
CLOSE_NAME = 85
ROUGHLY = 70  # the first, cheaper pass (plain edit ratio) keeps names at least this close
MAX_CANDIDATES = 3
_NOT_DIGITS = re.compile(r"\D")


def digits(value: str | None) -> str:
    """An identifier as its digits: 'PL 593-10-05-813' -> '5931005813'."""
    return _NOT_DIGITS.sub("", value or "")


@dataclass
class MemberData:
    name: str
    sector: Sector
    city: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    description: str = ""
    branch: Branch | None = None
    nip: str = ""
    krs: str = ""
    regon: str = ""


@dataclass(frozen=True)
class Recognised:
    """A member found for some data, and how it was found ("identifier", "email", "name")."""

    member: Member
    by: str


def live(member: Member) -> Member:
    """The member a record stands for now: itself, or the one it was merged into."""
    seen = {member.id}
    while member.merged_into_id is not None:
        member = db.session.get_one(Member, member.merged_into_id)
        if member.id in seen:  # pragma: no cover - merging refuses cycles
            break
        seen.add(member.id)
    return member


def _same_place(member: Member, city: str) -> bool:
    return not member.city or not city or search_key(member.city) == search_key(city)


def recognise_member(data: MemberData) -> Recognised | None:
    """The known member these details name, if any (no close-name guesses here)."""
    live_members = Member.merged_into_id.is_(None)
    ids = {column: digits(getattr(data, column)) for column in ("nip", "krs", "regon")}
    given = [getattr(Member, column) == value for column, value in ids.items() if value]
    if given:
        found = db.session.scalar(select(Member).where(live_members, or_(*given)).order_by(Member.id).limit(1))
        if found is not None:
            return Recognised(found, "identifier")
    key = email_lookup_key(data.email)
    if key:
        found = db.session.scalar(select(Member).where(live_members, Member.email_key == key)
                                  .order_by(Member.id).limit(1))
        if found is not None:
            return Recognised(found, "email")
    for found in db.session.scalars(select(Member).where(live_members, Member.name_key == name_key(data.name))
                                    .order_by(Member.id)):
        if _same_place(found, data.city):
            return Recognised(found, "name")
    return None


class _NameIndex:
    """The members' folded names, kept per database and brought up to date by reading only the
    members added since. Members are never deleted nor renamed, so what was read stays true; a
    table emptied and filled again (as between tests) shows in its first row, whose moment of
    creation differs, or in a count that disagrees: then it is all read again. A registration
    then compares its name with every known one in rapidfuzz's C++ loop instead of reading every
    member again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.names: dict[str, dict[int, str]] = {}
        self.last_id: dict[str, int] = {}
        self.first: dict[str, object] = {}  # the first member's created_at: which table this is

    def current(self) -> dict[int, str]:
        key = str(db.engine.url)
        count, last = db.session.execute(select(func.count(Member.id), func.coalesce(func.max(Member.id), 0))).one()
        first = db.session.scalar(select(Member.created_at).order_by(Member.id).limit(1))
        with self.lock:
            names = self.names.setdefault(key, {})
            seen = self.last_id.get(key, 0)
            if last < seen or len(names) > count or self.first.get(key) != first:  # another table's
                names.clear()
                seen = 0
        added = db.session.execute(select(Member.id, Member.search_text).where(Member.id > seen)).tuples().all()
        with self.lock:
            names.update(added)
            if len(names) != count:  # missed some (ids reused after a truncation): read them all
                names.clear()
                names.update(db.session.execute(select(Member.id, Member.search_text)).tuples().all())
            self.last_id[key], self.first[key] = max(names, default=0), first
            return dict(names)


_names = _NameIndex()


def close_members(name: str, exclude: int | None = None, limit: int = MAX_CANDIDATES) -> list[tuple[Member, int]]:
    """Known members (not merged) whose names are close to `name` (diacritics and case ignored),
    best first."""
    names = _names.current()
    names.pop(exclude or 0, None)
    if not names:
        return []
    folded = search_key(name)
    # Two passes: the plain edit ratio, a few times cheaper, keeps the likely names; the weighted
    # ratio (which also sees one name inside the other) decides among them.
    found = process.extract(folded, names, scorer=fuzz.ratio, processor=None, score_cutoff=ROUGHLY,
                            limit=limit + 17)
    close = []
    for _text, _score, member_id in found:
        member = db.session.get_one(Member, member_id)
        if member.merged_into_id is not None:
            continue
        score = fuzz.WRatio(folded, member.search_text)  # its name as it is now
        if score >= CLOSE_NAME:
            close.append((member, round(score)))
    return sorted(close, key=lambda pair: -pair[1])[:limit]


def apply_member(member: Member, data: MemberData) -> None:
    member.name = tidy(data.name)
    member.name_key = name_key(data.name)
    member.search_text = search_key(member.name)
    member.sector = Sector(data.sector)
    member.branch = Branch(data.branch) if data.branch else None
    member.city = tidy(data.city)
    member.email = normalise_email(data.email).lower()
    member.email_key = email_lookup_key(member.email)
    member.phone = tidy(data.phone)
    member.website = tidy(data.website)
    member.description = (data.description or "").strip()
    member.nip, member.krs, member.regon = digits(data.nip), digits(data.krs), digits(data.regon)


def fill_gaps(member: Member, data: MemberData) -> None:
    """A returning member's record learns what it did not know yet (never overwrites)."""
    for column in ("city", "phone", "website", "description"):
        if not getattr(member, column) and getattr(data, column):
            setattr(member, column, tidy(getattr(data, column)) if column != "description"
                    else getattr(data, column).strip())
    if not member.email and data.email:
        member.email = normalise_email(data.email).lower()
        member.email_key = email_lookup_key(member.email)
    for column in ("nip", "krs", "regon"):
        if not getattr(member, column) and digits(getattr(data, column)):
            setattr(member, column, digits(getattr(data, column)))
    if member.branch is None and data.branch:
        member.branch = Branch(data.branch)


def member_for(data: MemberData) -> Member:
    """The member these details name: a known one (its gaps filled in), or a new one, with the
    known members whose names are close recorded as possible duplicates to confirm."""
    known = recognise_member(data)
    if known is not None:
        try:
            with db.session.begin_nested():
                fill_gaps(known.member, data)
                db.session.flush()
        except IntegrityError:  # an identifier another member holds: keep the record as it was
            db.session.refresh(known.member)
        return known.member
    member = Member()
    apply_member(member, data)
    try:
        with db.session.begin_nested():
            db.session.add(member)
            db.session.flush()
    except IntegrityError:  # the same identifier registered at the same moment: use that one
        again = recognise_member(data)
        if again is None:
            raise
        return again.member
    for candidate, score in close_members(member.name, exclude=member.id):
        db.session.add(PossibleDuplicate(member_id=member.id, candidate_id=candidate.id, score=score))
    return member


def find_person_by_email(email: str) -> Person | None:
    key = email_lookup_key(email)
    if not key:
        return None
    return db.session.scalar(select(Person).where(Person.merged_into_id.is_(None), Person.email_key == key))


def new_person(first_name: str, last_name: str, email: str = "", phone: str = "") -> Person:
    """A person the network did not know, added inside the caller's transaction."""
    person = Person(first_name=tidy(first_name), last_name=tidy(last_name),
                    name_key=name_key(f"{first_name} {last_name}"), email=normalise_email(email),
                    phone=tidy(phone))
    person.email_key = email_lookup_key(person.email)
    person.sort_key, person.search_text = person_keys(person.first_name, person.last_name, person.email, "")
    try:
        with db.session.begin_nested():
            db.session.add(person)
            db.session.flush()
    except IntegrityError:  # the same address at the same moment: that person
        found = find_person_by_email(email)
        if found is None:
            raise
        return found
    return person


def learn_contact(person: Person, email: str, phone: str) -> None:
    """A returning person's record learns an address or phone it did not have."""
    if not person.email and email:
        person.email = normalise_email(email)
        person.email_key = email_lookup_key(person.email)
        person.sort_key, person.search_text = person_keys(person.first_name, person.last_name, person.email, "")
    if not person.phone and phone:
        person.phone = tidy(phone)
