"""Issuing certificates of in-kind contribution, and reissuing them.

Every rule is checked here, whoever calls (a page, a test): the actor organises the fair (or is the
network's coordinator, at the network's space); the period is whole days, its end not after today,
at most five years long; the member is one of the network (at the fair, for a fair's organiser); it
has something to certify. A certificate is numbered in its own series per year (ZW/2026/0001) and
frozen when issued. Reissuing never edits it: a new certificate, numbered anew, is made for the
same member, scope and period from the current records, and the old one is marked superseded.
"""

from __future__ import annotations

import hashlib
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.certificates.access import get_certificate, member_at_fair, require_issuer, scope_of
from app.certificates.content import Issuer, certificate_content, freeze
from app.certificates.lines import Line, collect_lines
from app.certificates.models import Certificate
from app.core.codes import new_public_code
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.web.formkeys import Sent, lock_form_key, scoped_key
from app.fairs.models import Fair
from app.network.models import Member
from app.people.models import Participant

SERIES = "ZW"  # "zaświadczenie o wkładzie"
MAX_YEARS = 5
EARLIEST = date(2000, 1, 1)  # before any fair of the network: a typo


def today() -> date:
    return utcnow().astimezone(LOCAL_ZONE).date()


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def check_period(start: date, end: date) -> None:
    if start > end:
        raise ValidationError(_l("The period cannot end before it starts."), code="period_reversed")
    if end > today():
        raise ValidationError(_l("The period cannot end after today: a certificate says what has been agreed."),
                              code="period_in_future")
    if start < EARLIEST:
        raise ValidationError(_l("The period cannot start before %(year)d.", year=EARLIEST.year),
                              code="period_too_early")
    if end >= _years_later(start, MAX_YEARS):
        raise ValidationError(_l("A certificate covers at most %(years)d years.", years=MAX_YEARS),
                              code="period_too_long")


def _live_member(member_id: int, scope: int | None) -> Member:
    member = db.session.get(Member, member_id)
    unknown = member is None or member.merged_into_id is not None
    if unknown or (scope is not None and not member_at_fair(member_id, scope)):
        raise NotFound(_l("This organisation is not a member of the network (at this fair)."), code="unknown_member")
    assert member is not None
    return member


def _lock_series(year: int) -> None:
    """Until this transaction ends, nobody else numbers a certificate of this year (PostgreSQL:
    an advisory lock; SQLite: the service's write transaction is exclusive already)."""
    if db.session.get_bind().dialect.name == "postgresql":
        digest = hashlib.blake2b(f"certificates:{year}".encode(), digest_size=8).digest()
        db.session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, "big", signed=True))))


def _number(certificate: Certificate) -> None:
    year = certificate.issued_at.astimezone(LOCAL_ZONE).year
    _lock_series(year)
    last = db.session.scalar(select(func.max(Certificate.seq_no)).where(Certificate.year == year))
    certificate.year, certificate.seq_no = year, (last or 0) + 1
    certificate.number = f"{SERIES}/{year}/{certificate.seq_no:04d}"


def _issuer(actor: Participant) -> Issuer:
    return Issuer(actor.full_name, None if actor.fair.is_network else actor.fair.name)


def _scope_name(scope: int | None) -> str | None:
    return None if scope is None else db.session.get_one(Fair, scope).name


def _lines(member: Member, scope: int | None, start: date, end: date) -> list[Line]:
    lines = collect_lines(member.id, scope, start, end)
    if not lines:
        raise ValidationError(_l("%(member)s gave and received nothing in signed agreements in this period: there "
                                 "is nothing to certify.", member=member.name), code="nothing_to_certify")
    return lines


def _issue(actor: Participant, member: Member, scope: int | None, start: date, end: date, key: str | None,
           replaces: Certificate | None = None) -> Certificate:
    lines = _lines(member, scope, start, end)
    certificate = Certificate(public_code=new_public_code(), member_id=member.id, member=member, fair_id=scope,
                              period_start=start, period_end=end, issued_by_id=actor.id, issued_at=utcnow(),
                              form_key=key, replaces_id=replaces.id if replaces else None)
    _number(certificate)
    freeze(certificate, certificate_content(certificate, member, _scope_name(scope), _issuer(actor), lines,
                                            replaces.number if replaces else None))
    db.session.add(certificate)
    db.session.flush()
    return certificate


def _earlier(actor: Participant, form_key: str | None) -> tuple[str | None, Certificate | None]:
    key = scoped_key(actor.id, form_key)
    lock_form_key(actor.fair_id, key)
    earlier = db.session.scalar(select(Certificate).where(Certificate.form_key == key)) if key else None
    return key, earlier


@service
def issue_certificate(actor: Participant, fair_id: int, member_id: int, start: date, end: date,
                      form_key: str | None = None) -> Sent[Certificate]:
    """Certify what the member gave and received in the agreements signed from `start` to `end`
    (whole days, Warsaw's time): at the actor's fair, or, for the network's coordinator at the
    network's space, anywhere in the network. `form_key`: the one-time key of the form sent: sent
    twice, it issues once."""
    require_issuer(actor, fair_id)
    key, earlier = _earlier(actor, form_key)
    if earlier is not None:
        return Sent(earlier, created=False)
    check_period(start, end)
    scope = scope_of(actor)
    member = _live_member(member_id, scope)
    return Sent(_issue(actor, member, scope, start, end, key), created=True)


@service
def reissue_certificate(actor: Participant, fair_id: int, certificate_id: int,
                        form_key: str | None = None) -> Sent[Certificate]:
    """Issue the certificate again from the current records (an agreement annulled or an obligation
    confirmed since): a new certificate, with a new number, for the same member (or the member it
    was merged into), scope and period. The old one is never edited: it is marked superseded, and
    its verification page names the new one."""
    require_issuer(actor, fair_id)
    key, earlier = _earlier(actor, form_key)
    if earlier is not None:
        return Sent(earlier, created=False)
    old = get_certificate(actor, certificate_id, lock=True)
    if old.superseded_at is not None:
        raise Conflict(_l("This certificate has already been reissued: reissue the newest one."),
                       code="already_superseded")
    member = db.session.get_one(Member, old.member_id)
    while member.merged_into_id is not None:  # merged since: the member it became holds its organisations
        member = db.session.get_one(Member, member.merged_into_id)
    new = _issue(actor, member, old.fair_id, old.period_start, old.period_end, key, replaces=old)
    old.superseded_at = new.issued_at
    return Sent(new, created=True)
