"""Pages of a big fair: every organiser page, the stats API, the big screen and every export,
timed at 10,000 participants (`python -m bench bigfair`; BIGFAIR_SIZE changes the size).

The fair: bench/_scale.py's `build_fair(n)` — n participants imported from CSV, 0.3 n
organisations, 2n posts, n / 2 agreements (drafts, cancelled, awaiting the notary, signed,
fulfilled with ledger postings, annulled, disputed deliveries), check-ins, opening balances and
transfers — through the services (see there for the batching). The SQLite database is built
once and kept in `instance/bigfair/<digest of the builder's source>-<n>.db`; a run copies it to
a temporary folder (and migrates the copy to the newest schema) so the kept one stays as built.

Each page: the organiser logged in through the Flask test client (in a child process, the app
on the copied database, one warm-up request, then the median of ROUNDS requests). The page's
**floor** is the same number of bare `SELECT`s of the same rows the page reads, replayed on one
raw connection to the same database: each SQL statement the request sent, with the parameters it
sent, captured with a `before_cursor_execute` listener and executed again with `fetchall()` — the
database work of the page without the ORM, the view, the template or the file format. A page far
above its floor spends its time in Python; a floor near the target means the queries themselves
are too slow.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._child import MARK, run_child
from bench._report import ROOT, machine

SIZE = int(os.environ.get("BIGFAIR_SIZE", "10000"))
ROUNDS = int(os.environ.get("BIGFAIR_ROUNDS", "3"))
CACHE = ROOT / "instance" / "bigfair"
PAGE_TARGET_MS, LIVE_TARGET_MS, EXPORT_TARGET_MS = 300, 100, 3000


def _config(path: Path, folder: Path) -> dict[str, Any]:
    return {"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench-bigfair", "INSTANCE_PATH": str(folder),
            "AUTO_MIGRATE": True, "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "gielda.test", "PUBLIC_URL": "http://gielda.test", "TASK_WORKERS": 0,
            "AGREEMENT_PDF_AFTER_SIGNING": "off"}


def cached_database(n: int) -> tuple[Path, dict[str, Any]]:
    """The built fair of size n (built now, in a child process, if not kept yet)."""
    from bench._scale import source_digest

    db_path = CACHE / f"{source_digest()}-{n}.db"
    meta_path = db_path.with_suffix(".json")
    if not (db_path.exists() and meta_path.exists()):
        CACHE.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        built = run_child("bench.bigfair", "child", "build", str(n), str(db_path), timeout=4 * 3600)
        print(f"built a fair of {n} in {time.perf_counter() - started:.0f} s", flush=True)
        meta_path.write_text(json.dumps(built))
    return db_path, json.loads(meta_path.read_text())


def _build(n: int, target: Path) -> None:
    from app import create_app
    from bench._scale import build_fair

    with tempfile.TemporaryDirectory(prefix="bigfair-build-") as tmp:
        work = Path(tmp) / "fair.db"
        app = create_app(_config(work, Path(tmp) / "instance"))
        with app.app_context():
            started = time.perf_counter()
            fair = build_fair(n)
            seconds = time.perf_counter() - started
            from app.core.extensions import db

            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.engine.dispose()
        shutil.copy(work, target.with_suffix(".tmp"))
        target.with_suffix(".tmp").rename(target)
    print(MARK + json.dumps({"slug": fair.slug, "fair_id": fair.fair_id, "organiser_id": fair.organiser_id,
                             "notary_id": fair.notary_id, "broker_id": fair.broker_id, "counts": fair.counts,
                             "sample": fair.sample, "build_seconds": seconds}), flush=True)


def main(argv: list[str]) -> int:
    if argv[:2] == ["child", "build"]:
        _build(int(argv[2]), Path(argv[3]))
        return 0
    if argv[:2] == ["child", "time"]:
        _time(Path(argv[2]))
        return 0
    print(run())
    return 0


def run() -> str:
    raise NotImplementedError


def _time(path: Path) -> None:
    raise NotImplementedError


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
