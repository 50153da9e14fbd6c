"""Matching (app/matching/): quality on the labelled set and the cost of ranking a new post.

Quality, on each labelled set (app/matching/evaluation.py SETS: tests/data/matching_pl.jsonl, which
the weights were chosen on, and tests/data/matching_pl_holdout.jsonl, never used to choose them),
each need ranked against all the set's offers: recall@5 and MRR of the matcher and of the old rule
(same category, shared 5-letter stems), the matcher without each of its parts (ABLATIONS), and, on
the first set, with each lemmatiser (none, pystempel, simplemma, morfeusz2), with each
lemmatiser's load time and words per second.

Cost: a fair of BENCH_MATCHING_POSTS posts (default 20,000) on one side, made from the set's
words (each post: a title of 2-4 words and details of 6-12 words drawn from the set's texts); a
new post of the other side ranked against it (query widening, BM25, category boost,
explanation), median of 300 posts, against a floor measured on the same prebuilt corpus in the
same run: bm25s retrieval alone (`BM25.retrieve` of the post's own terms, top 10). Also: the
full build of the index, and a new post patched in (then ranked). In memory: the database's
part (one signature statement per ranking, app/matching/ranking.py) is not in these figures."""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench._report import machine

POSTS = int(os.environ.get("BENCH_MATCHING_POSTS", "20000"))
QUERIES = 300


def _ms(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@contextmanager
def _changed(**settings: float) -> Iterator[None]:
    """The matcher with some of its module settings changed (app/matching/analysis.py, engine.py,
    synonyms.py); the lemmas analysed meanwhile are forgotten on the way in and out."""
    from app.matching import analysis, engine, synonyms

    old = {}
    for name, value in settings.items():
        module = next(m for m in (engine, synonyms, analysis) if hasattr(m, name))
        old[name] = (module, getattr(module, name))
        setattr(module, name, type(getattr(module, name))(value))
    analysis._lemma.cache_clear()
    try:
        yield
    finally:
        for name, (module, value) in old.items():
            setattr(module, name, value)
        analysis._lemma.cache_clear()


# What each part of the matcher brings: the matcher with one of them left out (or as it was before).
ABLATIONS: tuple[tuple[str, dict[str, float]], ...] = (
    ("without character n-gram neighbours", {"CHAR_WEIGHT": 0.0}),
    ("without the thesaurus's second step", {"HOP2": 0.0}),
    ("second step through any link, not only synonyms", {"HOP2_MIN": 0.0}),
    ("thesaurus weights as before (0.5 synonym, 0.3 broader/narrower)",
     {"WEIGHT_THESAURUS": 0.5, "WEIGHT_BROADER": 0.3}),
    ("same category doubles the score (as before), not triples", {"CATEGORY_BOOST": 1.0}),
    ("same category: + 1 to every same-category post (a prior; not kept)", {"CATEGORY_PRIOR": 1.0}),
    ("without the 5-letter stems", {"WEIGHT_STEM": 0.0}),
    ("without spelling neighbours", {"WEIGHT_FUZZY": 0.0}),
    ("without Polish letters given back to unknown words", {"RESTORE_DIACRITICS": 0.0}),
)


def _set_quality(label: str, path: Path) -> list[str]:
    from app.matching.evaluation import load_pairs, matcher, old_rule, score, share_no_word
    from app.matching.synonyms import Thesaurus, lexicon, thesaurus

    pairs = load_pairs(path)
    rows = [f"#### {label}: `{path.relative_to(path.parents[2])}`", "",
            f"{len(pairs)} pairs, {sum(map(share_no_word, pairs))} of them sharing no word "
            "(folded, 3 letters or more, no stop word).", "",
            "| rule | recall@5 | MRR |", "| --- | ---: | ---: |"]

    def row(name: str, ranking: Callable[[int], list[int]]) -> None:
        f = score(pairs, ranking)
        rows.append(f"| {name} | {f.recall_at_5:.3f} | {f.mrr:.3f} |")

    row("old rule: same category, shared 5-letter stems", old_rule(pairs))
    row("**matcher** (the lexicon and the thesaurus: every fair's defaults)",
        matcher(pairs, groups=lexicon(), thesaurus=thesaurus()))
    row("matcher without the lexicon (app/matching/data/fair_lexicon_pl.txt)", matcher(pairs, thesaurus=thesaurus()))
    row("matcher without the thesaurus", matcher(pairs, groups=lexicon()))
    row("matcher without either (no default synonyms)", matcher(pairs))
    for name, settings in ABLATIONS:
        with _changed(**settings):
            th = Thesaurus.load() if {"WEIGHT_THESAURUS", "WEIGHT_BROADER"} & set(settings) else thesaurus()
            row(f"matcher {name}", matcher(pairs, groups=lexicon(), thesaurus=th))
    return rows


def _quality() -> list[str]:
    from app.matching import analysis
    from app.matching.evaluation import SETS, load_pairs, matcher, score
    from app.matching.synonyms import thesaurus

    out: list[str] = []
    for label, path in SETS.items():
        if path.exists():
            out += [*_set_quality(label, path), ""]
        else:
            out += [f"#### {label}: not in this tree ({path.name})", ""]
    pairs = load_pairs()
    th = thesaurus()
    out += ["Lemmatisers (the matcher without the lexicon, whose terms are morfeusz2's lemmas, on "
            "the labelled set; speed: the set's words, "
            "each analysed once, no cache):", "",
            "| lemmatiser | load s | words/s | recall@5 | MRR |", "| --- | ---: | ---: | ---: | ---: |"]
    words = [w for p in pairs for side in (p.need, p.offer) for w in analysis.words(side.text)]
    for make in (analysis.Folded, analysis.Stempel, analysis.Simplemma, analysis.Morfeusz):
        start = time.perf_counter()
        lemmatiser = make()
        lemmatiser("sala")  # simplemma loads its dictionary on first use
        load = time.perf_counter() - start
        start = time.perf_counter()
        for w in words:
            lemmatiser(w)
        speed = len(words) / (time.perf_counter() - start)
        f = score(pairs, matcher(pairs, lemmatiser, thesaurus=th))
        out.append(f"| {lemmatiser.name} | {load:.2f} | {speed:,.0f} | {f.recall_at_5:.3f} | {f.mrr:.3f} |")
    return out


def _cost() -> list[str]:

    from app.matching.analysis import analyse, fold
    from app.matching.engine import Doc, Index
    from app.matching.evaluation import load_pairs
    from app.matching.synonyms import lexicon, thesaurus

    rng = random.Random(13)
    pairs = load_pairs()
    vocab = [w for p in pairs for s in (p.need, p.offer) for w in s.text.split() if len(w) > 2]

    def text() -> str:
        return " ".join(rng.sample(vocab, rng.randint(2, 4))) + "\n" + " ".join(rng.sample(vocab, rng.randint(6, 12)))

    docs = [Doc(i, 10_000 + i % 3000, rng.randint(1, 12), tuple(analyse(text()))) for i in range(POSTS)]
    build = _ms(lambda: Index.build(docs), 3)
    index = Index.build(docs)
    th, groups = thesaurus(), lexicon()  # every fair's defaults, as a served ranking widens with them
    queries = [tuple(analyse(text())) for _ in range(QUERIES)]
    category = rng.randint(1, 12)
    it = iter(queries * 3)

    def rank() -> None:
        index.rank(index.query(next(it), groups, th), category, 1)

    ranked = _ms(rank, QUERIES)
    floor_it = iter(queries * 3)

    def floor() -> None:
        assert index.retriever is not None
        terms = [fold(t) for t in next(floor_it)] or [""]
        index.retriever.retrieve([terms], k=10, show_progress=False)

    floor_ms = _ms(floor, QUERIES)
    new_ids = iter(range(POSTS, POSTS + 10 * QUERIES))
    patched = Index.build(docs)

    def patch_and_rank() -> None:
        nonlocal patched
        patched = patched.patched(set(), [Doc(next(new_ids), 1, category, tuple(analyse(text())))])
        patched.rank(patched.query(next(it), groups, th), category, 2)

    patch = _ms(patch_and_rank, 50)
    return [f"A side of {POSTS:,} posts ({len(index.retriever.vocab_dict):,} distinct terms); medians.", "",
            "| what | ms |", "| --- | ---: |",
            f"| **rank one new post** (widening, BM25, category, explanation) | {ranked:.2f} |",
            f"| floor: bm25s `retrieve` alone, the post's own terms, top 10 | {floor_ms:.2f} |",
            f"| a new post of this side patched in, then a post ranked | {patch:.2f} |",
            f"| full build of the index (after {max(64, POSTS // 10):,} patches, or a new process) | {build:.0f} |"]


def run() -> str:
    started = time.perf_counter()
    lines = ["## Matching in Polish (`matching`)", "",
             machine("bm25s", "morfeusz2", "simplemma", "pystempel", "rapidfuzz", "numpy", "scikit-learn"), "",
             "### Quality on the labelled sets", "", *_quality(), "",
             "### Ranking one new post at a big fair", "", *_cost(), "",
             f"Took {time.perf_counter() - started:.0f} s. See docs/matching.md for what the figures mean."]
    return "\n".join(lines)
