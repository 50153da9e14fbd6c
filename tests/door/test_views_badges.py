"""Badge and slip downloads (app/door/views/badges.py): who may print what, the organiser's selection,
whole-fair runs and their pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.door import badge_jobs
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.models import Participant
from tests.door.conftest import BASE, card
from tests.pdfs import qr_payloads, save

# --- who may print -----------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, fair: Fair, people: list[Participant]) -> None:
    for r in (client.get(f"/f/{fair.slug}/badges/{people[0].id}/badge.pdf"),
              client.post(f"/f/{fair.slug}/admin/badges", data={"kind": "badges"})):
        assert r.status_code == 302
        assert f"/f/{fair.slug}/login" in r.headers["Location"]


def test_participants_may_not_print_badges(
        client: FlaskClient, fair: Fair, people: list[Participant], login: Callable[[Participant], None]) -> None:
    login(people[0])
    assert client.post(f"/f/{fair.slug}/admin/badges", data={"kind": "badges"}).status_code == 403
    assert client.post(f"/f/{fair.slug}/admin/badges/selection",
                       data={"kind": "badges", "pid": [people[0].id]}).status_code == 403
    assert client.get(f"/f/{fair.slug}/badges/{people[0].id}/badge.pdf").status_code == 403
    assert client.get(f"/f/{fair.slug}/badges/{people[0].id}/slip.pdf").status_code == 403


def test_a_notary_prints_a_walk_ins_badge_and_slip_at_the_desk_but_not_the_whole_fair(
        client: FlaskClient, fair: Fair, notary: Participant, people: list[Participant],
        login: Callable[[Participant], None], tmp_path: Path) -> None:
    from app.door.checkin import register_walk_in
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData

    walk_in = register_walk_in(notary, fair.id, PersonData("Jan", "Przybysz"),
                               OrganisationData("Klub Migawka", Sector.INFORMAL_GROUP)).participant
    login(notary)
    person = people[1]
    r = client.get(f"/f/{fair.slug}/badges/{person.id}/badge.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert qr_payloads(save(tmp_path, "badge.pdf", r.data), tmp_path) == [card(person)]

    r = client.get(f"/f/{fair.slug}/badges/{walk_in.id}/slip.pdf")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    assert qr_payloads(save(tmp_path, "slip.pdf", r.data), tmp_path) == [
        f"{BASE}/f/{fair.slug}/login/{walk_in.login_secret}"]

    assert client.post(f"/f/{fair.slug}/admin/badges", data={"kind": "badges"}).status_code == 403


def test_a_notary_cannot_print_the_slip_of_someone_the_desk_did_not_register(
        client: FlaskClient, fair: Fair, notary: Participant, people: list[Participant],
        login: Callable[[Participant], None]) -> None:
    login(notary)
    r = client.get(f"/f/{fair.slug}/badges/{people[1].id}/slip.pdf")
    assert r.status_code == 403 and b"slip_not_yours" in r.data


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.NOTARY, Role.BROKER])
def test_nobody_prints_a_login_slip_for_staff(
        client: FlaskClient, fair: Fair, organiser: Participant, make_participant: Callable[..., Participant],
        login: Callable[[Participant], None], role: Role) -> None:
    staff = organiser if role == Role.ORGANISER else make_participant("Ala", "Sztab", role=role)
    login(organiser)
    r = client.get(f"/f/{fair.slug}/badges/{staff.id}/slip.pdf")
    assert r.status_code == 403 and b"no_slip_for_staff" in r.data


def test_nobody_prints_for_another_fair(
        client: FlaskClient, make_fair: Callable[..., Fair], make_participant: Callable[..., Participant],
        organiser: Participant, login: Callable[[Participant], None]) -> None:
    other = make_fair(slug="kociewie")
    stranger = make_participant("Ewa", "Obca", fair_id=other.id)
    login(organiser)
    assert client.get(f"/f/{organiser.fair.slug}/badges/{stranger.id}/badge.pdf").status_code == 404
    assert client.get(f"/f/{other.slug}/badges/{stranger.id}/badge.pdf").status_code == 403


def test_the_walk_in_desk_and_the_participant_page_link_to_the_pdfs(
        client: FlaskClient, fair: Fair, organiser: Participant, people: list[Participant],
        login: Callable[[Participant], None]) -> None:
    login(organiser)
    person = people[0]
    for page in (f"/f/{fair.slug}/desk/walk-in/{person.id}", f"/f/{fair.slug}/admin/participants/{person.id}"):
        html = client.get(page).get_data(as_text=True)
        assert f"/f/{fair.slug}/badges/{person.id}/badge.pdf" in html
        assert f"/f/{fair.slug}/badges/{person.id}/slip.pdf" in html


# --- the organiser's selection and whole-fair runs ---------------------------------------------

def test_the_participant_list_offers_ticks_and_print_buttons(
        client: FlaskClient, fair: Fair, organiser: Participant, people: list[Participant],
        login: Callable[[Participant], None]) -> None:
    login(organiser)
    html = client.get(f"/f/{fair.slug}/admin/participants").get_data(as_text=True)
    assert f'name="pid" value="{people[0].id}"' in html
    assert f'formaction="/f/{fair.slug}/admin/badges/selection"' in html
    assert f'action="/f/{fair.slug}/admin/badges"' in html


def test_a_selection_prints_only_the_ticked_people(
        client: FlaskClient, fair: Fair, organiser: Participant, people: list[Participant],
        login: Callable[[Participant], None], tmp_path: Path) -> None:
    login(organiser)
    ticked = [people[0], people[2]]
    r = client.post(f"/f/{fair.slug}/admin/badges/selection",
                    data={"kind": "badges", "pid": [str(p.id) for p in ticked]})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert sorted(qr_payloads(save(tmp_path, "selection.pdf", r.data), tmp_path)) == sorted(card(p) for p in ticked)

    r = client.post(f"/f/{fair.slug}/admin/badges/selection", data={"kind": "slips", "pid": [str(people[1].id)]})
    assert r.status_code == 200
    assert qr_payloads(save(tmp_path, "slips.pdf", r.data), tmp_path) == [
        f"{BASE}/f/{fair.slug}/login/{people[1].login_secret}"]


def test_an_empty_selection_goes_back_to_the_list_with_a_message(
        client: FlaskClient, fair: Fair, organiser: Participant, login: Callable[[Participant], None]) -> None:
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/badges/selection", data={"kind": "badges"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/f/{fair.slug}/admin/participants")
    assert "Najpierw zaznacz osoby do wydruku." in client.get(r.headers["Location"]).get_data(as_text=True)


def test_a_whole_fair_run_shows_progress_and_then_the_download(
        client: FlaskClient, fair: Fair, organiser: Participant, people: list[Participant],
        login: Callable[[Participant], None], tmp_path: Path) -> None:
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/badges", data={"kind": "badges"})
    assert r.status_code == 303
    page = r.headers["Location"]
    job_id = page.rstrip("/").rsplit("/", 1)[-1]

    job = badge_jobs.wait_for(job_id, timeout=120)
    assert job is not None and job.state == "done", job

    assert client.get(page, headers={"Accept": "application/json"}).json == {
        "id": job_id, "state": "done", "percent": 100, "done": 4, "total": 4, "pages": 1, "error": ""}
    html = client.get(page).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in html
    download = f"/f/{fair.slug}/admin/badges/jobs/{job_id}/download"
    assert download in html
    r = client.get(download)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    expected = sorted(card(p) for p in [*people, organiser])
    assert sorted(qr_payloads(save(tmp_path, "all.pdf", r.data), tmp_path)) == expected


def test_a_selection_longer_than_a_list_page_goes_to_a_background_run(
        client: FlaskClient, fair: Fair, organiser: Participant, people: list[Participant],
        login: Callable[[Participant], None], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from app.door.views import badges as views

    monkeypatch.setattr(views, "SYNC_LIMIT", 1)
    login(organiser)
    ticked = people[:2]
    r = client.post(f"/f/{fair.slug}/admin/badges/selection",
                    data={"kind": "slips", "pid": [str(p.id) for p in ticked]})
    assert r.status_code == 303
    job = badge_jobs.wait_for(r.headers["Location"].rsplit("/", 1)[-1], timeout=120)
    assert job is not None and job.state == "done" and job.participant_ids == sorted(p.id for p in ticked)
    r = client.get(f"/f/{fair.slug}/admin/badges/jobs/{job.id}/download")
    assert r.headers["Cache-Control"] == "no-store"
    assert sorted(qr_payloads(save(tmp_path, "slips.pdf", r.data), tmp_path)) == sorted(
        f"{BASE}/f/{fair.slug}/login/{p.login_secret}" for p in ticked)


def test_a_running_job_page_refreshes_itself_and_shows_the_percentage(
        client: FlaskClient, app: Flask, fair: Fair, organiser: Participant,
        login: Callable[[Participant], None]) -> None:
    job = badge_jobs.BadgeJob(id="ab" * 16, fair_id=fair.id, kind="badges", layout="sheet",
                              participant_ids=None, requested_by=organiser.id, state="rendering",
                              total=200, done=100)
    badge_jobs._save(job, badge_jobs.jobs_folder())
    login(organiser)
    html = client.get(f"/f/{fair.slug}/admin/badges/jobs/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress value="42" max="100">' in html  # 100 of 200 laid out; writing the PDF comes last
    assert f"/admin/badges/jobs/{job.id}/download" not in html
    assert client.get(f"/f/{fair.slug}/admin/badges/jobs/{job.id}/download").status_code == 404


def test_jobs_of_another_fair_and_made_up_ids_are_not_found(
        client: FlaskClient, fair: Fair, organiser: Participant, make_fair: Callable[..., Fair],
        login: Callable[[Participant], None]) -> None:
    other = make_fair(slug="kociewie")
    job = badge_jobs.BadgeJob(id="cd" * 16, fair_id=other.id, kind="badges", layout="sheet",
                              participant_ids=None, requested_by=1, state="done")
    badge_jobs._save(job, badge_jobs.jobs_folder())
    login(organiser)
    for job_id in (job.id, "../../secret_key", "0" * 32):
        assert client.get(f"/f/{fair.slug}/admin/badges/jobs/{job_id}").status_code == 404
