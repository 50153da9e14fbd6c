"""Background badge runs (app/door/badge_jobs.py): failures, repeats, a dead process."""

from __future__ import annotations

from flask import Flask

from app.door import badge_jobs
from app.door.badges import PrintKind, PrintLayout
from app.fairs.models import Fair
from app.people.credentials import revoke_login
from app.people.models import Participant
from tests.door.conftest import BASE


def test_a_run_that_cannot_print_fails_with_its_code(
        app: Flask, fair: Fair, organiser: Participant, people: list[Participant]) -> None:
    revoke_login(organiser, fair.id, people[0].id)
    job = badge_jobs.start_job(fair.id, PrintKind.SLIPS, PrintLayout.SHEET, [people[0].id], organiser.id,
                               base=BASE, locale="pl")
    job = badge_jobs.wait_for(job.id, timeout=60)
    assert job is not None and (job.state, job.error) == ("failed", "no_logins")
    assert not badge_jobs.pdf_path(job).exists()


def test_asking_again_for_a_run_in_progress_returns_that_run(
        app: Flask, fair: Fair, organiser: Participant) -> None:
    running = badge_jobs.BadgeJob(id="ef" * 16, fair_id=fair.id, kind="badges", layout="sheet",
                                  participant_ids=None, requested_by=organiser.id, state="rendering")
    badge_jobs._save(running, badge_jobs.jobs_folder())
    again = badge_jobs.start_job(fair.id, PrintKind.BADGES, PrintLayout.SHEET, None, organiser.id,
                                 base=BASE, locale="pl")
    assert again.id == running.id


def test_a_run_whose_process_died_shows_as_failed(app: Flask, fair: Fair, organiser: Participant) -> None:
    job = badge_jobs.BadgeJob(id="ab" * 16, fair_id=fair.id, kind="badges", layout="sheet",
                              participant_ids=None, requested_by=organiser.id, state="rendering")
    folder = badge_jobs.jobs_folder()
    badge_jobs._save(job, folder)
    path = folder / f"{job.id}.json"
    path.write_text(path.read_text().replace(f'"updated_at": {job.updated_at}', '"updated_at": 0'))
    loaded = badge_jobs.load_job(job.id)
    assert loaded is not None and (loaded.state, loaded.error) == ("failed", "interrupted")


def _job(fair: Fair, organiser: Participant, **state: object) -> badge_jobs.BadgeJob:
    job = badge_jobs.BadgeJob(id="ab" * 16, fair_id=fair.id, kind="badges", layout="sheet", participant_ids=None,
                              requested_by=organiser.id, base=BASE, locale="pl", **state)  # type: ignore[arg-type]
    badge_jobs._save(job, badge_jobs.jobs_folder())
    return job


def test_a_run_given_twice_prints_once(app: Flask, fair: Fair, organiser: Participant,
                                       people: list[Participant]) -> None:
    job = badge_jobs.start_job(fair.id, PrintKind.BADGES, PrintLayout.SHEET, None, organiser.id, base=BASE,
                               locale="pl")
    done = badge_jobs.wait_for(job.id, 60)
    assert done is not None and (done.state, done.attempts) == ("done", 1)
    pdf = badge_jobs.pdf_path(done)
    printed = pdf.stat().st_mtime_ns
    badge_jobs.run_badge_job(job.id)  # a duplicate task: finished, so nothing
    again = badge_jobs.load_job(job.id)
    assert again is not None and (again.state, again.attempts) == ("done", 1)
    assert pdf.stat().st_mtime_ns == printed


def test_a_run_a_live_worker_holds_is_left_alone_then_resumed_once_it_is_free(
        app: Flask, fair: Fair, organiser: Participant, people: list[Participant]) -> None:
    import fcntl
    import os

    from app.core.tasks import resume_lost_work

    job = _job(fair, organiser, state="rendering", total=5, done=2, attempts=1)
    folder = badge_jobs.jobs_folder()
    holder = os.open(folder / f"{job.id}.lock", os.O_RDWR | os.O_CREAT, 0o600)  # as a printing worker does
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        badge_jobs.run_badge_job(job.id)
        resume_lost_work(0)
        held = badge_jobs.load_job(job.id)
        assert held is not None and (held.state, held.done, held.attempts) == ("rendering", 2, 1)
    finally:
        os.close(holder)  # the worker died: the system let go of its lock
    resume_lost_work(0)  # what a consumer does when it starts
    resumed = badge_jobs.load_job(job.id)
    everyone = len(people) + 1  # and the organiser
    assert resumed is not None and (resumed.state, resumed.done, resumed.total, resumed.attempts) == (
        "done", everyone, everyone, 2)
    assert badge_jobs.pdf_path(resumed).is_file() and not (folder / f"{job.id}.part").exists()


def test_a_run_lost_too_often_is_given_up(app: Flask, fair: Fair, organiser: Participant,
                                          people: list[Participant]) -> None:
    job = _job(fair, organiser, state="rendering", attempts=badge_jobs.MAX_ATTEMPTS)
    badge_jobs.run_badge_job(job.id)
    given_up = badge_jobs.load_job(job.id)
    assert given_up is not None and (given_up.state, given_up.error) == ("failed", "interrupted")
    assert not badge_jobs.pdf_path(given_up).exists()


