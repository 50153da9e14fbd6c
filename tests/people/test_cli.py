"""CLI, demo fair, configuration, migrations."""

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.core.db import Base
from app.core.extensions import db
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.models import Participant
from app.people.sectors import Sector
from app.reports.stats import fair_stats


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


def test_demo_if_empty_does_nothing_twice(runner):
    assert runner.invoke(args=["fair", "demo", "--if-empty"]).exit_code == 0
    assert runner.invoke(args=["fair", "demo", "--if-empty"]).exit_code == 0
    assert db.session.query(Fair).count() == 1


def test_demo_refuses_existing_slug(runner):
    runner.invoke(args=["fair", "demo"])
    result = runner.invoke(args=["fair", "demo"])
    assert result.exit_code != 0 and "exists" in result.output


def test_create_fair_cli(runner):
    result = runner.invoke(args=[
        "fair", "create", "gdansk", "Giełda Gdańsk", "--organiser-first-name", "Ewa",
        "--organiser-last-name", "Żak", "--organiser-email", "ewa@example.org",
        "--organisation", "Urząd Miasta", "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert db.session.query(Fair).filter_by(slug="gdansk").one().name == "Giełda Gdańsk"


def test_migrations_match_models(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []


def test_secret_key_generated_once_and_kept(tmp_path, monkeypatch):
    from app.core.config import load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    second = load_config(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (Path(tmp_path) / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_spellings(monkeypatch, tmp_path):
    from app.core.config import load_config

    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_default_database_is_sqlite_in_instance(monkeypatch, tmp_path):
    from app.core.config import load_config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'gielda.db'}"


def test_app_migrates_a_fresh_database_at_start(tmp_path):
    from tests.conftest import PG_URL, build_app, private_postgres_database

    def check(url):
        application = build_app(url, tmp_path, AUTO_MIGRATE=True)
        with application.app_context():
            from sqlalchemy import inspect

            assert {"fairs", "participants", "check_ins"} <= set(inspect(db.engine).get_table_names())
            db.session.remove()
            db.engine.dispose()

    if PG_URL:
        with private_postgres_database(PG_URL) as url:
            check(url)
    else:
        check(f"sqlite:///{tmp_path / 'fresh.db'}")
