"""The labelled set (tests/data/matching_pl.jsonl) and the matcher's floor on it
(app/matching/evaluation.py; `make bench` reports the exact figures, docs/benchmarks.md)."""

from app.matching.evaluation import load_pairs, matcher, old_rule, score, share_no_word
from app.matching.synonyms import thesaurus

# Just below the figure reached (recall@5 0.713, MRR 0.521, docs/matching.md), not the 0.85
# target.
RECALL_FLOOR = 0.70


def test_the_set_has_150_pairs_or_more_and_half_share_no_word():
    pairs = load_pairs()
    assert len(pairs) >= 150
    assert sum(map(share_no_word, pairs)) / len(pairs) >= 0.5


def test_the_matcher_reaches_its_floor_of_recall_at_5():
    pairs = load_pairs()
    assert score(pairs, matcher(pairs, thesaurus=thesaurus())).recall_at_5 >= RECALL_FLOOR


def test_the_matcher_beats_the_old_rule():
    pairs = load_pairs()
    new, old = score(pairs, matcher(pairs, thesaurus=thesaurus())), score(pairs, old_rule(pairs))
    assert new.recall_at_5 > old.recall_at_5 and new.mrr > old.mrr
