"""Each post's matching terms, stored with it whenever its title or details are written (a flush
of a new or edited Post, whatever service wrote it): the index reads them instead of analysing
20,000 posts again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.core.extensions import db
from app.floor.models import Post
from app.matching.analysis import post_terms


def _analyse_written_posts(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Post):
            state = inspect(obj)
            changed = state.attrs.title.history.has_changes() or state.attrs.details.history.has_changes()
            if obj.match_terms is None or changed:
                obj.match_terms = post_terms(obj.title or "", obj.details or "")


def init_post_terms() -> None:
    """Once per process (in an app context): analyse posts as they are written."""
    session_cls = db.session.session_factory.class_
    if not event.contains(session_cls, "before_flush", _analyse_written_posts):
        event.listen(session_cls, "before_flush", _analyse_written_posts)
