"""Reading fairs: what pages, commands and sockets look up (no writes here)."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.fairs.models import Fair


def fair_by_slug(slug: str) -> Fair | None:
    return db.session.scalar(select(Fair).where(Fair.slug == slug))


def all_fairs() -> list[Fair]:
    """Every fair of the installation, the newest first."""
    return list(db.session.scalars(select(Fair).order_by(Fair.starts_at.desc(), Fair.id.desc())))
