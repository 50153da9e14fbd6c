"""Words that answer each other: a fair's own synonym groups, which its organisers edit (one group a
line, "rzutnik = projektor = projektor multimedialny"), and the Polish thesaurus every fair has
underneath (app/matching/data/thesaurus_pl.tsv.gz, derived from Debian's mythes-pl by
scripts/thesaurus.py; LGPL-2.1, see docs/matching.md).

Both work on the query side: a post's terms are widened with what answers them, each widened term
weighing less than the post's own (see `Expansion`)."""

from __future__ import annotations

import gzip
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.core.textkeys import tidy
from app.fairs.roles import Actor, Role, require_role
from app.matching.analysis import analyse, fold
from app.matching.models import SynonymGroup

THESAURUS = Path(__file__).resolve().parent / "data" / "thesaurus_pl.tsv.gz"
# The vocabulary of resource fairs, written blind to the matcher and to its evaluation sets: the
# first file, then two more of a second pass (docs/matching.md).
LEXICON = tuple(Path(__file__).resolve().parent / "data" / name
                for name in ("fair_lexicon_pl.txt", "fair_lexicon_pl_2.txt", "fair_lexicon_pl_3.txt"))
MAX_GROUPS = 500
MAX_LINE = 500
MAX_MEMBER = 80
SEPARATOR = "="

# How much a widened term weighs against the post's own word (1.0).
WEIGHT_FAIR = 0.9  # the organisers said so
WEIGHT_LEXICON = 0.8  # the fairs' own vocabulary, shipped with the app (fair_lexicon_pl.txt)
WEIGHT_THESAURUS = 0.7  # a synonym in the thesaurus
WEIGHT_BROADER = 0.5  # a broader or narrower term in it ("sala" - "pomieszczenie")
HOP2_MIN = 0.7  # ... through steps of this weight or more
HOP2 = 1.0  # a word two steps away in it weighs HOP2 times the product of the steps' weights


@dataclass(frozen=True)
class Expansion:
    term: str  # folded term the post did not have
    weight: float
    source: str  # the post's folded term (or phrase, space-joined) it answers
    shown: str = ""  # how to show it, when not as the other post's word (a fair synonym's phrase)


# --- the organisers' groups ---------------------------------------------------------------------

def parse_groups(text: str) -> list[list[str]]:
    """One group a line, members separated by '='; blank lines skipped. Refused (coded): a line
    with fewer than two members, too long a line or member, too many groups."""
    groups: list[list[str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = tidy(raw)
        if not line:
            continue
        if len(line) > MAX_LINE:
            raise ValidationError(_l("Line %(n)s is longer than %(max)s characters.", n=number, max=MAX_LINE),
                                  code="synonym_line_too_long")
        members: list[str] = []
        for member in (tidy(m) for m in line.split(SEPARATOR)):
            if member and fold(member) not in {fold(m) for m in members}:
                members.append(member)
        if len(members) < 2:
            raise ValidationError(_l("Line %(n)s needs at least two words or phrases separated by “=”.",
                                     n=number), code="synonym_group_too_small")
        if any(len(m) > MAX_MEMBER for m in members):
            raise ValidationError(_l("Line %(n)s has a phrase longer than %(max)s characters.",
                                     n=number, max=MAX_MEMBER), code="synonym_member_too_long")
        if not all(analyse(m) for m in members):
            raise ValidationError(_l("Line %(n)s has a member with no word to match (too short, or a "
                                     "number).", n=number), code="synonym_member_empty")
        groups.append(members)
    if len(groups) > MAX_GROUPS:
        raise ValidationError(_l("At most %(max)s groups.", max=MAX_GROUPS), code="too_many_synonym_groups")
    return groups


def fair_groups(fair_id: int) -> list[SynonymGroup]:
    return list(db.session.scalars(select(SynonymGroup).where(SynonymGroup.fair_id == fair_id)
                                   .order_by(SynonymGroup.position, SynonymGroup.id)))


def groups_text(fair_id: int) -> str:
    """The groups as the organiser's page shows them for editing."""
    return "\n".join(g.members for g in fair_groups(fair_id))


@service
def set_synonyms(actor: Actor, fair_id: int, text: str) -> list[SynonymGroup]:
    """Replace the fair's synonym groups with those of `text` (one group a line)."""
    require_role(actor, fair_id, Role.ORGANISER)
    groups = parse_groups(text)
    db.session.execute(delete(SynonymGroup).where(SynonymGroup.fair_id == fair_id))
    rows = [SynonymGroup(fair_id=fair_id, position=i, members=f" {SEPARATOR} ".join(members))
            for i, members in enumerate(groups)]
    db.session.add_all(rows)
    db.session.flush()
    return rows


# --- compiled for ranking ------------------------------------------------------------------------

@dataclass(frozen=True)
class Member:
    terms: tuple[str, ...]  # folded lemmas
    text: str  # as the organisers wrote it


@dataclass(frozen=True)
class CompiledGroups:
    """Synonym groups as folded phrases, ready to widen a post's terms; `weights`: each group's
    (none: all WEIGHT_FAIR, the fair's own groups)."""

    groups: tuple[tuple[Member, ...], ...]
    weights: tuple[float, ...] = ()

    def expand(self, terms: set[str]) -> list[Expansion]:
        out: list[Expansion] = []
        for i, members in enumerate(self.groups):
            present = [m for m in members if set(m.terms) <= terms]
            if not present:
                continue
            source = " ".join(present[0].terms)
            weight = self.weights[i] if self.weights else WEIGHT_FAIR
            for member in members:
                out.extend(Expansion(t, weight, source, member.text) for t in member.terms if t not in terms)
        return out

    def __add__(self, other: CompiledGroups) -> CompiledGroups:
        def weights(g: CompiledGroups) -> tuple[float, ...]:
            return g.weights or (WEIGHT_FAIR,) * len(g.groups)

        return CompiledGroups(self.groups + other.groups, weights(self) + weights(other))


NO_GROUPS = CompiledGroups(())


@lru_cache(maxsize=256)
def compile_groups(lines: tuple[str, ...], weight: float = WEIGHT_FAIR) -> CompiledGroups:
    """Each stored line ("rzutnik = projektor multimedialny") as folded lemma phrases."""
    groups = []
    for line in lines:
        members = tuple(Member(terms, tidy(m)) for m in line.split(SEPARATOR)
                        if (terms := tuple(fold(t) for t in analyse(m))))
        if len(members) >= 2:
            groups.append(members)
    return CompiledGroups(tuple(groups), (weight,) * len(groups) if weight != WEIGHT_FAIR else ())


@lru_cache(maxsize=1)
def lexicon() -> CompiledGroups:
    """The vocabulary of resource fairs shipped with the app (app/matching/data/fair_lexicon_pl*.txt,
    one group a line as on the synonyms page, `#` comments): every fair's default groups, under
    its own (which weigh more)."""
    lines = [line.strip() for path in LEXICON for line in path.read_text(encoding="utf-8").splitlines()]
    return compile_groups(tuple(line for line in lines if line and not line.startswith("#")), WEIGHT_LEXICON)


def fair_compiled_groups(fair_id: int) -> CompiledGroups:
    """The fair's own groups, then the lexicon's."""
    lines = tuple(db.session.scalars(select(SynonymGroup.members).where(SynonymGroup.fair_id == fair_id)
                                     .order_by(SynonymGroup.position, SynonymGroup.id)))
    return (compile_groups(lines) if lines else NO_GROUPS) + lexicon()


# --- the thesaurus -------------------------------------------------------------------------------

class Thesaurus:
    """Folded word -> [(folded related word, weight)], from the vendored file."""

    def __init__(self, related: dict[str, list[tuple[str, float]]]) -> None:
        self.related = related

    @classmethod
    def load(cls, path: Path = THESAURUS) -> Thesaurus:
        best: dict[str, dict[str, float]] = defaultdict(dict)
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                head, relation, word = line.rstrip("\n").split("\t")
                weight = WEIGHT_THESAURUS if relation == "=" else WEIGHT_BROADER
                h, w = fold(head), fold(word)
                if h != w:  # both ways: the thesaurus lists some relations under one word only
                    best[h][w] = max(weight, best[h].get(w, 0.0))
                    best[w][h] = max(weight, best[w].get(h, 0.0))
        return cls({h: sorted(ws.items()) for h, ws in best.items()})

    def expand(self, terms: set[str]) -> list[Expansion]:
        out = [Expansion(w, weight, t) for t in sorted(terms) for w, weight in self.related.get(t, ())
               if w not in terms]
        if HOP2:
            out.extend(Expansion(v, HOP2 * e.weight * weight, e.source) for e in list(out)
                       if e.weight >= HOP2_MIN for v, weight in self.related.get(e.term, ())
                       if weight >= HOP2_MIN and v not in terms)
        return out


EMPTY_THESAURUS = Thesaurus({})


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    """Loaded once per process, on first use (a serving process: at its start, `warm_up`)."""
    return Thesaurus.load()


def warm_up() -> None:
    """Load what the first ranking would (the thesaurus, about a second; the lemmatiser's
    dictionary) before the server takes requests: under gevent a ranking runs on the loop that
    serves every phone, so the first post of a fair would otherwise hold the hall for that long."""
    thesaurus()
    lexicon()
    analyse("sala")
