"""What a certificate says, as plain values: the canonical JSON its hash covers (every line, the
totals, the member, the scope, the period, who issued it), read back for the pages and the PDF."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeGuard

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.agreements.content import canonical_json, content_hash
from app.certificates.lines import CONFIRMED, GAVE, RECEIVED, Line
from app.certificates.models import Certificate
from app.floor.kinds import Unit
from app.network.models import Member
from app.network.sectors import Sector
from app.valuation.kinds import RateKey, ValueBasis


@dataclass(frozen=True)
class Issuer:
    name: str
    fair: str | None  # the fair they organise; None: the network's coordinator


def line_values(line: Line) -> dict[str, Any]:
    return {
        "direction": line.direction, "agreement": line.agreement, "fair": line.fair,
        "signed_on": line.signed_on.isoformat(), "counterpart": line.counterpart,
        "counterpart_sector": line.counterpart_sector, "description": line.description,
        "quantity": line.quantity, "unit": line.unit, "hours": line.hours, "value_basis": line.value_basis,
        "value_rate_key": line.value_rate_key, "value_units": line.value_units, "value_rate": line.value_rate,
        "social_value": line.social_value, "state": line.state,
    }


def _line(values: dict[str, Any]) -> Line:
    return Line(**{**values, "signed_on": date.fromisoformat(values["signed_on"])})


@dataclass(frozen=True)
class Total:
    """One direction's lines: how many, and their estimated value (grosze), pledged and realised."""

    lines: int = 0
    pledged: int = 0  # every line's value (the realised ones included)
    realised: int = 0  # the confirmed lines' value
    not_valued: int = 0  # lines without an estimate

    def add(self, line: Line) -> Total:
        value = line.social_value or 0
        return Total(self.lines + 1, self.pledged + value,
                     self.realised + (value if line.state == CONFIRMED else 0),
                     self.not_valued + (line.social_value is None))


def totals(lines: list[Line]) -> dict[str, Total]:
    found = {GAVE: Total(), RECEIVED: Total()}
    for line in lines:
        found[line.direction] = found[line.direction].add(line)
    return found


def certificate_content(certificate: Certificate, member: Member, scope_name: str | None, issuer: Issuer,
                        lines: list[Line], replaces: str | None) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "member": {"name": member.name, "sector": member.sector.value, "city": member.city,
                   "nip": member.nip, "krs": member.krs, "regon": member.regon},
        "scope": {"fair": scope_name},
        "period": {"start": certificate.period_start.isoformat(), "end": certificate.period_end.isoformat()},
        "issued_at": certificate.issued_at.isoformat(),
        "issued_by": {"name": issuer.name, "fair": issuer.fair},
        "replaces": replaces,
        "lines": [line_values(line) for line in lines],
        "totals": {d: vars(t) for d, t in totals(lines).items()},
    }


def freeze(certificate: Certificate, content: dict[str, Any]) -> None:
    certificate.frozen_content = canonical_json(content)
    certificate.content_hash = content_hash(certificate.frozen_content)


def is_authentic(certificate: Certificate) -> bool:
    """Whether the stored content still matches the hash taken when it was issued."""
    return bool(certificate.frozen_content and certificate.content_hash
                and content_hash(certificate.frozen_content) == certificate.content_hash)


PER_PHRASES: dict[str, LazyString] = {"hour": _l("per hour"), "day": _l("per day"), "piece": _l("per piece")}


@dataclass(frozen=True)
class RateUsed:
    """A rate the certificate's values were estimated with: its basis and amount per unit."""

    basis: ValueBasis
    per: str  # 'hour', 'day' or 'piece'
    rate: int  # grosze

    @property
    def basis_label(self) -> LazyString:
        return self.basis.label

    @property
    def per_label(self) -> LazyString:
        return PER_PHRASES.get(self.per, PER_PHRASES["piece"])


@dataclass(frozen=True)
class Frozen:
    """The certificate as issued."""

    number: str
    member_name: str
    member_sector: Sector
    member_city: str
    nip: str
    krs: str
    regon: str
    scope_fair: str | None  # None: the whole network
    period_start: date
    period_end: date
    issued_at: datetime
    issuer: Issuer
    replaces: str | None
    lines: tuple[Line, ...]
    totals: dict[str, Total] = field(default_factory=dict)

    @property
    def given(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.direction == GAVE)

    @property
    def received(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.direction == RECEIVED)

    @property
    def rates_used(self) -> list[RateUsed]:
        """Every rate a line was valued with, once, in the order of the bases (then per, amount)."""
        seen: set[tuple[str, str, int]] = set()
        for line in self.lines:
            if line.social_value is not None and line.value_rate is not None and known(line.value_basis, ValueBasis):
                per = RateKey(line.value_rate_key).per if known(line.value_rate_key, RateKey) else "piece"
                seen.add((line.value_basis, per, line.value_rate))
        order = {b.value: i for i, b in enumerate(ValueBasis)}
        pers = {"hour": 0, "day": 1, "piece": 2}
        return [RateUsed(ValueBasis(b), per, rate)
                for b, per, rate in sorted(seen, key=lambda s: (order[s[0]], pers.get(s[1], 3), s[2]))]

    @property
    def not_valued(self) -> int:
        return sum(t.not_valued for t in self.totals.values())


def read_frozen(frozen: str) -> Frozen:
    content: dict[str, Any] = json.loads(frozen)
    member = content["member"]
    return Frozen(
        number=content["number"], member_name=member["name"], member_sector=Sector(member["sector"]),
        member_city=member["city"], nip=member["nip"], krs=member["krs"], regon=member["regon"],
        scope_fair=content["scope"]["fair"],
        period_start=date.fromisoformat(content["period"]["start"]),
        period_end=date.fromisoformat(content["period"]["end"]),
        issued_at=datetime.fromisoformat(content["issued_at"]),
        issuer=Issuer(content["issued_by"]["name"], content["issued_by"]["fair"]),
        replaces=content["replaces"],
        lines=tuple(_line(values) for values in content["lines"]),
        totals={d: Total(**t) for d, t in content["totals"].items()})


def known(value: str | None, kind: type[StrEnum]) -> TypeGuard[str]:
    """Whether `value` is one of the enum's values (a frozen value of an older or newer app may not be)."""
    return value is not None and value in kind._value2member_map_


def amount_unit(line: Line) -> Unit | None:
    return Unit(line.unit) if known(line.unit, Unit) else None
