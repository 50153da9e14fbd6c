"""Badge PDF for 1,000 participants, against a bare WeasyPrint render of as many QR images.

`run()` builds a fair of N participants in a temporary SQLite database, then measures, each
time in a fresh child process (`python -m bench.badges child <what> <dir>`), in alternating
rounds:

- ours: what the background job and the CLI do: load the participants, make their QR codes,
  lay the badges out in chunks, write the PDF;
- floor: WeasyPrint rendering a page of nothing but the same N QR images, as `qrcode.make()`
  makes them by default (PNG), made beforehand; their making is timed on its own;
- reference: the same bare render of our own one-pixel-per-module PNGs.

Wall time is time.perf_counter() around the step, CPU time the child's user + system time, memory
the child's peak RSS from resource.getrusage(RUSAGE_SELF).ru_maxrss, the whole process
(interpreter and imports included).
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

from bench._child import cpu_seconds, measure, run_child
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

    def each(what: str, key: str = "seconds") -> str:
        return ", ".join(f"{r[what][key]:.2f}" for r in rounds)

    def peak(what: str) -> str:
        worst = max(rounds, key=lambda r: r[what]["peak_rss_mib"])[what]
        return f"{worst['peak_rss_mib']:.0f} ({worst['rss_before_mib']:.0f} before the step)"

    wall = best("ours") / best("floor")
    cpu = best("ours", "cpu_seconds") / best("floor", "cpu_seconds")
    paired = statistics.median(r["ours"]["seconds"] / r["floor"]["seconds"] for r in rounds)
    made, made_cpu = best("floor", "making_seconds"), best("floor", "making_cpu_seconds")
    verdict = "within" if max(wall, cpu) <= TARGET else ("**over**" if min(wall, cpu) > TARGET else "**at**")
    rows = [
        (f"**ours**: badges PDF, {rounds[0]['ours']['pages']} A4 pages (load participants, QR codes, "
         "layout, write)", "ours"),
        (f"**floor**: bare WeasyPrint render of {N:,} QR images (`qrcode.make()` PNGs, made beforehand)",
         "floor"),
        (f"reference: the same bare render of our {N:,} one-pixel-per-module QR PNGs", "reference"),
    ]
    table = [f"| {label} | **{best(what):.2f}** | {best(what, 'cpu_seconds'):.2f} | {each(what)} | {peak(what)} |"
             for label, what in rows]
    table.append(f"| making the floor's {N:,} images with `qrcode.make()` (not in the floor) | {made:.2f} | "
                 f"{made_cpu:.2f} | {each('floor', 'making_seconds')} | |")
    table.append(f"| our {N:,} QR images alone (`app.door.badge_qr`; part of ours) | {qr['seconds']:.2f} | "
                 f"{qr['cpu_seconds']:.2f} | | |")
    writing = min(r["ours"]["writing_seconds"] for r in rounds)
    table_text = "\n".join(table)
    return f"""## Badge PDF for {N:,} participants

{machine("weasyprint", "qrcode", "pillow")}

Best of {len(rounds)} rounds; every measurement in a fresh child process (`python -m bench badges`,
code in `bench/badges.py`). Wall time is `time.perf_counter()` around the step, CPU time the
child's user + system time from `resource.getrusage()` (other load on the machine disturbs it
far less), peak memory the child's peak RSS from `resource.getrusage()`, the whole process.

| measured | wall s (best) | CPU s (best) | wall s, each round | peak RSS, MiB |
|---|---:|---:|---|---:|
{table_text}

**Ratio ours ÷ floor: {wall:.2f}× wall, {cpu:.2f}× CPU** (best against best; median of the
per-round wall ratios {paired:.2f}×) — {verdict} the {TARGET}× target. Against making *and*
rendering the floor's images ({made + best("floor"):.2f} s wall) ours takes
{best("ours") / (made + best("floor")):.2f}×.

Writing the PDF after the last chunk took {writing:.2f} s of ours; the rest is laying out the
chunks, QR codes included. Rendered from our tiny PNGs, the floor's bare page takes
{best("reference"):.2f} s: most of our time is WeasyPrint laying out the text of {N:,} badges
(names, organisations, fair, codes), not the QR codes.
"""


# --- the children -------------------------------------------------------------------------------

def _app(workdir: str) -> Any:
    from app import create_app

    return create_app({"DATABASE_URL": f"sqlite:///{workdir}/bench.db", "SECRET_KEY": "bench",
                       "INSTANCE_PATH": f"{workdir}/instance", "PUBLIC_URL": PUBLIC_URL,
                       "AUTO_MIGRATE": True})


def _setup(workdir: str, n: int) -> None:
    from app.core.storage.transactions import transaction
    from app.fairs.fairs import FairData, create_fair
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant
    from app.people.sectors import Sector

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

    from app.core.extensions import db
    from app.core.web.urls import card_url
    from app.people.models import Participant

    with _app(workdir).app_context():
        return [card_url(code, PUBLIC_URL) for code in db.session.scalars(select(Participant.badge_code))]


def _bare_render(sources: list[str], target: Path) -> None:
    from weasyprint import HTML

    images = "".join(f'<img src="{src}">' for src in sources)
    HTML(string="<style>@page { size: A4; margin: 10mm } img { width: 25mm; height: 25mm; margin: 2mm }"
                f"</style>{images}").write_pdf(target)


def _ours(workdir: str) -> None:
    from sqlalchemy import select

    from app.core.extensions import db
    from app.door.badges import PrintKind, printable_people, write_for_people
    from app.fairs.models import Fair

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
    cpu = cpu_seconds()
    started = time.perf_counter()
    sources = []
    for url in urls:
        out = io.BytesIO()
        qrcode.make(url).save(out)
        sources.append("data:image/png;base64," + base64.b64encode(out.getvalue()).decode())
    making = time.perf_counter() - started
    making_cpu = cpu_seconds() - cpu

    def step() -> dict[str, Any]:
        _bare_render(sources, Path(workdir) / "floor.pdf")
        return {"making_seconds": making, "making_cpu_seconds": making_cpu}

    measure(step)


def _reference(workdir: str) -> None:
    from app.door.badge_qr import fit_version, qr_data_uri

    urls = _card_urls(workdir)
    version = fit_version(urls)
    sources = [qr_data_uri(url, version) for url in urls]
    measure(lambda: _bare_render(sources, Path(workdir) / "reference.pdf"))


def _qr(workdir: str) -> None:
    from app.door.badge_qr import fit_version, qr_data_uri

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
