"""Domain events of agreements: personal notices to the parties, public ones for the hall."""

from __future__ import annotations

from typing import Any

from app.agreements.content import public_payload
from app.agreements.models import Agreement
from app.core.storage.events import record_event


def notify_parties(agreement: Agreement, type_: str, exclude: int | None = None, **extra: Any) -> None:
    """Tell each party's contact person (in their own room) that the agreement changed (`extra`:
    more of what the notice says, e.g. who proposes it)."""
    payload = {"id": agreement.id, "state": agreement.state.value, "version": agreement.version,
               "number": agreement.number,
               "parties": [p.organisation.name for p in agreement.parties], **extra}
    for party in agreement.parties:
        if party.representative_id != exclude:
            record_event(agreement.fair_id, type_, payload, participant_id=party.representative_id)


def announce_public(agreement: Agreement, type_: str) -> None:
    """agreement.signed / agreement.annulled: counters, ticker and matrix on every screen."""
    record_event(agreement.fair_id, type_, public_payload(agreement))
