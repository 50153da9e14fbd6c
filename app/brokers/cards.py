"""Plain, read-only pictures of posts and people for the brokers' worklist: what a shared
snapshot may hold (no database rows, which belong to one session)."""

from __future__ import annotations

from dataclasses import dataclass

from app.floor.models import Post
from app.matching.ranking import Suggestion


@dataclass(frozen=True)
class PostCard:
    id: int
    kind: str  # offer | need
    title: str
    organisation_id: int
    organisation: str
    sector: str
    author_id: int
    author: str
    author_badge: str

    @classmethod
    def of(cls, post: Post) -> PostCard:
        return cls(post.id, post.kind.value, post.title, post.organisation_id, post.organisation.name,
                   post.organisation.sector.value, post.author_id, post.author.full_name, post.author.badge_code)


@dataclass(frozen=True)
class Partner:
    """A suggested partner: their post that answers, and the words that explain it."""

    post: PostCard
    shared: tuple[str, ...]

    @classmethod
    def of(cls, suggestion: Suggestion) -> Partner:
        return cls(PostCard.of(suggestion.post), tuple(suggestion.shared))
