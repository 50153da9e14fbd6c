"""A participant scans someone's badge: the camera (or the code typed) opens that person's card,
where "propose an exchange" starts. (Most phones' own camera app opens the card from the badge's
QR too; this page is for the ones that do not, and for the bottom navigation's "scan".)"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.errors import NotFound
from app.core.web.refusals import refusal_kept
from app.door.checkin import parse_scan
from app.door.forms import CardScanForm
from app.door.views.blueprint import bp
from app.fairs.access import login_required
from app.people.queries import participant_by_badge


@bp.route("/scan", methods=["GET", "POST"])
@login_required
def scan(slug: str) -> Any:
    form = CardScanForm()
    status = 200
    with refusal_kept() as refusal:
        if form.validate_on_submit():
            person = participant_by_badge(parse_scan(form.scanned.data or ""), current_user.fair_id)
            if person is None:
                raise NotFound(_l("No participant of this fair has that badge."), code="unknown_badge")
            return redirect(url_for("cards.card", badge_code=person.badge_code), 303)
        if form.errors:
            status = 422
    return render_template("door/scan.html", fair=current_user.fair, form=form, error=refusal.error), \
        refusal.status(status)
