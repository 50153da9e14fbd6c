"""Badge PDF for 1,000 participants, against a bare WeasyPrint render of as many QR images.

`run()` builds a fair of N participants in a temporary SQLite database, then measures, each
time in a fresh child process (`python -m bench.badges child <what> <dir>`), in alternating
rounds:

- ours: what the background job and the CLI do: load the participants, make their QR codes,
  lay the badges out in chunks, write the PDF;
- floor: WeasyPrint rendering a page of nothing but the same N QR images, as `qrcode.make()`
  makes them by default (PNG), made beforehand; their making is timed on its own;
- reference: the same bare render of our own one-pixel-per-module PNGs.

Wall time is time.perf_counter() around the step; memory is the child's peak RSS from
resource.getrusage(RUSAGE_SELF).ru_maxrss, the whole process (interpreter and imports included).
"""

from __future__ import annotations

import base64
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._child import measure, run_child
from bench._report import machine

N = int(os.environ.get("BENCH_BADGES", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET = 1.3
PUBLIC_URL = "https://gielda.example.org"

FIRST = ["Łucja", "Grzegorz", "Anna", "Zdzisław", "Małgorzata", "Jan", "Żaneta", "Bożena", "Paweł",
         "Krzysztof", "Agnieszka", "Wojciech", "Ścibor", "Jadwiga", "Mikołaj", "Dorota"]
LAST = ["Żółkiewska", "Brzęczyszczykiewicz", "Nowak", "Wiśniewski", "Kowalska-Źdźbło", "Łęcki",
        "Szczęsna", "Dąbrowski", "Ćwik", "Gąsiorowska", "Zieliński", "Kaczmarek-Łoś"]
ORG_KINDS = ["Fundacja", "Stowarzyszenie", "Spółdzielnia Socjalna", "Urząd Miejski", "Koło Gospodyń",
             "Pracownia", "Klub Sportowy", "Biblioteka Publiczna"]
ORG_NAMES = ["Źdźbło", "Przyjaciół Ziemi Tczewskiej", "Łąka", "w Tczewie", "Kociewie", "Razem",
             "Wisła", "Nadzieja", "Pod Dębem", "Złota Rączka"]


# --- the parent ---------------------------------------------------------------------------------

def run() -> str:
    with tempfile.TemporaryDirectory(prefix="bench-badges-") as workdir:
        run_child("bench.badges", "setup", workdir, str(N))
        rounds: list[dict[str, dict[str, Any]]] = []
        for r in range(ROUNDS):
            order = ["floor", "ours", "reference"] if r % 2 == 0 else ["ours", "floor", "reference"]
            results = {what: run_child("bench.badges", "child", what, workdir) for what in order}
            rounds.append(results)
            print(f"round {r + 1}: " + ", ".join(f"{k} {v['seconds']:.2f} s" for k, v in results.items()),
                  flush=True)
        qr = run_child("bench.badges", "child", "qr", workdir)
    return _section(rounds, qr)


def _section(rounds: list[dict[str, dict[str, Any]]], qr: dict[str, Any]) -> str:
    def best(what: str, key: str = "seconds") -> float:
        return min(r[what][key] for r in rounds)

    def all_of(what: str, key: str = "seconds") -> str:
        return ", ".join(f"{r[what][key]:.2f}" for r in rounds)

    def peak(what: str) -> str:
        return f"{max(r[what]['peak_rss_mib'] for r in rounds):.0f}"

    ours, floor, ref = best("ours"), best("floor"), best("reference")
    made = best("floor", "making_seconds")
    ratio = ours / floor
    paired = statistics.median(r["ours"]["seconds"] / r["floor"]["seconds"] for r in rounds)
    writing = min(r["ours"]["writing_seconds"] for r in rounds)
    pages = rounds[0]["ours"]["pages"]
    verdict = "within" if ratio <= TARGET else "**over**"
    rows = [
        (f"**ours**: badges PDF, {pages} A4 pages (load participants, QR codes, layout, write)",
         f"**{ours:.2f}**", all_of("ours"), peak("ours")),
        (f"**floor**: bare WeasyPrint render of {N:,} QR images (`qrcode.make()` PNGs, made beforehand)",
         f"**{floor:.2f}**", all_of("floor"), peak("floor")),
        (f"making those {N:,} floor images with `qrcode.make()` (not in the floor)",
         f"{made:.2f}", all_of("floor", "making_seconds"), ""),
        (f"reference: the same bare render of our {N:,} one-pixel-per-module QR PNGs",
         f"{ref:.2f}", all_of("reference"), peak("reference")),
        (f"our {N:,} QR images alone (`app.fair.badge_qr`, part of ours)", f"{qr['seconds']:.2f}", "", ""),
    ]
    table = "\n".join("| " + " | ".join(row) + " |" for row in rows)
    return f"""## Badge PDF for {N:,} participants

{machine("weasyprint", "qrcode", "pillow")}

Best of {len(rounds)} rounds, each measurement in a fresh child process (`python -m bench badges`;
code in `bench/badges.py`). Wall time is `time.perf_counter()` around the step; peak memory is the
child's peak RSS from `resource.getrusage()` (the whole process: interpreter, imports, data).

| measured | wall s (best) | each round | peak RSS MiB |
|---|---:|---|---:|
{table}

**Ratio ours ÷ floor: {ratio:.2f}×** (best against best; median of the per-round ratios
{paired:.2f}×) — {verdict} the {TARGET}× target. Against making and rendering the floor's images
({made + floor:.2f} s) ours takes {ours / (made + floor):.2f}×.

Of ours, writing the PDF after the last chunk took {writing:.2f} s; laying out the chunks (QR
codes included) the rest. The reference row shows what the floor's QR images themselves cost:
rendered from tiny PNGs the same page takes {ref:.2f} s, so most of our time goes to laying out
the text of {N:,} badges (names, organisations, fair, codes), not to the QR codes.
"""


# --- the children -------------------------------------------------------------------------------

def _app(workdir: str) -> Any:
    from app import create_app

    return create_app({"DATABASE_URL": f"sqlite:///{workdir}/bench.db", "SECRET_KEY": "bench",
                       "INSTANCE_PATH": f"{workdir}/instance", "PUBLIC_URL": PUBLIC_URL,
                       "AUTO_MIGRATE": True})


def _setup(workdir: str, n: int) -> None:
    from app.db import transaction
    from app.fair.fairs import FairData, create_fair
    from app.fair.organisations import OrganisationData
    from app.fair.participants import PersonData, create_participant
    from app.fair.sectors import Sector

    rng = random.Random(2010)  # the year of the Tczew fair
    sectors = [s for s in Sector if s != Sector.RESIDENT]
    with _app(workdir).app_context():
        fair = create_fair(FairData(slug="tczew", name="Giełda Zasobów Tczew"))
        with transaction():
            for i in range(n):
                first, last = rng.choice(FIRST), f"{rng.choice(LAST)}-{i}"
                if i % 10 == 9:
                    org = OrganisationData(f"{first} {last}", Sector.RESIDENT)
                else:
                    org = OrganisationData(f"{rng.choice(ORG_KINDS)} {rng.choice(ORG_NAMES)} {i // 2}",
                                           sectors[(i // 2) % len(sectors)])
                create_participant(fair.id, PersonData(first, last, f"osoba{i}@example.org"), org)
    measure(lambda: {"participants": n})


def _card_urls(workdir: str) -> list[str]:
    from sqlalchemy import select

    from app.extensions import db
    from app.fair.models import Participant
    from app.fair.urls import card_url

    with _app(workdir).app_context():
        return [card_url(code, PUBLIC_URL) for code in db.session.scalars(select(Participant.badge_code))]


def _bare_render(sources: list[str], target: Path) -> None:
    from weasyprint import HTML

    images = "".join(f'<img src="{src}">' for src in sources)
    HTML(string="<style>@page { size: A4; margin: 10mm } img { width: 25mm; height: 25mm; margin: 2mm }"
                f"</style>{images}").write_pdf(target)


def _ours(workdir: str) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.fair.badges import PrintKind, printable_people, write_for_people
    from app.fair.models import Fair

    app = _app(workdir)
    with app.app_context():
        fair = db.session.scalars(select(Fair)).one()
        target = Path(workdir) / "ours.pdf"

        def step() -> dict[str, Any]:
            laid_out = 0.0

            def progress(done: int, total: int) -> None:
                nonlocal laid_out
                laid_out = time.perf_counter()

            people = printable_people(fair.id)
            pages = write_for_people(PrintKind.BADGES, fair, people, target, base=PUBLIC_URL, progress=progress)
            return {"pages": pages, "writing_seconds": time.perf_counter() - laid_out}

        measure(step)


def _floor(workdir: str) -> None:
    import qrcode

    urls = _card_urls(workdir)
    started = time.perf_counter()
    sources = []
    for url in urls:
        out = io.BytesIO()
        qrcode.make(url).save(out)
        sources.append("data:image/png;base64," + base64.b64encode(out.getvalue()).decode())
    making = time.perf_counter() - started

    def step() -> dict[str, Any]:
        _bare_render(sources, Path(workdir) / "floor.pdf")
        return {"making_seconds": making}

    measure(step)


def _reference(workdir: str) -> None:
    from app.fair.badge_qr import fit_version, qr_data_uri

    urls = _card_urls(workdir)
    version = fit_version(urls)
    sources = [qr_data_uri(url, version) for url in urls]
    measure(lambda: _bare_render(sources, Path(workdir) / "reference.pdf"))


def _qr(workdir: str) -> None:
    from app.fair.badge_qr import fit_version, qr_data_uri

    urls = _card_urls(workdir)

    def step() -> None:
        version = fit_version(urls)
        for url in urls:
            qr_data_uri(url, version)

    measure(step)


CHILDREN = {"ours": _ours, "floor": _floor, "reference": _reference, "qr": _qr}

if __name__ == "__main__":
    match sys.argv[1:]:
        case ["setup", workdir, n]:
            _setup(workdir, int(n))
        case ["child", what, workdir] if what in CHILDREN:
            CHILDREN[what](workdir)
        case _:
            sys.exit("usage: python -m bench.badges setup DIR N | child ours|floor|reference|qr DIR")
