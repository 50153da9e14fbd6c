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


if __name__ == "__main__":
    if sys.argv[1:] == ["check"]:
        gaps = missing("pl")
        for gap in gaps:
            print(gap)
        sys.exit(1 if gaps else 0)
    compile_all()
