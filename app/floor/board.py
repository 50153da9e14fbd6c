"""Reading the trading floor: the board with its filters and search (matches: app/matching/)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, or_, select
from sqlalchemy.orm import joinedload

from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.textkeys import search_key
from app.fairs.models import Category
from app.floor.kinds import PostKind, PostState
from app.floor.models import Post
from app.network.sectors import Sector
from app.people.models import Organisation, Participant

_WORD = re.compile(r"\w+")
# Words too common to say that two posts are about the same thing.
STOPWORDS = frozenset(search_key(w) for w in """
a i o u w z za na do od po we ze ku przy dla oraz lub albo czy nie tak jest sa jak ten ta to te
tego tej ktory ktora ktore mozemy moze mamy chcemy potrzebujemy oferujemy szukamy oddamy
pomoc pomocy dla osob osoby nasz nasza nasze naszej naszego
the and or of to in on for with we our can need offer looking from by at an be is are
""".split())


def words(text: str) -> set[str]:
    """Folded, stop-word-free word stems ('Szkolenia' and 'szkolenie' share 'szkol')."""
    out = set()
    for word in _WORD.findall(search_key(text)):
        if len(word) < 3 or word in STOPWORDS or word.isdigit():
            continue
        out.add(word[:5])
    return out


def _live() -> tuple:
    """Active, not hidden, and (a standing post between fairs) not past its end."""
    return (Post.state == PostState.ACTIVE, Post.hidden_at.is_(None),
            or_(Post.expires_at.is_(None), Post.expires_at > utcnow()))


def _with_relations(query: Select) -> Select:
    return query.options(joinedload(Post.organisation), joinedload(Post.author),
                         joinedload(Post.category))


@dataclass
class BoardFilter:
    kind: PostKind | None = None
    category_id: int | None = None
    sector: Sector | None = None
    q: str = ""


BOARD_PAGE = 60  # cards on one page of the board: a phone's screenful many times over
MAX_BOARD_PAGE = 10_000


@dataclass
class BoardPage:
    """One page of the board, newest first, as card rows (`CARD_COLUMNS`: every value a card
    shows, app/floor/card_html.py); `has_older`: a next page exists."""

    posts: list[Row[Any]]
    page: int
    has_older: bool


_P, _O, _A, _C = Post.__table__.c, Organisation.__table__.c, Participant.__table__.c, Category.__table__.c
# What a post's card shows, read as plain rows: a burst of phones loads the board thousands of
# times, and building ORM objects with three joined relations cost most of each load.
CARD_COLUMNS = (_P.id, _P.version, _P.kind, _P.title, _P.details, _P.quantity, _P.unit, _P.available_when,
                _P.category_id, _C.name.label("category_name"), _O.name.label("organisation_name"),
                _O.sector, _A.badge_code.label("author_badge"))


def paged_board(fair_id: int, flt: BoardFilter, page: int = 1, page_size: int = BOARD_PAGE) -> BoardPage:
    """The board's page `page` (1: the newest posts), paged in SQL, as card rows."""
    page = max(1, min(page, MAX_BOARD_PAGE))
    query = (select(*CARD_COLUMNS)
             .select_from(Post.__table__.join(Organisation.__table__, _O.id == _P.organisation_id)
                          .join(Participant.__table__, _A.id == _P.author_id)
                          .join(Category.__table__, _C.id == _P.category_id)))
    query = _filtered(query, fair_id, flt).limit(page_size + 1).offset((page - 1) * page_size)
    rows = list(db.session.connection().execute(query))  # plain columns: no ORM handling to pay for
    return BoardPage(rows[:page_size], page, len(rows) > page_size)


def board(fair_id: int, flt: BoardFilter, limit: int = 200, offset: int = 0) -> list[Post]:
    query = _with_relations(select(Post).join(Organisation, Post.organisation_id == Organisation.id))
    return list(db.session.scalars(_filtered(query, fair_id, flt).limit(limit).offset(offset)))


def _filtered(query: Select[Any], fair_id: int, flt: BoardFilter) -> Select[Any]:
    """The board's posts (live, of this fair) that `flt` lets through, newest first; `query`
    joins Organisation."""
    query = query.where(Post.fair_id == fair_id, *_live())
    if flt.kind:
        query = query.where(Post.kind == flt.kind)
    if flt.category_id:
        query = query.where(Post.category_id == flt.category_id)
    if flt.sector:
        query = query.where(Organisation.sector == flt.sector)
    for term in search_key(flt.q).split():
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Post.search_text.like(f"%{escaped}%", escape="\\"))
    return query.order_by(Post.created_at.desc(), Post.id.desc())


def board_posts(fair_id: int, post_ids: list[int]) -> list[Post]:
    """Those of these posts that are on the fair's board (live), newest first."""
    if not post_ids:
        return []
    query = _with_relations(select(Post).where(Post.fair_id == fair_id, Post.id.in_(post_ids), *_live()))
    return list(db.session.scalars(query.order_by(Post.created_at.desc(), Post.id.desc())))


def organisation_posts(organisation_id: int, live_only: bool = True) -> list[Post]:
    query = _with_relations(select(Post).where(Post.organisation_id == organisation_id))
    if live_only:
        query = query.where(*_live())
    return list(db.session.scalars(query.order_by(Post.created_at.desc())))
