"""Reading the floor's posts for pages (no writes here; the board's lists are in board.py)."""

from __future__ import annotations

from app.core.extensions import db
from app.floor.models import Post


def find_post(fair_id: int, post_id: int) -> Post | None:
    """The fair's post with this id, or None (another fair's post is None too)."""
    post = db.session.get(Post, post_id)
    return post if post is not None and post.fair_id == fair_id else None
