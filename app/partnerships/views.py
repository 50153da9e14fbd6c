"""Partnership pages: the organiser's (or the network coordinator's) list, recording one (from
scratch or from a group deal), one partnership, ending it, its PDF; and the public verification
page that its QR code opens (/pa/<code>)."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.web.inputs import db_int
from app.core.web.refusals import refusal_back_to, refusal_flashed
from app.fairs.access import organiser_required
from app.ledger.permissions import is_network_admin
from app.partnerships import records
from app.partnerships.access import get_partnership
from app.partnerships.content import is_authentic, read_frozen
from app.partnerships.forms import EndForm, PartnershipForm
from app.partnerships.pdf import partnership_sheet, render_partnership
from app.partnerships.queries import group_deals, member_choices, partnership_by_code, partnerships_for

bp = Blueprint("partnerships", __name__)
PREFIX = "/f/<slug>/admin/partnerships"


def _to_detail(partnership_id: int) -> Any:
    return redirect(url_for("partnerships.detail", slug=current_user.fair.slug, partnership_id=partnership_id), 303)


@bp.get(PREFIX)
@organiser_required
def index(slug: str) -> Any:
    deals = [a for a in group_deals(current_user.fair_id) if len({p.organisation.member_id for p in a.parties}) >= 2]
    return render_template("partnerships/list.html", fair=current_user.fair,
                           partnerships=partnerships_for(current_user), deals=deals,
                           coordinator=is_network_admin(current_user))


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
@organiser_required
def new(slug: str) -> Any:
    """A new partnership; ?agreement=<id>: the one a group deal of this fair becomes."""
    form = PartnershipForm()
    agreement_id = request.args.get("agreement", type=db_int) if request.method == "GET" else None
    if agreement_id is not None:
        form.set_data(records.prefill(current_user, agreement_id))
        form.agreement_id.data = agreement_id
    form.fill_rows()
    form.offer(member_choices(current_user))
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            with refusal_flashed() as refusal:
                sent = _record(form)
                if not sent.created:
                    flash(_("This form had already been sent: here is the partnership it recorded. Nothing was "
                            "recorded twice."), "info")
                else:
                    flash(_("The partnership is recorded."), "success")
                return _to_detail(sent.row_id)
            status = refusal.status()
        else:
            status = 422
    return render_template("partnerships/new.html", fair=current_user.fair, form=form), status


def _record(form: PartnershipForm) -> Any:
    data, key = form.partnership_data(), form.key.data
    if form.agreement_id.data is not None:
        return records.partnership_from_agreement(current_user, form.agreement_id.data, data, key)
    return records.record_partnership(current_user, data, key)


@bp.get(f"{PREFIX}/<int:partnership_id>")
@organiser_required
def detail(slug: str, partnership_id: int) -> Any:
    partnership = get_partnership(current_user, partnership_id)
    return render_template("partnerships/detail.html", fair=current_user.fair, partnership=partnership,
                           form=EndForm(), authentic=is_authentic(partnership))


@bp.post(f"{PREFIX}/<int:partnership_id>/end")
@organiser_required
@refusal_back_to("partnerships.detail")
def end(slug: str, partnership_id: int) -> Any:
    form = EndForm()
    if not form.validate_on_submit():
        get_partnership(current_user, partnership_id)  # a stranger's id stays unknown
        flash(_("Check the date the partnership ended."), "error")
        return _to_detail(partnership_id)
    records.end_partnership(current_user, partnership_id, form.ends_on.data, form.reason.data or "")
    flash(_("The partnership has ended."), "success")
    return _to_detail(partnership_id)


@bp.get(f"{PREFIX}/<int:partnership_id>/partnership.pdf")
@organiser_required
def pdf(slug: str, partnership_id: int) -> Any:
    partnership = get_partnership(current_user, partnership_id)
    data = render_partnership(partnership_sheet(partnership))
    response = send_file(io.BytesIO(data), mimetype="application/pdf",
                         download_name=f"{partnership.number.replace('/', '-')}.pdf")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/pa/<code>")
def verify_page(code: str) -> Any:
    """Anyone holding a printed partnership can check it here: no login, no contact details."""
    partnership = partnership_by_code(code)
    if partnership is None or not partnership.frozen_content:
        response = make_response(render_template("partnerships/not_found.html"), 404)
    else:
        response = make_response(render_template(
            "partnerships/verify.html", partnership=partnership, content=read_frozen(partnership.frozen_content),
            authentic=is_authentic(partnership)))
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response

