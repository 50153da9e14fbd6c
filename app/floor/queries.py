"""Reading the floor's posts for pages (no writes here; the board's lists are in board.py)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select

from app.core.extensions import db
from app.floor.models import Post
from app.people.models import Organisation


def find_post(fair_id: int, post_id: int) -> Post | None:
    """The fair's post with this id, or None (another fair's post is None too)."""
    post = db.session.get(Post, post_id)
    return post if post is not None and post.fair_id == fair_id else None


class HiddenPost(NamedTuple):
    """A post a moderator hid, as the control room lists it."""

    id: int
    title: str
    organisation_name: str
    hidden_reason: str


def hidden_posts(fair_id: int) -> list[HiddenPost]:
    """The fair's hidden posts, the latest hidden first: only what the list shows, in one statement."""
    return [HiddenPost(*row) for row in db.session.execute(
        select(Post.id, Post.title, Organisation.name, Post.hidden_reason)
        .join(Organisation, Organisation.id == Post.organisation_id)
        .where(Post.fair_id == fair_id, Post.hidden_at.is_not(None)).order_by(Post.hidden_at.desc()))]
