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
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.extensions import db
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


class _Menus:
    """One app's menus by (fair, language): (the change count they were read at, when, the menu)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[int, str], tuple[int, float, CategoryMenu]] = {}
        self.lock = threading.Lock()


def category_menu(fair_id: int) -> CategoryMenu:
    menus: _Menus = current_app.extensions[EXTENSION]
    locale = str(get_locale())
    now = time.monotonic()
    with menus.lock:
        found = menus.by_key.get((fair_id, locale))
    if found is not None and found[0] == _version[0] and now - found[1] < MAX_AGE:
        return found[2]
    version = _version[0]  # read before the query: a change committed meanwhile is not hidden
    menu = CategoryMenu(tuple(MenuItem(c.id, category_label(c), c.archived)
                              for c in fair_categories(fair_id, include_archived=True)))
    with menus.lock:
        menus.by_key[(fair_id, locale)] = (version, now, menu)
    return menu


def _flushed(session: Session, _context: Any) -> None:
    if any(isinstance(o, Category) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info[_WROTE] = True


def _committed(session: Session) -> None:
    if not session.in_nested_transaction() and session.info.pop(_WROTE, False):
        _version[0] = next(_count)


def _rolled_back(session: Session) -> None:
    session.info.pop(_WROTE, None)


def init_category_menus(app: Flask) -> None:
    """Give the app its menus, and count committed category changes (once per process; in an app context)."""
    app.extensions[EXTENSION] = _Menus()
    session_cls = db.session.session_factory.class_
    if not event.contains(session_cls, "after_commit", _committed):
        event.listen(session_cls, "after_flush", _flushed)  # still lists what it flushed
        event.listen(session_cls, "after_commit", _committed)
        event.listen(session_cls, "after_soft_rollback", lambda s, _t: _rolled_back(s))
