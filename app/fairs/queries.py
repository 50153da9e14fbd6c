"""Reading fairs: what pages, commands and sockets look up (no writes here)."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from app.core.extensions import db
from app.fairs.models import Fair

# Built once: every request of a fair's pages looks the fair up, and building the statement (and
# its cache key) each time cost a third of running it.
_BY_SLUG = select(Fair).where(Fair.slug == bindparam("slug"))


def fair_by_slug(slug: str) -> Fair | None:
    return db.session.scalar(_BY_SLUG, {"slug": slug})


def all_fairs() -> list[Fair]:
    """Every fair of the installation, the newest first."""
    return list(db.session.scalars(select(Fair).order_by(Fair.starts_at.desc(), Fair.id.desc())))
