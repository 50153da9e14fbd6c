"""Absolute addresses that leave the app: printed on badges and slips, shown by the CLI."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

FALLBACK_URL = "http://127.0.0.1:5000"


def public_url() -> str:
    """The base URL people reach the app at: PUBLIC_URL, else this request's host, else localhost."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return FALLBACK_URL


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
