"""The partnership on paper: rendered on demand from its frozen content, as an agreement's PDF
is (app/agreements/pdf.py: the same stylesheet, fonts, locale and QR code), so that it always
shows what was recorded and where to check it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import render_template
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from app.agreements.pdf import STYLESHEET, ink_on, printing_locale
from app.core.errors import Conflict
from app.core.output.pdf import PdfBuilder
from app.core.web.urls import public_url
from app.door.badge_qr import qr_data_uri
from app.partnerships.content import Frozen, PartnerLine, read_frozen
from app.partnerships.models import Partnership

# Beside the agreement's stylesheet: the partners' table.
EXTRA_CSS = """
.partners th:nth-child(1) { width: 34%; }
.partners th:nth-child(2) { width: 26%; }
.partners th:nth-child(3) { width: 40%; }
.partners .lead-mark { font-weight: bold; font-size: 7.5pt; padding: 0.2mm 1mm; border: 0.2mm solid #000; }
.partners td.partner { border-left: 3mm solid #fff; }
.purpose { font-size: 11pt; font-weight: bold; margin-top: 2mm; }
.description { margin-top: 1.5mm; white-space: pre-line; }
.partners .contribution { white-space: pre-line; }
.dates { margin-top: 2mm; }
"""


def verification_url(public_code: str, base: str | None = None) -> str:
    """The public page that says whether a partnership is authentic: what its QR code opens."""
    return f"{base or public_url()}/pa/{public_code}"


@dataclass(frozen=True)
class PartnershipSheet:
    content: Frozen
    content_hash: str
    verify_url: str

    @property
    def qr(self) -> str:
        return qr_data_uri(self.verify_url)

    def ink(self, partner: PartnerLine) -> str:
        return ink_on(partner.colour)


def partnership_sheet(partnership: Partnership, base: str | None = None) -> PartnershipSheet:
    if not partnership.frozen_content or not partnership.content_hash:
        raise Conflict(_l("This partnership has not been recorded yet, so it has no PDF."), code="not_recorded")
    return PartnershipSheet(read_frozen(partnership.frozen_content), partnership.content_hash,
                            verification_url(partnership.public_code, base))


def render_partnership(sheet: PartnershipSheet) -> bytes:
    with printing_locale():
        html = render_template("partnerships/pdf/partnership.html", sheet=sheet,
                               when=lambda dt: format_datetime(dt, "d MMMM y, HH:mm"),
                               day=lambda d: format_date(d, "d MMMM y") if d else "")
    builder = PdfBuilder(STYLESHEET, EXTRA_CSS)
    builder.add(html)
    out = io.BytesIO()
    builder.write(out)
    return out.getvalue()
