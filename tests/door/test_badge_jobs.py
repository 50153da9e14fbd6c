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
