"""A fair served to the hall from one laptop (app/hall.py, `make hall`): what the server prints
when it starts, the console's address for phones, the loopback warning on every page that prints
or shows a QR code, and, end to end, a "phone" in a network namespace of its own that opens what a
badge's and a slip's QR codes say, served by a "laptop" in another namespace that found its own
address in the hall's network (no internet in either)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.output.qr import qr_svg
from app.core.paths import ROOT
from app.fairs.models import Fair
from app.hall import announce, phones_url
from app.people.models import Participant
from tests.conftest import PASSWORD
from tests.pdfs import qr_payloads

LAN = "http://10.77.0.1:5000"


# --- what `python -m app` prints --------------------------------------------------------------


def _announced(app: Flask, host: str, port: int = 5000) -> str:
    out = io.StringIO()
    announce(app, host, port, out)
    return out.getvalue()


def test_the_hall_server_shows_the_address_its_qr_code_and_the_consoles(app: Flask, fair: Fair) -> None:
    app.config["PUBLIC_URL"] = LAN
    printed = _announced(app, "0.0.0.0")
    assert printed.startswith(f" * Phones open: {LAN}\n█")
    assert f" * Organiser's console ({fair.name}): {LAN}/f/{fair.slug}/admin/control" in printed
    assert "WARNING" not in printed


def test_a_server_on_loopback_says_phones_cannot_connect(app: Flask, fair: Fair) -> None:
    app.config["PUBLIC_URL"] = None
    printed = _announced(app, "127.0.0.1")
    assert printed.startswith(" * Listening on 127.0.0.1 only: phones cannot connect.")
    assert "make hall" in printed and "█" not in printed


def test_a_loopback_public_url_on_every_interface_is_warned_about(app: Flask, fair: Fair) -> None:
    app.config["PUBLIC_URL"] = "http://localhost:5000"
    printed = _announced(app, "0.0.0.0")
    assert printed.startswith(" * WARNING: QR codes will point to http://localhost:5000")
    assert "█" not in printed


def test_without_public_url_every_interface_means_the_lan_address(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    app.config["PUBLIC_URL"] = None
    monkeypatch.setattr("app.hall.lan_address", lambda: "192.168.1.20")
    assert phones_url(app, "0.0.0.0", 8000) == "http://192.168.1.20:8000"
    assert phones_url(app, "127.0.0.1", 8000) == "http://127.0.0.1:8000"
    app.config["PUBLIC_URL"] = "http://10.77.0.1:5000/"
    assert phones_url(app, "0.0.0.0", 8000) == "http://10.77.0.1:5000"


# --- the organiser's pages --------------------------------------------------------------------


def _pages(fair: Fair, person: Participant, client: FlaskClient) -> dict[str, str]:
    """Every organiser's page that prints or shows a QR code, by name."""
    job = client.post(f"/f/{fair.slug}/admin/badges", data={"kind": "badges"})
    assert job.status_code == 303
    pages = {"participants": f"/f/{fair.slug}/admin/participants",
             "participant": f"/f/{fair.slug}/admin/participants/{person.id}",
             "print run": job.headers["Location"],
             "console": f"/f/{fair.slug}/admin/control",
             "big screen": f"/f/{fair.slug}/screen/{fair.display_token}"}
    out = {}
    for name, path in pages.items():
        r = client.get(path)
        assert r.status_code == 200, (name, path, r.status_code)
        out[name] = r.get_data(as_text=True)
    return out


def test_every_page_that_prints_qr_codes_warns_while_they_point_to_this_computer(
        app: Flask, client: FlaskClient, fair: Fair, organiser: Participant,
        make_participant: Callable[..., Participant], login: Callable[[Participant], None]) -> None:
    person = make_participant("Łucja", "Żółkiewska")
    login(organiser)
    app.config["PUBLIC_URL"] = "http://127.0.0.1:5000"
    for name, page in _pages(fair, person, client).items():
        assert 'id="loopback-warning"' in page, name
        assert "http://127.0.0.1:5000" in page, name
        assert "make hall" in page, name

    app.config["PUBLIC_URL"] = LAN
    for name, page in _pages(fair, person, client).items():
        assert 'id="loopback-warning"' not in page, name


def test_the_warning_is_polish_first_and_english_on_the_switch(
        app: Flask, client: FlaskClient, fair: Fair, organiser: Participant,
        login: Callable[[Participant], None]) -> None:
    login(organiser)
    app.config["PUBLIC_URL"] = "http://localhost:5000"
    page = client.get(f"/f/{fair.slug}/admin/participants").get_data(as_text=True)
    assert "Telefony nie otworzą kodów QR, które powstaną teraz." in page
    client.get("/lang/en")
    page = client.get(f"/f/{fair.slug}/admin/participants").get_data(as_text=True)
    assert "Phones cannot open the QR codes made now." in page


def test_the_console_shows_the_address_phones_open_and_its_qr_code(
        app: Flask, client: FlaskClient, fair: Fair, organiser: Participant,
        login: Callable[[Participant], None]) -> None:
    login(organiser)
    app.config["PUBLIC_URL"] = LAN
    page = client.get(f"/f/{fair.slug}/admin/control").get_data(as_text=True)
    assert f'<strong class="hall-url"><code>{LAN}</code></strong>' in page
    assert str(qr_svg(f"{LAN}/f/{fair.slug}/")) in page
    assert f"{LAN}/f/{fair.slug}/screen/{fair.display_token}" in page  # the big screen's link too

    screen = client.get(f"/f/{fair.slug}/screen/{fair.display_token}").get_data(as_text=True)
    assert str(qr_svg(f"{LAN}/f/{fair.slug}/board")) in screen  # not the projector browser's host


# --- end to end: a laptop and a phone, each in a network namespace of its own -----------------


@dataclass(frozen=True)
class Hall:
    laptop: str  # the namespaces' names
    phone: str

    def run(self, ns: str, *command: str, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["ip", "netns", "exec", ns, *command], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout, check=False)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True, timeout=30)


@pytest.fixture
def hall() -> Iterator[Hall]:
    """Two network namespaces joined by a veth pair, the hall's Wi-Fi: the laptop at 10.77.0.1,
    the phone at 10.77.0.2, nothing else (no internet, no host network). Removed afterwards,
    whatever happened."""
    assert os.geteuid() == 0, "network namespaces need root (CI and `make test` run as root here)"
    assert shutil.which("ip"), "`ip` (iproute2) is missing: bash scripts/system-deps.sh installs it"
    tag = f"{os.getpid()}-{time.monotonic_ns() % 10**6}"
    hall = Hall(laptop=f"gielda-laptop-{tag}", phone=f"gielda-phone-{tag}")
    _ip("netns", "add", hall.laptop)
    try:
        _ip("netns", "add", hall.phone)
        # The laptop's other interfaces, listed before its Wi-Fi: a container bridge and a cable
        # plugged into another network (each a veth pair with both ends in the laptop).
        for name, address in (("docker0", "172.17.0.1/16"), ("eth0", "192.168.50.1/24")):
            _ip("-n", hall.laptop, "link", "add", name, "type", "veth", "peer", "name", f"{name}-end")
            _ip("-n", hall.laptop, "addr", "add", address, "dev", name)
            _ip("-n", hall.laptop, "link", "set", f"{name}-end", "up")
            _ip("-n", hall.laptop, "link", "set", name, "up")
        _ip("link", "add", "wlan0", "netns", hall.laptop, "type", "veth", "peer", "name", "wlan0", "netns", hall.phone)
        for ns, address in ((hall.laptop, "10.77.0.1/24"), (hall.phone, "10.77.0.2/24")):
            _ip("-n", ns, "link", "set", "lo", "up")
            _ip("-n", ns, "addr", "add", address, "dev", "wlan0")
            _ip("-n", ns, "link", "set", "wlan0", "up")
        yield hall
    finally:
        for ns in (hall.phone, hall.laptop):
            # Processes still inside keep nothing alive once the namespace's name is gone, but none
            # should be left: the test stops its server before this runs.
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=30, check=False)


def _address_found(hall: Hall) -> str:
    out = hall.run(hall.laptop, sys.executable, "-m", "app.hall", "--port", "5000",
                   env={k: v for k, v in os.environ.items() if k != "PUBLIC_URL"})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


PHONE = textwrap.dedent("""
    import json, re, sys, time
    import requests

    card, slip, base, slug, email, password = sys.argv[1:7]
    deadline = time.monotonic() + 60
    while True:  # the laptop's server is starting: poll its health check, bounded
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            sys.exit("the laptop's server never answered")
        time.sleep(0.2)
    out = {}
    phone = requests.Session()
    r = phone.get(card, timeout=10)  # what the badge's QR code opens
    out["card"] = [r.status_code, r.text]
    r = phone.get(slip, timeout=10)  # the private login link on the slip
    out["slip"] = [r.status_code, r.url]
    r = phone.get(base + "/f/" + slug + "/me", timeout=10, allow_redirects=False)
    out["me"] = [r.status_code, r.text]

    tablet = requests.Session()  # the organiser, on a tablet in the hall
    page = tablet.get(base + "/f/" + slug + "/login", timeout=10).text
    token = re.search(r'name="staff-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = tablet.post(base + "/f/" + slug + "/login", timeout=10, allow_redirects=False,
                    headers={"Origin": base, "Sec-Fetch-Site": "same-origin"},
                    data={"staff-email": email, "staff-password": password, "staff-csrf_token": token})
    out["staff_login"] = r.status_code
    r = tablet.get(base + "/f/" + slug + "/admin/control", timeout=10)
    out["console"] = [r.status_code, r.text]
    print(json.dumps(out))
""")


@pytest.mark.slow
@pytest.mark.sqlite_only  # the laptop's server reaches the database as a file: the host's PostgreSQL
# (127.0.0.1 of the host) is out of the namespace's reach, as it would be from another machine
def test_a_phone_on_the_halls_network_opens_what_the_badges_say(
        app: Flask, runner: object, database_url: str, fair: Fair, organiser: Participant,
        make_participant: Callable[..., Participant], hall: Hall, tmp_path: Path) -> None:
    # The laptop is on the hall's Wi-Fi and a cable to another network, and runs containers. With no
    # default route, the first real interface's address is the best guess (the container bridge
    # never); once the hall's router (internet-less) gives it a default route, that route's
    # interface is the hall's network.
    assert _address_found(hall) == "http://192.168.50.1:5000"
    _ip("-n", hall.laptop, "route", "add", "default", "via", "10.77.0.254")
    assert _address_found(hall) == LAN
    routed = hall.run(hall.laptop, sys.executable, "-c",
                      "from app.core.web.public_address import routed_address; print(routed_address())")
    assert routed.stdout.strip() == "10.77.0.1", routed.stderr  # what macOS and Windows rely on

    # Badges and slips printed from the command line with the address found, as `make hall` exports it.
    person = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    app.config["PUBLIC_URL"] = LAN
    badges, slips = tmp_path / "badges.pdf", tmp_path / "slips.pdf"
    for target, extra in ((badges, []), (slips, ["--slips"])):
        result = runner.invoke(args=["fair", "badges", fair.slug, "-o", str(target), *extra])  # type: ignore[attr-defined]
        assert result.exit_code == 0 and "WARNING" not in result.output, result.output
    card = next(url for url in qr_payloads(badges, tmp_path) if url.endswith(person.badge_code))
    [slip] = qr_payloads(slips, tmp_path)  # the organiser logs in with a password: no slip
    assert card == f"{LAN}/p/{person.badge_code}" and slip == f"{LAN}/f/{fair.slug}/login/{person.login_secret}"

    # The laptop serves the hall: every interface, PUBLIC_URL the address found.
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "hall-test", "HOST": "0.0.0.0",
           "PORT": "5000", "PUBLIC_URL": LAN, "AUTO_MIGRATE": "0", "TASK_WORKERS": "0",
           "INSTANCE_PATH": str(tmp_path / "laptop-instance")}
    log = tmp_path / "laptop.log"
    with log.open("w") as fh:
        server = subprocess.Popen(["ip", "netns", "exec", hall.laptop, sys.executable, "-m", "app"], cwd=ROOT,
                                  env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        phone = hall.run(hall.phone, sys.executable, "-c", PHONE, card, slip, LAN, fair.slug,
                         str(organiser.email), PASSWORD)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
    printed = log.read_text()
    assert phone.returncode == 0, (phone.stderr, printed)
    seen = json.loads(phone.stdout)

    assert seen["card"][0] == 200 and "Żółkiewska" in seen["card"][1]
    assert seen["slip"][0] == 200 and seen["slip"][1].startswith(LAN)  # logged in, landed on the fair
    assert seen["me"][0] == 200 and "Żółkiewska" in seen["me"][1]  # the phone is logged in as her
    assert seen["staff_login"] == 303
    assert seen["console"][0] == 200
    assert f'<strong class="hall-url"><code>{LAN}</code></strong>' in seen["console"][1]
    assert 'id="loopback-warning"' not in seen["console"][1]

    assert f" * Phones open: {LAN}\n" in printed
    assert f" * Organiser's console ({fair.name}): {LAN}/f/{fair.slug}/admin/control" in printed
