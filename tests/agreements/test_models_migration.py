"""Migration 0023 (feedback on obligations) on a database with agreements: every obligation is
kept, without feedback; the database refuses a rating outside 1–5; the downgrade takes the
feedback away and keeps every obligation, and the upgrade runs again."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from app.core.storage.migrate import alembic_config, upgrade
from tests.network.legacy_db import NOW, Writer, legacy_engine, populate

FEEDBACK = {"rating", "testimonial", "quote_consent", "feedback_at"}


def before_feedback() -> str:
    """The revision this migration follows (renumbered when branches merge)."""
    revision = ScriptDirectory.from_config(alembic_config()).get_revision("0023")
    assert revision is not None and isinstance(revision.down_revision, str)
    return revision.down_revision


def obligation_columns(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return {c["name"] for c in sa.inspect(conn).get_columns("obligations")}


def obligations(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT id, agreement_id, description, state, points FROM obligations ORDER BY id"))]


def add_agreement(engine: sa.Engine, ids: dict[str, int]) -> None:
    """Fair autumn: Fundacja Żółw and Urząd Miasta exchange a room for a training; one confirmed."""
    with engine.begin() as conn:
        w = Writer(conn)
        agreement = w.add("agreements", fair_id=ids["autumn"], state="signed", version=1, seq_no=1,
                          number="GZ/autumn/001", public_code="abc123", created_by_id=ids["ola_autumn"],
                          created_at=NOW, updated_at=NOW, signed_at=NOW)
        zolw = w.add("agreement_parties", agreement_id=agreement, organisation_id=ids["zolw_autumn"],
                     representative_id=ids["ola_autumn"], position=0)
        urzad = w.add("agreement_parties", agreement_id=agreement, organisation_id=ids["urzad"],
                      representative_id=ids["jan"], position=1)
        w.add("obligations", agreement_id=agreement, position=0, giver_party_id=zolw, receiver_party_id=urzad,
              description="Sala na 30 osób", state="confirmed", points=30, confirmed_at=NOW,
              confirmed_by_id=ids["jan"])
        w.add("obligations", agreement_id=agreement, position=1, giver_party_id=urzad, receiver_party_id=zolw,
              description="Szkolenie z wniosków", state="pending", points=40)


@pytest.mark.db  # in the PostgreSQL pass too
def test_feedback_columns_come_and_go_and_every_obligation_stays(tmp_path: Path) -> None:
    with legacy_engine(tmp_path) as engine:
        ids = populate(engine).ids
        previous = before_feedback()
        upgrade(engine, previous)
        add_agreement(engine, ids)
        kept = obligations(engine)
        assert len(kept) == 2 and not FEEDBACK & obligation_columns(engine)

        upgrade(engine, "0023")
        assert obligations(engine) == kept
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT rating, testimonial, quote_consent, feedback_at FROM obligations ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(None, "", False, None)] * 2
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE obligations SET rating = 5, testimonial = 'Polecamy', quote_consent = :yes, "
                                 "feedback_at = :now WHERE state = 'confirmed'"), {"yes": True, "now": NOW})
        for wrong in (0, 6):
            with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
                conn.execute(sa.text("UPDATE obligations SET rating = :r WHERE state = 'confirmed'"), {"r": wrong})
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT rating FROM obligations WHERE state = 'confirmed'")) == 5

        command.downgrade(alembic_config(engine), previous)
        assert not FEEDBACK & obligation_columns(engine)
        assert obligations(engine) == kept

        upgrade(engine, "0023")  # and up again, over the same rows
        assert obligation_columns(engine) >= FEEDBACK and obligations(engine) == kept
