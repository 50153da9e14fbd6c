"""Suggested exchange cycles of 3–4 organisations for group deals: A gives to B, B to C, C to A.

The graph: organisation → organisation where an offer of the first answers a need of the second,
as the matcher ranks it (app/matching/ranking.py). Scores are comparable only within one call,
so an answer counts when it is among the need's best `PER_NEED` offers and scores at least
`RELATIVE_FLOOR` of that need's best offer. Cycles of length 3 and 4 are found with networkx's
`simple_cycles(length_bound=4)` (Johnson's algorithm, bounded); each is listed once (networkx
yields a cycle from one of its nodes only), the strongest first: by its weakest step."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.brokers.cards import PostCard
from app.core.extensions import db
from app.floor.kinds import PostKind, PostState
from app.floor.models import Post
from app.matching.ranking import suggestions_for

PER_NEED = 5  # the offers of a need's ranking that may make an edge
RELATIVE_FLOOR = 0.5  # of the need's best offer's score
MAX_NEEDS = 300  # the newest live needs ranked (one matcher call each)
MAX_FOUND = 500  # cycles looked at before ranking (a dense hall has many)
SHOWN = 10


@dataclass(frozen=True)
class Step:
    """One organisation gives to the next: its offer answers the other's need."""

    offer: PostCard
    need: PostCard
    weight: float  # the offer's score relative to the need's best (0–1]


@dataclass(frozen=True)
class Cycle:
    steps: tuple[Step, ...]  # steps[i].need's organisation is steps[i+1].offer's (cyclically)

    @property
    def strength(self) -> float:
        return min(s.weight for s in self.steps)

    @property
    def organisations(self) -> list[str]:
        return [s.offer.organisation for s in self.steps]


def answers(fair_id: int, max_needs: int = MAX_NEEDS) -> Iterable[Step]:
    """Every (offer → need) answer of the fair's newest live needs that passes the floor."""
    needs = db.session.scalars(
        select(Post).options(joinedload(Post.organisation), joinedload(Post.author))
        .where(Post.fair_id == fair_id, Post.kind == PostKind.NEED, Post.state == PostState.ACTIVE,
               Post.hidden_at.is_(None))
        .order_by(Post.created_at.desc(), Post.id.desc()).limit(max_needs)).unique()
    for need in needs:
        if not need.is_live:
            continue
        ranked = suggestions_for(need, limit=PER_NEED)
        if not ranked or ranked[0].score <= 0:
            continue
        best = ranked[0].score
        for s in ranked:
            if s.score > 0 and s.score >= RELATIVE_FLOOR * best:
                yield Step(PostCard.of(s.post), PostCard.of(need), s.score / best)


def find_cycles(steps: Iterable[Step], shown: int = SHOWN) -> list[Cycle]:
    """Cycles of 3–4 organisations in the graph these steps make, strongest first."""
    graph: nx.DiGraph[int] = nx.DiGraph()
    for step in steps:
        giver, receiver = step.offer.organisation_id, step.need.organisation_id
        if giver == receiver:
            continue
        kept = graph.get_edge_data(giver, receiver)
        if kept is None or step.weight > kept["step"].weight:
            graph.add_edge(giver, receiver, step=step)
    cycles = []
    for found in itertools.islice(
            (c for c in nx.simple_cycles(graph, length_bound=4) if len(c) >= 3), MAX_FOUND):
        start = found.index(min(found))  # each cycle told from its first organisation: a stable order
        nodes = found[start:] + found[:start]
        cycles.append(Cycle(tuple(graph.edges[a, b]["step"] for a, b in zip(nodes, nodes[1:] + nodes[:1],
                                                                             strict=True))))
    cycles.sort(key=lambda c: (-c.strength, len(c.steps), [s.offer.id for s in c.steps]))
    return cycles[:shown]


def exchange_cycles(fair_id: int, shown: int = SHOWN) -> list[Cycle]:
    return find_cycles(answers(fair_id), shown)
