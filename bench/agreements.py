"""Agreement PDF and signing throughput, each against a floor measured in the same run.

`run()` starts two fresh child processes (`python -m bench.agreements child pdf|sign DIR`), each
with its own SQLite database in a temporary folder:

- pdf: K agreements signed through the services (not timed). After one warm-up of each, in
  alternating order: **floor** = WeasyPrint rendering a bare page of the same kind (the same
  DejaVu fonts by @font-face, a heading, a few paragraphs, a table of the same rows and a QR PNG
  made beforehand with `qrcode.make()`), HTML string to PDF bytes; **first render** =
  `ensure_pdf()` on an agreement without a stored copy (load it, plain values from the frozen
  content, its QR code, the template, WeasyPrint, store the bytes in one transaction);
  **stored** = `ensure_pdf()` again (the kept bytes), and the download over HTTP through the
  Flask test client (login session, access check, the kept bytes).
- sign: N fresh drafts between two organisations (not timed), at a fair without the notary rule
  so that the second signature completes the agreement (number, frozen content, hash, events).
  **ours** = POST {"agreement", "participant", "version"} as JSON to a small endpoint of the real
  app that calls `sign_agreement()` and answers JSON; every agreement gets two signatures, the
  second completing it. **floor** = the same POSTs to a bare Flask app whose endpoint reads the
  JSON and answers JSON. Both through the Flask test client, one request at a time, in
  alternating rounds. Once with the PDF rendering after signing off, once with it on (the
  default: a background worker renders each completed agreement while signing goes on).

Wall time is time.perf_counter().
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._child import MARK, run_child
from bench._report import machine

K = int(os.environ.get("BENCH_AGREEMENT_PDFS", "25"))
N = int(os.environ.get("BENCH_SIGNATURES", "300"))  # agreements: 2 signatures each
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET = 1.5
PUBLIC_URL = "https://gielda.example.org"


# --- the parent ---------------------------------------------------------------------------------

def run() -> str:
    with tempfile.TemporaryDirectory(prefix="bench-agreements-") as workdir:
        pdf = run_child("bench.agreements", "child", "pdf", workdir)
        print(f"pdf: first {pdf['ours_first_ms']['median']:.0f} ms, floor {pdf['floor_ms']['median']:.0f} ms",
              flush=True)
        sign = run_child("bench.agreements", "child", "sign", workdir)
        print(f"sign: {sign['off']['ours_per_s']:.0f}/s, floor {sign['off']['floor_per_s']:.0f}/s", flush=True)
    return _section(pdf, sign)


def _ms(stats: dict[str, float]) -> str:
    return f"{stats['median']:.1f}"


def _spread(stats: dict[str, float]) -> str:
    return f"{stats['min']:.1f}–{stats['max']:.1f}"


def _section(pdf: dict[str, Any], sign: dict[str, Any]) -> str:
    first, floor = pdf["ours_first_ms"], pdf["floor_ms"]
    ratio = first["median"] / floor["median"]
    cpu_ratio = pdf["ours_first_cpu_ms"]["median"] / pdf["floor_cpu_ms"]["median"]
    verdict = "**met**" if ratio <= TARGET else "**not met**"
    off, on = sign["off"], sign["queue"]
    rows = [
        ("**first render**: `ensure_pdf()`, no stored copy (load, QR, template, WeasyPrint, store)",
         f"**{_ms(first)}**", _spread(first), _ms(pdf["ours_first_cpu_ms"])),
        ("**floor**: bare WeasyPrint, HTML string → PDF bytes, similar page (fonts, table, QR PNG)",
         f"**{_ms(floor)}**", _spread(floor), _ms(pdf["floor_cpu_ms"])),
        ("of the first render: template and WeasyPrint (`render_summary()`)",
         _ms(pdf["ours_weasyprint_ms"]), _spread(pdf["ours_weasyprint_ms"]), ""),
        ("served from the stored copy: `ensure_pdf()` again", _ms(pdf["ours_stored_ms"]),
         _spread(pdf["ours_stored_ms"]), ""),
        ("served from the stored copy over HTTP (test client, session, access check)",
         _ms(pdf["http_stored_ms"]), _spread(pdf["http_stored_ms"]), ""),
    ]
    pdf_table = "\n".join("| " + " | ".join(r) + " |" for r in rows)

    def sign_row(label: str, result: dict[str, Any]) -> str:
        return (f"| {label} | **{result['ours_per_s']:.0f}** | {result['floor_per_s']:.0f} | "
                f"{result['floor_per_s'] / result['ours_per_s']:.1f}× | "
                f"{', '.join(f'{x:.0f}' for x in result['ours_rounds'])} | "
                f"{result['ours_p50_ms']:.1f} / {result['ours_p95_ms']:.1f} |")

    return f"""## Agreements: PDF and signatures (`agreements`)

{machine("weasyprint", "qrcode", "Flask", "SQLAlchemy")}

Each part in a fresh child process on its own SQLite file (WAL); code and method in
`bench/agreements.py`.

### Agreement PDF ({pdf['samples']} agreements, medians)

{pdf['pages']}-page A4 summary of a two-party agreement (two obligations, two signatures, the
notary, the hash, a QR code), {pdf['bytes'] / 1024:.0f} KiB. One warm-up each, then first
render and floor alternately.

| measured | wall ms (median) | wall min–max | CPU ms (median) |
|---|---:|---|---:|
{pdf_table}

**First render ÷ floor: {ratio:.2f}×** in wall time (target ≤ {TARGET}×) — {verdict}; in CPU
time of the process (`time.process_time()`, less sensitive to other load on the machine):
{cpu_ratio:.2f}×. Serving the stored copy takes {pdf['ours_stored_ms']['median']:.1f} ms,
{first['median'] / pdf['ours_stored_ms']['median']:.0f}× less than rendering it.

### Signatures per second on SQLite ({N} fresh agreements, {2 * N} signatures per run)

Best of {ROUNDS} rounds each; POSTs one at a time through the Flask test client. Every second
signature completes its agreement (number, frozen content, SHA-256, events).

| PDF after signing | ours: signatures/s | floor: bare Flask POSTs/s | floor ÷ ours | ours by round | p50/p95 ms |
|---|---:|---:|---:|---|---:|
{sign_row("off", off)}
{sign_row("background queue (default)", on)}

With the background queue on (SQLite, consumed by the threads of the same process, as
`python -m app` runs it), {on['rendered']} of {on['completed']} completed agreements had
their PDF stored when the signing stopped, and all {on['rendered_after_wait']} once the queue
was done, {on['drain_s']:.1f} s later. The workers render in the same process, so while they
work they take CPU (and the GIL) from the requests: a burst of signatures is slower then. At a
fair's pace (Tczew: 101 agreements in 90 minutes) it renders about one PDF a minute.
"""


# --- the children -------------------------------------------------------------------------------

def _report(result: dict[str, Any]) -> None:
    print(MARK + json.dumps(result), flush=True)


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _app(workdir: str, name: str, **extra: Any) -> Any:
    from app import create_app

    config = {"DATABASE_URL": f"sqlite:///{workdir}/{name}.db", "SECRET_KEY": "bench",
              "INSTANCE_PATH": f"{workdir}/instance", "PUBLIC_URL": PUBLIC_URL, "AUTO_MIGRATE": True,
              "RATELIMIT_ENABLED": False, "AGREEMENT_PDF_AFTER_SIGNING": "off"}
    config.update(extra)
    return create_app(config)


def _fair(notary_required: bool) -> tuple[Any, Any, Any]:
    """A fair in trading with an organiser and a notary; returns (fair, organiser, notary)."""
    from app.core.extensions import db
    from app.core.storage.transactions import transaction
    from app.fairs.fairs import FairData, create_fair
    from app.fairs.models import Fair
    from app.fairs.roles import Role
    from app.fairs.trading import open_trading
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    fair = create_fair(FairData(slug="tczew", name="Giełda Zasobów Tczew"))
    with transaction():
        organiser = create_participant(fair.id, PersonData("Grażyna", "Żebrowska", "org@example.org",
                                                           role=Role.ORGANISER),
                                       OrganisationData("Starostwo Powiatowe w Tczewie", Sector.PUBLIC))
        notary = create_participant(fair.id, PersonData("Jerzy", "Łęcki", "notary@example.org", role=Role.NOTARY),
                                    OrganisationData("Kancelaria Łęcki", Sector.BUSINESS))
        db.session.get_one(Fair, fair.id).notary_required = notary_required
    open_trading(organiser, fair.id, 90)
    return db.session.get_one(Fair, fair.id), organiser, notary


def _draft(fair_id: int, i: int) -> tuple[Any, Any, Any]:
    """A draft between two new organisations with an obligation each way: (draft, a, b)."""
    from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_agreement
    from app.core.storage.transactions import transaction
    from app.floor.kinds import Unit
    from app.network.sectors import Sector
    from app.people.organisations import OrganisationData
    from app.people.participants import PersonData, create_participant

    with transaction():
        a = create_participant(fair_id, PersonData("Łucja", f"Żółkiewska-{i}", f"a{i}@example.org",
                                                   phone="+48 600 100 200"),
                               OrganisationData(f"Fundacja Źdźbło {i}", Sector.NGO))
        b = create_participant(fair_id, PersonData("Grzegorz", f"Brzęczyszczykiewicz-{i}", f"b{i}@example.org"),
                               OrganisationData(f"Spółdzielnia Socjalna „Łąka” {i}", Sector.SOCIAL_COOPERATIVE))
    draft = start_agreement(a, fair_id, b.id)
    data = AgreementData(
        parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (a, b)],
        obligations=[
            ObligationData(a.organisation_id, b.organisation_id, "Sala konferencyjna na 30 osób z rzutnikiem",
                           quantity=3, unit=Unit.HOURS, when="sobota 14 marca, 10:00–13:00",
                           where="Centrum Kultury, ul. Łąkowa 3, Tczew", duration="3 godziny", points=30,
                           cost_contribution="zwrot kosztów sprzątania sali"),
            ObligationData(b.organisation_id, a.organisation_id, "Szkolenie z pisania wniosków grantowych",
                           quantity=2, unit=Unit.PEOPLE, when="do końca kwietnia", where="Gdańska 12",
                           duration="4 godziny", hours=4, points=40),
        ])
    return save_draft(a, fair_id, draft.id, data, version=draft.version), a, b


FLOOR_HTML = """<!doctype html><html lang="pl"><head><meta charset="utf-8"><style>
@font-face {{ font-family: "F"; src: url("fonts/DejaVuSans.ttf"); }}
@font-face {{ font-family: "F"; font-weight: bold; src: url("fonts/DejaVuSans-Bold.ttf"); }}
@page {{ size: A4; margin: 12mm 14mm; }}
html {{ font-family: "F"; font-size: 9pt; }}
img {{ float: right; width: 30mm; height: 30mm; }}
table {{ width: 100%; border-collapse: collapse; }}
td, th {{ border-bottom: 0.2mm solid #999; padding: 1mm; text-align: left; vertical-align: top; }}
</style></head><body>
<img src="{qr}" alt="">
<p>Giełda Zasobów Tczew</p><h1>Porozumienie nr GZ/tczew/001</h1><p>Podpisane 22 listopada 2026, 13:34</p>
<h2>Strony porozumienia</h2>
<p><b>Fundacja Źdźbło 1</b> · Organizacja pozarządowa · Łucja Żółkiewska · a1@example.org, +48 600 100 200</p>
<p><b>Spółdzielnia Socjalna „Łąka” 1</b> · Spółdzielnia socjalna · Grzegorz Brzęczyszczykiewicz · b1@example.org</p>
<h2>Kto co komu daje</h2>
<table><thead><tr><th>Co</th><th>Ile</th><th>Kiedy, gdzie, jak długo</th><th>Punkty</th></tr></thead><tbody>
<tr><td>Sala konferencyjna na 30 osób z rzutnikiem<br>Wkład w koszty: zwrot kosztów sprzątania sali</td>
<td>3 godz.</td><td>Kiedy: sobota 14 marca, 10:00–13:00<br>Gdzie: Centrum Kultury, ul. Łąkowa 3, Tczew<br>
Jak długo: 3 godziny</td><td>30</td></tr>
<tr><td>Szkolenie z pisania wniosków grantowych</td><td>2 osób</td><td>Kiedy: do końca kwietnia<br>
Gdzie: Gdańska 12<br>Jak długo: 4 godziny</td><td>40</td></tr>
<tr><td>Fundacja Źdźbło 1</td><td>Łucja Żółkiewska</td><td>na własnym telefonie</td><td>13:34</td></tr>
<tr><td>Spółdzielnia Socjalna „Łąka” 1</td><td>Grzegorz Brzęczyszczykiewicz</td><td>na własnym telefonie</td>
<td>13:34</td></tr>
</tbody></table>
<p>Kontrasygnata notariusza (Jerzy Łęcki): 22 listopada 2026, 13:35.</p>
<p>{url}</p><p>{hash}</p>
</body></html>"""


def _child_pdf(workdir: str) -> None:
    import qrcode
    from weasyprint import HTML

    from app.agreements import pdf as agreement_pdf
    from app.agreements.models import Agreement
    from app.agreements.signing import notarise, sign_agreement
    from app.core.extensions import db
    from app.core.output.pdf import STATIC_ROOT
    from app.core.paths import ROOT

    app = _app(workdir, "pdf")
    with app.app_context():
        fair, _organiser, notary = _fair(notary_required=True)
        ids = []
        for i in range(K + 1):
            draft, a, b = _draft(fair.id, i)
            sign_agreement(a, fair.id, draft.id, draft.version)
            sign_agreement(b, fair.id, draft.id, draft.version)
            ids.append(notarise(notary, fair.id, draft.id, draft.version).id)
        first_agreement = db.session.get_one(Agreement, ids[1])
        url = agreement_pdf.verification_url(first_agreement.public_code, PUBLIC_URL)
        content_hash = first_agreement.content_hash
        login_path = f"/f/{fair.slug}/login/{notary.login_secret}"  # staff: may see every agreement

        out = io.BytesIO()
        qrcode.make(url).save(out)
        floor_html = FLOOR_HTML.format(qr="data:image/png;base64," + base64.b64encode(out.getvalue()).decode(),
                                       url=url, hash=content_hash)
        base_url = STATIC_ROOT.as_uri() + "/"
        assert (ROOT / "static" / "fonts" / "DejaVuSans.ttf").exists()

        def floor_once() -> float:
            started, cpu = time.perf_counter(), time.process_time()
            HTML(string=floor_html, base_url=base_url).write_pdf()
            floor_cpu.append((time.process_time() - cpu) * 1000)
            return (time.perf_counter() - started) * 1000

        weasy: list[float] = []
        real_render = agreement_pdf.render_summary

        def timed_render(sheet: agreement_pdf.AgreementSheet) -> bytes:
            started = time.perf_counter()
            try:
                return real_render(sheet)
            finally:
                weasy.append((time.perf_counter() - started) * 1000)

        agreement_pdf.render_summary = timed_render  # type: ignore[assignment]

        def ours_once(agreement_id: int) -> tuple[float, float, bytes]:
            started, cpu = time.perf_counter(), time.process_time()
            data = agreement_pdf.ensure_pdf(agreement_id, PUBLIC_URL)
            first = (time.perf_counter() - started) * 1000
            first_cpu.append((time.process_time() - cpu) * 1000)
            started = time.perf_counter()
            again = agreement_pdf.ensure_pdf(agreement_id, PUBLIC_URL)
            stored = (time.perf_counter() - started) * 1000
            assert again == data
            return first, stored, data

        floor_cpu: list[float] = []
        first_cpu: list[float] = []
        floor_once()  # warm-up: fonts, WeasyPrint's own caches
        ours_once(ids[0])
        weasy.clear()
        floor_cpu.clear()
        first_cpu.clear()
        floors, firsts, storeds = [], [], []
        data = b""
        for i, agreement_id in enumerate(ids[1:]):
            if i % 2:
                floors.append(floor_once())
                first, stored, data = ours_once(agreement_id)
            else:
                first, stored, data = ours_once(agreement_id)
                floors.append(floor_once())
            firsts.append(first)
            storeds.append(stored)

        client = app.test_client()
        assert client.get(login_path).status_code == 303
        http = []
        for agreement_id in ids[1:]:
            started = time.perf_counter()
            response = client.get(f"/f/{fair.slug}/agreements/{agreement_id}/agreement.pdf")
            http.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and response.data.startswith(b"%PDF-"), response.status
        kept = Path(workdir) / "agreement.pdf"
        kept.write_bytes(data)
        info = subprocess.run(["pdfinfo", str(kept)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    _report({"samples": len(firsts), "ours_first_ms": _stats(firsts), "floor_ms": _stats(floors),
             "ours_first_cpu_ms": _stats(first_cpu), "floor_cpu_ms": _stats(floor_cpu),
             "ours_weasyprint_ms": _stats(weasy), "ours_stored_ms": _stats(storeds),
             "http_stored_ms": _stats(http), "bytes": len(data), "pages": pages})


def _floor_app() -> Any:
    from flask import Flask, jsonify, request

    floor = Flask("floor")

    @floor.post("/sign")
    def sign() -> Any:
        body = request.get_json()
        return jsonify(ok=True, agreement=body["agreement"], state="signed", number=None)

    return floor


def _ours_endpoint(app: Any) -> None:
    """A JSON endpoint of the real app that signs through the service, as the pages and the API do."""
    from flask import jsonify, request

    from app.agreements.signing import sign_agreement
    from app.core.extensions import csrf, db
    from app.people.models import Participant

    def sign() -> Any:
        body = request.get_json()
        actor = db.session.get_one(Participant, body["participant"])
        agreement = sign_agreement(actor, actor.fair_id, body["agreement"], body["version"])
        return jsonify(ok=True, agreement=agreement.id, state=agreement.state.value, number=agreement.number)

    app.add_url_rule("/bench/sign", "bench_sign", csrf.exempt(sign), methods=["POST"])


def _child_sign(workdir: str, mode: str) -> dict[str, Any]:
    from sqlalchemy import func, select

    from app.agreements.models import Agreement
    from app.core.extensions import db
    from app.core.tasks import start_consumer, wait_for_tasks

    app = _app(workdir, f"sign-{mode}", AGREEMENT_PDF_AFTER_SIGNING=mode, TASKS_IMMEDIATE=False)
    consumer = start_consumer(app) if mode == "queue" else None
    _ours_endpoint(app)
    floor_client = _floor_app().test_client()
    with app.app_context():
        fair, _organiser, _notary = _fair(notary_required=False)
        drafts = []
        for i in range(N):
            draft, a, b = _draft(fair.id, i)
            drafts.append((draft.id, draft.version, a.id, b.id))
        db.session.remove()
    client = app.test_client()
    per_round = N // ROUNDS
    ours_rounds, floor_rounds, latencies = [], [], []
    completed = 0
    for r in range(ROUNDS):
        chunk = drafts[r * per_round:(r + 1) * per_round]
        payloads = [{"agreement": d, "participant": p, "version": v} for d, v, a, b in chunk for p in (a, b)]

        def floor_round(payloads: list[dict[str, int]] = payloads) -> float:
            started = time.perf_counter()
            for body in payloads:
                assert floor_client.post("/sign", json=body).status_code == 200
            return len(payloads) / (time.perf_counter() - started)

        def ours_round(payloads: list[dict[str, int]] = payloads) -> float:
            nonlocal completed
            started = time.perf_counter()
            for body in payloads:
                t = time.perf_counter()
                response = client.post("/bench/sign", json=body)
                latencies.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.data
                completed += response.json["state"] == "signed"
            return len(payloads) / (time.perf_counter() - started)

        if r % 2:
            ours_rounds.append(ours_round())
            floor_rounds.append(floor_round())
        else:
            floor_rounds.append(floor_round())
            ours_rounds.append(ours_round())
    with app.app_context():
        count = select(func.count()).select_from(Agreement).where(Agreement.pdf.is_not(None))
        rendered = db.session.scalar(count) or 0
        db.session.remove()
        started = time.perf_counter()
        wait_for_tasks(600, app)
        drain = time.perf_counter() - started
        rendered_after = db.session.scalar(count) or 0
    if consumer is not None:
        consumer.stop(graceful=True)
    latencies.sort()
    return {"ours_per_s": max(ours_rounds), "floor_per_s": max(floor_rounds), "ours_rounds": ours_rounds,
            "floor_rounds": floor_rounds, "ours_p50_ms": latencies[len(latencies) // 2],
            "ours_p95_ms": latencies[int(len(latencies) * 0.95)], "completed": completed,
            "rendered": rendered, "rendered_after_wait": rendered_after, "drain_s": drain}


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["child", "pdf", workdir]:
            _child_pdf(workdir)
        case ["child", "sign", workdir]:
            _report({mode: _child_sign(workdir, mode) for mode in ("off", "queue")})
        case _:
            sys.exit("usage: python -m bench.agreements child pdf|sign DIR")
