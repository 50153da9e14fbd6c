"""`flask fair create` (app/people/cli.py): a fair and its first organiser."""

from __future__ import annotations

from app.core.extensions import db
from app.fairs.models import Fair


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
