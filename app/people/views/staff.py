"""The fair's staff: invitations, the welcome page, the next fair with the same team."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.core.i18n import to_utc
from app.core.output.mail import MailError
from app.core.output.mail_queue import MailState, mail_state
from app.core.web.refusals import refusal_flashed
from app.fairs.access import fair_or_404, organiser_required
from app.fairs.fairs import FairData
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people import staff as staff_service
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.queries import staff_members
from app.people.staff_forms import InviteForm, NewFairForm, WelcomeForm
from app.people.views.blueprint import bp


def _new_fair_page(template: str, form: NewFairForm, action: Any) -> Any:
    if form.validate_on_submit():
        with refusal_flashed():
            fair = action(form)
            flash(_("The fair %(name)s is ready. You are its organiser; log in there with the same password.",
                    name=fair.name), "success")
            return redirect(url_for("people.login", slug=fair.slug), 303)
    return render_template(template, fair=current_user.fair, form=form), 422 if form.errors else 200


@bp.route("/admin/clone", methods=["GET", "POST"])
@organiser_required
def clone(slug: str) -> Any:
    return _new_fair_page("people/clone.html", NewFairForm(), lambda f: staff_service.clone_fair(
        current_user, current_user.fair_id, f.slug.data, f.name.data, to_utc(f.starts_at.data),
        copy_staff=f.copy_staff.data))


@bp.route("/admin/new-fair", methods=["GET", "POST"])
@organiser_required
def new_fair(slug: str) -> Any:
    return _new_fair_page("people/new_fair.html", NewFairForm(), lambda f: staff_service.create_next_fair(
        current_user, FairData(slug=f.slug.data, name=f.name.data, starts_at=to_utc(f.starts_at.data))))


@bp.route("/admin/staff", methods=["GET", "POST"])
@organiser_required
def staff(slug: str) -> Any:


    fair = current_user.fair
    form = InviteForm()
    if form.validate_on_submit():
        with refusal_flashed():
            person = staff_service.invite_staff(current_user, fair.id, form.person(Role(form.role.data)),
                                                OrganisationData(form.organisation_name.data,
                                                                 Sector(form.sector.data)))
            _send_invitation(person)
            return redirect(url_for("people.staff", slug=slug), 303)
    people = staff_members(fair.id)
    links = {p.id: url_for("people.welcome", slug=slug, token=staff_service.invitation_token(p), _external=True)
             for p in people if not p.password_hash}
    return render_template("people/staff.html", fair=fair, form=form, people=people, links=links), \
        422 if form.errors else 200


def _send_invitation(person: Participant) -> None:
    """E-mail the invitation (queued; SMTP or the outbox folder); say how it went, or say to hand
    the link over."""
    try:
        mail = staff_service.send_invitation(current_user, person.fair_id, person.id)
    except MailError:
        mail = None
    state = mail_state(mail.id) if mail is not None else None
    if state is None or state.state == MailState.FAILED:
        flash(_("%(name)s is added, but the e-mail could not be sent. Hand them the invitation link below.",
                name=person.full_name), "error")
    elif state.state == MailState.SENT:
        flash(_("Invitation sent to %(email)s.", email=person.email), "success")
    else:
        flash(_("The invitation to %(email)s is being sent. If it does not arrive, hand them the link below.",
                email=person.email), "success")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(slug: str, token: str) -> Any:
    fair = fair_or_404(slug)
    form = WelcomeForm()
    if form.validate_on_submit():
        with refusal_flashed():
            person = staff_service.accept_invitation(fair.id, token, form.password.data)
            login_user(person, remember=True)
            flash(_("Welcome! Your password is set."), "success")
            return redirect(url_for("fairs.home", slug=slug), 303)
    return render_template("people/welcome.html", fair=fair, form=form), 422 if form.errors else 200
