"""After a run: the ledger's invariants and the event streams' numbering, in the database the
server wrote. `python -m load.checks --slug SLUG` (DATABASE_URL from the environment) prints JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy import func, select

from app import create_app
from app.agreements.models import Agreement, AgreementState
from app.core.extensions import db
from app.core.storage.events import DomainEvent
from app.fairs.models import Fair
from app.ledger.verify import verify_ledger


def _gaps(numbers: list[int], last: int) -> int:
    """How many of 1..last are missing from `numbers`, plus how many appear twice."""
    return (last - len(set(numbers) & set(range(1, last + 1)))) + (len(numbers) - len(set(numbers)))


def check(slug: str) -> dict[str, Any]:
    fair = db.session.scalars(select(Fair).where(Fair.slug == slug)).one()
    public = list(db.session.scalars(select(DomainEvent.seq).where(DomainEvent.fair_id == fair.id,
                                                                   DomainEvent.participant_id.is_(None))))
    private: dict[int, list[int]] = {}
    for participant_id, seq in db.session.execute(
            select(DomainEvent.participant_id, DomainEvent.seq).where(DomainEvent.fair_id == fair.id,
                                                                      DomainEvent.participant_id.is_not(None))):
        private.setdefault(participant_id, []).append(seq)
    private_gaps = sum(_gaps(seqs, max(seqs)) for seqs in private.values())
    signed = db.session.scalar(select(func.count()).select_from(Agreement).where(
        Agreement.fair_id == fair.id, Agreement.state == AgreementState.SIGNED)) or 0
    report = verify_ledger()
    return {"public_events": len(public), "public_seq": fair.event_seq,
            "public_gaps": _gaps(public, fair.event_seq), "private_streams": len(private),
            "private_gaps": private_gaps, "agreements_signed": signed,
            "ledger_ok": report.ok, "ledger_entries": report.entries,
            "ledger_problems": [f"{p.code}: {p.message}" for p in report.problems][:20]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slug", default="load")
    args = parser.parse_args()
    app = create_app({"AUTO_MIGRATE": False})
    with app.app_context():
        print(json.dumps(check(args.slug)))


if __name__ == "__main__":
    main()
