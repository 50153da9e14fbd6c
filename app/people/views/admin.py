"""Organiser pages: participants, organisations, registration, logins."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.web.formfields import ConfirmForm
from app.core.web.inputs import db_int
from app.core.web.picker import matches_json
from app.core.web.refusals import refusal_back_to, refusal_flashed
from app.fairs.access import organiser_required
from app.fairs.fairs import set_registration_open
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people import credentials, organisations, participants
from app.people.forms import OrganisationForm, ParticipantForm, PasswordForm
from app.people.members import count_pending_duplicates
from app.people.organisations import OrganisationData, get_organisation
from app.people.participants import get_participant
from app.people.pickers import OrganisationPicker
from app.people.pin_guard import pin_guard
from app.people.queries import search_organisations, search_participants
from app.people.views.blueprint import bp

PAGE_SIZE = 50


# --- participants -------------------------------------------------------------------------


@bp.get("/admin/participants")
@organiser_required
def admin_participants(slug: str) -> Any:
    fair = current_user.fair
    q = request.args.get("q", "").strip()
    sector = request.args.get("sector", "")
    role = request.args.get("role", "")
    page = max(1, request.args.get("page", 1, type=db_int))
    found = search_participants(fair.id, q, sector, role, page=page, page_size=PAGE_SIZE)
    total = found.total
    return render_template("people/participants.html", fair=fair, people=found.people, total=total,
                           page=page, pages=max(1, -(-total // PAGE_SIZE)), q=q, sector=sector,
                           role=role, confirm=ConfirmForm())


def _organisation_picker(form: ParticipantForm, fair_id: int, slug: str) -> None:
    form.organisation_id.picker = OrganisationPicker(fair_id)
    form.organisation_id.search_url = url_for("people.pick_organisation", slug=slug)


@bp.get("/admin/organisations/pick")
@organiser_required
def pick_organisation(slug: str) -> Any:
    """The participant form's organisation picker: the best matches of `q` as JSON."""
    return jsonify(matches_json(OrganisationPicker(current_user.fair_id), request.args.get("q", "")))


@bp.route("/admin/participants/new", methods=["GET", "POST"])
@organiser_required
def admin_participant_new(slug: str) -> Any:
    fair = current_user.fair
    form = ParticipantForm()
    _organisation_picker(form, fair.id, slug)
    if request.method == "GET":
        form.organisation_id.preset(request.args.get("organisation"))
    if form.validate_on_submit():
        org_id = int(form.organisation_id.data) if form.organisation_id.data else None
        new_org = None if org_id else OrganisationData(
            name=form.organisation_name.data or "", sector=Sector(form.sector.data))
        with refusal_flashed():
            person = participants.add_participant(
                current_user, fair.id, form.person(Role(form.role.data)), new_org, org_id)
            flash(_("%(name)s added.", name=person.full_name), "success")
            return redirect(url_for("people.admin_participant", slug=slug, pid=person.id), 303)
    return render_template("people/participant_form.html", fair=fair, form=form, person=None), \
        422 if form.errors else 200


@bp.get("/admin/participants/<int:pid>")
@organiser_required
def admin_participant(slug: str, pid: int) -> Any:
    person = get_participant(current_user.fair_id, pid)
    return render_template("people/participant.html", fair=current_user.fair, person=person,
                           staff=credentials.uses_password(person),
                           pin_attempts=pin_guard().attempts(person.fair_id, person.badge_code),
                           confirm=ConfirmForm(), password_form=PasswordForm())


@bp.route("/admin/participants/<int:pid>/edit", methods=["GET", "POST"])
@organiser_required
def admin_participant_edit(slug: str, pid: int) -> Any:
    fair = current_user.fair
    person = get_participant(fair.id, pid)
    form = ParticipantForm(obj=person if request.method == "GET" else None)
    _organisation_picker(form, fair.id, slug)
    form.organisation_id.required = True
    form.organisation_id.description = _("Type a few letters of its name and choose it.")
    if request.method == "GET":
        form.organisation_id.preset(str(person.organisation_id))
        form.role.data = person.role.value
    if form.validate_on_submit():
        with refusal_flashed():
            participants.update_participant(current_user, fair.id, pid, form.person(Role(form.role.data)),
                                            int(form.organisation_id.data))
            flash(_("Changes saved."), "success")
            return redirect(url_for("people.admin_participant", slug=slug, pid=pid), 303)
    return render_template("people/participant_form.html", fair=fair, form=form, person=person), \
        422 if form.errors else 200


def _confirmed_action(slug: str, pid: int, action: Any, done: str) -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
    else:
        action(current_user, current_user.fair_id, pid)
        flash(done, "success")
    return redirect(url_for("people.admin_participant", slug=slug, pid=pid), 303)


@bp.post("/admin/participants/<int:pid>/remove")
@organiser_required
@refusal_back_to("people.admin_participant")
def admin_participant_remove(slug: str, pid: int) -> Any:
    form = ConfirmForm()
    if form.validate_on_submit():
        participants.remove_participant(current_user, current_user.fair_id, pid)
        flash(_("Participant removed. Their badge and login no longer work."), "success")
    return redirect(url_for("people.admin_participants", slug=slug), 303)


@bp.post("/admin/participants/<int:pid>/reissue")
@organiser_required
@refusal_back_to("people.admin_participant")
def admin_participant_reissue(slug: str, pid: int) -> Any:
    return _confirmed_action(slug, pid, credentials.reissue_login,
                             _("New login link and PIN issued; the old ones no longer work."))


@bp.post("/admin/participants/<int:pid>/revoke")
@organiser_required
@refusal_back_to("people.admin_participant")
def admin_participant_revoke(slug: str, pid: int) -> Any:
    return _confirmed_action(slug, pid, credentials.revoke_login, _("Login revoked."))


@bp.post("/admin/participants/<int:pid>/password")
@organiser_required
@refusal_back_to("people.admin_participant")
def admin_participant_password(slug: str, pid: int) -> Any:
    form = PasswordForm()
    if form.validate_on_submit():
        credentials.set_password(current_user, current_user.fair_id, pid, form.password.data)
        flash(_("Password set."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("people.admin_participant", slug=slug, pid=pid), 303)


# --- organisations ------------------------------------------------------------------------


@bp.get("/admin/organisations")
@organiser_required
def admin_organisations(slug: str) -> Any:
    fair = current_user.fair
    q = request.args.get("q", "").strip()
    sector = request.args.get("sector", "")
    page = max(1, request.args.get("page", 1, type=db_int))
    found = search_organisations(fair.id, q, sector, page=page, page_size=PAGE_SIZE)
    return render_template("people/organisations.html", fair=fair, orgs=found.organisations,
                           total=found.total, page=page, pages=max(1, -(-found.total // PAGE_SIZE)),
                           q=q, sector=sector, confirm=ConfirmForm(), returning=count_pending_duplicates(fair.id))


@bp.route("/admin/organisations/new", methods=["GET", "POST"])
@bp.route("/admin/organisations/<int:oid>/edit", methods=["GET", "POST"])
@organiser_required
def admin_organisation_form(slug: str, oid: int | None = None) -> Any:
    fair = current_user.fair
    org = get_organisation(fair.id, oid) if oid else None
    form = OrganisationForm(obj=org if request.method == "GET" else None)
    if request.method == "GET" and org is not None:
        form.sector.data = org.sector.value
    if form.validate_on_submit():
        with refusal_flashed():
            if org is None:
                organisations.create_organisation(current_user, fair.id, form.organisation())
            else:
                organisations.update_organisation(current_user, fair.id, org.id, form.organisation())
            flash(_("Organisation saved."), "success")
            return redirect(url_for("people.admin_organisations", slug=slug), 303)
    return render_template("people/organisation_form.html", fair=fair, form=form, org=org), \
        422 if form.errors else 200


@bp.post("/admin/organisations/<int:oid>/remove")
@organiser_required
@refusal_back_to("people.admin_organisations")
def admin_organisation_remove(slug: str, oid: int) -> Any:
    if ConfirmForm().validate_on_submit():
        organisations.remove_organisation(current_user, current_user.fair_id, oid)
        flash(_("Organisation removed."), "success")
    return redirect(url_for("people.admin_organisations", slug=slug), 303)


# --- registration -------------------------------------------------------------------------


@bp.post("/admin/registration")
@organiser_required
@refusal_back_to("people.admin_participants")
def admin_registration(slug: str) -> Any:
    if ConfirmForm().validate_on_submit():
        is_open = request.form.get("open") == "1"
        set_registration_open(current_user, current_user.fair_id, is_open)
        flash(_("Registration is open.") if is_open else _("Registration is closed."), "success")
    return redirect(url_for("people.admin_participants", slug=slug), 303)
