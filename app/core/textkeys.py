"""Keys that make names and search terms compare the way people expect."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letters that Unicode does not decompose into base letter + accent.
_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss"})


def tidy(value: str | None) -> str:
    """Trim and collapse inner whitespace."""
    return _SPACES.sub(" ", (value or "").strip())


def name_key(value: str) -> str:
    """Case-insensitive identity of a name (diacritics kept: Łukasz is not Lukasz)."""
    return tidy(value).casefold()


def search_key(value: str) -> str:
    """Case- and diacritic-insensitive form for search: 'Żółw' -> 'zolw'."""
    decomposed = unicodedata.normalize("NFKD", tidy(value).translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def word_key(value: str) -> str:
    """'Organizacja  pozarządowa' -> 'organizacja pozarzadowa'; 'social_cooperative' -> 'social cooperative'."""
    return " ".join(search_key(re.sub(r"[_/-]", " ", value)).split())


SEPARATOR = "\x1f"  # between folded fields: sorts before every letter, and no search word holds it


def person_keys(first_name: str, last_name: str, email: str, badge_code: str) -> tuple[str, str]:
    """A person's folded sort key ("last<US>first": by last name, then first, as people expect)
    and searched text (name, e-mail, badge code)."""
    sort = f"{search_key(last_name)}{SEPARATOR}{search_key(first_name)}"
    text = SEPARATOR.join(search_key(v) for v in (f"{first_name} {last_name}", email, badge_code))
    return sort, text
