"""The funder's report as a PDF (app/reports/funder_pdf.py), read back with pdftotext: the scripted
fair's and network's figures (tests/reports/funder_fair.py), each section's heading and sentence,
the charts."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from flask_babel import force_locale

from app.reports.charts import LIGHT
from app.reports.funder_pdf import funder_charts, render_funder_pdf
from app.reports.funder_report import fair_report, network_report
from tests.pdf_boxes import all_text, count, on_one_line, pdf_pages
from tests.reports import funder_fair as world
from tests.reports.funder_fair import LATE, NOT_QUOTED, NOW, QUOTED, FunderFair, FunderNetwork

make_signed_agreement, funder_fair, funder_network = (world.make_signed_agreement, world.funder_fair,  # fixtures
                                                       world.funder_network)

SVG = "{http://www.w3.org/2000/svg}"
HEADINGS = ("1. Uczestnicy i organizacje według sektorów", "2. Umowy, zobowiązania i punkty", "3. Realizacja w czasie",
            "4. Wartość społeczna zadeklarowana i zrealizowana", "5. Wymiany między sektorami", "6. Partnerstwa",
            "7. Stali partnerzy", "8. Oceny i opinie")


def _keep(name: str, data: bytes) -> None:
    """FUNDER_PDF_DIR=/some/dir keeps the PDFs, to render and look at them."""
    folder = os.environ.get("FUNDER_PDF_DIR")
    if folder:
        Path(folder, name).write_bytes(data)


def test_the_fairs_report_reads_back(app: Any, funder_fair: FunderFair) -> None:
    with app.test_request_context():
        pdf = render_funder_pdf(fair_report(funder_fair.fair, NOW))
    _keep("funder-fair.pdf", pdf)
    pages = pdf_pages(pdf)
    text = all_text(pages)
    assert count(pages[:1], "Raport dla grantodawcy") == 1 and count(pages[:1], "Giełda Zasobów Tczew") >= 1
    for figure, label in (("6", "uczestników"), ("4", "zawarte umowy"), ("1336 zł", "zadeklarowana wartość"),
                          ("550 zł", "zrealizowana wartość"), ("50%", "zobowiązań wykonanych")):
        assert count(pages[:1], f"{figure} {label}") == 1, figure  # the big numbers, each over its label
    for heading in HEADINGS:
        assert count(pages[1:], heading) == 1, heading
    for sentence in ("Osoby zarejestrowane na giełdzie", "nigdy cena", "tydzień 0: dzień giełdy",
                     "Pary członków z umową na tej giełdzie", "do których należy co najmniej jeden członek"):
        assert sentence in text, sentence
    # The figures: sectors, agreements, points, fulfilment week by week, value, rates, matrix.
    for line in ("Razem 6 6", "Umowy 4", "Zadeklarowane punkty 215", "Potwierdzone punkty 60",
                 "tydzień 2 3 kwietnia 2026 3 / 6 50%", "Zadeklarowana wartość społeczna 1336 zł",
                 "Zobowiązania bez wyceny 1 / 6", "Catering 600 zł 400 zł", "Razem 1336 zł 550 zł",
                 "Pomoc podstawowa, za godzinę 28,61 zł", "Umowy międzysektorowe: 4 z 4.",
                 "Fundacja Źdźbło Spółdzielnia Łąka 1 2"):
        assert line in text.replace("\xa0", " ").replace(" zł", " zł").replace("1 336", "1336"), line
    assert on_one_line(pages, "1 336 zł") >= 2  # whole złoty, digits grouped, never broken
    assert "1 obligation" not in text and "1 zobowiązanie z 6 nie miało wyceny" in text
    # Ratings, and the words of those who agreed to be quoted, only theirs.
    for line in ("Wystawione oceny 3", "Średnia ocena 4,0 na 5", "Opinie, które można cytować 1",
                 f"„{QUOTED}” Spółdzielnia Łąka o: „Sala” (od: Fundacja Źdźbło), 15 marca 2026 · 5 gwiazdek"):
        assert line in text, line
    assert NOT_QUOTED not in text


def test_the_networks_report_of_a_year_and_of_all_years(app: Any, funder_network: FunderNetwork) -> None:
    with app.test_request_context():
        one = pdf_pages(render_funder_pdf(network_report(2025, NOW)))
        every = render_funder_pdf(network_report(None, NOW))
    _keep("funder-network.pdf", every)
    assert count(one[:1], "Sieć wymiany w roku 2025") == 1 and count(one[:1], "Okres: 2025") == 1
    text = all_text(one).replace("\xa0", " ")
    assert "Umowy podpisane w roku 2025 (czasu polskiego)" in text and "lip 2025" in text
    assert "Nie ma jeszcze stałych partnerów." in text and "280 zł" in text
    pages = pdf_pages(every)
    assert count(pages[:1], "Sieć wymiany rok po roku") == 1 and count(pages[:1], "Okres: 2025–2026") == 1
    for heading in HEADINGS:
        assert count(pages[1:], heading) == 1, heading
    text = all_text(pages).replace("\xa0", " ")
    assert "Fundacja Źdźbło Spółdzielnia Łąka 2 3" in text and "Średnia ocena 3,5 na 5" in text
    assert text.index(LATE) < text.index(QUOTED)


def test_the_charts_carry_the_figures(app: Any, funder_fair: FunderFair) -> None:
    with app.test_request_context(), force_locale("pl"):
        made = funder_charts(fair_report(funder_fair.fair, NOW), LIGHT)
    for svg in vars(made).values():
        assert ET.fromstring(str(svg)).tag == f"{SVG}svg"  # well-formed, one picture each
    texts = ["".join(t.itertext()) for t in ET.fromstring(str(made.value_by_category)).iter(f"{SVG}text")]
    assert "Catering" in texts and "600 zł" in [t.replace("\xa0", " ") for t in texts]
    line = ET.fromstring(str(made.fulfilment))
    assert len(line.findall(f"{SVG}circle")) == 4  # a point per week
    assert any("50%" in "".join(t.itertext()).replace("\xa0", "") for t in line.iter(f"{SVG}text"))
