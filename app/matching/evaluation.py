"""How well a rule ranks offers for needs, on a labelled set: each need ranked against all the set's
offers (every post of its own organisation), recall@5 (the labelled offer among the first five) and
MRR (mean of 1 / its rank; 0 when not listed).

Two sets: tests/data/matching_pl.jsonl (LABELLED), which the matcher's weights were chosen on,
and tests/data/matching_pl_holdout.jsonl (HOLDOUT), written by someone else without seeing the
matcher and never used to tune it: it tells how the matcher does on posts it was not fitted to.

Used by the test that holds the floor (tests/matching/test_evaluation.py) and by `make bench`
(bench/matching.py), which also compares the lemmatisers and the old rule."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.textkeys import search_key
from app.matching.analysis import Lemmatiser, analyse
from app.matching.engine import Doc, Index
from app.matching.synonyms import NO_GROUPS, CompiledGroups, Thesaurus

LABELLED = Path(__file__).resolve().parents[2] / "tests" / "data" / "matching_pl.jsonl"
HOLDOUT = LABELLED.with_name("matching_pl_holdout.jsonl")
SETS = {"labelled": LABELLED, "held out": HOLDOUT}
CATEGORIES = ("rooms", "equipment", "volunteers", "catering", "promotion", "it_service", "art_classes",
              "trainings", "workshops", "expertise", "transport", "other")


@dataclass(frozen=True)
class Side:
    category: str
    title: str
    details: str

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.details}"


@dataclass(frozen=True)
class Pair:
    need: Side
    offer: Side


def load_pairs(path: Path = LABELLED) -> list[Pair]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs.append(Pair(Side(**row["need"]), Side(**row["offer"])))
    return pairs


_WORD = re.compile(r"\w+")


def content_words(text: str) -> set[str]:
    """Folded words of three letters or more, no number, no stop word of the old rule: what
    "sharing a word" means for the set (inflected forms differ: 'sala' and 'sale' are not shared)."""
    from app.floor.board import STOPWORDS  # late: the old rule's list, read by the set's check only

    return {w for w in _WORD.findall(search_key(text)) if len(w) >= 3 and not w.isdigit() and w not in STOPWORDS}


def share_no_word(pair: Pair) -> bool:
    return not content_words(pair.need.text) & content_words(pair.offer.text)


@dataclass(frozen=True)
class Figures:
    recall_at_5: float
    mrr: float
    pairs: int


Ranking = Callable[[int], Sequence[int]]  # need number -> offer numbers, best first


def score(pairs: Sequence[Pair], ranking: Ranking) -> Figures:
    found, reciprocal = 0, 0.0
    for n in range(len(pairs)):
        ranked = list(ranking(n))
        if n in ranked:
            rank = ranked.index(n) + 1
            found += rank <= 5
            reciprocal += 1 / rank
    return Figures(found / len(pairs), reciprocal / len(pairs), len(pairs))


def old_rule(pairs: Sequence[Pair]) -> Ranking:
    """The rule before the matcher (app/floor/board.py `words`): same category, ranked by the
    5-letter stems they share; ties in the set's order."""
    from app.floor.board import words  # late: the old rule, measured for comparison only

    offers = [words(p.offer.text) for p in pairs]

    def ranking(n: int) -> list[int]:
        mine = words(pairs[n].need.text)
        scored = [(len(mine & offers[i]), i) for i, p in enumerate(pairs)
                  if p.offer.category == pairs[n].need.category and mine & offers[i]]
        return [i for _s, i in sorted(scored, key=lambda x: (-x[0], x[1]))]

    return ranking


def matcher(pairs: Sequence[Pair], lemmatiser: Lemmatiser | None = None, groups: CompiledGroups = NO_GROUPS,
            thesaurus: Thesaurus | None = None, fuzzy: bool = True, limit: int = 10) -> Ranking:
    """The matcher (app/matching/engine.py) over the set's offers; organisation = pair number."""
    docs = [Doc(i, organisation_id=1000 + i, category_id=CATEGORIES.index(p.offer.category),
                terms=tuple(analyse(p.offer.text, lemmatiser))) for i, p in enumerate(pairs)]
    index = Index.build(docs)

    def ranking(n: int) -> list[int]:
        need = pairs[n].need
        query = index.query(analyse(need.text, lemmatiser), groups, thesaurus, fuzzy)
        return [h.doc.id for h in index.rank(query, CATEGORIES.index(need.category), organisation_id=n,
                                             limit=limit)]

    return ranking
