"""Certificate pages: the organisers' (or the network coordinator's) list, issuing one, one
certificate, reissuing it, its PDF; a member's own certificates for its people; and the public
verification page that its QR code opens (/zw/<code>)."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.certificates import issuing
from app.certificates.access import get_certificate, get_own_certificate
from app.certificates.content import is_authentic, read_frozen
from app.certificates.forms import IssueForm, ReissueForm
from app.certificates.models import Certificate
from app.certificates.pdf import amount_text, ensure_pdf, lines_count, value_detail
from app.certificates.queries import (
    certificate_by_code,
    certificates_for,
    certificates_of_member,
    default_period,
    member_choices,
    records_changed,
    scope_names,
    successor,
)
from app.core.web.formkeys import new_key
from app.core.web.inputs import db_int_or_none
from app.core.web.refusals import refusal_back_to, refusal_flashed
from app.fairs.access import login_required, organiser_required
from app.ledger.permissions import is_network_admin

bp = Blueprint("certificates", __name__)
PREFIX = "/f/<slug>/admin/certificates"


def _to_detail(certificate_id: int) -> Any:
    return redirect(url_for("certificates.detail", slug=current_user.fair.slug, certificate_id=certificate_id), 303)


def _pdf(certificate: Certificate) -> Response:
    name = f"{certificate.number.replace('/', '-')}.pdf"
    response = send_file(io.BytesIO(ensure_pdf(certificate)), mimetype="application/pdf", download_name=name)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get(PREFIX)
@organiser_required
def index(slug: str) -> Any:
    certificates = certificates_for(current_user)
    return render_template("certificates/list.html", fair=current_user.fair, certificates=certificates,
                           scopes=scope_names(certificates), coordinator=is_network_admin(current_user),
                           new_key=new_key)


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
@organiser_required
def new(slug: str) -> Any:
    form = IssueForm()
    form.offer(member_choices(current_user))
    status = 200
    if not form.is_submitted():
        form.start.data, form.end.data = default_period(current_user, issuing.today())
    elif form.validate_on_submit():
        assert form.start.data is not None and form.end.data is not None  # validated as required
        with refusal_flashed() as refusal:
            member_id = db_int_or_none(form.member_id.data) or 0
            sent = issuing.issue_certificate(current_user, current_user.fair_id, member_id, form.start.data,
                                             form.end.data, form.key.data)
            if sent.created:
                flash(_("The certificate is issued."), "success")
            else:
                flash(_("This form had already been sent: here is the certificate it issued. Nothing was issued "
                        "twice."), "info")
            return _to_detail(sent.row_id)
        status = refusal.status()
    else:
        status = 422
    return render_template("certificates/new.html", fair=current_user.fair, form=form,
                           coordinator=is_network_admin(current_user)), status


@bp.get(f"{PREFIX}/<int:certificate_id>")
@organiser_required
def detail(slug: str, certificate_id: int) -> Any:
    certificate = get_certificate(current_user, certificate_id)
    return render_template("certificates/detail.html", fair=current_user.fair, certificate=certificate,
                           content=read_frozen(certificate.frozen_content), authentic=is_authentic(certificate),
                           newer=successor(certificate), form=ReissueForm(), amount=amount_text,
                           changed=certificate.superseded_at is None and records_changed(certificate),
                           value_detail=value_detail)


@bp.post(f"{PREFIX}/<int:certificate_id>/reissue")
@organiser_required
@refusal_back_to("certificates.detail")
def reissue(slug: str, certificate_id: int) -> Any:
    form = ReissueForm()
    if not form.validate_on_submit():
        get_certificate(current_user, certificate_id)  # a stranger's id stays unknown
        flash(_("The form has expired. Please try again."), "error")
        return _to_detail(certificate_id)
    sent = issuing.reissue_certificate(current_user, current_user.fair_id, certificate_id, form.key.data)
    if sent.created:
        flash(_("The certificate is issued again with a new number; the earlier one is marked as replaced."),
              "success")
    else:
        flash(_("This form had already been sent: here is the certificate it issued. Nothing was issued twice."),
              "info")
    return _to_detail(sent.row_id)


@bp.get(f"{PREFIX}/<int:certificate_id>/certificate.pdf")
@organiser_required
def pdf(slug: str, certificate_id: int) -> Any:
    return _pdf(get_certificate(current_user, certificate_id))


@bp.get("/f/<slug>/me/certificates")
@login_required
def mine(slug: str) -> Any:
    """The certificates of the member the logged-in person represents, wherever issued."""
    return render_template("certificates/mine.html", fair=current_user.fair,
                           member=current_user.organisation.member,
                           certificates=certificates_of_member(current_user.organisation.member_id))


@bp.get("/f/<slug>/me/certificates/<int:certificate_id>/certificate.pdf")
@login_required
def my_pdf(slug: str, certificate_id: int) -> Any:
    return _pdf(get_own_certificate(current_user, certificate_id))


@bp.get("/zw/<code>")
def verify_page(code: str) -> Any:
    """Anyone holding a printed certificate can check it here: no login; its totals, not its lines."""
    certificate = certificate_by_code(code)
    if certificate is None:
        response = make_response(render_template("certificates/not_found.html"), 404)
    else:
        authentic = is_authentic(certificate)
        response = make_response(render_template(
            "certificates/verify.html", certificate=certificate, authentic=authentic, newer=successor(certificate),
            lines_count=lines_count,
            content=read_frozen(certificate.frozen_content) if authentic else None))
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
