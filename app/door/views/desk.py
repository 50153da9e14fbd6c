"""The check-in desk: a scanner field, a camera scanner, walk-in registration."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.web.refusals import Refusal, refusal_flashed, refusal_kept
from app.door.checkin import check_in, checked_in_count, register_walk_in
from app.door.forms import ScanForm, WalkInForm
from app.door.views.blueprint import bp
from app.fairs.access import staff_required
from app.people.participants import get_participant


@bp.route("/desk", methods=["GET", "POST"])
@staff_required
def desk(slug: str) -> Any:
    fair = current_user.fair
    form = ScanForm()
    result = None
    refusal = Refusal()
    if form.validate_on_submit():
        with refusal_kept() as refusal:  # the desk shows a refusal in place of the result
            result = check_in(current_user, fair.id, form.scanned.data)
        form.scanned.data = ""
    return render_template("door/desk.html", fair=fair, form=form, result=result, error=refusal.error,
                           count=checked_in_count(fair.id)), refusal.status(422 if form.errors else 200)


@bp.route("/desk/walk-in", methods=["GET", "POST"])
@staff_required
def walk_in(slug: str) -> Any:
    fair = current_user.fair
    form = WalkInForm()
    if form.validate_on_submit():
        with refusal_flashed():
            result = register_walk_in(current_user, fair.id, form.person(), form.organisation())
            flash(_("%(name)s is registered and checked in. Print the badge now.",
                    name=result.participant.full_name), "success")
            return redirect(url_for("door.walk_in_done", slug=slug, pid=result.participant.id), 303)
    return render_template("door/walk_in.html", fair=fair, form=form), 422 if form.errors else 200


@bp.get("/desk/walk-in/<int:pid>")
@staff_required
def walk_in_done(slug: str, pid: int) -> Any:

    person = get_participant(current_user.fair_id, pid)
    return render_template("door/walk_in_done.html", fair=current_user.fair, person=person)
