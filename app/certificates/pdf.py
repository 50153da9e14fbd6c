"""The certificate on paper: rendered from its frozen content with the agreements' stylesheet,
fonts, locale and QR code (app/agreements/pdf.py), and kept at its first download, so that every
copy printed is the same document.

Rendering happens outside any transaction (WeasyPrint takes a while and must not hold the
database's write lock); keeping it is one short service that writes only if no copy is kept yet.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import render_template
from flask_babel import format_date, format_datetime, gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.agreements.pdf import STYLESHEET, printing_locale
from app.certificates.content import Frozen, amount_unit, known, read_frozen
from app.certificates.lines import Line
from app.certificates.models import Certificate
from app.core.errors import NotFound
from app.core.extensions import db
from app.core.output.pdf import PdfBuilder
from app.core.storage.transactions import service
from app.core.web.urls import public_url
from app.door.badge_qr import qr_data_uri
from app.floor.kinds import Unit, quantity_text
from app.valuation.kinds import RateKey, units_text
from app.valuation.money import zloty

# Beside the agreement's stylesheet: the page numbers, the summary and the lines' tables.
EXTRA_CSS = """
@page { @bottom-right { content: counter(page) " / " counter(pages); } }
.check { margin-top: 2mm; padding: 1.5mm 2.5mm; font-size: 7.5pt; }
.check .url { margin: 0.3mm 0; }
.check .hash { font-size: 7.5pt; }
.facts { margin-top: 3mm; }
.facts th { width: 24%; font-size: 8pt; border-bottom: 0.2mm solid #999; padding-top: 1.3mm; }
.facts .member { font-size: 11pt; }
.check .replaces { margin-top: 0.8mm; font-weight: bold; font-size: 8pt; }
.note { font-size: 7.5pt; color: #333; margin-top: 0.7mm; }
.summary th:nth-child(1) { width: 34%; }
.summary th:nth-child(2) { width: 14%; }
.summary th:nth-child(3), .summary th:nth-child(4) { width: 26%; }
.summary td.num, .summary th.num, .lines .value, .lines th.value { text-align: right; }
.summary .grand td { font-weight: bold; }
.lines { margin-bottom: 2mm; }
.lines th.date { width: 11%; }
.lines th.agreement { width: 12%; }
.lines th.who { width: 19.5%; }
.lines th.what { width: 20.5%; }
.lines th.amount { width: 9%; }
.lines th.value { width: 13%; }
.lines th.state { width: 15%; }
.lines td { font-size: 7.5pt; }
.lines td.date { white-space: nowrap; }
.lines .what { white-space: pre-line; }
.lines .small { font-size: 7pt; color: #333; margin-top: 0.5mm; }
.lines .value b { white-space: nowrap; }
.none { color: #333; font-style: italic; }
.estimate { margin-top: 3mm; font-size: 7.5pt; }
.estimate .method { margin-top: 1mm; }
"""


def verification_url(public_code: str, base: str | None = None) -> str:
    """The public page that says whether a certificate is authentic: what its QR code opens."""
    return f"{base or public_url()}/zw/{public_code}"


def amount_text(line: Line) -> str:
    """'3 godziny', '2 osoby · 4 h': the amount as the agreement says it; '–' when it says none."""
    parts = []
    unit = amount_unit(line)
    if line.quantity:
        parts.append(quantity_text(line.quantity, unit))
    if line.hours and not (line.quantity == line.hours and unit is Unit.HOURS):
        parts.append(gettext("%(hours)d h", hours=line.hours))
    return " · ".join(parts) or "–"


def value_detail(line: Line) -> str:
    """'10 h × 28,61 zł': how the estimate was reached; '' when none was."""
    if line.social_value is None or line.value_units is None or line.value_rate is None:
        return ""
    per = RateKey(line.value_rate_key).per if known(line.value_rate_key, RateKey) else "piece"
    nbsp = "\u00a0"  # each side of "×" kept on one line
    return f"{units_text(line.value_units, per).replace(' ', nbsp)}{nbsp}× {zloty(line.value_rate).replace(' ', nbsp)}"


def lines_count(n: int) -> str:
    return ngettext("%(num)d line", "%(num)d lines", n)


@dataclass(frozen=True)
class CertificateSheet:
    content: Frozen
    content_hash: str
    verify_url: str

    @property
    def qr(self) -> str:
        return qr_data_uri(self.verify_url)


def certificate_sheet(certificate: Certificate, base: str | None = None) -> CertificateSheet:
    return CertificateSheet(read_frozen(certificate.frozen_content), certificate.content_hash,
                            verification_url(certificate.public_code, base))


def render_certificate(sheet: CertificateSheet) -> bytes:
    with printing_locale():
        html = render_template("certificates/pdf/certificate.html", sheet=sheet, amount=amount_text,
                               value_detail=value_detail, lines_count=lines_count,
                               when=lambda dt: format_datetime(dt, "d MMMM y, HH:mm"),
                               day=lambda d: format_date(d, "d MMMM y") if d else "",
                               short_day=lambda d: format_date(d, "dd.MM.y") if d else "")
    builder = PdfBuilder(STYLESHEET, EXTRA_CSS)
    builder.add(html)
    out = io.BytesIO()
    builder.write(out)
    return out.getvalue()


def stored_pdf(certificate_id: int) -> bytes | None:
    return db.session.scalar(select(Certificate.pdf).where(Certificate.id == certificate_id))


def ensure_pdf(certificate: Certificate, base: str | None = None) -> bytes:
    """The certificate's PDF: the copy kept, or rendered now and kept. Like a service, call it on
    its own, not inside another service's transaction."""
    kept = stored_pdf(certificate.id)
    if kept is not None:
        return kept
    certificate_id, sheet = certificate.id, certificate_sheet(certificate, base)
    db.session.rollback()  # end the read transaction: hold no snapshot or lock while rendering
    return store_certificate_pdf(certificate_id, render_certificate(sheet))


@service
def store_certificate_pdf(certificate_id: int, data: bytes) -> bytes:
    """Keep `data` as the certificate's PDF unless one is kept already; returns the kept one."""
    db.session.execute(update(Certificate)
                       .where(Certificate.id == certificate_id, Certificate.pdf.is_(None))
                       .values(pdf=data)
                       .execution_options(synchronize_session=False))
    kept = stored_pdf(certificate_id)
    if kept is None:
        raise NotFound(_l("There is no such certificate."), code="certificate_not_found")
    return kept
