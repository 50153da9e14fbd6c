"""A fair's categories as the board, its filter and the post form list them, kept in memory.

Every phone's board, post form and post reads the fair's categories; during the opening gong that
is hundreds of identical queries (and labels translated one by one) a second. They change only
when an organiser adds, renames, archives or restores one, so each process keeps the list per fair
and language and builds it again:

* at once in this process, after any committed transaction that wrote a category (a session
  listener counts them: the count is part of the key);
* after at most `MAX_AGE` seconds in the other processes of a deployment (each keeps its own).

What a service decides (is this category of this fair, is it archived) is read in its own
transaction (`categories.get_category`), never from here: the menu only shows choices."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.extensions import db
from app.core.storage.snapshots import SnapshotCache
from app.fairs.categories import category_label, fair_categories
from app.fairs.models import Category

MAX_AGE = 2.0  # seconds a menu serves at most (another process's change)
_WROTE = "gielda_categories_wrote"

_version = [0]
_count = itertools.count(1)
EXTENSION = "gielda_category_menus"


@dataclass(frozen=True)
class MenuItem:
    id: int
    label: str
    archived: bool


@dataclass(frozen=True)
class CategoryMenu:
    """A fair's categories in order, archived ones included, with their labels in one language."""

    items: tuple[MenuItem, ...]

    @property
    def labels(self) -> dict[int, str]:
        return {item.id: item.label for item in self.items}

    def choices(self, keep: int | None = None) -> list[tuple[int, str]]:
        """What the post form offers: the active categories, and `keep` (a post's own) even if archived."""
        return [(item.id, item.label) for item in self.items if not item.archived or item.id == keep]


def category_menu(fair_id: int) -> CategoryMenu:
    """The fair's menu in the request's language: kept (app/core/storage/snapshots.py's cache:
    one request builds it while the others of the same moment wait for it) until a category
    change is committed in this process or it is MAX_AGE seconds old."""
    cache: SnapshotCache = current_app.extensions[EXTENSION]
    return cache.get(("categories", fair_id, str(get_locale()), _version[0]), lambda: _build(fair_id))


def _build(fair_id: int) -> CategoryMenu:
    return CategoryMenu(tuple(MenuItem(c.id, category_label(c), c.archived)
                              for c in fair_categories(fair_id, include_archived=True)))


def _flushed(session: Session, _context: Any) -> None:
    if any(isinstance(o, Category) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info[_WROTE] = True


def _committed(session: Session) -> None:
    if not session.in_nested_transaction() and session.info.pop(_WROTE, False):
        _version[0] = next(_count)


def init_category_menus(app: Flask) -> None:
    """Give the app its menus, and count committed category changes (once per process; in an app context)."""
    app.extensions[EXTENSION] = SnapshotCache(max_age=MAX_AGE)
    session_cls = db.session.session_factory.class_
    if not event.contains(session_cls, "after_commit", _committed):
        event.listen(session_cls, "after_flush", _flushed)  # still lists what it flushed
        event.listen(session_cls, "after_commit", _committed)  # (a rolled-back change: one rebuild too many)
