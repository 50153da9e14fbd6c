"""CSRF protection: Flask-WTF's token, plus a same-origin check that needs no Referer.

Every page says `Referrer-Policy: no-referrer`, so browsers send no Referer, and Flask-WTF's
https check (WTF_CSRF_SSL_STRICT: the Referer must name this host) would refuse every form.
It is replaced by what browsers send instead: `Sec-Fetch-Site` (which a page cannot forge) and,
from browsers without it, `Origin`. A request that says it came from another site is refused
over http and https alike; over https a request must also prove it came from this origin, as the
Referer check demanded. Plain http on a LAN (`make run`) gets no Sec-Fetch-* headers from
browsers (they send them to secure origins only) and an `Origin: null` under no-referrer, so
there the token alone decides, as it did before.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask_wtf import CSRFProtect

from app.core.web.security_headers import https_published

# Sec-Fetch-Site values of a request this origin made (or the user typed: "none").
SAME_ORIGIN_SITES = frozenset({"same-origin", "none"})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins() -> set[str]:
    """This request's own origin and, behind a proxy, the published one (PUBLIC_URL)."""
    origins = {_origin(request.host_url)}
    public = current_app.config.get("PUBLIC_URL")
    if public:
        origins.add(_origin(str(public)))
    return origins


def cross_origin_refusal() -> str | None:
    """Why this state-changing request may not come from where it came from; None if it may."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return None if site.lower() in SAME_ORIGIN_SITES else "The request came from another site."
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return None if origin.lower() in own_origins() else "The origin does not match the host."
    if request.is_secure or https_published():
        return "The request does not show that it came from this site."
    return None


class SameOriginCSRFProtect(CSRFProtect):
    """CSRFProtect with the Referer check replaced by `cross_origin_refusal`."""

    def init_app(self, app: Flask) -> None:
        app.config["WTF_CSRF_SSL_STRICT"] = False  # the Referer check; see the module docstring
        super().init_app(app)

    def protect(self, apply_exemptions: bool = False) -> None:
        g.pop("csrf_valid", None)  # the mark is this request's (tests share `g` between requests)
        super().protect(apply_exemptions)  # the token
        if g.get("csrf_valid"):  # the token was checked: not an exempt view, not a safe method
            reason = cross_origin_refusal()
            if reason:
                g.csrf_valid = False
                self._error_response(reason)
