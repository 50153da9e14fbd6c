"""The address phones reach the app at, when the fair is served from a laptop on the hall's Wi-Fi.

`lan_address()` finds the laptop's own IPv4 address on the local network without the internet:
the address of the interface that holds the default route (read from `ip -j`, Linux), else what
the kernel would pick for a routed destination (a UDP socket's connect(), which sends nothing:
macOS, Windows), else the first non-loopback address of an interface that is up.
`is_loopback_url()` says whether a URL only works on this machine (127.x, ::1, localhost,
0.0.0.0): a QR code printed with it opens on no phone.

`python -m app.hall --port 5000` prints the URL `make hall` exports as PUBLIC_URL (PUBLIC_URL
itself when already set).
"""

from __future__ import annotations

import io
import ipaddress
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import qrcode

# A destination that is never contacted: connect() on a UDP socket only asks the kernel which
# source address it would use, and no packet leaves (TEST-NET-2, RFC 5737).
_PROBE_DESTINATION = ("198.51.100.1", 9)
_IP_TIMEOUT = 3.0
# Interfaces that are not the hall's network: containers, virtual machines, VPNs.
_VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "lxc", "lxd", "podman", "cni",
                     "flannel", "tun", "tap", "wg", "tailscale", "zt", "utun")
_LAN_NETWORKS = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def is_loopback_host(host: str) -> bool:
    """A host name or address that means "this machine" (or no machine): no phone reaches it."""
    name = host.strip("[]").rstrip(".").lower()
    if not name or name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def is_loopback_url(url: str | None) -> bool:
    """True when `url` (e.g. PUBLIC_URL) points at this machine only: its QR codes open on no phone."""
    if not url:
        return True
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return True
    return is_loopback_host(host or "")


def hall_url(address: str, port: int) -> str:
    """The base URL phones open for a server on `address`:`port` (IPv6 in brackets)."""
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}"


# --- finding the laptop's address -----------------------------------------------------------


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_multicast)


def _rank(address: str, interface: str = "") -> tuple[int, int]:
    """Lower is better: a real interface before a virtual one (a container or VM bridge, a VPN);
    then a private LAN address, any other, link-local (169.254.x: a hall without DHCP) last."""
    ip = ipaddress.IPv4Address(address)
    virtual = int(interface.startswith(_VIRTUAL_PREFIXES))
    if ip.is_link_local:
        return virtual, 2
    return virtual, 0 if any(ip in net for net in _LAN_NETWORKS) else 1


def pick_address(routes: Sequence[Mapping[str, Any]], links: Sequence[Mapping[str, Any]]) -> str | None:
    """The laptop's LAN address from `ip -j route show default` and `ip -j -4 addr show` output:
    the default route's interface's address, else the best address of an interface that is up
    (a real interface's private address first, in the order `ip` lists them)."""
    candidates: list[tuple[str, str]] = []  # (interface, address), in the order `ip` lists them
    for link in links:
        flags = set(link.get("flags") or [])
        if "LOOPBACK" in flags or "UP" not in flags or "NO-CARRIER" in flags:
            continue
        for info in link.get("addr_info") or []:
            if info.get("family") == "inet" and _usable(str(info.get("local", ""))):
                candidates.append((str(link.get("ifname")), str(info["local"])))
    for route in routes:
        if route.get("dst") in (None, "default", "0.0.0.0/0") and not str(route.get("dev", "")).startswith(
                _VIRTUAL_PREFIXES):  # a VPN's default route is not the hall's network
            preferred = route.get("prefsrc")
            if preferred and _usable(str(preferred)):
                return str(preferred)
            on_route = [address for name, address in candidates if name == route.get("dev")]
            if on_route:
                return min(on_route, key=_rank)
    if not candidates:
        return None
    return min(candidates, key=lambda found: _rank(found[1], found[0]))[1]


def _ip_json(args: Iterable[str]) -> list[dict[str, Any]] | None:
    """`ip -j <args>` parsed, or None where there is no `ip` (macOS, Windows) or it fails."""
    ip = shutil.which("ip") or next((p for p in ("/usr/sbin/ip", "/sbin/ip") if os.access(p, os.X_OK)), None)
    if ip is None:
        return None
    try:
        out = subprocess.run([ip, "-j", *args], capture_output=True, text=True, timeout=_IP_TIMEOUT, check=True)
        parsed = json.loads(out.stdout or "[]")
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return parsed if isinstance(parsed, list) else None


def routed_address() -> str | None:
    """The source address the kernel would use towards a routed destination; needs a route (a
    default one), never the internet: connect() on UDP sends nothing."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE_DESTINATION)
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return address if _usable(address) else None


def _hostname_address() -> str | None:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    found = [str(info[4][0]) for info in infos if _usable(str(info[4][0]))]
    return min(found, key=_rank) if found else None


def lan_address() -> str | None:
    """This machine's IPv4 address on the local network (the hall's Wi-Fi), or None without one."""
    links = _ip_json(["-4", "addr", "show"])
    if links is not None:
        return pick_address(_ip_json(["-4", "route", "show", "default"]) or [], links)
    return routed_address() or _hostname_address()


# --- telling people -------------------------------------------------------------------------


def terminal_qr(data: str) -> str:
    """`data` as a QR code drawn with block characters, dark on light on a dark terminal."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(data)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def public_url_for(port: int, configured: str | None = None) -> tuple[str, str | None]:
    """The URL to serve the hall under, and a warning when it will not work on phones:
    `configured` (PUBLIC_URL) when given, else the LAN address found, else loopback."""
    if configured:
        url = configured.rstrip("/")
        return url, (f"PUBLIC_URL={url} is a loopback address: no phone can open it." if is_loopback_url(url)
                     else None)
    address = lan_address()
    if address is None:
        return hall_url("127.0.0.1", port), ("No network address found on this laptop: join the hall's Wi-Fi "
                                             "(or start its hotspot) and start again. Until then the QR codes "
                                             "point to 127.0.0.1, which no phone can open.")
    return hall_url(address, port), None
