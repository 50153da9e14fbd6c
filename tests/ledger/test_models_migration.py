"""Migration 0016 on a database with two fairs sharing an organisation: one account per member
and per person afterwards, every entry kept, every balance carried by a linked entry, and the
ledger verifies before and after."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.core.extensions import db
from app.core.storage.migrate import upgrade
from app.ledger.models import Account, AccountKind, Entry
from app.ledger.statements import account_statement
from app.ledger.verify import verify_ledger
from tests.conftest import build_app
from tests.network.legacy_db import legacy_engine, populate


def raw_check(engine: Engine) -> dict[int, int]:
    """The ledger's invariants in plain SQL (today's verify reads today's tables): every entry
    sums to zero with two postings or more, every cached balance is its postings' sum. Returns
    the balances by account."""
    with engine.connect() as conn:
        unbalanced = conn.execute(sa.text(
            "SELECT entry_id FROM ledger_postings GROUP BY entry_id HAVING sum(points) != 0 OR count(*) < 2")).all()
        balances = dict(conn.execute(sa.text("SELECT id, balance FROM ledger_accounts")).all())
        sums = dict(conn.execute(sa.text(
            "SELECT account_id, sum(points) FROM ledger_postings GROUP BY account_id")).all())
    assert unbalanced == []
    assert {a: b for a, b in balances.items() if b} == {a: s for a, s in sums.items() if s}
    return balances


@pytest.mark.db  # in the PostgreSQL pass too
def test_per_fair_accounts_are_carried_into_the_members_and_persons_accounts(tmp_path: Path) -> None:
    with legacy_engine(tmp_path) as engine:
        ids = populate(engine).ids
        before = raw_check(engine)
        with engine.connect() as conn:
            entries_before = conn.execute(sa.text("SELECT id, fingerprint FROM ledger_entries ORDER BY id")).all()
        upgrade(engine)
        raw_check(engine)
        app = build_app(engine.url.render_as_string(hide_password=False), tmp_path)
        with app.app_context():
            report = verify_ledger()
            assert report.ok, [str(p) for p in report.problems]
            accounts = {a.id: a for a in db.session.scalars(sa.select(Account))}
            legacy = [a for a in accounts.values() if a.kind in (AccountKind.ORGANISATION, AccountKind.PERSON)]
            assert len(legacy) == 4 and all(a.closed_at is not None and a.balance == 0 for a in legacy)
            network = {a.name: a for a in accounts.values() if a.kind in (AccountKind.MEMBER, AccountKind.INDIVIDUAL)}
            # Fundacja Żółw: 85 from spring and 25 from autumn in one account; the member's name is
            # its newest organisation's.
            zolw = network["FUNDACJA ŻÓŁW"]
            assert zolw.kind == AccountKind.MEMBER and zolw.balance == before[ids["acc_zolw_spring"]] + \
                before[ids["acc_zolw_autumn"]] == 110
            assert network["Urząd Miasta"].balance == 15
            ola = network["Aleksandra Nowak"]
            assert ola.kind == AccountKind.INDIVIDUAL and ola.balance == 15
            assert accounts[ids["acc_zolw_spring"]].carried_to_id == zolw.id
            # Every old entry is still there, unchanged; each carry names the account it closed.
            kept = db.session.execute(sa.select(Entry.id, Entry.fingerprint).where(
                Entry.id.in_([e.id for e in entries_before])).order_by(Entry.id)).all()
            assert [tuple(r) for r in kept] == [tuple(r) for r in entries_before]
            carries = db.session.scalars(sa.select(Entry).where(Entry.source_kind == "carry")).all()
            assert sorted(e.source_id for e in carries) == sorted(a.id for a in legacy)
            # The member's statement starts with what each fair's account carried in, and says which fair.
            lines = account_statement(zolw).lines
            assert [(line.points, line.fair, line.description) for line in lines] == [
                (85, "Giełda spring", "Przeniesione na konto w sieci"),
                (25, "Giełda autumn", "Przeniesione na konto w sieci")]
            db.session.remove()
            db.engine.dispose()
