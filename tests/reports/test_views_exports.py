"""The exports page and downloads (app/reports/views/exports.py): who may get them."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.models import Participant
from app.reports.exports import TABLES
from tests.agreements.conftest import _no_task_left_running, make_signed_agreement  # noqa: F401  (fixtures)
from tests.reports import exports_fair
from tests.reports.exports_fair import Scripted

scripted, as_organiser = exports_fair.scripted, exports_fair.as_organiser  # fixtures


def test_unknown_table_is_404(client: FlaskClient, as_organiser: Scripted) -> None:
    assert client.get("/f/tczew/admin/exports/secrets.csv").status_code == 404
    assert client.get("/f/tczew/admin/exports/fair.csv").status_code == 404


# --- access -----------------------------------------------------------------------------------

def test_only_organisers_of_the_fair_get_exports(client: FlaskClient, scripted: Scripted,
                                                 login: Callable[[Participant], None],
                                                 make_fair: Callable[..., Fair],
                                                 make_participant: Callable[..., Participant]) -> None:
    paths = ["/f/tczew/admin/exports", "/f/tczew/admin/exports/participants.csv",
             "/f/tczew/admin/exports/posts.xlsx", "/f/tczew/admin/exports/fair.xlsx",
             "/f/tczew/admin/exports/fair.json"]
    for path in paths:  # nobody logged in: to the login page
        r = client.get(path)
        assert r.status_code == 302 and "/f/tczew/login" in r.headers["Location"]
    login(scripted.people[2])  # a participant
    for path in paths:
        assert client.get(path).status_code == 403
    login(scripted.people[1])  # the notary
    for path in paths:
        assert client.get(path).status_code == 403
    other = make_fair(slug="gdansk")
    login(make_participant("Ewa", "Ślęzak", role=Role.ORGANISER, fair_id=other.id))  # another fair's organiser
    for path in paths:
        assert client.get(path).status_code == 403


def test_exports_page_lists_the_downloads(client: FlaskClient, as_organiser: Scripted) -> None:
    r = client.get("/f/tczew/admin/exports")
    assert r.status_code == 200
    page = r.data.decode()
    for table in TABLES:
        assert f'href="/f/tczew/admin/exports/{table}.csv"' in page
        assert f'href="/f/tczew/admin/exports/{table}.xlsx"' in page
    assert 'href="/f/tczew/admin/exports/fair.xlsx"' in page
    assert 'href="/f/tczew/admin/exports/fair.json"' in page
    assert "średnikami" in page  # says the CSV files are ;-separated


def test_follow_up_page_links_to_the_exports(client: FlaskClient, as_organiser: Scripted) -> None:
    page = client.get("/f/tczew/admin/follow-up").data.decode()
    assert 'href="/f/tczew/admin/exports"' in page
