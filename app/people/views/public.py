"""Pages a person opens for themself: self-registration and their own page."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.core.web.refusals import flash_refusal, refusal_flashed, refusal_kept
from app.fairs.access import fair_or_404, login_required
from app.people.forms import MemberProfileForm, RegistrationForm
from app.people.member_profile import profile_of, represented_member, update_member_profile
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


@bp.route("/me/organisation", methods=["GET", "POST"])
@login_required
def my_member(slug: str) -> Any:
    """The network's page of the organisation the person came for: they keep it up to date."""
    member = represented_member(current_user)
    form = MemberProfileForm(data=asdict(profile_of(member)) | {"branch": member.branch.value if member.branch else ""})
    refused = False
    if form.validate_on_submit():
        with refusal_kept() as refusal:
            update_member_profile(current_user, current_user.fair_id, form.profile())
            flash(_("Saved. Your organisation's page in the network is up to date."), "success")
            return redirect(url_for("people.my_member", slug=slug), 303)
        refused = refusal.error is not None
        field = refusal.error.details.get("field") if refusal.error is not None else None
        if field in form:
            form[field].errors = [*form[field].errors, str(refusal.error)]
        elif refusal.error is not None:
            flash_refusal(refusal.error)
    return render_template("people/my_member.html", fair=current_user.fair, member=member, form=form), \
        422 if form.errors or refused else 200
