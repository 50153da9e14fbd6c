"""What a partnership says, as plain values: the canonical JSON its hash covers, read back for
the PDF and the verification page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.agreements.content import canonical_json, content_hash
from app.network.sectors import SECTOR_COLOURS, Sector
from app.partnerships.models import Partnership


def partnership_content(partnership: Partnership, source_number: str | None) -> dict[str, Any]:
    return {
        "number": partnership.number,
        "purpose": partnership.purpose,
        "description": partnership.description,
        "starts_on": partnership.starts_on.isoformat(),
        "ends_on": partnership.ends_on.isoformat() if partnership.ends_on else None,
        "members": [{"name": m.member.name, "sector": m.member.sector.value, "role": m.role,
                     "contribution": m.contribution, "lead": m.member_id == partnership.lead_member_id}
                    for m in partnership.members],
        "source_agreement": source_number,
        "recorded_at": partnership.created_at.isoformat(),
    }


def freeze(partnership: Partnership, source_number: str | None) -> None:
    partnership.frozen_content = canonical_json(partnership_content(partnership, source_number))
    partnership.content_hash = content_hash(partnership.frozen_content)


def is_authentic(partnership: Partnership) -> bool:
    """Whether the stored content still matches the hash taken when it was recorded."""
    return bool(partnership.frozen_content and partnership.content_hash
                and content_hash(partnership.frozen_content) == partnership.content_hash)


@dataclass(frozen=True)
class PartnerLine:
    name: str
    sector: Sector
    role: str
    contribution: str
    lead: bool

    @property
    def colour(self) -> str:
        return SECTOR_COLOURS[self.sector]


@dataclass(frozen=True)
class Frozen:
    """The partnership as recorded."""

    number: str
    purpose: str
    description: str
    starts_on: date
    ends_on: date | None
    partners: tuple[PartnerLine, ...]
    source_agreement: str | None
    recorded_at: datetime

    @property
    def lead(self) -> PartnerLine:
        return next(p for p in self.partners if p.lead)


def read_frozen(frozen: str) -> Frozen:
    content: dict[str, Any] = json.loads(frozen)
    return Frozen(
        number=content["number"], purpose=content["purpose"], description=content["description"],
        starts_on=date.fromisoformat(content["starts_on"]),
        ends_on=date.fromisoformat(content["ends_on"]) if content["ends_on"] else None,
        partners=tuple(PartnerLine(m["name"], Sector(m["sector"]), m["role"], m["contribution"], m["lead"])
                       for m in content["members"]),
        source_agreement=content["source_agreement"],
        recorded_at=datetime.fromisoformat(content["recorded_at"]))
