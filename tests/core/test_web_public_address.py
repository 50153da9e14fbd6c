"""Finding the laptop's address in the hall's network, and telling loopback URLs apart
(app/core/web/public_address.py). The real `ip` in network namespaces: tests/test_hall.py."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.core.web import public_address
from app.core.web.public_address import hall_url, is_loopback_url, pick_address, public_url_for, terminal_qr


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:5000", "http://127.8.9.10", "http://localhost:5000/", "http://LOCALHOST.",
    "http://app.localhost:8000", "http://[::1]:5000", "http://[::ffff:127.0.0.1]:5000", "http://0.0.0.0:5000",
    "http://[::]:5000", "", None, "127.0.0.1:5000"])
def test_loopback_urls_are_recognised(url: str | None) -> None:
    assert is_loopback_url(url)


@pytest.mark.parametrize("url", [
    "http://192.168.1.20:5000", "http://10.77.0.1:5000", "https://gielda.example.org", "http://gielda.test",
    "http://[fd00::2]:5000", "http://172.16.0.5", "http://localhost-server.lan:5000"])
def test_addresses_phones_can_reach_are_not_loopback(url: str) -> None:
    assert not is_loopback_url(url)


def test_a_hall_url_puts_ipv6_in_brackets() -> None:
    assert hall_url("192.168.1.20", 5000) == "http://192.168.1.20:5000"
    assert hall_url("fd00::2", 8080) == "http://[fd00::2]:8080"


def _link(name: str, *addresses: str, flags: tuple[str, ...] = ("BROADCAST", "UP", "LOWER_UP")) -> dict[str, Any]:
    return {"ifname": name, "flags": list(flags),
            "addr_info": [{"family": "inet", "local": a, "prefixlen": 24} for a in addresses]}


LO = _link("lo", "127.0.0.1", flags=("LOOPBACK", "UP", "LOWER_UP"))


def test_the_default_routes_interface_wins_over_interfaces_listed_before_it() -> None:
    links = [LO, _link("docker0", "172.17.0.1"), _link("wlan0", "192.168.1.20")]
    routes = [{"dst": "default", "gateway": "192.168.1.1", "dev": "wlan0"}]
    assert pick_address(routes, links) == "192.168.1.20"
    links = [LO, _link("eth0", "192.168.50.1"), _link("wlan0", "192.168.1.20")]
    assert pick_address(routes, links) == "192.168.1.20"
    assert pick_address([], links) == "192.168.50.1"  # no default route: the first private one listed


def test_container_bridges_and_vpns_come_after_the_real_network() -> None:
    links = [LO, _link("docker0", "172.17.0.1"), _link("br-4f2a", "172.18.0.1"), _link("virbr0", "192.168.122.1"),
             _link("wg0", "10.8.0.2"), _link("wlp2s0", "192.168.1.20")]
    assert pick_address([], links) == "192.168.1.20"
    assert pick_address([{"dst": "default", "dev": "wg0"}], links) == "192.168.1.20"  # a VPN's route
    assert pick_address([], links[:2]) == "172.17.0.1"  # better than nothing


def test_a_default_routes_preferred_source_is_taken_as_it_is() -> None:
    links = [LO, _link("wlan0", "192.168.1.20", "192.168.1.21")]
    routes = [{"dst": "default", "gateway": "192.168.1.1", "dev": "wlan0", "prefsrc": "192.168.1.21"}]
    assert pick_address(routes, links) == "192.168.1.21"


def test_without_a_default_route_a_private_address_beats_public_and_link_local_ones() -> None:
    links = [LO, _link("eth1", "169.254.3.4"), _link("eth2", "81.2.69.142"), _link("wlan0", "10.0.0.7")]
    assert pick_address([], links) == "10.0.0.7"
    assert pick_address([], links[:3]) == "81.2.69.142"
    assert pick_address([], links[:2]) == "169.254.3.4"  # a hall with no DHCP: still the one there is


def test_loopback_interfaces_that_are_down_and_cables_unplugged_are_never_picked() -> None:
    links = [LO, _link("eth0", "192.168.5.5", flags=("BROADCAST", "NO-CARRIER", "UP")),
             _link("wlan0", "192.168.1.20", flags=("BROADCAST",))]
    assert pick_address([{"dst": "default", "dev": "eth0"}], links) is None
    assert pick_address([], [LO]) is None


def test_without_ip_the_kernels_route_choice_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_address, "_ip_json", lambda _args: None)  # macOS, Windows
    monkeypatch.setattr(public_address, "routed_address", lambda: "192.168.8.100")
    assert public_address.lan_address() == "192.168.8.100"


def test_public_url_for_prefers_public_url_and_warns_about_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    assert public_url_for(5000, "http://192.168.1.20:5000/") == ("http://192.168.1.20:5000", None)
    url, warning = public_url_for(5000, "http://localhost:5000")
    assert url == "http://localhost:5000" and warning and "loopback" in warning
    monkeypatch.setattr(public_address, "lan_address", lambda: "10.1.2.3")
    assert public_url_for(8000) == ("http://10.1.2.3:8000", None)
    monkeypatch.setattr(public_address, "lan_address", lambda: None)
    url, warning = public_url_for(8000)
    assert url == "http://127.0.0.1:8000" and warning and "Wi-Fi" in warning


def _qr_text_to_png(text: str, path: Path) -> Path:
    """Paint the terminal's QR code as a dark terminal shows it: block halves light, spaces dark."""
    halves = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0), "\xa0": (0, 0)}
    rows = text.rstrip("\n").split("\n")
    scale, margin = 8, 4
    width = max(len(r) for r in rows)
    image = Image.new("L", ((width + 2 * margin) * scale, (2 * len(rows) + 2 * margin) * scale), 255)
    for y, row in enumerate(rows):
        for x, char in enumerate(row):
            for half, light in enumerate(halves[char]):
                if not light:
                    for dy in range(scale):
                        for dx in range(scale):
                            image.putpixel(((x + margin) * scale + dx, (2 * y + half + margin) * scale + dy), 0)
    image.save(path)
    return path


def test_the_terminal_qr_code_decodes_to_the_address(tmp_path: Path) -> None:
    png = _qr_text_to_png(terminal_qr("http://192.168.1.20:5000"), tmp_path / "qr.png")
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["http://192.168.1.20:5000"]
