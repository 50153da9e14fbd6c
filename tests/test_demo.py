"""The demo fair (app/demo.py, `flask fair demo`): built in one audited transaction."""

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.core.extensions import db
from app.demo import ORGANISER_EMAIL
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.models import Participant


def test_the_demo_fair_and_its_first_organiser_are_in_the_audit_log(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["fair", "demo", "--slug", "pokaz"])
    assert result.exit_code == 0, result.output
    fair = db.session.scalars(select(Fair).where(Fair.slug == "pokaz")).one()
    organiser = db.session.scalars(select(Participant).where(
        Participant.fair_id == fair.id, Participant.email == ORGANISER_EMAIL)).one()
    assert organiser.role == Role.ORGANISER and organiser.network_coordinator and fair.registration_open

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
