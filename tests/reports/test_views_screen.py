"""The big screen and the control room pages (app/reports/views/screen.py)."""

from __future__ import annotations

from typing import Any


def text(r):
    return r.get_data(as_text=True)


def test_screen_needs_the_display_token(client, fair):
    assert client.get(f"/f/{fair.slug}/screen/wrong-token").status_code == 404
    r = client.get(f"/f/{fair.slug}/screen/{fair.display_token}")
    assert r.status_code == 200 and "<svg" in text(r)


def test_screen_script_follows_the_reveal_event(app: Any) -> None:
    from app.core.paths import ROOT

    script = (ROOT / "static/js/screen.js").read_text()
    assert '"fair.results_revealed"' in script and '"/results"' in script


def test_control_room_page_and_fragment(client, trading_fair, organiser, make_participant, login):
    make_participant("Bożena", "Cicha")
    login(organiser)
    page = client.get(f"/f/{trading_fair.slug}/admin/control")
    assert page.status_code == 200 and "Bożena Cicha" in page.get_data(as_text=True)
    fragment = client.get(f"/f/{trading_fair.slug}/admin/control/panels")
    assert fragment.status_code == 200 and 'id="panel-without-posts"' in fragment.get_data(as_text=True)


def test_control_fragment_forbidden_to_notary(client, trading_fair, notary, login):
    login(notary)
    assert client.get(f"/f/{trading_fair.slug}/admin/control/panels").status_code == 403
