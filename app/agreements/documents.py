"""Agreement documents over HTTP: the kept PDF, the copies for each party, the notary's batch
print, and the public verification page that an agreement's QR code opens."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, make_response, render_template, request, send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.agreements.access import can_view, get_agreement
from app.agreements.models import Agreement, AgreementState
from app.agreements.pdf import agreement_sheet, ensure_pdf, render_copies, require_document
from app.agreements.signing import verify
from app.core.errors import Conflict, ValidationError
from app.core.extensions import db
from app.core.web.inputs import db_int_or_none
from app.fairs.access import login_required, staff_required
from app.fairs.models import Fair
from app.network.sectors import Sector

bp = Blueprint("documents", __name__)

BATCH_LIMIT = 150  # agreements in one batch print: more than a big fair's whole day


def _pdf(data: bytes, filename: str) -> Response:
    response = send_file(io.BytesIO(data), mimetype="application/pdf", download_name=filename)
    response.headers["Cache-Control"] = "private, no-cache"  # contact details: never a shared cache
    return response


def _filename(agreement: Agreement, suffix: str = "") -> str:
    stem = (agreement.number or f"agreement-{agreement.id}").replace("/", "-")
    return f"{stem}{suffix}.pdf"


def _viewable(agreement_id: int) -> Agreement:
    """The agreement, if the logged-in person is one of its parties or staff of its fair."""
    agreement = get_agreement(current_user.fair_id, agreement_id)
    if not can_view(current_user, agreement):
        abort(403)
    return agreement


@bp.get("/f/<slug>/agreements/<int:agreement_id>/agreement.pdf")
@login_required
def agreement_pdf(slug: str, agreement_id: int) -> Any:
    """The summary PDF, from the copy kept since signing."""
    agreement = _viewable(agreement_id)
    return _pdf(ensure_pdf(agreement.id), _filename(agreement))


@bp.get("/f/<slug>/agreements/<int:agreement_id>/copies.pdf")
@login_required
def agreement_copies(slug: str, agreement_id: int) -> Any:
    """The same agreement once per party, each copy headed with that party's colour."""
    agreement = _viewable(agreement_id)
    return _pdf(render_copies([agreement_sheet(agreement, with_annulment=True)]),
                _filename(agreement, "-copies"))


def _batch_ids(raw: str) -> list[int]:
    ids: list[int] = []
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        number = db_int_or_none(part)
        if number is None or number < 1:
            abort(400)
        if number not in ids:
            ids.append(number)
    return ids


def _batch(fair: Fair) -> list[Agreement]:
    if request.args.get("all"):
        if request.args["all"] != "signed":
            abort(400)
        return list(db.session.scalars(
            select(Agreement).where(Agreement.fair_id == fair.id,
                                    Agreement.state.in_([AgreementState.SIGNED, AgreementState.FULFILLED]))
            .order_by(Agreement.seq_no)))
    ids = _batch_ids(request.args.get("ids", ""))
    if len(ids) > BATCH_LIMIT:
        raise ValidationError(_l("Print at most %(max)d agreements at once.", max=BATCH_LIMIT),
                              code="batch_too_large")
    agreements = [get_agreement(fair.id, i) for i in ids]
    for agreement in agreements:
        require_document(agreement)
    return agreements


@bp.get("/f/<slug>/notary/print")
@staff_required
def notary_print(slug: str) -> Any:
    """Copies for each party of several agreements in one PDF: ?ids=1,2,3 or ?all=signed."""
    fair = current_user.fair
    agreements = _batch(fair)
    if not agreements:
        raise Conflict(_l("There are no signed agreements to print."), code="nothing_to_print")
    if len(agreements) > BATCH_LIMIT:
        raise ValidationError(_l("Print at most %(max)d agreements at once.", max=BATCH_LIMIT),
                              code="batch_too_large")
    data = render_copies([agreement_sheet(a, with_annulment=True) for a in agreements])
    return _pdf(data, f"{fair.slug}-agreements-{len(agreements)}.pdf")


# --- the public verification page ---------------------------------------------------------------


@dataclass(frozen=True)
class PartyLine:
    organisation: str
    sector: Sector


@dataclass(frozen=True)
class Verification:
    """What the page may say in public: no contact details, no obligations."""

    status: str  # authentic | not_authentic | not_signed | cancelled
    state: AgreementState
    number: str | None
    fair_name: str
    parties: list[PartyLine]
    signed_at: datetime | None
    fulfilled_at: datetime | None
    annulled_at: datetime | None
    annul_reason: str
    content_hash: str | None


def _frozen_parties(agreement: Agreement) -> list[PartyLine] | None:
    try:
        content = json.loads(agreement.frozen_content or "")
        return [PartyLine(p["organisation"], Sector(p["sector"])) for p in content["parties"]]
    except (ValueError, KeyError, TypeError):
        return None


def _live_parties(agreement: Agreement) -> list[PartyLine]:
    return [PartyLine(p.organisation.name, p.organisation.sector) for p in agreement.parties]


def verification(agreement: Agreement) -> Verification:
    if agreement.state in (AgreementState.DRAFT, AgreementState.AWAITING_SIGNATURES):
        status = "not_signed"
    elif agreement.state == AgreementState.CANCELLED:
        status = "cancelled"
    else:
        status = "authentic" if verify(agreement) else "not_authentic"
    fair_name = db.session.scalar(select(Fair.name).where(Fair.id == agreement.fair_id)) or ""
    parties = (_frozen_parties(agreement) if agreement.frozen_content else None) or _live_parties(agreement)
    return Verification(
        status=status, state=agreement.state, number=agreement.number, fair_name=fair_name,
        parties=parties, signed_at=agreement.signed_at, fulfilled_at=agreement.fulfilled_at,
        annulled_at=agreement.annulled_at, annul_reason=agreement.annul_reason,
        content_hash=agreement.content_hash)


@bp.get("/c/<code>")
def verify_page(code: str) -> Any:
    """Anyone holding a printed agreement can check it here: no login."""
    agreement = db.session.scalar(select(Agreement).where(Agreement.public_code == code)) \
        if len(code) <= 64 else None
    if agreement is None:
        response = make_response(render_template("agreements/doc_not_found.html"), 404)
    else:
        response = make_response(render_template("agreements/verify.html", v=verification(agreement),
                                                 fair=db.session.get(Fair, agreement.fair_id)))
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
