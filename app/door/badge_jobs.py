"""Long print runs in the background: a thread per run, its state in a small JSON file.

The organiser's page starts a run and then shows its progress, reading the state file the
thread rewrites after every chunk, so any server process can show it. Files live under
instance/badges/ and are removed a day later; a slips PDF holds login secrets, so both files
are readable by the server user only. No table, no migration: a run whose state has not moved
for a while died with its process and shows as failed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale

from app.core.extensions import db
from app.door.badges import PrintKind, PrintLayout, printable_people, write_for_people
from app.fairs.models import Fair

log = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 60 * 60
RENDER_SHARE = 0.85  # of a run's time, measured: laying out the chunks; the rest is writing the PDF
STALE_SECONDS = 300  # a chunk takes seconds; a run silent this long has died with its process
_ID = re.compile(r"[0-9a-f]{32}")
_threads: dict[str, threading.Thread] = {}


@dataclass
class BadgeJob:
    id: str
    fair_id: int
    kind: str  # PrintKind
    layout: str  # PrintLayout
    participant_ids: list[int] | None  # None: everyone at the fair
    requested_by: int
    state: str = "queued"  # queued → rendering → writing → done | failed
    total: int = 0
    done: int = 0
    pages: int = 0
    error: str = ""
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    finished_at: float | None = None

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        if self.state == "writing":
            return round(100 * RENDER_SHARE)
        if not self.total:
            return 0
        return min(99, int(100 * RENDER_SHARE * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def jobs_folder() -> Path:
    folder = Path(current_app.instance_path) / "badges"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def pdf_path(job: BadgeJob) -> Path:
    return jobs_folder() / f"{job.id}.pdf"


def load_job(job_id: str) -> BadgeJob | None:
    if not _ID.fullmatch(job_id):
        return None
    try:
        data = json.loads((jobs_folder() / f"{job_id}.json").read_text())
    except (OSError, ValueError):
        return None
    job = BadgeJob(**data)
    if not job.finished and time.time() - job.updated_at > STALE_SECONDS:
        job.state, job.error = "failed", "interrupted"
    return job


def _save(job: BadgeJob, folder: Path) -> None:
    """Replace the state file in one step, so that a reader never sees half of it."""
    job.updated_at = time.time()
    path = folder / f"{job.id}.json"
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(asdict(job), fh)
    os.replace(tmp, path)


def start_job(fair_id: int, kind: PrintKind, layout: PrintLayout, participant_ids: list[int] | None,
              requested_by: int, *, base: str, locale: str) -> BadgeJob:
    """Start a print run in a thread of its own; a run asked for twice while running is reused."""
    folder = jobs_folder()
    _remove_old(folder)
    ids = sorted(set(participant_ids)) if participant_ids is not None else None
    for running in _running_jobs(folder):
        if (running.fair_id, running.kind, running.layout, running.participant_ids) == \
                (fair_id, kind.value, layout.value, ids):
            return running
    job = BadgeJob(id=secrets.token_hex(16), fair_id=fair_id, kind=kind.value, layout=layout.value,
                   participant_ids=ids, requested_by=requested_by)
    _save(job, folder)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    thread = threading.Thread(target=_run, args=(app, job, folder, base, locale),
                              name=f"badges-{job.id[:8]}", daemon=True)
    _threads[job.id] = thread
    thread.start()
    return job


def wait_for(job_id: str, timeout: float) -> BadgeJob | None:
    """Block until the run's thread ends (or `timeout` seconds pass); for the CLI and tests."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)
    return load_job(job_id)


def _run(app: Flask, job: BadgeJob, folder: Path, base: str, locale: str) -> None:
    with app.app_context(), force_locale(locale):
        try:
            fair = db.session.get_one(Fair, job.fair_id)
            people = printable_people(fair.id, job.participant_ids)
            job.state, job.total = "rendering", len(people)
            _save(job, folder)

            def progress(done: int, total: int) -> None:
                job.done, job.total = done, total
                job.state = "writing" if done >= total else "rendering"
                _save(job, folder)

            target = folder / f"{job.id}.pdf"
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                job.pages = write_for_people(PrintKind(job.kind), fair, people, fh, base=base,
                                             layout=PrintLayout(job.layout), progress=progress)
            job.state = "done"
        except Exception as exc:  # the page shows the failure; the log has the trace
            log.exception("badge job %s failed", job.id)
            job.state, job.error = "failed", str(getattr(exc, "code", type(exc).__name__))
            (folder / f"{job.id}.pdf").unlink(missing_ok=True)
        finally:
            job.finished_at = time.time()
            _save(job, folder)
            _threads.pop(job.id, None)


def _running_jobs(folder: Path) -> list[BadgeJob]:
    jobs = (load_job(path.stem) for path in folder.glob("*.json"))
    return [job for job in jobs if job is not None and not job.finished]


def _remove_old(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def job_summary(job: BadgeJob) -> dict[str, Any]:
    """What the progress page and its JSON twin show."""
    return {"id": job.id, "state": job.state, "percent": job.percent, "done": job.done,
            "total": job.total, "pages": job.pages, "error": job.error}
