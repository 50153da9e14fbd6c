"""A participant's scan page (app/door/views/scan.py): a scanned badge opens that person's card."""

from __future__ import annotations


def text(r) -> str:
    return r.get_data(as_text=True)


def test_the_page_has_the_camera_scanner(client, fair, make_participant, login):
    login(make_participant())
    r = client.get(f"/f/{fair.slug}/scan")
    assert r.status_code == 200
    assert 'id="scan-form"' in text(r) and "js/scanner.js" in text(r) and "Zeskanuj identyfikator" in text(r)


def test_a_scanned_badge_opens_its_card(client, fair, make_participant, login):
    other = make_participant("Barbara", "Kwiatkowska")
    login(make_participant())
    r = client.post(f"/f/{fair.slug}/scan", data={"scanned": f"http://gielda.test/p/{other.badge_code}"})
    assert r.status_code == 303 and r.headers["Location"] == f"/p/{other.badge_code}"


def test_a_typed_code_opens_its_card(client, fair, make_participant, login):
    other = make_participant("Barbara", "Kwiatkowska")
    login(make_participant())
    r = client.post(f"/f/{fair.slug}/scan", data={"scanned": f"  {other.badge_code.lower()} "})
    assert r.status_code == 303 and r.headers["Location"] == f"/p/{other.badge_code}"


def test_an_unknown_badge_is_said_in_polish(client, fair, make_participant, login):
    login(make_participant())
    r = client.post(f"/f/{fair.slug}/scan", data={"scanned": "ZZZZZZZZ"})
    assert r.status_code == 404 and "Żaden uczestnik tej giełdy nie ma takiego identyfikatora" in text(r)


def test_a_badge_of_another_fair_is_unknown_here(client, fair, make_fair, make_participant, login):
    elsewhere = make_participant(fair_id=make_fair().id)
    login(make_participant())
    assert client.post(f"/f/{fair.slug}/scan", data={"scanned": elsewhere.badge_code}).status_code == 404


def test_a_private_login_code_is_refused(client, fair, make_participant, login):
    other = make_participant()
    login(make_participant())
    r = client.post(f"/f/{fair.slug}/scan", data={"scanned": f"http://gielda.test/f/{fair.slug}/login/{other.login_secret}"})
    assert r.status_code == 422 and "To prywatny kod logowania" in text(r)


def test_an_empty_scan_is_a_form_error(client, fair, make_participant, login):
    login(make_participant())
    r = client.post(f"/f/{fair.slug}/scan", data={"scanned": ""})
    assert r.status_code == 422 and "Zeskanuj identyfikator albo wpisz jego kod." in text(r)


def test_the_page_needs_a_login(client, fair):
    r = client.get(f"/f/{fair.slug}/scan")
    assert r.status_code in (302, 303) and "/login" in r.headers["Location"]
