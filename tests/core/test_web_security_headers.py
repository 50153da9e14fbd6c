"""Every response's security headers, and the session and remember-me cookies, over plain http
(`make run` on a LAN): a strict CSP, no Referer, no sniffing, no framing; no HSTS and no Secure
cookies, which would break http."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Response

from app.core.web.security_headers import add_security_headers, content_security_policy


def policy(header: str) -> dict[str, list[str]]:
    directives = (d.split() for d in header.split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


def set_cookies(response) -> dict[str, dict[str, str]]:
    """Set-Cookie headers as {name: {attribute (lower case): value}}; the value under "value"."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        first, *attrs = [part.strip() for part in header.split(";")]
        name, value = first.split("=", 1)
        cookies[name] = {"value": value}
        for attr in attrs:
            key, _, val = attr.partition("=")
            cookies[name][key.lower()] = val
    return cookies


def test_a_page_gets_a_strict_policy_and_the_other_headers(client, fair):
    r = client.get(f"/f/{fair.slug}/board")
    assert r.status_code == 200
    csp = policy(r.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'", "ws://gielda.test", "wss://gielda.test"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in r.headers


@pytest.mark.parametrize("path", ["/nowhere", "/f/nosuchfair/board"])
def test_error_pages_carry_the_headers_too(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Referrer-Policy"] == "no-referrer"


def test_json_and_static_files_may_run_nothing(client, fair):
    for path in (f"/api/fairs/{fair.slug}/stats", "/static/js/board.js", "/static/css/app.css"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert policy(r.headers["Content-Security-Policy"])["default-src"] == ["'none'"], path
        assert r.headers["X-Content-Type-Options"] == "nosniff", path
        assert r.headers["Referrer-Policy"] == "no-referrer", path


def test_a_pdf_gets_no_policy_for_the_browsers_viewer_but_the_other_headers(app):
    with app.test_request_context("/x.pdf"):
        r = add_security_headers(Response(b"%PDF-1.7", mimetype="application/pdf"))
    assert "Content-Security-Policy" not in r.headers
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"


def test_a_view_may_set_its_own_headers(app):
    with app.test_request_context("/"):
        r = Response("<p>x</p>", mimetype="text/html", headers={"Referrer-Policy": "same-origin"})
        r = add_security_headers(r)
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_behind_a_proxy_the_published_host_may_open_sockets_too(app, client, fair):
    app.config["PUBLIC_URL"] = "https://gielda.example.org"
    csp = policy(client.get(f"/f/{fair.slug}/board").headers["Content-Security-Policy"])
    assert csp["connect-src"] == ["'self'", "ws://gielda.test", "wss://gielda.test",
                                  "ws://gielda.example.org", "wss://gielda.example.org"]


def test_a_strange_host_cannot_add_to_the_policy():
    csp = content_security_policy("evil.example; script-src *")
    assert "evil" not in csp and "script-src 'self';" in csp
    assert "ws://127.0.0.1:5000 wss://127.0.0.1:5000" in content_security_policy("127.0.0.1:5000")
    assert "ws://[::1]:5000" in content_security_policy("[::1]:5000")


def test_cookies_are_httponly_lax_and_remembered_for_14_days_not_secure_over_http(client, fair, make_participant):
    person = make_participant()
    r = client.get(f"/f/{fair.slug}/login/{person.login_secret}")
    assert r.status_code == 303
    cookies = set_cookies(r)
    assert set(cookies) >= {"session", "remember_token"}
    for name in ("session", "remember_token"):
        assert "httponly" in cookies[name], name
        assert cookies[name]["samesite"] == "Lax", name
        assert "secure" not in cookies[name], name
    expires = parsedate_to_datetime(cookies["remember_token"]["expires"])
    assert abs(expires - (datetime.now(UTC) + timedelta(days=14))) < timedelta(minutes=5)
    assert "Strict-Transport-Security" not in r.headers
