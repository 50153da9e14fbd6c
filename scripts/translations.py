"""Build the message catalogs: merge translations/<lang>/parts/*.po and compile messages.mo.

Each area of the app keeps its Polish translations in its own part file, so that work on one
area never conflicts with another. `check` lists the source strings without a translation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("pl",)
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}


def merged(lang: str) -> Catalog:
    catalog = Catalog(locale=lang)
    for part in sorted((TRANSLATIONS / lang / "parts").glob("*.po")):
        with part.open("rb") as fh:
            for msg in read_po(fh, locale=lang):
                if msg.id and msg.string:
                    if msg.id in catalog and catalog[msg.id].string != msg.string:
                        raise SystemExit(f"{part.name}: conflicting translation for {msg.id!r}")
                    catalog.add(msg.id, msg.string)
    return catalog


def source_messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS,
            options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        found.add(message)
    return found


def compile_all() -> None:
    for lang in LANGUAGES:
        out = TRANSLATIONS / lang / "LC_MESSAGES"
        out.mkdir(parents=True, exist_ok=True)
        with (out / "messages.mo").open("wb") as fh:
            write_mo(fh, merged(lang))


def missing(lang: str) -> list[str]:
    catalog = merged(lang)
    result = []
    for message in source_messages():
        key = message if isinstance(message, str) else message[0]
        if key not in catalog:
            result.append(key)
    return sorted(result)


def stale(lang: str) -> list[str]:
    """Translations of messages the source no longer has (left behind by a change of wording)."""
    used = {m if isinstance(m, str) else m[0] for m in source_messages()}
    keys = [m.id if isinstance(m.id, str) else m.id[0] for m in merged(lang) if m.id]
    return sorted(key for key in keys if key not in used)


def drop_stale(lang: str) -> int:
    """Remove stale translations from the part files; returns how many."""
    from babel.messages.pofile import write_po

    gone = set(stale(lang))
    for part in sorted((TRANSLATIONS / lang / "parts").glob("*.po")):
        with part.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        keys = [m.id for m in catalog if m.id and (m.id if isinstance(m.id, str) else m.id[0]) in gone]
        for key in keys:
            del catalog[key]
        if keys:
            with part.open("wb") as fh:
                write_po(fh, catalog, width=120)
    return len(gone)


if __name__ == "__main__":
    if sys.argv[1:] == ["check"]:
        gaps, left = missing("pl"), stale("pl")
        for gap in gaps:
            print(f"missing: {gap}")
        for key in left:
            print(f"stale: {key}")
        sys.exit(1 if gaps or left else 0)
    if sys.argv[1:] == ["drop-stale"]:
        print(f"{drop_stale('pl')} stale translations removed.")
        sys.exit(0)
    compile_all()
