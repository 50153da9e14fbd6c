"""`flask fair create` (app/people/cli.py): the fair and its first organiser, in one audited call."""

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.core.extensions import db
from app.core.storage.audit import AuditEvent
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.credentials import login_with_password
from app.people.models import Participant

PASSWORD = "a long password"


def create(runner: FlaskCliRunner, slug: str = "gdansk", password: str = PASSWORD) -> object:
    return runner.invoke(args=[
        "fair", "create", slug, "Giełda Gdańsk", "--venue", "Ratusz", "--organiser-first-name", "Ewa",
        "--organiser-last-name", "Żak", "--organiser-email", "ewa@example.org",
        "--organisation", "Urząd Miasta", "--password", password])


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_fair_and_its_first_organiser_are_one_audit_entry(runner: FlaskCliRunner) -> None:
    result = create(runner)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    fair = db.session.scalars(select(Fair).where(Fair.slug == "gdansk")).one()
    organiser = db.session.scalars(select(Participant).where(Participant.fair_id == fair.id)).one()
    assert organiser.role == Role.ORGANISER
    assert login_with_password(fair.id, "ewa@example.org", PASSWORD).id == organiser.id

    entries = db.session.scalars(select(AuditEvent).where(AuditEvent.fair_id == fair.id)).all()
    assert [(e.action, e.target) for e in entries] == [
        ("first_fair.create_fair_with_organiser", f"Participant#{organiser.id}")]
    details = entries[0].details["data"]
    assert (details["fair"]["slug"], details["fair"]["name"], details["fair"]["venue"]) == \
        ("gdansk", "Giełda Gdańsk", "Ratusz")
    assert (details["organiser"]["first_name"], details["organiser"]["last_name"],
            details["organiser"]["email"]) == ("Ewa", "Żak", "ewa@example.org")
    assert details["organisation"]["name"] == "Urząd Miasta"
    assert entries[0].actor_id is None  # the command line: nobody logged in
    assert PASSWORD not in str(entries[0].details) and "password" not in details


def test_a_refused_create_leaves_no_fair_and_no_audit_entry(runner: FlaskCliRunner) -> None:
    assert create(runner).exit_code == 0  # type: ignore[attr-defined]
    before = (count(Fair), count(Participant), count(AuditEvent))

    result = create(runner)  # the same short name again
    assert result.exit_code != 0  # type: ignore[attr-defined]
    assert "Giełda o takiej krótkiej nazwie już istnieje." in result.output  # type: ignore[attr-defined]
    assert (count(Fair), count(Participant), count(AuditEvent)) == before


def test_create_fair_cli(runner):
    result = runner.invoke(args=[
        "fair", "create", "gdansk", "Giełda Gdańsk", "--organiser-first-name", "Ewa",
        "--organiser-last-name", "Żak", "--organiser-email", "ewa@example.org",
        "--organisation", "Urząd Miasta", "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert db.session.query(Fair).filter_by(slug="gdansk").one().name == "Giełda Gdańsk"


def test_the_cli_refuses_an_address_that_could_never_log_in(runner: object) -> None:
    result = runner.invoke(args=[  # type: ignore[attr-defined]
        "fair", "create", "gdansk", "Giełda Gdańsk", "--organiser-first-name", "Ewa", "--organiser-last-name",
        "Nowak", "--organiser-email", "ewa@gdansk.local", "--organisation", "Urząd", "--password",
        "a long enough password"])
    assert result.exit_code != 0 and "invalid_email" not in result.output
    assert "ewa@gdansk.local" in result.output
    assert db.session.query(Fair).filter_by(slug="gdansk").count() == 0
