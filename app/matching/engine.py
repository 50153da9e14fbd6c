"""The ranking itself, apart from the database: one side's posts (a fair's offers, or its needs) as a
BM25 index (bm25s), and a post of the other side ranked against it.

* A post's terms (app/matching/analysis.py) are widened before they are looked up: the fair's own
  synonym groups, the thesaurus (and a synonym's synonyms), the index's words a typo or a missing
  Polish letter away ("projektr" -> "projektor", "krzesla" -> "krzeslo"), and the index's words of
  similar character n-grams (scikit-learn's tf-idf of char 3-5-grams: "zabezpieczenie" ->
  "cyberbezpieczenstwo"); each widened term weighs less than the post's own (`Expansion.weight`),
  and the BM25 score is the weighted sum of bm25s's scores of the terms.
* Same category: the score is multiplied by 1 + CATEGORY_BOOST (a signal, not a filter).
* The weights were chosen on the labelled set (docs/matching.md says which and how).
* Patched as posts change (`Index.patched`): a new or edited post joins a small "recent" list,
  scored with bm25s's own BM25 formulas against the index's statistics; a post that left is masked
  out; the index is rebuilt only when the recent list grows past REBUILD_SHARE of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

import bm25s
import numpy as np
from bm25s.scoring import _score_idf_lucene, _score_tfc_lucene
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from app.matching.analysis import fold, readable
from app.matching.synonyms import NO_GROUPS, CompiledGroups, Expansion, Thesaurus

CATEGORY_BOOST = 2.0  # same category: the score tripled
K1, B = 1.5, 0.75  # bm25s's defaults (Lucene's variant)
FUZZY_MIN = 5  # shorter words are not widened by spelling: too many near neighbours
WEIGHT_FUZZY = 0.6
FUZZY_THESAURUS = True
STEM = 5  # a word's first letters, a term of their own: 'fotograf', 'fotografia', 'fotograficzny'
STEM_MIN = 6
WEIGHT_STEM = 0.4
CATEGORY_PRIOR = 0.0
CHAR_WEIGHT = 0.8  # a word of similar character n-grams weighs this times their cosine
CHAR_SIMILAR = 0.3
CHAR_MIN_LENGTH = 4
CHAR_REFIT = 2000  # a vocabulary of this many words or fewer is fitted again when words join
CHAR_NGRAMS = (3, 5)
MIN_SCORE = 0.0
REBUILD_SHARE = 0.1
REBUILD_MIN = 64


@dataclass(frozen=True)
class Doc:
    id: int
    organisation_id: int
    category_id: int
    terms: tuple[str, ...]  # readable lemmas (analysis.analyse)
    version: int = 1


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float
    shared: list[str]


@dataclass
class Query:
    """A post's terms, widened: folded term -> (weight, the post's term it answers, how the
    widened term is shown: a fair synonym's phrase as the organisers wrote it, or '')."""

    weights: dict[str, tuple[float, str, str]]
    readable: dict[str, str]

    def label(self, term: str, index_readable: dict[str, str]) -> str:
        _weight, source, shown = self.weights[term]
        mine = " ".join(self.readable.get(s, s) for s in source.split())
        if term.startswith("^"):
            return mine  # the same stem ('fotograf' in 'fotografia' and 'fotograficzny')
        theirs = shown or index_readable.get(term, term)
        return theirs if source == term else f"{mine}/{theirs}"


def with_stems(folded: Sequence[str]) -> list[str]:
    """The terms and, for each long enough, its stem ('^fotog'): derived words meet."""
    return [*folded, *(f"^{t[:STEM]}" for t in folded if len(t) >= STEM_MIN)]


def _char_word(term: str) -> bool:
    return len(term) >= CHAR_MIN_LENGTH and not term.startswith("^")


def _fuzzy(term: str, bucket: Sequence[str]) -> list[str]:
    limit = 1 if len(term) < 8 else 2
    return [choice for choice, distance, _ in process.extract(
        term, bucket, scorer=Levenshtein.distance, score_cutoff=limit, limit=None) if distance > 0]


@dataclass
class Index:
    docs: list[Doc]
    folded: list[list[str]]
    retriever: bm25s.BM25 | None
    doc_freq: Counter[str]
    avg_length: float
    readable: dict[str, str]
    alive: np.ndarray  # False: the post left (withdrawn, taken, hidden, edited: see `recent`)
    organisations: np.ndarray
    categories: np.ndarray
    buckets: dict[str, list[str]]  # first letter -> words of FUZZY_MIN letters or more
    chars: TfidfVectorizer | None = None  # character n-grams of the index's words
    char_words: list[str] = field(default_factory=list)
    char_matrix: sparse.csr_matrix | None = None  # a row per word of char_words
    recent: list[Doc] = field(default_factory=list)
    recent_folded: list[list[str]] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)  # post id -> position in docs

    @classmethod
    def build(cls, docs: Iterable[Doc]) -> Index:
        docs = list(docs)
        folded = [with_stems([fold(t) for t in d.terms]) for d in docs]
        retriever = None
        if docs:
            retriever = bm25s.BM25(k1=K1, b=B, method="lucene")
            retriever.index(folded, show_progress=False)
        doc_freq: Counter[str] = Counter()
        for terms in folded:
            doc_freq.update(set(terms))
        index = cls(docs=docs, folded=folded, retriever=retriever, doc_freq=doc_freq,
                    avg_length=(sum(map(len, folded)) / len(folded) if folded else 1.0) or 1.0,
                    readable=readable(t for d in docs for t in d.terms),
                    alive=np.ones(len(docs), dtype=bool),
                    organisations=np.array([d.organisation_id for d in docs], dtype=np.int64),
                    categories=np.array([d.category_id for d in docs], dtype=np.int64),
                    buckets={}, positions={d.id: i for i, d in enumerate(docs)})
        index._bucket(doc_freq)
        index.char_words = sorted(w for w in doc_freq if _char_word(w))
        index._fit_chars()
        return index

    def _fit_chars(self) -> None:
        """The character n-grams' tf-idf, fitted on the index's words."""
        if CHAR_WEIGHT and self.char_words:
            self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                                         dtype=np.float32)
            self.char_matrix = self.chars.fit_transform(self.char_words).tocsr()

    def _bucket(self, words: Iterable[str]) -> None:
        for word in words:
            if len(word) >= FUZZY_MIN and not word.startswith("^"):
                bucket = self.buckets.setdefault(word[0], [])
                if word not in bucket:
                    bucket.append(word)

    # --- patching ---------------------------------------------------------------------------

    def versions(self) -> dict[int, int]:
        """Post id -> version of what the index holds (alive)."""
        held = {d.id: d.version for i, d in enumerate(self.docs) if self.alive[i]}
        held.update((d.id, d.version) for d in self.recent)
        return held

    def patched(self, gone: set[int], added: Sequence[Doc]) -> Index:
        """Posts `gone` leave, `added` (new, or a new version) join: masked and listed here, or
        the whole index rebuilt when the recent list has grown past its share."""
        recent = [d for d in self.recent if d.id not in gone and d.id not in {a.id for a in added}]
        for post_id in gone | {a.id for a in added}:
            position = self.positions.get(post_id)
            if position is not None:
                self.alive[position] = False
        recent.extend(added)
        if len(recent) > max(REBUILD_MIN, REBUILD_SHARE * len(self.docs)):
            return Index.build([*(d for i, d in enumerate(self.docs) if self.alive[i]), *recent])
        self.recent = recent
        self.recent_folded = [with_stems([fold(t) for t in d.terms]) for d in recent]
        known = set(self.char_words)
        new = sorted({t for terms in self.recent_folded for t in terms if _char_word(t) and t not in known})
        if new:  # a small vocabulary is fitted again (a few ms); a big one takes the new words as
            # they are, with the n-grams it knows (a rebuild fits it again)
            self.char_words.extend(new)
            if self.chars is None or self.char_matrix is None or len(self.char_words) <= CHAR_REFIT:
                self._fit_chars()
            else:
                self.char_matrix = sparse.vstack([self.char_matrix, self.chars.transform(new)]).tocsr()
        self.readable.update((k, v) for k, v in readable(t for d in added for t in d.terms).items()
                             if k not in self.readable)
        self._bucket(t for terms in self.recent_folded for t in terms)
        return self

    def __len__(self) -> int:
        return int(self.alive.sum()) + len(self.recent)

    # --- ranking ----------------------------------------------------------------------------

    def query(self, terms: Sequence[str], groups: CompiledGroups = NO_GROUPS,
              thesaurus: Thesaurus | None = None, fuzzy: bool = True) -> Query:
        mine = {fold(t) for t in terms}
        weights: dict[str, tuple[float, str, str]] = {t: (1.0, t, "") for t in mine}
        widened: list[Expansion] = [*groups.expand(mine), *(thesaurus.expand(mine) if thesaurus else [])]
        if fuzzy:
            spelled = [Expansion(w, WEIGHT_FUZZY, t) for t in sorted(mine) if len(t) >= FUZZY_MIN
                       for w in _fuzzy(t, self.buckets.get(t[0], ()))]
            widened.extend(spelled)
            if thesaurus and FUZZY_THESAURUS:  # "projektr" -> "projektor" -> "rzutnik"
                widened.extend(Expansion(e.term, WEIGHT_FUZZY * e.weight, s.source)
                               for s in spelled for e in thesaurus.expand({s.term}) if e.term not in mine)
        if CHAR_WEIGHT:
            widened.extend(self._char_neighbours(sorted(mine)))
        if WEIGHT_STEM:
            widened.extend(Expansion(s, WEIGHT_STEM, t) for t in sorted(mine) for s in with_stems([t])[1:])
        for e in widened:
            if e.term not in weights or weights[e.term][0] < e.weight:
                weights[e.term] = (e.weight, e.source, e.shown)
        return Query(weights, readable(terms))

    def _char_neighbours(self, terms: Sequence[str]) -> list[Expansion]:
        """The index's words whose character n-grams are close to a term's (cosine of their
        tf-idf vectors, CHAR_SIMILAR or more): words of one family ("zabezpieczenie" -
        "cyberbezpieczeństwo", "drukarka" - "drukarnia"), weighing CHAR_WEIGHT times the cosine."""
        long = [t for t in terms if len(t) >= CHAR_MIN_LENGTH]
        if self.chars is None or self.char_matrix is None or not long:
            return []
        similar = (self.chars.transform(long) @ self.char_matrix.T).tocoo()
        return [Expansion(self.char_words[j], CHAR_WEIGHT * float(v), long[i])
                for i, j, v in zip(similar.row, similar.col, similar.data, strict=True)
                if v >= CHAR_SIMILAR and self.char_words[j] != long[i]]

    def rank(self, query: Query, category_id: int | None, organisation_id: int | None,
             limit: int = 10, exclude: Iterable[int] = ()) -> list[Hit]:
        """The best `limit` posts (some evidence in common; not of `organisation_id`; not
        `exclude`): the index's posts, then the recent ones, in one array."""
        if not self.docs and not self.recent:
            return []
        scores = np.concatenate([self._bm25(query), self._recent_bm25(query)])
        categories = np.concatenate([self.categories, np.array([d.category_id for d in self.recent],
                                                               dtype=np.int64)])
        if category_id is not None:
            same = categories == category_id
            scores[same] = scores[same] * (1 + CATEGORY_BOOST) + CATEGORY_PRIOR
        keep = np.concatenate([self.alive, np.ones(len(self.recent), dtype=bool)]) & (scores > MIN_SCORE)
        if organisation_id is not None:
            organisations = np.concatenate([self.organisations, np.array(
                [d.organisation_id for d in self.recent], dtype=np.int64)])
            keep &= organisations != organisation_id
        excluded = set(exclude)
        candidates = np.flatnonzero(keep)
        want = limit + len(excluded)
        if len(candidates) > want:
            candidates = candidates[np.argpartition(-scores[candidates], want - 1)[:want]]
        order = sorted(candidates.tolist(), key=lambda i: (-scores[i], -self._doc(i).id))
        hits = [Hit(self._doc(i), float(scores[i]), self._shared(query, set(self._folded(i))))
                for i in order if self._doc(i).id not in excluded]
        return hits[:limit]

    def _doc(self, i: int) -> Doc:
        return self.docs[i] if i < len(self.docs) else self.recent[i - len(self.docs)]

    def _folded(self, i: int) -> list[str]:
        return self.folded[i] if i < len(self.docs) else self.recent_folded[i - len(self.docs)]

    def _bm25(self, query: Query) -> np.ndarray:
        scores = np.zeros(len(self.docs), dtype=np.float32)
        if self.retriever is None:
            return scores
        vocab = self.retriever.vocab_dict
        by_weight = sorted(((w, vocab[t]) for t, (w, *_s) in query.weights.items() if t in vocab), reverse=True)
        for weight, ids in groupby(by_weight, key=lambda x: x[0]):
            scores += weight * self.retriever.get_scores_from_ids([i for _w, i in ids])
        return scores

    def _recent_bm25(self, query: Query) -> np.ndarray:
        """The recent posts, scored by bm25s's formulas with the index's document frequencies
        and mean length (what a rebuild would give, less the recent posts' own share)."""
        n = max(1, len(self.docs))
        out = np.zeros(len(self.recent), dtype=np.float32)
        for position, terms in enumerate(self.recent_folded):
            score = 0.0
            for term, tf in Counter(terms).items():
                if term in query.weights:
                    idf = _score_idf_lucene(self.doc_freq.get(term, 0) + 1, n + 1)
                    tfc = _score_tfc_lucene(np.float32(tf), len(terms), self.avg_length, K1, B)
                    score += query.weights[term][0] * float(idf * tfc)
            out[position] = score
        return out

    def _shared(self, query: Query, doc_terms: set[str]) -> list[str]:
        """The post's terms the other has, and each widened one as "mine/theirs", the weightiest
        and rarest first."""
        found = sorted((t for t in query.weights if t in doc_terms),
                       key=lambda t: (-query.weights[t][0], -self._idf(t), t))
        labels: list[str] = []
        for term in found:
            label = query.label(term, self.readable)
            if label not in labels:
                labels.append(label)
        return labels

    def _idf(self, term: str) -> float:
        return float(_score_idf_lucene(self.doc_freq.get(term, 0) + 1, len(self.docs) + 1))
