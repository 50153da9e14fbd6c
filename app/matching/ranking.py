"""The posts that answer a post: offers for a need, needs for an offer (never offer↔offer).

The interface the rest of the app uses: `suggestions_for(post)` ranks the other kind's live posts
of the post's fair, from other organisations, best first, each with a score and the words that
explain it. (For now the old rule of app/floor/board.py: same category, shared word stems; the
Polish matcher replaces it behind this interface.)"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core.extensions import db
from app.floor.board import _live, _with_relations, words
from app.floor.kinds import PostKind
from app.floor.models import Post


@dataclass(frozen=True)
class Suggestion:
    post: Post  # the other side's post
    score: float  # higher is better; comparable only within one call
    shared: list[str]  # what explains the match, shown as "wspólne: sala, spotkanie"


def other_kind(kind: PostKind) -> PostKind:
    return PostKind.NEED if kind == PostKind.OFFER else PostKind.OFFER


def suggestions_for(post: Post, limit: int = 10) -> list[Suggestion]:
    """The live posts of the other kind at the post's fair, from other organisations, best first."""
    others = db.session.scalars(_with_relations(select(Post).where(
        Post.fair_id == post.fair_id, Post.organisation_id != post.organisation_id,
        Post.kind == other_kind(post.kind), Post.category_id == post.category_id, *_live())))
    mine = words(f"{post.title} {post.details}")
    found = [Suggestion(o, float(len(shared)), shared)
             for o in others if (shared := sorted(mine & words(f"{o.title} {o.details}")))]
    found.sort(key=lambda s: (-s.score, -s.post.created_at.timestamp(), s.post.id))
    return found[:limit]
