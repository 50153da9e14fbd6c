"""The demo fair (app/demo.py, `flask fair demo`): built in one audited transaction."""

import re

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.core.emails import normalise_email
from app.core.extensions import db
from app.core.storage.audit import AuditEvent
from app.demo import NOTARY_EMAIL, ORGANISER_EMAIL
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.ledger.coordinators import network_coordinators
from app.network.sectors import Sector
from app.people.models import Participant
from app.reports.stats import fair_stats


def test_the_demo_fair_and_its_first_organiser_are_in_the_audit_log(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["fair", "demo", "--slug", "pokaz"])
    assert result.exit_code == 0, result.output
    fair = db.session.scalars(select(Fair).where(Fair.slug == "pokaz")).one()
    organiser = db.session.scalars(select(Participant).where(
        Participant.fair_id == fair.id, Participant.email == ORGANISER_EMAIL)).one()
    assert organiser.role == Role.ORGANISER and fair.registration_open
    # The organiser coordinates the network from their own account at the network's space.
    assert [(c.email, c.fair.is_network) for c in network_coordinators()] == [(ORGANISER_EMAIL, True)]

    # One transaction, one entry: the demo's creation, naming its fair and its first organiser
    # (the services it called inside are part of it).
    entries = db.session.scalars(select(AuditEvent).where(AuditEvent.fair_id == fair.id)).all()
    assert [(e.action, e.target, e.details) for e in entries] == [
        ("demo.create_demo_fair", f"Participant#{organiser.id}", {"slug": "pokaz"})]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_if_empty_leaves_a_database_with_a_fair_alone(runner: FlaskCliRunner, fair: Fair) -> None:
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = runner.invoke(args=["fair", "demo", "--if-empty"])
    assert result.exit_code == 0 and result.output == ""
    assert db.session.scalar(select(func.count()).select_from(Fair)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_demo_fair_is_shaped_like_tczew(runner):
    result = runner.invoke(args=["fair", "demo"])
    assert result.exit_code == 0, result.output
    fair = db.session.query(Fair).filter_by(slug="demo").one()
    stats = fair_stats(fair)
    assert 150 <= stats["participants"] <= 165
    assert 70 <= stats["organisations"] <= 85
    assert all(stats["organisations_by_sector"][s.value] > 0 for s in Sector)
    roles = {p.role for p in db.session.query(Participant).filter_by(fair_id=fair.id)}
    assert {Role.ORGANISER, Role.NOTARY} <= roles
    assert "organizator@tczew.example.org / gielda-demo-2026" in result.output
    participant_link = re.search(r"http://\S+/f/demo/login/(\S+)", result.output)
    assert participant_link is not None
    person = db.session.query(Participant).filter_by(login_secret=participant_link.group(1)).one()
    assert person.role == Role.PARTICIPANT  # staff log in with their password: no link is printed for them
    assert fair_stats(fair)["offers"] > 10 and fair_stats(fair)["needs"] > 10
    assert fair_stats(fair)["agreements_signed"] >= 10
    names = " ".join(p.full_name for p in db.session.query(Participant).filter_by(fair_id=fair.id))
    assert any(ch in names for ch in "ąćęłńóśźżŁŚŻ")


def test_the_demo_addresses_pass_the_rule() -> None:
    assert normalise_email(ORGANISER_EMAIL) and normalise_email(NOTARY_EMAIL)
