"""Migration 0015 on a database with two fairs: an organisation that came to both becomes one
member, a person who came to both one person, and nothing else changes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from app.core.storage.migrate import upgrade
from tests.network.legacy_db import legacy_engine, populate


@pytest.mark.db  # in the PostgreSQL pass too
def test_organisations_and_people_of_two_fairs_become_members_and_persons(tmp_path: Path) -> None:
    with legacy_engine(tmp_path) as engine:
        legacy = populate(engine)
        ids = legacy.ids
        upgrade(engine, "0015")
        with engine.connect() as conn:
            member_of = dict(conn.execute(sa.text("SELECT id, member_id FROM organisations")).all())
            person_of = dict(conn.execute(sa.text("SELECT id, person_id FROM participants")).all())
            members = conn.execute(sa.text("SELECT id, name, email, email_key, search_text FROM members "
                                           "ORDER BY id")).all()
            persons = conn.execute(sa.text("SELECT id, first_name, email_key FROM persons ORDER BY id")).all()
            accounts = conn.execute(sa.text("SELECT count(*) FROM ledger_accounts")).scalar_one()
        assert member_of[ids["zolw_spring"]] == member_of[ids["zolw_autumn"]] != member_of[ids["urzad"]]
        assert len(members) == 2
        zolw = next(m for m in members if m.id == member_of[ids["zolw_spring"]])
        # Its details from its newest organisation, which gave an address.
        assert (zolw.name, zolw.email, zolw.email_key, zolw.search_text) == (
            "FUNDACJA ŻÓŁW", "biuro@zolw.org.pl", "biuro@zolw.org.pl", "fundacja zolw")
        assert person_of[ids["ola_spring"]] == person_of[ids["ola_autumn"]] != person_of[ids["jan"]]
        assert [(p.first_name, p.email_key) for p in persons] == [("Aleksandra", "ola@example.org"), ("Jan", "")]
        assert accounts == 5  # the ledger is untouched by this step
