"""The check-in desk (app/door/views/desk.py): scans, walk-ins, who may use it."""

from app.core.extensions import db
from app.people.models import CheckIn


def text(r):
    return r.get_data(as_text=True)


def test_desk_checks_in_and_shows_count(client, fair, notary, make_participant, login):
    p = make_participant("Barbara", "Kwiatkowska")
    login(notary)
    r = client.post(f"/f/{fair.slug}/desk", data={"scanned": f"http://gielda.test/p/{p.badge_code}"})
    assert r.status_code == 200
    body = text(r)
    assert "Barbara Kwiatkowska" in body and 'id="checked-in-count"' in body
    assert db.session.query(CheckIn).count() == 1


def test_desk_unknown_badge_is_red(client, fair, notary, login):
    login(notary)
    r = client.post(f"/f/{fair.slug}/desk", data={"scanned": "ZZZZZZZZ"})
    assert r.status_code == 404 and "scan-result bad" in text(r)


def test_desk_forbidden_to_participant(client, fair, make_participant, login):
    login(make_participant())
    assert client.get(f"/f/{fair.slug}/desk").status_code == 403


def test_walk_in_registers_and_checks_in(client, fair, notary, login):
    login(notary)
    r = client.post(f"/f/{fair.slug}/desk/walk-in", data={
        "first_name": "Jan", "last_name": "Wróbel", "sector": "resident", "organisation_name": ""})
    assert r.status_code == 303
    assert db.session.query(CheckIn).count() == 1


def test_the_walk_ins_print_page_warns_when_its_qr_codes_would_point_to_this_computer(
        app, client, fair, notary, login):
    app.config["PUBLIC_URL"] = "http://127.0.0.1:5000"
    login(notary)
    r = client.post(f"/f/{fair.slug}/desk/walk-in", data={
        "first_name": "Jan", "last_name": "Wróbel", "sector": "resident", "organisation_name": ""},
        follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Print badge" in page or "Drukuj identyfikator" in page
    assert 'id="loopback-warning"' in page and "http://127.0.0.1:5000" in page
    app.config["PUBLIC_URL"] = "http://10.77.0.1:5000"
    assert 'id="loopback-warning"' not in client.get(r.request.path).get_data(as_text=True)
