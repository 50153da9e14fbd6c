"""Alembic migrations, applied at start and from `flask db upgrade`."""

from __future__ import annotations

import click
from alembic import command
from alembic.config import Config
from flask.cli import AppGroup
from sqlalchemy.engine import Engine

from app.core.extensions import db
from app.core.paths import ROOT

MIGRATIONS = ROOT / "app" / "migrations"  # beside the top of the app: they know every area's tables


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


db_cli = AppGroup("db", help="Database migrations.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""

    upgrade(db.engine, revision)
    click.echo("Database is at the newest migration.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Autogenerate a new migration from the models (for developers)."""

    command.revision(alembic_config(db.engine), message=message, autogenerate=True)
