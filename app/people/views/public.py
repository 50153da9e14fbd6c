"""Pages a person opens for themself: self-registration and their own page."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.core.web.refusals import refusal_flashed
from app.fairs.access import fair_or_404, login_required
from app.people.forms import RegistrationForm
from app.people.participants import register_participant
from app.people.views.blueprint import bp


@bp.route("/register", methods=["GET", "POST"])
def register(slug: str) -> Any:
    fair = fair_or_404(slug)
    if not fair.registration_open:
        return render_template("people/registration_closed.html", fair=fair), 403
    form = RegistrationForm()
    if form.validate_on_submit():
        with refusal_flashed():
            person = register_participant(fair.id, form.person(), form.organisation())
            login_user(person, remember=True)
            flash(_("You are registered. Welcome!"), "success")
            return redirect(url_for("people.me", slug=fair.slug), 303)
    return render_template("people/register.html", fair=fair, form=form), 200 if not form.errors else 422


@bp.get("/me")
@login_required
def me(slug: str) -> Any:
    return render_template("people/me.html", fair=current_user.fair, person=current_user)
