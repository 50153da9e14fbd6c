"""Organiser pages to set fairs up: settings, display link, clone, new fair, staff invitations;
and the page where an invited person chooses their password."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.auth import fair_or_404, organiser_required, roles_required
from app.errors import DomainError
from app.fair import setup
from app.fair.control_room import control_panels
from app.fair.fairs import FairData
from app.fair.forms import ConfirmForm
from app.fair.models import Participant
from app.fair.organisations import OrganisationData
from app.fair.sectors import PASSWORD_ROLES, Role, Sector
from app.fair.setup_forms import InviteForm, NewFairForm, SettingsForm, WelcomeForm
from app.fair.views import bp
from app.i18n import LOCAL_ZONE


def to_utc(value: datetime | None) -> datetime | None:
    """A local time typed in a form -> an aware UTC time."""
    return value.replace(tzinfo=LOCAL_ZONE).astimezone(UTC) if value else None


def to_local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_ZONE).replace(tzinfo=None) if value else None


@bp.route("/admin/settings", methods=["GET", "POST"])
@organiser_required
def settings(slug: str) -> Any:
    fair = current_user.fair
    form = SettingsForm(obj=fair if request.method == "GET" else None)
    if request.method == "GET":
        form.starts_at.data = to_local(fair.starts_at)
        form.trading_opens_at.data = to_local(fair.trading_opens_at)
        form.trading_closes_at.data = to_local(fair.trading_closes_at)
    if form.validate_on_submit():
        try:
            setup.update_fair_settings(current_user, fair.id, setup.FairSettings(
                name=form.name.data, venue=form.venue.data or "", starts_at=to_utc(form.starts_at.data),
                trading_opens_at=to_utc(form.trading_opens_at.data),
                trading_closes_at=to_utc(form.trading_closes_at.data),
                registration_open=form.registration_open.data, notary_required=form.notary_required.data,
                point_rate=form.point_rate.data, target_agreements=form.target_agreements.data))
        except DomainError as err:
            flash(str(err.message), "error")
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("fair.settings", slug=slug), 303)
    screen_url = url_for("fair.screen", slug=fair.slug, token=fair.display_token, _external=True)
    return render_template("fair/admin/settings.html", fair=fair, form=form, screen_url=screen_url,
                           confirm_form=ConfirmForm()), \
        422 if form.errors else 200


@bp.post("/admin/settings/display-link")
@organiser_required
def rotate_display(slug: str) -> Any:
    if ConfirmForm().validate_on_submit():
        try:
            setup.rotate_display_link(current_user, current_user.fair_id)
        except DomainError as err:
            flash(str(err.message), "error")
        else:
            flash(_("New display link made. Open it again on the big screen; the old one no longer works."),
                  "success")
    return redirect(url_for("fair.settings", slug=slug), 303)


def _new_fair_page(template: str, form: NewFairForm, action: Any) -> Any:
    if form.validate_on_submit():
        try:
            fair = action(form)
        except DomainError as err:
            flash(str(err.message), "error")
        else:
            flash(_("The fair %(name)s is ready. You are its organiser; log in there with the same password.",
                    name=fair.name), "success")
            return redirect(url_for("fair.login", slug=fair.slug), 303)
    return render_template(template, fair=current_user.fair, form=form), 422 if form.errors else 200


@bp.route("/admin/clone", methods=["GET", "POST"])
@organiser_required
def clone(slug: str) -> Any:
    return _new_fair_page("fair/admin/clone.html", NewFairForm(), lambda f: setup.clone_fair(
        current_user, current_user.fair_id, f.slug.data, f.name.data, to_utc(f.starts_at.data),
        copy_staff=f.copy_staff.data))


@bp.route("/admin/new-fair", methods=["GET", "POST"])
@organiser_required
def new_fair(slug: str) -> Any:
    return _new_fair_page("fair/admin/new_fair.html", NewFairForm(), lambda f: setup.create_next_fair(
        current_user, FairData(slug=f.slug.data, name=f.name.data, starts_at=to_utc(f.starts_at.data))))


@bp.route("/admin/staff", methods=["GET", "POST"])
@organiser_required
def staff(slug: str) -> Any:
    from sqlalchemy import select

    from app.extensions import db

    fair = current_user.fair
    form = InviteForm()
    if form.validate_on_submit():
        try:
            person = setup.invite_staff(current_user, fair.id, form.person(Role(form.role.data)),
                                        OrganisationData(form.organisation_name.data, Sector(form.sector.data)))
        except DomainError as err:
            flash(str(err.message), "error")
        else:
            _send_invitation(person)
            return redirect(url_for("fair.staff", slug=slug), 303)
    people = list(db.session.scalars(select(Participant).where(
        Participant.fair_id == fair.id, Participant.removed_at.is_(None),
        Participant.role.in_(list(PASSWORD_ROLES))).order_by(Participant.role, Participant.last_name)))
    links = {p.id: url_for("fair.welcome", slug=slug, token=setup.invitation_token(p), _external=True)
             for p in people if not p.password_hash}
    return render_template("fair/admin/staff.html", fair=fair, form=form, people=people, links=links), \
        422 if form.errors else 200


def _send_invitation(person: Participant) -> None:
    """E-mail the invitation (SMTP or the outbox folder); say so, or say to hand the link over."""
    from pathlib import Path

    from app.mail import MailError, build_message, new_message_id, open_transport, parse_address

    config = current_app.config
    link = url_for("fair.welcome", slug=person.fair.slug, token=setup.invitation_token(person), _external=True)
    body = render_template("fair/admin/invitation.txt", person=person, fair=person.fair, link=link)
    outbox = Path(config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")
    try:
        to = parse_address(person.email, person.full_name)
        message = build_message(config=config, to=to,
                                subject=_("Invitation to %(fair)s", fair=person.fair.name), body=body,
                                message_id=new_message_id(config))
        with open_transport(config, outbox) as transport:
            transport.send(message, [to])
    except MailError:
        flash(_("%(name)s is added, but the e-mail could not be sent. Hand them the invitation link below.",
                name=person.full_name), "error")
    else:
        flash(_("Invitation sent to %(email)s.", email=person.email), "success")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(slug: str, token: str) -> Any:
    fair = fair_or_404(slug)
    form = WelcomeForm()
    if form.validate_on_submit():
        try:
            person = setup.accept_invitation(fair.id, token, form.password.data)
        except DomainError as err:
            flash(str(err.message), "error")
        else:
            login_user(person, remember=True)
            flash(_("Welcome! Your password is set."), "success")
            return redirect(url_for("fair.home", slug=slug), 303)
    return render_template("fair/welcome.html", fair=fair, form=form), 422 if form.errors else 200


@bp.get("/brokers")
@roles_required(Role.BROKER, Role.ORGANISER, Role.NOTARY)
def brokers(slug: str) -> Any:
    """The broker's view: who has posted nothing yet, which needs nobody has answered."""
    return render_template("fair/brokers.html", fair=current_user.fair, panels=control_panels(current_user.fair_id))
