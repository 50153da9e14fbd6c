"""A database as it stood before the network (migration 0014), with two fairs that share an
organisation and a person, and a ledger with history at both; rows written as plain SQL, since
today's models describe the tables after the migrations under test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.core.storage.migrate import upgrade
from app.core.storage.transactions import configure_sqlite
from app.ledger.posting import fingerprint
from tests.conftest import PG_URL, private_postgres_database

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


@contextmanager
def legacy_engine(tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database of this run's dialect, migrated up to 0014."""
    if PG_URL:
        with private_postgres_database(PG_URL) as url:
            engine = sa.create_engine(url)
            try:
                upgrade(engine, "0014")
                yield engine
            finally:
                engine.dispose()
        return
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'legacy.db'}")
    configure_sqlite(engine)
    try:
        upgrade(engine, "0014")
        yield engine
    finally:
        engine.dispose()


def _filler(column: sa.Column[Any]) -> Any:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 0
    if isinstance(kind, sa.DateTime):
        return NOW
    if isinstance(kind, sa.Enum):
        return kind.enums[0]
    return ""


class Writer:
    """Inserts rows, filling every required column the caller leaves out with a plain value."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.meta = sa.MetaData()
        self.meta.reflect(conn)

    def add(self, table: str, **values: Any) -> int:
        t = self.meta.tables[table]
        for column in t.columns:
            if column.name not in values and not column.nullable and not column.primary_key \
                    and column.server_default is None:
                values[column.name] = _filler(column)
        return int(self.conn.execute(t.insert().values(**values).returning(t.c.id)).scalar_one())


class Legacy:
    """What was written, by name."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}


def entry(w: Writer, key: str, kind: str, fair_id: int | None, legs: list[tuple[int, int]], memo: str = "") -> int:
    entry_id = w.add("ledger_entries", kind=kind, idempotency_key=key, memo=memo, fair_id=fair_id,
                     fingerprint=fingerprint(kind, legs, memo, fair_id, None, None, None), created_at=NOW)
    for account_id, points in legs:
        w.add("ledger_postings", entry_id=entry_id, account_id=account_id, points=points)
    return entry_id


def populate(engine: Engine) -> Legacy:
    """Spring and autumn fairs. Fundacja Żółw comes to both (two organisations, two accounts with
    history); Ola Nowak represents it at both (the same address); Urząd Miasta only in autumn."""
    legacy = Legacy()
    ids = legacy.ids
    with engine.begin() as conn:
        w = Writer(conn)
        seq = iter(range(1, 1000))

        def person(fair: str, org: str, first: str, last: str, email: str) -> int:
            n = next(seq)
            return w.add("participants", fair_id=ids[fair], organisation_id=ids[org], first_name=first,
                         last_name=last, name_key=f"{first} {last}".casefold(), email=email,
                         email_key=email.lower(), role="participant", badge_code=f"BADGE{n:04d}",
                         login_secret=f"secret-{n}", pin="123456", created_at=NOW)

        for fair in ("spring", "autumn"):
            ids[fair] = w.add("fairs", slug=fair, name=f"Giełda {fair}", state="closed", display_token=fair,
                              point_rate=1, created_at=NOW)
        ids["zolw_spring"] = w.add("organisations", fair_id=ids["spring"], name="Fundacja Żółw",
                                   name_key="fundacja żółw", sector="ngo", city="Tczew", created_at=NOW)
        ids["zolw_autumn"] = w.add("organisations", fair_id=ids["autumn"], name="FUNDACJA ŻÓŁW",
                                   name_key="fundacja żółw", sector="ngo", city="Tczew",
                                   email="biuro@zolw.org.pl", created_at=NOW)
        ids["urzad"] = w.add("organisations", fair_id=ids["autumn"], name="Urząd Miasta",
                             name_key="urząd miasta", sector="public", city="Tczew", created_at=NOW)
        ids["ola_spring"] = person("spring", "zolw_spring", "Ola", "Nowak", "ola@example.org")
        ids["ola_autumn"] = person("autumn", "zolw_autumn", "Aleksandra", "Nowak", "OLA@example.org")
        ids["jan"] = person("autumn", "urzad", "Jan", "Gęś", "")
        ids["opening"] = w.add("ledger_accounts", kind="system", system_key="opening", name="Opening balances",
                               balance=0, created_at=NOW)
        for org in ("zolw_spring", "zolw_autumn", "urzad"):
            fair = "spring" if org == "zolw_spring" else "autumn"
            ids[f"acc_{org}"] = w.add("ledger_accounts", kind="organisation", organisation_id=ids[org],
                                      fair_id=ids[fair], name=org, balance=0, created_at=NOW)
        ids["acc_ola"] = w.add("ledger_accounts", kind="person", participant_id=ids["ola_spring"],
                               fair_id=ids["spring"], name="Ola Nowak", balance=0, created_at=NOW)
        moves = [
            ("opening-1", "opening", None, [("opening", -100), ("acc_zolw_spring", 100)]),
            ("award-1", "award", "spring", [("acc_zolw_spring", -15), ("acc_ola", 15)]),
            ("opening-2", "opening", None, [("opening", -40), ("acc_urzad", 40)]),
            ("transfer-1", "transfer", "autumn", [("acc_urzad", -25), ("acc_zolw_autumn", 25)]),
        ]
        for key, kind, fair, legs in moves:
            entry(w, key, kind, ids[fair] if fair else None, [(ids[a], p) for a, p in legs], memo=key)
        balances: dict[str, int] = {}
        for *_head, legs in moves:
            for account, points in legs:
                balances[account] = balances.get(account, 0) + points
        accounts = w.meta.tables["ledger_accounts"]
        for account, balance in balances.items():
            conn.execute(accounts.update().where(accounts.c.id == ids[account]).values(balance=balance))
    return legacy
