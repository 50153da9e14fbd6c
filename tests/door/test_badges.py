"""Printed badges and login slips: what is on them (read back from the PDF), who may print them,
the background run for a whole fair, and the CLI."""

from __future__ import annotations

import base64
import contextlib
import random
import re
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
import qrcode
from flask import Flask
from flask.testing import FlaskClient

from app.core.paths import ROOT
from app.core.pdf import RefusedURL, StaticFilesFetcher
from app.door import badge_jobs
from app.door.badge_qr import fit_version, qr_matrix
from app.door.badges import PrintKind, PrintLayout, printable_people, write_for_people
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.credentials import revoke_login
from app.people.models import Participant
from app.people.sectors import Sector

BASE = "http://gielda.test"  # PUBLIC_URL in the test configuration


# --- reading a PDF back ------------------------------------------------------------------------

def pdf_text(pdf: Path) -> str:
    """The PDF's text with whitespace collapsed (names break across lines on a badge)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode().split())


def qr_payloads(pdf: Path, tmp_path: Path) -> list[str]:
    """Every QR code on every page, rendered at 150 dpi and decoded by zbar."""
    prefix = tmp_path / f"{pdf.stem}-page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(prefix)], check=True)
    payloads: list[str] = []
    for page in sorted(tmp_path.glob(f"{prefix.name}-*.png")):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(page)], check=True, capture_output=True)
        payloads += out.stdout.decode().split()
    return payloads


def pdf_bytes_inflated(pdf: Path) -> bytes:
    """The file with every compressed stream inflated, to search everything that is in it."""
    data = pdf.read_bytes()
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return b"\n".join(parts)


def page_sizes(pdf: Path) -> list[str]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], check=True, capture_output=True)
    return re.findall(r"Page\s+\d+ size:\s+([\d.]+ x [\d.]+ pts)", out.stdout.decode())


def save(tmp_path: Path, name: str, data: bytes) -> Path:
    assert data.startswith(b"%PDF-"), data[:200]
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def people(make_participant: Callable[..., Participant]) -> list[Participant]:
    return [
        make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło"),
        make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Socjalna „Łąka”",
                         sector=Sector.SOCIAL_COOPERATIVE),
        make_participant("Zdzisław", "Ćwik", organisation="Zdzisław Ćwik (mieszkaniec)", sector=Sector.RESIDENT),
    ]


def card(person: Participant) -> str:
    return f"{BASE}/p/{person.badge_code}"


# --- what is printed ---------------------------------------------------------------------------

def test_badges_show_polish_names_and_qr_codes_of_the_public_cards(
        app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "badges.pdf"
    pages = write_for_people(PrintKind.BADGES, fair, printable_people(fair.id), str(pdf), base=BASE)

    assert pages == 1
    text = pdf_text(pdf)
    for expected in ("Łucja Żółkiewska", "Fundacja Źdźbło", "Grzegorz Brzęczyszczykiewicz",
                     "Spółdzielnia Socjalna „Łąka”", "Zdzisław Ćwik", "Giełda Zasobów Tczew"):
        assert expected in text
    assert "(mieszkaniec)" not in text  # a resident's organisation is not printed
    for person in people:
        assert person.badge_code in text
    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(card(p) for p in people)
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Badge-Sans" in fonts and "DejaVu" not in fonts  # our static/fonts files, not the system's


def test_staff_badges_name_the_role(
        app: Flask, fair: Fair, notary: Participant, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "badges.pdf"
    write_for_people(PrintKind.BADGES, fair, [notary, people[0]], str(pdf), base=BASE)
    text = pdf_text(pdf)
    assert text.count("Notariusz") == 1


def test_badges_carry_no_login_secret_or_pin_anywhere(
        app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "badges.pdf"
    write_for_people(PrintKind.BADGES, fair, people, str(pdf), base=BASE)

    everything = pdf_bytes_inflated(pdf)
    text = pdf_text(pdf)
    payloads = qr_payloads(pdf, tmp_path)
    for person in people:
        assert person.login_secret.encode() not in everything
        assert person.login_secret not in text
        assert "/login/" not in " ".join(payloads)
        assert f"PIN: {person.pin}" not in text


def test_a_slip_holds_the_login_link_as_qr_and_the_badge_code_and_pin(
        app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    person = people[0]
    pdf = tmp_path / "slip.pdf"
    write_for_people(PrintKind.SLIPS, fair, [person], str(pdf), base=BASE)

    assert qr_payloads(pdf, tmp_path) == [f"{BASE}/f/{fair.slug}/login/{person.login_secret}"]
    text = pdf_text(pdf)
    assert "Łucja Żółkiewska" in text
    assert person.badge_code in text and person.pin in text
    assert "Zeskanuj go aparatem telefonu" in text  # Polish …
    assert "Scan it with your phone's camera" in text  # … and English, whatever the locale
    assert f"{BASE}/f/{fair.slug}/login" in text.replace(" ", "")  # may wrap after a slash


def test_slips_for_many_people_tile_six_to_an_a4_page(
        app: Flask, fair: Fair, make_participant: Callable[..., Participant], tmp_path: Path) -> None:
    everyone = [make_participant("Anna", f"Nowak-{i}") for i in range(7)]
    pdf = tmp_path / "slips.pdf"
    pages = write_for_people(PrintKind.SLIPS, fair, everyone, str(pdf), base=BASE)

    assert pages == 2
    assert page_sizes(pdf) == ["595.276 x 841.89 pts"] * 2  # A4
    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(
        f"{BASE}/f/{fair.slug}/login/{p.login_secret}" for p in everyone)


def test_card_layout_gives_each_badge_a_page_of_its_own_size(
        app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "cards.pdf"
    pages = write_for_people(PrintKind.BADGES, fair, people, str(pdf), base=BASE, layout=PrintLayout.CARD)

    assert pages == 3
    assert page_sizes(pdf) == ["255.118 x 155.906 pts"] * 3  # 90 × 55 mm


def test_a_revoked_login_gets_no_slip(
        app: Flask, fair: Fair, organiser: Participant, people: list[Participant], tmp_path: Path) -> None:
    revoke_login(organiser, fair.id, people[0].id)
    pdf = tmp_path / "slips.pdf"
    write_for_people(PrintKind.SLIPS, fair, printable_people(fair.id, [p.id for p in people]), str(pdf),
                     base=BASE)

    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(
        f"{BASE}/f/{fair.slug}/login/{p.login_secret}" for p in people[1:])


# --- the QR codes and the PDF plumbing ---------------------------------------------------------

def test_print_qr_matrix_is_the_one_qrcode_makes() -> None:
    rng = random.Random(7)
    payloads = [f"{BASE}/p/" + "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(8))
                for _ in range(40)]
    payloads += ["https://example.org/f/x/login/" + "".join(rng.choice("abcXYZ019-_") for _ in range(n))
                 for n in (32, 120, 400)]
    for payload in payloads:
        reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        reference.add_data(payload, optimize=0)
        reference.make()
        expected = [int("".join("1" if dark else "0" for dark in row), 2) for row in reference.modules]
        assert qr_matrix(payload, reference.version) == expected, payload


def test_one_qr_version_fits_the_longest_payload_of_a_run() -> None:
    assert fit_version(["http://a.pl/p/ABCDEFGH", "http://a.pl/p/ABCDEFGH" + "x" * 60]) > \
        fit_version(["http://a.pl/p/ABCDEFGH"])


def test_the_pdf_fetcher_serves_our_static_files_and_data_uris_only(tmp_path: Path) -> None:
    fetcher = StaticFilesFetcher()
    font = fetcher.fetch((ROOT / "static/fonts/DejaVuSans.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    encoded = base64.b64encode("łów".encode()).decode()
    assert fetcher.fetch(f"data:text/plain;base64,{encoded}").read() == "łów".encode()
    outside = tmp_path / "secret.txt"
    outside.write_text("no")
    for url in ("http://example.org/logo.png", "https://example.org/x.css", "ftp://example.org/x",
                outside.as_uri(), "file:///etc/passwd", (ROOT / "static").as_uri() + "/../app/config.py"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


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


# --- the command line --------------------------------------------------------------------------

def test_the_cli_writes_the_whole_fair_to_a_pdf(
        runner: object, fair: Fair, organiser: Participant, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "cli.pdf"
    result = runner.invoke(args=["fair", "badges", fair.slug, "--output", str(pdf)])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert "1 pages for 4 participants" in result.output
    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(card(p) for p in [*people, organiser])

    slips = tmp_path / "cli-slips.pdf"
    result = runner.invoke(args=["fair", "badges", fair.slug, "--output", str(slips), "--slips"])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert sorted(qr_payloads(slips, tmp_path)) == sorted(  # staff log in with a password: no slip
        f"{BASE}/f/{fair.slug}/login/{p.login_secret}" for p in people)


def test_the_cli_refuses_an_unknown_fair(runner: object, app: Flask, tmp_path: Path) -> None:
    result = runner.invoke(args=["fair", "badges", "nope", "-o", str(tmp_path / "x.pdf")])  # type: ignore[attr-defined]
    assert result.exit_code != 0
    assert "There is no fair 'nope'" in result.output

