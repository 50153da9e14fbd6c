"""Migrations (app/core/storage/migrate.py): they match the models and run at start."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.core.extensions import db
from app.core.storage.db import Base


def test_migrations_match_models(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []


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
