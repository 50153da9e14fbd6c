"""Polish text as matching terms: words, their lemmas (morfeusz2, measured against simplemma and
pystempel in docs/matching.md), stop words left out.

A post's terms are its lemmas as the dictionary writes them ("sala", "krzesło"), kept readable for
the explanation of a match; the index compares them folded ("krzeslo"), so that a lemma typed
without Polish letters still meets one written with them."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import combinations, product

import morfeusz2

from app.core.textkeys import search_key

_WORD = re.compile(r"[^\W\d_]+")
MIN_LENGTH = 3  # shorter words say little about what is offered ("na", "do", "ok")

# Folded lemmas too common on a fair's floor to say that two posts are about the same thing:
# function words, the verbs of posting itself ("potrzebujemy", "oferujemy", "szukamy") and the
# words of how many and when ("dla 30 osób", "dwie godziny w tygodniu").
STOPWORDS = frozenset(search_key(w) for w in """
a i o u w z za na do od po we ze ku przy dla oraz lub albo czy nie tak być on ona ono oni my wy ja ty
jak ten ta to te tamten który która które jaki jakiś każdy wszystek cały sam swój mój twój nasz wasz
jej jego ich się sobie mieć móc chcieć musieć potrzebować potrzebny szukać poszukiwać oferować oddać
oddawać przyjąć zaoferować udostępnić chętnie bardzo także też jeszcze już tylko ile kilka kilku
około ok raz razy dzień który co kto gdzie kiedy żeby aby bez pod nad przed między przez przy u
osoba sztuka godzina tydzień miesiąc rok minuta
the and or of to in on for with we our can need offer looking from by at an be is are
""".split())


# --- lemmatisers ------------------------------------------------------------------------------
# Each turns one lower-case word into its lemma (the word itself when it knows no better).

_PREFERRED = ("subst", "adj", "ger", "fin", "inf", "praet")  # what a post is about: nouns first


class Morfeusz:
    """morfeusz2 (SGJP dictionary): of a word's readings, a noun's lemma before an adjective's
    before a verb's ("pomieszczenie": the room, not "pomieścić")."""

    name = "morfeusz2"

    def __init__(self) -> None:
        self._local = threading.local()  # one analyser per thread: it is not shared safely

    def _analyser(self) -> morfeusz2.Morfeusz:
        analyser = getattr(self._local, "analyser", None)
        if analyser is None:
            analyser = self._local.analyser = morfeusz2.Morfeusz(generate=False, expand_tags=False)
        return analyser

    def _best(self, word: str) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        for _start, _end, (_orth, lemma, tag, *_rest) in self._analyser().analyse(word):
            cls = tag.split(":", 1)[0]
            if cls == "ign":
                continue
            rank = _PREFERRED.index(cls) if cls in _PREFERRED else len(_PREFERRED)
            base = lemma.split(":", 1)[0].lower()
            if best is None or rank < best[0]:
                best = (rank, base)
        return best

    def __call__(self, word: str) -> str:
        best = self._best(word)
        if best is None and RESTORE_DIACRITICS:
            best = self._restored(word)
        return best[1] if best else word

    def _restored(self, word: str) -> tuple[int, str] | None:
        """A word the dictionary does not know, typed without its Polish letters ("stoly",
        "zajecia"): the reading of the form with the fewest letters given back that it knows
        ("stoły" -> "stół"), nouns first; None when no such form is known."""
        for changes in range(1, MAX_RESTORED + 1):
            found = [best for form in _with_diacritics(word, changes) if (best := self._best(form))]
            if found:
                return min(found, key=lambda best: best[0])  # the first of the best kind
        return None


class Simplemma:
    """simplemma's Polish dictionary and rules."""

    name = "simplemma"

    def __call__(self, word: str) -> str:
        import simplemma  # late: only the measurement (bench/matching.py) compares it

        return str(simplemma.lemmatize(word, lang="pl")).lower()


class Stempel:
    """pystempel's stemmer trained on PoliMorf (a stem, not always a word)."""

    name = "pystempel"

    def __init__(self) -> None:
        from pystempel import Stemmer  # late: only the measurement (bench/matching.py) compares it

        self._stemmer = Stemmer.polimorf()

    def __call__(self, word: str) -> str:
        stem = self._stemmer(word)
        return str(stem).lower() if stem else word


class Folded:
    """No lemmatiser: the folded word itself (the floor the others are compared with)."""

    name = "none"

    def __call__(self, word: str) -> str:
        return word


# Letters a word typed on a plain keyboard may stand for ("stoly": "stoły").
_DIACRITICS = {"a": "ą", "c": "ć", "e": "ę", "l": "ł", "n": "ń", "o": "ó", "s": "ś", "z": "źż"}
RESTORE_DIACRITICS = True
MAX_RESTORED = 3  # at most this many letters given back in one word


def _with_diacritics(word: str, changes: int) -> Iterator[str]:
    """The forms of `word` with exactly `changes` of its plain letters given their Polish marks."""
    places = [i for i, c in enumerate(word) if c in _DIACRITICS]
    for chosen in combinations(places, changes):
        for marks in product(*(_DIACRITICS[word[i]] for i in chosen)):
            letters = list(word)
            for i, mark in zip(chosen, marks, strict=True):
                letters[i] = mark
            yield "".join(letters)


Lemmatiser = Callable[[str], str]
_DEFAULT = Morfeusz()


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    return _DEFAULT(word)


def fold(term: str) -> str:
    """The form terms are compared in: lower case, no Polish letters ('krzesło' -> 'krzeslo')."""
    return search_key(term)


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) >= MIN_LENGTH]


def analyse(text: str, lemmatiser: Lemmatiser | None = None) -> list[str]:
    """The text's terms in order: lemmas of its words, without stop words ('Potrzebna sala dla 20
    osób' -> ['sala', 'osoba'])."""
    lemma = _lemma if lemmatiser is None else lemmatiser
    out = []
    for word in words(text):
        term = lemma(word)
        if len(term) >= MIN_LENGTH and fold(term) not in STOPWORDS:
            out.append(term)
    return out


def post_terms(title: str, details: str, lemmatiser: Lemmatiser | None = None) -> str:
    """What is stored with a post (Post.match_terms): its terms, space-separated."""
    return " ".join(analyse(f"{title}\n{details}", lemmatiser))


def split_terms(stored: str) -> list[str]:
    return stored.split()


def readable(terms: Iterable[str]) -> dict[str, str]:
    """Folded term -> the first readable form of it seen."""
    out: dict[str, str] = {}
    for term in terms:
        out.setdefault(fold(term), term)
    return out
