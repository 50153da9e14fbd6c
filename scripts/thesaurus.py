"""Derive app/matching/data/thesaurus_pl.tsv.gz from Debian's mythes-pl (the OpenOffice Polish
thesaurus of synonimy.ux.pl, © 2004-2008 Marcin Miłkowski, LGPL-2.1; licence beside the file).

    apt-get install mythes-pl && .venv/bin/python scripts/thesaurus.py

Kept: one-word headwords and their one-word synonyms (relation `=`), broader terms (`>`, "pojęcie
nadrzędne") and narrower terms (`<`, "pojęcie podrzędne"); usage notes such as "(pot.)" dropped.
Lines: headword TAB relation TAB word, sorted, so that the file diffs well."""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

SOURCE = Path("/usr/share/mythes/th_pl_PL_v2.dat")
TARGET = Path(__file__).resolve().parent.parent / "app" / "matching" / "data" / "thesaurus_pl.tsv.gz"
_NOTE = re.compile(r"\s*\([^)]*\)")
_WORD = re.compile(r"^[^\W\d_]+$")


def derive(source: Path) -> list[tuple[str, str, str]]:
    lines = source.read_bytes().decode(source.read_bytes().split(b"\n", 1)[0].decode().strip()).splitlines()[1:]
    out: set[tuple[str, str, str]] = set()
    head = ""
    for line in lines:
        if not line.startswith("-|"):
            head = line.split("|", 1)[0].strip().lower()
            continue
        if not _WORD.match(head):
            continue
        for item in line.split("|")[1:]:
            relation = ">" if "nadrzędne" in item else "<" if "podrzędne" in item else "="
            word = _NOTE.sub("", item).strip().lower()
            if _WORD.match(word) and word != head:
                out.add((head, relation, word))
    return sorted(out)


def main() -> int:
    rows = derive(SOURCE)
    with gzip.open(TARGET, "wt", encoding="utf-8", compresslevel=9) as f:
        f.writelines(f"{h}\t{r}\t{w}\n" for h, r, w in rows)
    print(f"{len(rows)} relations -> {TARGET} ({TARGET.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
