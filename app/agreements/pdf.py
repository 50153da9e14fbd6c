"""The agreement on paper: the summary PDF kept once signed, a copy per party, notary batches.

Everything printed comes from the agreement's frozen content (the canonical JSON its hash
covers) and a few plain values (the fair's name, the hash, where to verify it), never from live
rows: the PDF shows exactly what was signed, even if an organisation is renamed afterwards.

The summary is rendered once and stored in `Agreement.pdf`; `ensure_pdf()` serves the stored
copy and renders only when there is none. Right after an agreement is signed, an after-commit
hook queues its render, so the signing transaction never waits for
WeasyPrint: the render is a background task (app/core/tasks.py; config
`AGREEMENT_PDF_AFTER_SIGNING`: "queue", or "off"; off by default when TESTING, so that tests
render only when they mean to).
"""

from __future__ import annotations

import functools
import io
import json
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask, current_app, has_app_context, render_template
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select, update
from sqlalchemy.orm import object_session

from app.agreements.models import Agreement, AgreementState, SignatureMethod
from app.agreements.signing import NETWORK_SERIES
from app.core.errors import Conflict, NotFound
from app.core.extensions import db
from app.core.output.pdf import PdfBuilder
from app.core.storage.db import utcnow
from app.core.storage.events import after_commit
from app.core.storage.transactions import service
from app.core.tasks import resumer, task
from app.core.web.urls import public_url
from app.door.badge_qr import qr_data_uri
from app.fairs.models import Fair
from app.floor.kinds import Unit
from app.network.sectors import SECTOR_COLOURS, Sector
from app.valuation.kinds import units_text

log = logging.getLogger(__name__)

STYLESHEET = "css/agreement.css"
# States whose agreement has frozen content and so a document (annulled: kept, never deleted).
DOCUMENT_STATES = (AgreementState.SIGNED, AgreementState.FULFILLED, AgreementState.ANNULLED)

METHOD_LABELS = {
    SignatureMethod.OWN_DEVICE: _l("on their own phone"),
    SignatureMethod.SHARED_DEVICE_PIN: _l("on the other party's device, confirmed with their PIN"),
    SignatureMethod.SHARED_DEVICE_QR: _l("on the other party's device, confirmed with their private QR code"),
    SignatureMethod.PAPER: _l("by hand on paper"),
}


def verification_url(public_code: str, base: str | None = None) -> str:
    """The public page that says whether an agreement is authentic: what its QR code opens."""
    return f"{base or public_url()}/c/{public_code}"


# --- plain values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartySheet:
    organisation: str
    sector: Sector
    representative: str
    contact_name: str
    contact_details: str

    @property
    def colour(self) -> str:
        return SECTOR_COLOURS[self.sector]

    @property
    def ink(self) -> str:
        """Text colour that reads on the sector colour."""
        return ink_on(self.colour)


@dataclass(frozen=True)
class ObligationSheet:
    giver: str
    receiver: str
    description: str
    quantity: int | None
    unit: Unit | None
    when: str
    where: str
    duration: str
    hours: int | None
    points: int
    cost_contribution: str
    due_date: date | None
    social_value: int | None = None  # grosze, the estimate frozen at signing (app/valuation)
    value_units: int | None = None
    value_rate: int | None = None
    value_per: str = ""  # 'hour', 'day' or 'piece'


@dataclass(frozen=True)
class Direction:
    """Everything one party gives another, in the order the parties wrote it."""

    giver: PartySheet
    receiver: PartySheet
    obligations: tuple[ObligationSheet, ...]

    @property
    def points(self) -> int:
        return sum(o.points for o in self.obligations)


@dataclass(frozen=True)
class SignatureSheet:
    organisation: str
    signed_by: str
    method: SignatureMethod
    signed_at: datetime

    @property
    def method_label(self) -> str:
        return str(METHOD_LABELS[self.method])


@dataclass(frozen=True)
class Annulment:
    at: datetime
    reason: str


@dataclass(frozen=True)
class AgreementSheet:
    """An agreement as printed. Built from the frozen content only (and the plain values beside it)."""

    fair_name: str
    number: str
    parties: tuple[PartySheet, ...]
    directions: tuple[Direction, ...]
    signatures: tuple[SignatureSheet, ...]
    notary: str | None
    notarised_at: datetime | None
    on_paper: bool
    signed_at: datetime | None
    content_hash: str
    verify_url: str
    annulment: Annulment | None = None  # on copies printed after an annulment, never on the kept PDF

    @property
    def total_points(self) -> int:
        return sum(d.points for d in self.directions)

    @property
    def total_value(self) -> int | None:
        """The estimated social value in grosze; None when nothing was valued (signed before)."""
        values = [o.social_value for d in self.directions for o in d.obligations if o.social_value is not None]
        return sum(values) if values else None

    @property
    def between_fairs(self) -> bool:
        """Signed in the network's space (numbered in the network's series), not at a fair."""
        return self.number.startswith(f"{NETWORK_SERIES}/")

    @property
    def qr(self) -> str:
        return qr_data_uri(self.verify_url)


def ink_on(colour: str) -> str:
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return "#000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 else "#fff"


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def sheet_from_frozen(frozen: str, content_hash: str, *, fair_name: str, verify_url: str,
                      annulment: Annulment | None = None) -> AgreementSheet:
    """The printable agreement from its canonical JSON (see app.agreements.content)."""
    content: dict[str, Any] = json.loads(frozen)
    parties = tuple(PartySheet(organisation=p["organisation"], sector=Sector(p["sector"]),
                               representative=p["representative"], contact_name=p["contact_name"],
                               contact_details=p["contact_details"]) for p in content["parties"])
    by_name = {p.organisation: p for p in parties}
    grouped: dict[tuple[str, str], list[ObligationSheet]] = {}
    for o in content["obligations"]:
        grouped.setdefault((o["giver"], o["receiver"]), []).append(ObligationSheet(
            giver=o["giver"], receiver=o["receiver"], description=o["description"],
            quantity=o["quantity"], unit=Unit(o["unit"]) if o["unit"] else None, when=o["when"],
            where=o["where"], duration=o["duration"], hours=o["hours"], points=o["points"],
            cost_contribution=o["cost_contribution"],
            due_date=date.fromisoformat(o["due_date"]) if o["due_date"] else None,
            social_value=o.get("social_value"), value_units=o.get("value_units"), value_rate=o.get("value_rate"),
            value_per=(o.get("value_rate_key") or "_").rsplit("_", 1)[1]))
    directions = tuple(Direction(by_name[giver], by_name[receiver], tuple(obs))
                       for (giver, receiver), obs in grouped.items())
    signatures = tuple(SignatureSheet(organisation=s["organisation"], signed_by=s["signed_by"],
                                      method=SignatureMethod(s["method"]),
                                      signed_at=datetime.fromisoformat(s["signed_at"]))
                       for s in content["signatures"])
    return AgreementSheet(
        fair_name=fair_name, number=content["number"], parties=parties, directions=directions,
        signatures=signatures, notary=content["notary"], notarised_at=_when(content["notarised_at"]),
        on_paper=content["on_paper"], signed_at=_when(content["signed_at"]), content_hash=content_hash,
        verify_url=verify_url, annulment=annulment)


def require_document(agreement: Agreement) -> None:
    if agreement.state not in DOCUMENT_STATES or not agreement.frozen_content or not agreement.content_hash:
        raise Conflict(_l("This agreement has not been signed yet, so it has no PDF."), code="not_signed")


def agreement_sheet(agreement: Agreement, base: str | None = None, *,
                    with_annulment: bool = False) -> AgreementSheet:
    """The printable values of a signed (fulfilled, annulled) agreement."""
    require_document(agreement)
    fair_name = db.session.scalar(select(Fair.name).where(Fair.id == agreement.fair_id)) or ""
    annulment = None
    if with_annulment and agreement.state == AgreementState.ANNULLED and agreement.annulled_at:
        annulment = Annulment(agreement.annulled_at, agreement.annul_reason)
    assert agreement.frozen_content and agreement.content_hash  # require_document checked
    return sheet_from_frozen(agreement.frozen_content, agreement.content_hash, fair_name=fair_name,
                             verify_url=verification_url(agreement.public_code, base), annulment=annulment)


# --- rendering ---------------------------------------------------------------------------------


@contextmanager
def printing_locale() -> Iterator[None]:
    """Printed agreements are in the fair's language (the default locale), whoever asks first:
    the kept copy is the same for every party."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


def _context() -> dict[str, Any]:
    return {"when": lambda dt: format_datetime(dt, "d MMMM y, HH:mm") if dt else "",
            "day": lambda d: format_date(d, "d MMMM y") if d else "",
            "units_text": units_text}


class _Printer:
    """One PdfBuilder per process, kept between renders: its stylesheet is parsed and its fonts
    are loaded once, not for every agreement (a fifth of a first render). A lock lets one render
    use it at a time (rendering holds the GIL anyway); a batch of several agreements gets a
    builder of its own, so that nobody waits for it. A change to the stylesheet shows after a
    restart."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builder: PdfBuilder | None = None

    def print(self, documents: Sequence[str]) -> bytes:
        out = io.BytesIO()
        if len(documents) > 1:  # a batch for the notary's desk: its own builder, no one waits for it
            builder = PdfBuilder(STYLESHEET)
            for html in documents:
                builder.add(html)
            builder.write(out)
            return out.getvalue()
        with self._lock:
            if self._builder is None:
                self._builder = PdfBuilder(STYLESHEET)
            builder = self._builder
            builder.documents = []
            try:
                builder.add(documents[0])
                builder.write(out)
            finally:
                builder.documents = []
        return out.getvalue()


_printer = _Printer()


def _render(template: str, sheets: Sequence[AgreementSheet]) -> bytes:
    if not sheets:
        raise ValueError("nothing to print")
    with printing_locale():
        documents = [render_template(template, sheet=sheet, **_context()) for sheet in sheets]
    return _printer.print(documents)


def render_summary(sheet: AgreementSheet) -> bytes:
    """The agreement summary: what is kept and downloaded."""
    return _render("agreements/pdf/summary.html", [sheet])


def render_copies(sheets: Sequence[AgreementSheet]) -> bytes:
    """The method's carbon copies: each agreement once per party, headed with that party's
    colour. Several agreements make one PDF for the notary's desk."""
    return _render("agreements/pdf/copies.html", sheets)


# --- the kept copy -----------------------------------------------------------------------------


def stored_pdf(agreement_id: int) -> bytes | None:
    return db.session.scalar(select(Agreement.pdf).where(Agreement.id == agreement_id))


def ensure_pdf(agreement_id: int, base: str | None = None) -> bytes:
    """The agreement's summary PDF: the stored copy, or rendered now and stored.

    Rendering happens outside any transaction (it takes a few tenths of a second and must not
    hold the database's write lock); storing is one short transaction that writes only if no copy
    is there yet, so when two requests race, both get the one copy that was stored first. Like a
    service, call it on its own, not inside another service's transaction.
    """
    kept = stored_pdf(agreement_id)
    if kept is not None:
        return kept
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(_l("There is no such agreement."), code="agreement_not_found")
    sheet = agreement_sheet(agreement, base)
    db.session.rollback()  # end the read transaction: hold no snapshot or lock while rendering
    return store_pdf(agreement_id, render_summary(sheet))


@service
def store_pdf(agreement_id: int, data: bytes) -> bytes:
    """Keep `data` as the agreement's PDF unless one is kept already; returns the kept one."""
    db.session.execute(update(Agreement)
                       .where(Agreement.id == agreement_id, Agreement.pdf.is_(None))
                       .values(pdf=data)
                       .execution_options(synchronize_session=False))
    kept = stored_pdf(agreement_id)
    if kept is None:  # the agreement is gone
        raise NotFound(_l("There is no such agreement."), code="agreement_not_found")
    return kept


# --- rendering right after signing, outside the signing transaction ------------------------------


_render_lock = threading.Lock()  # one WeasyPrint run at a time per process, however many workers


def render_after_signing(app: Flask) -> bool:
    """Config `AGREEMENT_PDF_AFTER_SIGNING`: "queue" (the default) or "off" (the default when
    TESTING, so that tests render only when they mean to)."""
    mode = app.config.get("AGREEMENT_PDF_AFTER_SIGNING") or ("off" if app.testing else "queue")
    return mode == "queue"


@task("agreements.render_pdf")
def render_agreement_pdf(agreement_id: int, base: str) -> None:
    """Render and keep a signed agreement's PDF, unless one is kept already: running it twice
    renders once."""
    if db.session.scalar(select(Agreement.id).where(Agreement.id == agreement_id, Agreement.pdf.is_not(None))):
        return
    with _render_lock:
        try:
            ensure_pdf(agreement_id, base)
        except (NotFound, Conflict) as err:  # gone, or not signed (any more): nothing to keep
            log.info("No PDF kept for agreement %s: %s", agreement_id, err.code)


@event.listens_for(Agreement.content_hash, "set")
def _frozen(target: Agreement, value: str | None, _old: Any, _initiator: Any) -> None:
    """Setting the content hash freezes an agreement: queue its PDF once the signing commits."""
    session = object_session(target)
    if value and session is not None and target.id is not None:
        after_commit(functools.partial(_queue_render, target.id), session=session)


def _queue_render(agreement_id: int) -> None:
    if has_app_context() and render_after_signing(current_app):
        # The base URL now, while the request (and its host) is still known.
        render_agreement_pdf.enqueue(agreement_id, public_url())


@resumer
def _resume_renders(min_age: float) -> None:
    """Agreements signed in the last day whose PDF is not kept yet: rendered, if their render was
    lost with a worker. Only when PUBLIC_URL is set: without it, the kept copy's QR code would
    point to wherever this process guesses it is served; the first download renders it then."""
    if not render_after_signing(current_app) or not current_app.config.get("PUBLIC_URL"):
        return
    now = utcnow()
    ids = db.session.scalars(select(Agreement.id).where(
        Agreement.pdf.is_(None), Agreement.content_hash.is_not(None), Agreement.state.in_(DOCUMENT_STATES),
        Agreement.signed_at >= now - timedelta(days=1), Agreement.signed_at <= now - timedelta(seconds=min_age))
        .order_by(Agreement.id)).all()
    for agreement_id in ids:
        render_agreement_pdf.enqueue(agreement_id, public_url())
