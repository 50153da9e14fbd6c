"""Pages anyone can open: the fair's home, self-registration, a participant's card."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from app.auth import fair_or_404, login_required
from app.errors import DomainError
from app.extensions import db
from app.fair.board import organisation_posts
from app.fair.categories import category_label
from app.fair.forms import RegistrationForm
from app.fair.models import Participant
from app.fair.participants import register_participant
from app.fair.views import bp, cards


@bp.get("/")
def home(slug: str) -> Any:
    fair = fair_or_404(slug)
    me = current_user if current_user.is_authenticated and current_user.fair_id == fair.id else None
    return render_template("fair/home.html", fair=fair, me=me)


@bp.route("/register", methods=["GET", "POST"])
def register(slug: str) -> Any:
    fair = fair_or_404(slug)
    if not fair.registration_open:
        return render_template("fair/registration_closed.html", fair=fair), 403
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            person = register_participant(fair.id, form.person(), form.organisation())
        except DomainError as err:
            flash(str(err.message), "error")
        else:
            login_user(person, remember=True)
            flash(_("You are registered. Welcome!"), "success")
            return redirect(url_for("fair.me", slug=fair.slug), 303)
    return render_template("fair/register.html", fair=fair, form=form), 200 if not form.errors else 422


@bp.get("/me")
@login_required
def me(slug: str) -> Any:
    return render_template("fair/me.html", fair=current_user.fair, person=current_user)


@cards.get("/p/<badge_code>")
def card(badge_code: str) -> Any:
    person = db.session.scalar(select(Participant).where(Participant.badge_code == badge_code.upper()))
    if person is None or person.removed_at is not None:
        abort(404)
    viewer = current_user if current_user.is_authenticated else None
    posts = organisation_posts(person.organisation_id)
    return render_template("fair/card.html", fair=person.fair, person=person, viewer=viewer, posts=posts,
                           category_names={p.category_id: category_label(p.category) for p in posts})
