"""CSRF with no Referer (every page says Referrer-Policy: no-referrer): the token, plus a
same-origin check on Sec-Fetch-Site / Origin that replaces Flask-WTF's Referer check. Over https
a request must show it came from this origin; over plain http (a LAN, where browsers send no
Sec-Fetch-* headers) only a request that says it came from elsewhere is refused besides the
token check. And over https the cookies are Secure and HSTS is on."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.fairs.models import Announcement
from tests.core.test_web_security_headers import set_cookies
from tests.live import csrf_token

HTTPS = "https://gielda.test"
HTTP = "http://gielda.test"


def announcements() -> int:
    return db.session.scalar(select(func.count()).select_from(Announcement))


@pytest.fixture
def announce(client, fair, organiser, login):
    """POST the control room's announcement form (with a valid token) from `base` with `headers`."""
    login(organiser)

    def post(base: str, headers: dict[str, str], with_token: bool = True):
        page = client.get(f"/f/{fair.slug}/admin/control", base_url=base)
        assert page.status_code == 200
        data = {"text": "Kawa w holu!"}
        if with_token:
            data["csrf_token"] = csrf_token(page.get_data(as_text=True))
        return client.post(f"/f/{fair.slug}/admin/control/announce", data=data, headers=headers, base_url=base)

    return post


class TestOverHttps:
    @pytest.fixture
    def app_config(self):
        return {"PUBLIC_URL": HTTPS, "WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize("headers", [
        {"Sec-Fetch-Site": "same-origin"},  # what every current browser sends, with Origin: null
        {"Sec-Fetch-Site": "same-origin", "Origin": "null"},
        {"Origin": HTTPS},  # a browser without Sec-Fetch-*
    ])
    def test_a_same_origin_post_passes_without_referer(self, announce, headers):
        r = announce(HTTPS, headers)
        assert r.status_code == 303, r.get_data(as_text=True)[:500]
        assert announcements() == 1

    @pytest.mark.parametrize("headers", [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another origin
        {"Sec-Fetch-Site": "cross-site", "Origin": HTTPS},  # Sec-Fetch-Site decides
        {"Origin": "https://evil.example"},
        {"Origin": "http://gielda.test"},  # the same host over plain http is another origin
        {},  # no proof at all: refused, as Flask-WTF refused a missing Referer over https
        {"Origin": "null"},
    ])
    def test_a_cross_origin_or_unproven_post_is_refused(self, announce, headers):
        r = announce(HTTPS, headers)
        assert r.status_code == 400
        assert "csrf_refused" in r.get_data(as_text=True)
        assert "Odśwież stronę i spróbuj ponownie" in r.get_data(as_text=True)
        assert announcements() == 0

    def test_the_token_is_still_required(self, announce):
        assert announce(HTTPS, {"Sec-Fetch-Site": "same-origin"}, with_token=False).status_code == 400
        assert announcements() == 0

    def test_cookies_are_secure_and_hsts_is_on(self, client, fair, make_participant):
        person = make_participant()
        r = client.get(f"/f/{fair.slug}/login/{person.login_secret}", base_url=HTTPS)
        assert r.status_code == 303
        cookies = set_cookies(r)
        for name in ("session", "remember_token"):
            assert "secure" in cookies[name], name
            assert "httponly" in cookies[name], name
            assert cookies[name]["samesite"] == "Lax", name
        assert r.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert client.get("/static/css/app.css", base_url=HTTPS).headers["Strict-Transport-Security"]

    def test_the_json_api_stays_open_to_get(self, client, fair):
        assert client.get(f"/api/fairs/{fair.slug}/stats", base_url=HTTPS).status_code == 200


class TestOverHttp:
    @pytest.fixture
    def app_config(self):
        return {"PUBLIC_URL": HTTP, "WTF_CSRF_ENABLED": True}

    def test_a_post_with_no_fetch_metadata_passes_on_the_token(self, announce):
        # Chromium on a LAN address: no Sec-Fetch-* (not a secure origin), Origin: null.
        assert announce(HTTP, {"Origin": "null"}).status_code == 303
        assert announce(HTTP, {}).status_code == 303
        assert announcements() == 2

    @pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://evil.example"}])
    def test_a_post_that_says_it_came_from_elsewhere_is_refused(self, announce, headers):
        assert announce(HTTP, headers).status_code == 400
        assert announcements() == 0

    def test_the_token_is_still_required(self, announce):
        assert announce(HTTP, {"Sec-Fetch-Site": "same-origin"}, with_token=False).status_code == 400
        assert announcements() == 0


def test_csrf_is_enforced_when_enabled(app, client, fair, make_participant):
    app.config["WTF_CSRF_ENABLED"] = True
    p = make_participant()
    r = client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": p.badge_code, "pin-pin": p.pin})
    assert r.status_code in (400, 422)
    assert client.get(f"/f/{fair.slug}/me").status_code == 302
