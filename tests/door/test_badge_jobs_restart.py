"""A print run survives a restart: the server (`python -m app`, consuming its queue in its own
threads) is killed with SIGKILL in the middle of laying out a whole fair's badges; once it is
started again, the run is resumed and completes, and the organiser downloads every page."""

from __future__ import annotations

import json
import math
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from app.core.storage.transactions import transaction
from app.door.badges import BADGE_GRID
from app.fairs.models import Fair
from app.network.sectors import Sector
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, create_participant
from tests.conftest import PASSWORD
from tests.live import LiveServer, csrf_token, staff_session, wait_until

PEOPLE = 600  # about ten seconds of laying out on this machine: long enough to be caught midway


def _add_people(fair_id: int, n: int) -> None:
    with transaction():
        for i in range(n):
            create_participant(fair_id, PersonData("Zdzisław", f"Żółtowski-{i:04d}", f"osoba{i}@example.org"),
                               OrganisationData(f"Stowarzyszenie Łąka {i % 40}", Sector.NGO))


def _pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout.decode()
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode()


@pytest.mark.slow
def test_a_badge_run_killed_midway_completes_after_a_restart(
        database_url: str, tmp_path: Path, fair: Fair, organiser: Participant) -> None:
    _add_people(fair.id, PEOPLE)
    env = {"INSTANCE_PATH": str(tmp_path / "instance")}  # kept across the restart: the queue, the run's files
    server = LiveServer(database_url, tmp_path, extra_env=env)
    port = server.port
    try:
        http = staff_session(server.url, fair.slug, organiser.email, PASSWORD)
        page = http.get(f"{server.url}/f/{fair.slug}/admin/participants", timeout=10)
        r = http.post(f"{server.url}/f/{fair.slug}/admin/badges", timeout=10, allow_redirects=False,
                      data={"csrf_token": csrf_token(page.text), "kind": "badges", "layout": "sheet"})
        assert r.status_code == 303, r.text[:500]
        job_path = r.headers["Location"].removeprefix(server.url)

        def progress() -> dict[str, Any]:
            reply = http.get(server.url + job_path, headers={"Accept": "application/json"}, timeout=10)
            return dict(reply.json())

        midway = wait_until(progress, lambda j: j["state"] == "rendering" and 0 < j["done"] < j["total"],
                            timeout=120, what="the run laying out its first chunks")
        server.kill()
    finally:
        server.stop()
    job_id = midway["id"]
    state_file = tmp_path / "instance" / "badges" / f"{job_id}.json"
    assert json.loads(state_file.read_text())["state"] == "rendering"  # dead in the middle
    assert not (tmp_path / "instance" / "badges" / f"{job_id}.pdf").exists()

    started = time.monotonic()
    server = LiveServer(database_url, tmp_path, extra_env=env, port=port)  # same address: the session's cookie
    try:
        http_again = staff_session(server.url, fair.slug, organiser.email, PASSWORD)
        final = wait_until(lambda: dict(http_again.get(server.url + job_path, headers={"Accept": "application/json"},
                                                       timeout=10).json()),
                           lambda j: j["state"] in ("done", "failed"), timeout=180, what="the resumed run")
        completed_in = time.monotonic() - started
        total = PEOPLE + 1  # and the organiser
        assert final == {"id": job_id, "state": "done", "percent": 100, "done": total, "total": total,
                         "pages": math.ceil(total / BADGE_GRID.per_page), "error": ""}
        assert json.loads(state_file.read_text())["attempts"] == 2  # the same run, resumed

        html = http_again.get(server.url + job_path, timeout=10).text
        assert 'http-equiv="refresh"' not in html and f"{job_path}/download" in html
        download = http_again.get(f"{server.url}{job_path}/download", timeout=30)
        assert download.status_code == 200 and download.headers["Content-Type"] == "application/pdf"
        pdf = tmp_path / "resumed.pdf"
        pdf.write_bytes(download.content)
        assert _pages(pdf) == math.ceil(total / BADGE_GRID.per_page)
        text = _text(pdf)
        assert all(f"Żółtowski-{i:04d}" in text for i in range(PEOPLE))  # everyone, once the run is whole
        print(f"badge run of {total}: killed at {midway['done']}/{total}, "
              f"complete {completed_in:.1f} s after the restart began")
    finally:
        server.stop()
