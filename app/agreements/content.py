"""What an agreement says, as plain values: for the frozen hash, events and the PDF."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from app.agreements.models import Agreement, AgreementParty, Obligation


def party_values(party: AgreementParty) -> dict[str, Any]:
    return {
        "organisation": party.organisation.name,
        "sector": party.organisation.sector.value,
        "representative": party.representative.full_name,
        "contact_name": party.contact_name,
        "contact_details": party.contact_details,
    }


def obligation_values(ob: Obligation) -> dict[str, Any]:
    return {
        "giver": ob.giver.organisation.name,
        "receiver": ob.receiver.organisation.name,
        "description": ob.description,
        "quantity": ob.quantity,
        "unit": ob.unit.value if ob.unit else None,
        "when": ob.when,
        "where": ob.where,
        "duration": ob.duration,
        "hours": ob.hours,
        "points": ob.points,
        "cost_contribution": ob.cost_contribution,
        "due_date": ob.due_date.isoformat() if ob.due_date else None,
        # the social value estimate frozen at signing (grosze): units × rate
        "value_basis": ob.value_basis,
        "value_rate_key": ob.value_rate_key,
        "value_units": ob.value_units,
        "value_rate": ob.value_rate,
        "social_value": ob.social_value,
    }


def agreement_content(agreement: Agreement) -> dict[str, Any]:
    """The agreement as signed: parties, obligations, signatures, notary, number."""
    sigs = sorted(agreement.current_signatures(), key=lambda s: (s.party.position, s.signed_at))
    return {
        "fair": agreement.fair_id,
        "number": agreement.number,
        "version": agreement.version,
        "parties": [party_values(p) for p in agreement.parties],
        "obligations": [obligation_values(o) for o in agreement.obligations],
        "signatures": [{"organisation": s.party.organisation.name, "signed_by": s.participant.full_name,
                        "method": s.method.value, "signed_at": s.signed_at.isoformat()} for s in sigs],
        "notary": agreement.notary.full_name if agreement.notary else None,
        "notarised_at": agreement.notarised_at.isoformat() if agreement.notarised_at else None,
        "on_paper": agreement.on_paper,
        "signed_at": agreement.signed_at.isoformat() if agreement.signed_at else None,
    }


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(frozen: str) -> str:
    return hashlib.sha256(frozen.encode("utf-8")).hexdigest()


def summary(agreement: Agreement, limit: int = 80) -> str:
    """'Sala na 30 osób ⇄ Szkolenie z RODO' for tickers and lists."""
    text = " ⇄ ".join(o.description.splitlines()[0] for o in agreement.obligations[:2])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def public_payload(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.id,
        "number": agreement.number,
        "state": agreement.state.value,
        "parties": [{"organisation": p.organisation.name, "sector": p.organisation.sector.value}
                    for p in agreement.parties],
        "points": agreement.points,
        "summary": summary(agreement),
    }
