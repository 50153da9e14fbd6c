"""Long print runs in the background: a task on the queue per run (app/core/tasks.py), its
state in a small JSON file.

The organiser's page starts a run and then shows its progress, reading the state file the
worker rewrites after every chunk, so any server process can show it. Files live under
instance/badges/ (the consumer shares the instance folder with the web processes) and are
removed a day later; a slips PDF holds login secrets, so the files are readable by the server
user only. No table, no migration.

The worker printing a run holds an exclusive lock (flock) on the run's `.lock` file, released
by the system when its process dies: a second worker given the same run leaves it alone, and a
run that is not finished while nobody holds its lock was lost with its worker. A consumer queues
such runs again when it starts (and every minute, for runs lost longer ago than RESUME_AGE):
the run is laid out again from its first page into a `.part` file that becomes the PDF only
when complete. A run lost more than MAX_ATTEMPTS times, or lost and untouched for
STALE_SECONDS (no consumer came back to it), shows as failed.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale

from app.core.extensions import db
from app.core.tasks import resumer, task, wait_for_tasks
from app.door.badges import PrintKind, PrintLayout, printable_people, write_for_people
from app.fairs.models import Fair

log = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 60 * 60
RENDER_SHARE = 0.85  # of a run's time, measured: laying out the chunks; the rest is writing the PDF
STALE_SECONDS = 300  # a chunk takes seconds; a run nobody holds and silent this long is given up
MAX_ATTEMPTS = 3  # a run whose worker died this many times is not tried again
_ID = re.compile(r"[0-9a-f]{32}")


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
    base: str = ""  # the URL the QR codes point to, as the organiser's request saw it
    locale: str = "pl"
    attempts: int = 0  # workers that started it (more than one: it was resumed)

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
    folder = jobs_folder()
    job = _read(folder, job_id)
    if job is None:
        return None
    if (job.state in ("rendering", "writing") and time.time() - job.updated_at > STALE_SECONDS
            and not _held(folder, job.id)):
        job.state, job.error = "failed", "interrupted"
    return job


def _read(folder: Path, job_id: str) -> BadgeJob | None:
    try:
        data = json.loads((folder / f"{job_id}.json").read_text())
    except (OSError, ValueError):
        return None
    return BadgeJob(**data)


def _save(job: BadgeJob, folder: Path) -> None:
    """Replace the state file in one step, so that a reader never sees half of it."""
    job.updated_at = time.time()
    path = folder / f"{job.id}.json"
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(asdict(job), fh)
    os.replace(tmp, path)


@contextmanager
def _claim(folder: Path, job_id: str) -> Iterator[bool]:
    """Hold the run's lock while the block runs: True if this worker got it, False if another
    live process holds it."""
    fd = os.open(folder / f"{job_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


def _held(folder: Path, job_id: str) -> bool:
    """Is a live process printing this run right now?"""
    if not (folder / f"{job_id}.lock").exists():
        return False
    with _claim(folder, job_id) as claimed:
        return not claimed


def start_job(fair_id: int, kind: PrintKind, layout: PrintLayout, participant_ids: list[int] | None,
              requested_by: int, *, base: str, locale: str) -> BadgeJob:
    """Queue a print run; a run asked for again while it is not finished is reused."""
    folder = jobs_folder()
    _remove_old(folder)
    ids = sorted(set(participant_ids)) if participant_ids is not None else None
    for running in _running_jobs(folder):
        if (running.fair_id, running.kind, running.layout, running.participant_ids) == \
                (fair_id, kind.value, layout.value, ids):
            return running
    job = BadgeJob(id=secrets.token_hex(16), fair_id=fair_id, kind=kind.value, layout=layout.value,
                   participant_ids=ids, requested_by=requested_by, base=base, locale=locale)
    _save(job, folder)  # the state file is the run's record: queued once it exists
    run_badge_job.enqueue(job.id)
    return job


def wait_for(job_id: str, timeout: float) -> BadgeJob | None:
    """Wait until this process's queued work is done (or `timeout` seconds pass), then the run's
    state; for the CLI and tests."""
    wait_for_tasks(timeout)
    return load_job(job_id)


@task("door.badge_run")
def run_badge_job(job_id: str) -> None:
    """Print the run, unless it is finished or another worker is printing it: given twice, it
    prints once; given again after its worker died, it prints it from the start."""
    folder = jobs_folder()
    with _claim(folder, job_id) as claimed:
        if not claimed:
            return
        job = _read(folder, job_id)
        if job is None or job.finished:
            return
        job.attempts += 1
        if job.attempts > MAX_ATTEMPTS:
            job.state, job.error, job.finished_at = "failed", "interrupted", time.time()
            _save(job, folder)
            return
        _print(job, folder)


def _print(job: BadgeJob, folder: Path) -> None:
    target = folder / f"{job.id}.pdf"
    partial = folder / f"{job.id}.part"
    with force_locale(job.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            fair = db.session.get_one(Fair, job.fair_id)
            people = printable_people(fair.id, job.participant_ids)
            job.state, job.done, job.total = "rendering", 0, len(people)
            _save(job, folder)

            def progress(done: int, total: int) -> None:
                job.done, job.total = done, total
                job.state = "writing" if done >= total else "rendering"
                _save(job, folder)

            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                job.pages = write_for_people(PrintKind(job.kind), fair, people, fh, base=job.base,
                                             layout=PrintLayout(job.layout), progress=progress)
            os.replace(partial, target)
            job.state = "done"
        except Exception as exc:  # the page shows the failure; the log has the trace
            log.exception("badge job %s failed", job.id)
            job.state, job.error = "failed", str(getattr(exc, "code", type(exc).__name__))
            partial.unlink(missing_ok=True)
            target.unlink(missing_ok=True)
        finally:
            job.finished_at = time.time()
            _save(job, folder)


@resumer
def _resume_runs(min_age: float) -> None:
    """Queue again the runs a dead worker left unfinished (and, min_age seconds after they were
    queued, runs whose task never reached a worker)."""
    folder = jobs_folder()
    for path in sorted(folder.glob("*.json")):
        job = load_job(path.stem)
        if (job is not None and not job.finished and time.time() - job.updated_at >= min_age
                and not _held(folder, job.id)):
            log.info("badge job %s: queued again (%s, %s of %s laid out)", job.id, job.state, job.done, job.total)
            run_badge_job.enqueue(job.id)


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
