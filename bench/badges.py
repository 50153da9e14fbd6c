"""Badge PDF for 1,000 participants, against a bare WeasyPrint render of the same badge HTML.

`run()` builds a fair of N participants in a temporary SQLite database, then measures, each
time in a fresh child process (`python -m bench.badges child <what> <dir>`), in alternating
rounds:

- ours: the app's badge path — load the participants, their badge faces, the template rendered
  chunk by chunk, WeasyPrint's layout of each chunk, the PDF written — with the QR images made
  beforehand (`app.door.badges.qr_images`), as the floor's are;
- floor: a bare `weasyprint.HTML(string=html).write_pdf(path)` of the same badges as one HTML
  document, made beforehand by the app: the same template, the same QR images (one pixel per
  module, greyscale PNG data URIs), the app's stylesheet and grid rules inlined in a <style>
  (its font URLs made absolute). Nothing of the app runs while it is timed;
- ours with the QR images: what the background job and the CLI run (`write_for_people`), the
  images made in the step; and the QR images alone (`qr_images`), for reference.

Making the QR images is thus in neither of the two compared figures. The parent then checks that
ours and the floor draw the same pages (pdftoppm, pixel for pixel).

Wall time is time.perf_counter() around the step, CPU time the child's user + system time, memory
the child's peak RSS from resource.getrusage(RUSAGE_SELF).ru_maxrss, the whole process
(interpreter and imports included).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
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
            order = ["floor", "ours", "full"] if r % 2 == 0 else ["ours", "floor", "full"]
            results = {what: run_child("bench.badges", "child", what, workdir) for what in order}
            rounds.append(results)
            print(f"round {r + 1}: " + ", ".join(f"{k} {v['seconds']:.2f} s / {v['cpu_seconds']:.2f} s CPU"
                                                for k, v in results.items()), flush=True)
        qr = run_child("bench.badges", "child", "qr", workdir)
        same = _same_pages(Path(workdir) / "ours.pdf", Path(workdir) / "floor.pdf", rounds[0]["ours"]["pages"])
    return _section(rounds, qr, same)


def _same_pages(ours: Path, floor: Path, pages: int) -> str:
    """Whether both PDFs draw the same pixels (pdftoppm at 50 dpi, greyscale), every page."""
    if shutil.which("pdftoppm") is None:
        return "not checked (pdftoppm is not installed)"
    with tempfile.TemporaryDirectory(prefix="bench-badges-pages-") as folder:
        for name, pdf in (("ours", ours), ("floor", floor)):
            subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf), f"{folder}/{name}"], check=True)
        mine, theirs = sorted(Path(folder).glob("ours-*.pgm")), sorted(Path(folder).glob("floor-*.pgm"))
        if len(mine) != pages or len(theirs) != pages:
            return f"**different**: {len(mine)} pages against {len(theirs)}"
        differ = [i + 1 for i, (a, b) in enumerate(zip(mine, theirs, strict=True))
                  if a.read_bytes() != b.read_bytes()]
    if differ:
        return f"**different** on {len(differ)} of {pages} pages (first: page {differ[0]})"
    return f"identical: all {pages} pages pixel for pixel (pdftoppm, 50 dpi, greyscale)"


def _section(rounds: list[dict[str, dict[str, Any]]], qr: dict[str, Any], same: str) -> str:
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
    paired_cpu = statistics.median(r["ours"]["cpu_seconds"] / r["floor"]["cpu_seconds"] for r in rounds)
    full_wall = best("full") / best("floor")
    full_cpu = best("full", "cpu_seconds") / best("floor", "cpu_seconds")
    verdict = "within" if max(wall, cpu) <= TARGET else ("**over**" if min(wall, cpu) > TARGET else "**at**")
    pages = rounds[0]["ours"]["pages"]
    rows = [
        (f"**ours**: badges PDF, {pages} A4 pages (load participants, faces, template, layout, write; "
         "QR images made beforehand)", "ours"),
        (f"**floor**: bare `HTML(string=...).write_pdf()` of the same {N:,} badges' HTML and QR images",
         "floor"),
        ("ours with the QR images made in the step (`write_for_people`, what the job and the CLI run)", "full"),
    ]
    table = [f"| {label} | **{best(what):.2f}** | {best(what, 'cpu_seconds'):.2f} | {each(what)} | "
             f"{each(what, 'cpu_seconds')} | {peak(what)} |" for label, what in rows]
    table.append(f"| the {N:,} QR images alone (`app.door.badges.qr_images`) | {qr['seconds']:.2f} | "
                 f"{qr['cpu_seconds']:.2f} | | | |")
    table_text = "\n".join(table)
    return f"""## Badge PDF for {N:,} participants

{machine("weasyprint", "qrcode", "pillow")}

Best of {len(rounds)} rounds; every measurement in a fresh child process (`python -m bench badges`,
code in `bench/badges.py`). Wall time is `time.perf_counter()` around the step, CPU time the
child's user + system time from `resource.getrusage()` (other load on the machine disturbs it
far less; the load average above is the other helpers' work on the same 2 cores), peak memory the
child's peak RSS from `resource.getrusage()`, the whole process.

The **floor** is a bare WeasyPrint render of the very HTML our badges are: the app's template for
all {N:,} badges as one document, with the same QR images (one pixel per module, greyscale PNG
data URIs, one QR version for the run) and the app's stylesheet and grid rules inlined, all made
before the timer starts; timed is only `weasyprint.HTML(string=html).write_pdf(path)`. **Making the
QR images is in neither** ours nor the floor: ours is given the same images, made beforehand by
the app, and everything else of the app's path is timed. Ours and the floor's PDFs:
{same}.

| measured | wall s (best) | CPU s (best) | wall s, each round | CPU s, each round | peak RSS, MiB |
|---|---:|---:|---|---|---:|
{table_text}

**Ratio ours ÷ floor: {wall:.2f}× wall, {cpu:.2f}× CPU** (best against best; median of the
per-round ratios {paired:.2f}× wall, {paired_cpu:.2f}× CPU) — {verdict} the {TARGET}× target.
With the QR images made in the step, as a print run does, ours takes {full_wall:.2f}× wall,
{full_cpu:.2f}× CPU of the floor.
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
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

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


def _inputs() -> tuple[Any, list[Any], list[str]]:
    """The fair, its badge faces in print order and their QR images, as the app makes them."""
    from sqlalchemy import select

    from app.core.extensions import db
    from app.door.badges import badge_face, printable_people, qr_images
    from app.fairs.models import Fair

    fair = db.session.scalars(select(Fair)).one()
    faces = [badge_face(p, PUBLIC_URL) for p in printable_people(fair.id)]
    return fair, faces, qr_images([f.card_url for f in faces])


def _document(fair: Any, faces: list[Any], images: list[str]) -> str:
    """All the badges as one HTML document: the app's template, its stylesheet and grid inlined."""
    from flask import render_template
    from flask_babel import gettext

    from app.core.output.pdf import STATIC_ROOT
    from app.door.badges import BADGE_GRID, STYLESHEET, PrintLayout, _pages, _Placed, fair_name_size

    per_page = BADGE_GRID.per_page
    placed = [_Placed(face, qr, i % per_page) for i, (face, qr) in enumerate(zip(faces, images, strict=True))]
    html = render_template("door/badges.html", pages=list(_pages(placed, per_page)), layout="sheet",
                           fair_name=fair.name, fair_size=fair_name_size(fair.name),
                           title=gettext("Badges · %(fair)s", fair=fair.name))
    css = (STATIC_ROOT / STYLESHEET).read_text().replace('url("../', f'url("{STATIC_ROOT.as_uri()}/')
    style = f"<style>\n{css}\n{BADGE_GRID.css(PrintLayout.SHEET)}\n</style>"
    head, found, body = html.partition("</head>")
    assert found, "the badge template has no </head>"
    return head + style + found + body


def _ours(workdir: str) -> None:
    from app.door.badges import badge_face, printable_people, write_badges

    with _app(workdir).app_context():
        fair, faces, images = _inputs()  # beforehand: the QR images, as the floor's
        target = Path(workdir) / "ours.pdf"

        def step() -> dict[str, Any]:
            people = printable_people(fair.id)
            mine = [badge_face(p, PUBLIC_URL) for p in people]
            return {"pages": write_badges(mine, target, fair_name=fair.name, images=images)}

        measure(step)
        assert [f.card_url for f in faces] == [f.card_url for f in _inputs()[1]]


def _full(workdir: str) -> None:
    from sqlalchemy import select

    from app.core.extensions import db
    from app.door.badges import PrintKind, printable_people, write_for_people
    from app.fairs.models import Fair

    with _app(workdir).app_context():
        fair = db.session.scalars(select(Fair)).one()
        target = Path(workdir) / "full.pdf"
        measure(lambda: {"pages": write_for_people(PrintKind.BADGES, fair, printable_people(fair.id), target,
                                                   base=PUBLIC_URL)})


def _floor(workdir: str) -> None:
    with _app(workdir).app_context():
        html = _document(*_inputs())
    from weasyprint import HTML

    target = Path(workdir) / "floor.pdf"
    measure(lambda: HTML(string=html).write_pdf(target))


def _qr(workdir: str) -> None:
    from app.door.badges import qr_images

    with _app(workdir).app_context():
        _fair, faces, _images = _inputs()
    urls = [f.card_url for f in faces]
    measure(lambda: {"images": len(qr_images(urls))})


CHILDREN = {"ours": _ours, "floor": _floor, "full": _full, "qr": _qr}

if __name__ == "__main__":
    match sys.argv[1:]:
        case ["setup", workdir, n]:
            _setup(workdir, int(n))
        case ["child", what, workdir] if what in CHILDREN:
            CHILDREN[what](workdir)
        case _:
            sys.exit("usage: python -m bench.badges setup DIR N | child ours|floor|full|qr DIR")
