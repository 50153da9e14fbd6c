"""Absolute addresses that leave the app: printed on badges and slips, shown by the CLI."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

from app.core.web.public_address import hall_url, is_loopback_url, lan_address

FALLBACK_URL = "http://127.0.0.1:5000"


def public_url() -> str:
    """The base URL people reach the app at: PUBLIC_URL, else this request's host, else localhost."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return FALLBACK_URL


def public_page_url(endpoint: str, **values: Any) -> str:
    """A page's address as phones reach it (PUBLIC_URL's host, not the browser's), e.g. the big
    screen's QR code to the board."""
    path = url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    return public_url() + (path[len(root):] if root and path.startswith(root) else path)


def loopback_warning() -> dict[str, str] | None:
    """When QR codes made now would point at this computer only (PUBLIC_URL, else the browser's
    host, is 127.x, ::1 or localhost): the address they would carry and, when this computer has
    one, its address in the local network (what `make hall` would publish). None when phones can
    open them."""
    base = public_url()
    if not is_loopback_url(base):
        return None
    parts = urlsplit(base)
    lan = _lan_address_recently()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return {"url": base, "lan": hall_url(lan, port) if lan else ""}


_LAN_TTL = 30.0  # seconds: a page shown again and again asks `ip` at most this often
_lan_seen: tuple[float, str | None] = (-_LAN_TTL, None)


def _lan_address_recently() -> str | None:
    global _lan_seen
    now = time.monotonic()
    if now - _lan_seen[0] >= _LAN_TTL:
        _lan_seen = (now, lan_address())
    return _lan_seen[1]


def cli_loopback_warning(base: str, what: str) -> str | None:
    """The plain warning the commands that print QR codes give on stderr before printing."""
    if not is_loopback_url(base):
        return None
    port = urlsplit(base).port or 80
    lan = lan_address()
    example = hall_url(lan, port) if lan else "http://192.168.1.20:5000"
    return (f"WARNING: {what} will point to {base}, an address of this computer only: no phone can open "
            f"them. Serve the fair with `make hall` and print with PUBLIC_URL set to the address phones use "
            f"(e.g. PUBLIC_URL={example}).")


def card_url(badge_code: str, base: str | None = None) -> str:
    """A participant's public card: what the badge's QR code opens. Grants nothing."""
    return f"{base or public_url()}/p/{badge_code}"


def login_url(fair_slug: str, login_secret: str, base: str | None = None) -> str:
    """A participant's private login link: only ever printed on their own slip."""
    return f"{base or public_url()}/f/{fair_slug}/login/{login_secret}"


def login_page_url(fair_slug: str, base: str | None = None) -> str:
    """The login page, where the badge code and PIN work when the QR code cannot be scanned."""
    return f"{base or public_url()}/f/{fair_slug}/login"


def safe_next(target: str | None) -> str:
    """A same-site path to go back to; anything pointing elsewhere goes home."""
    parts = urlsplit(target or "")
    if parts.netloc and parts.netloc != request.host:
        return url_for("main.index")
    path = parts.path or url_for("main.index")
    if not path.startswith("/") or path.startswith("//"):
        return url_for("main.index")
    return path + (f"?{parts.query}" if parts.query else "")
