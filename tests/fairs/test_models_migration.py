"""Migration 0017 (the network's space): every fair stays a fair; a coordinator of before (an organiser
marked `network_coordinator`) gets an organiser's account at the new space, with the same person,
member and password; the mark goes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from app.core.storage.migrate import upgrade
from tests.network.legacy_db import legacy_engine, populate


@pytest.mark.db  # in the PostgreSQL pass too
def test_a_coordinator_of_before_becomes_an_organiser_of_the_network_space(tmp_path: Path) -> None:
    with legacy_engine(tmp_path) as engine:
        populate(engine)
        upgrade(engine, "0016")
        with engine.begin() as conn:
            marked = conn.execute(sa.text(
                "SELECT id, person_id, organisation_id FROM participants ORDER BY id")).first()
            conn.execute(sa.text("UPDATE participants SET role = 'organiser', password_hash = 'scrypt:hash', "
                                 "network_coordinator = :yes WHERE id = :id"), {"yes": True, "id": marked.id})
            member = conn.scalar(sa.text("SELECT member_id FROM organisations WHERE id = :id"),
                                 {"id": marked.organisation_id})
            fairs_before = conn.execute(sa.text("SELECT id FROM fairs ORDER BY id")).scalars().all()
        upgrade(engine)
        with engine.connect() as conn:
            kinds = dict(conn.execute(sa.text("SELECT id, kind FROM fairs")).tuples().all())
            [space] = [fid for fid, kind in kinds.items() if kind == "network"]
            assert {fid: kinds[fid] for fid in fairs_before} == {fid: "fair" for fid in fairs_before}
            account = conn.execute(sa.text(
                "SELECT p.person_id, p.role, p.password_hash, o.member_id, p.badge_code FROM participants p "
                "JOIN organisations o ON o.id = p.organisation_id WHERE p.fair_id = :space"), {"space": space}).one()
            assert tuple(account)[:4] == (marked.person_id, "organiser", "scrypt:hash", member)
            columns = {c["name"] for c in sa.inspect(conn).get_columns("participants")}
            assert "network_coordinator" not in columns


@pytest.mark.db
def test_without_coordinators_no_space_is_made(tmp_path: Path) -> None:
    with legacy_engine(tmp_path) as engine:
        populate(engine)
        upgrade(engine)
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM fairs WHERE kind = 'network'")) == 0
