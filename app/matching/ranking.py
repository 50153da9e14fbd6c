"""The posts that answer a post: offers for a need, needs for an offer (never offer↔offer).

The interface the rest of the app uses: `suggestions_for(post)` ranks the other kind's live posts
of the post's fair, from other organisations, best first, each with a score and the words that
explain it (`suggestions_for_posts`: the same for several posts at once).

Behind it (app/matching/engine.py): BM25 (bm25s) over the posts' stored terms, widened by the
fair's synonyms, the Polish thesaurus, spelling neighbours and character n-gram neighbours, the
same category as a boost. Each
process keeps one index per fair and side (offers, needs), checked against the database by one
small query per ranking and patched, not rebuilt, as posts come and go."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.core.extensions import db
from app.floor.board import _live, _with_relations
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.matching.analysis import analyse, split_terms
from app.matching.engine import Doc, Hit, Index
from app.matching.synonyms import CompiledGroups, fair_compiled_groups, thesaurus

EXTENSION = "matching_indexes"


@dataclass(frozen=True)
class Suggestion:
    post: Post  # the other side's post
    score: float  # higher is better; comparable only within one call
    shared: list[str]  # what explains the match, shown as "wspólne: sala, spotkanie"


def other_kind(kind: PostKind) -> PostKind:
    return PostKind.NEED if kind == PostKind.OFFER else PostKind.OFFER


# --- the per-process indexes ---------------------------------------------------------------------

@dataclass
class _Held:
    index: Index
    signature: tuple[Any, ...]


class Indexes:
    """One index per (fair, kind) in this process, refreshed when the fair's posts of that kind
    changed: a new post, an edit (its version), one that left the board (the count)."""

    def __init__(self) -> None:
        self.held: dict[tuple[int, PostKind], _Held] = {}
        self.lock = threading.RLock()
        self.builds = 0  # full builds, for the tests and the benchmark
        self.patches = 0

    @staticmethod
    def signatures(fair_id: int) -> dict[PostKind, tuple[Any, ...]]:
        """What tells that a side's posts changed, for both sides in one statement."""
        rows = db.session.execute(
            select(Post.kind, func.count(), func.max(Post.id), func.max(Post.updated_at), func.sum(Post.version))
            .where(Post.fair_id == fair_id, *_live()).group_by(Post.kind))
        found = {kind: tuple(rest) for kind, *rest in rows}
        return {kind: found.get(kind, (0, None, None, None)) for kind in PostKind}

    def get(self, fair_id: int, kind: PostKind, signature: tuple[Any, ...] | None = None) -> Index:
        if signature is None:
            signature = self.signatures(fair_id)[kind]
        key = (fair_id, kind)
        held = self.held.get(key)
        if held is not None and held.signature == signature:
            return held.index
        if held is None:
            index = Index.build(_docs(fair_id, kind))
            self.builds += 1
        else:
            live = {post_id: version for post_id, version in db.session.execute(select(Post.id, Post.version).where(
                Post.fair_id == fair_id, Post.kind == kind, *_live()))}
            have = held.index.versions()
            changed = [post_id for post_id, version in live.items() if have.get(post_id) != version]
            index = held.index.patched(set(have) - set(live), _docs(fair_id, kind, changed) if changed else [])
            self.patches += 1
        self.held[key] = _Held(index, signature)
        return index


def indexes() -> Indexes:
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        found = current_app.extensions.setdefault(EXTENSION, Indexes())
    return found


def _docs(fair_id: int, kind: PostKind, ids: Sequence[int] | None = None) -> list[Doc]:
    query = select(Post.id, Post.organisation_id, Post.category_id, Post.version, Post.match_terms, Post.title,
                   Post.details).where(Post.fair_id == fair_id, Post.kind == kind, *_live()).order_by(Post.id)
    rows: list[Any] = []
    for start in range(0, len(ids) if ids is not None else 1, 2000):
        chunk = query if ids is None else query.where(Post.id.in_(ids[start:start + 2000]))
        rows.extend(db.session.execute(chunk))
    return [Doc(r.id, r.organisation_id, r.category_id,
                tuple(split_terms(r.match_terms) if r.match_terms is not None else analyse(f"{r.title}\n{r.details}")),
                r.version) for r in rows]


def _terms(post: Post) -> list[str]:
    return split_terms(post.match_terms) if post.match_terms is not None else analyse(f"{post.title}\n{post.details}")


# --- ranking -------------------------------------------------------------------------------------

def _hits(posts: Sequence[Post], limit: int) -> dict[int, list[Hit]]:
    """Each post's hits: one index check per fair and side, one read of each fair's synonyms."""
    cache = indexes()
    out: dict[int, list[Hit]] = {}
    with cache.lock:
        held: dict[tuple[int, PostKind], Index] = {}
        groups: dict[int, CompiledGroups] = {}
        signatures: dict[int, dict[PostKind, tuple[Any, ...]]] = {}
        for post in posts:
            if post.fair_id not in groups:
                groups[post.fair_id] = fair_compiled_groups(post.fair_id)
                signatures[post.fair_id] = cache.signatures(post.fair_id)
            key = (post.fair_id, other_kind(post.kind))
            if key not in held:
                held[key] = cache.get(*key, signatures[post.fair_id][key[1]])
            index = held[key]
            query = index.query(_terms(post), groups[post.fair_id], thesaurus())
            out[post.id] = index.rank(query, post.category_id, post.organisation_id, limit)
    return out


def _suggestions(hits: Iterable[Hit], posts: dict[int, Post]) -> list[Suggestion]:
    return [Suggestion(posts[h.doc.id], round(h.score, 4), h.shared) for h in hits if h.doc.id in posts]


def _load(ids: set[int]) -> dict[int, Post]:
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(_with_relations(select(Post).where(Post.id.in_(ids), *_live())))}


def suggestions_for(post: Post, limit: int = 10) -> list[Suggestion]:
    """The live posts of the other kind at the post's fair, from other organisations, best first."""
    hits = _hits([post], limit)[post.id]
    return _suggestions(hits, _load({h.doc.id for h in hits}))


def suggestions_for_posts(posts: Sequence[Post], limit: int = 5) -> dict[int, list[Suggestion]]:
    """`suggestions_for` of each post, the suggested posts read in one statement."""
    hits = _hits(posts, limit)
    loaded = _load({h.doc.id for found in hits.values() for h in found})
    return {post_id: _suggestions(found, loaded) for post_id, found in hits.items()}
