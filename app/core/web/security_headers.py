"""Headers every response carries: a Content-Security-Policy with no inline script or style,
no framing, no MIME sniffing, no Referer, and HSTS when the app is published over https."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

# Browsers older than CSP 3 do not count ws:/wss: of the page's own host as 'self': the
# Socket.IO origin is listed explicitly. A Host header that is not a plain host[:port] gets no
# entry (it must not be able to add directives to the policy).
_PLAIN_HOST = re.compile(r"([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?")

# One year; no includeSubDomains: the fair may run on a subdomain of an organisation whose other
# sites are not ours to force onto https.
HSTS = "max-age=31536000"


def content_security_policy(*hosts: str) -> str:
    """The policy of an HTML page served at `hosts` (host[:port]: the request's Host and, behind
    a proxy that rewrites it, PUBLIC_URL's)."""
    plain = dict.fromkeys(h for h in hosts if _PLAIN_HOST.fullmatch(h))
    sockets = "".join(f" ws://{h} wss://{h}" for h in plain)
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",  # no inline style: sector colours are classes, SVG uses attributes
        "img-src 'self'",
        "font-src 'self'",
        f"connect-src 'self'{sockets}",  # fetch() of the stats and panels; Socket.IO
        "media-src 'self'",  # the gong is synthesised (Web Audio); the desk camera is a MediaStream
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


# Anything that is neither a page nor a PDF (JSON, CSV, static files): nothing may run or load.
OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def https_published() -> bool:
    """True when people reach the app over https (PUBLIC_URL says so)."""
    return str(current_app.config.get("PUBLIC_URL") or "").lower().startswith("https://")


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html":
        public_host = urlsplit(str(current_app.config.get("PUBLIC_URL") or "")).netloc
        headers.setdefault("Content-Security-Policy", content_security_policy(request.host, public_host))
        headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP 2
    elif response.mimetype != "application/pdf":
        headers.setdefault("Content-Security-Policy", OTHER_POLICY)
    # A PDF gets no policy: Chromium applies a PDF response's CSP to its own built-in viewer,
    # which object-src, style-src or frame restrictions break (crbug.com/271452).
    if https_published():
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
