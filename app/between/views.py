"""Between fairs: entering the network's space from a fair and going back, the members' page of
the space, and the coordinator's pages (the network's fairs, a new fair, the reminders)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.between.fairs import create_network_fair, network_fairs
from app.between.forms import NetworkFairForm
from app.between.reminders import queue_standing_reminders
from app.between.space import enter_network_space, find_way_back, way_back
from app.core.i18n import to_utc
from app.core.web.formfields import ConfirmForm
from app.core.web.refusals import refusal_flashed
from app.core.web.urls import login_url
from app.fairs.access import login_required, organiser_required
from app.fairs.fairs import FairData
from app.floor.board import organisation_posts
from app.network.sectors import Sector
from app.people.organisations import OrganisationData

bp = Blueprint("between", __name__, url_prefix="/f/<slug>")

CAME_FROM = "network_came_from"  # the session's fair account the person entered the space from


def _came_from() -> tuple[int, int] | None:
    value = session.get(CAME_FROM)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(x, int) for x in value):
        return value[0], value[1]
    return None


@bp.post("/network/enter")
@login_required
def enter(slug: str) -> Any:
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("people.me", slug=slug), 303)
    with refusal_flashed():
        source = current_user._get_current_object()
        account = enter_network_space(source)
        login_user(account, remember=True)
        session[CAME_FROM] = [source.id, source.login_version]
        flash(_("Welcome to the network between fairs, %(name)s.", name=account.first_name), "success")
        return redirect(url_for("between.space", slug=account.fair.slug), 303)
    return redirect(url_for("people.me", slug=slug), 303)


@bp.post("/network/back")
@login_required
def back(slug: str) -> Any:
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("between.space", slug=slug), 303)
    with refusal_flashed():
        person = way_back(current_user, _came_from())
        login_user(person, remember=True)
        session.pop(CAME_FROM, None)
        return redirect(url_for("people.me", slug=person.fair.slug), 303)
    return redirect(url_for("between.space", slug=slug), 303)


@bp.get("/network")
@login_required
def space(slug: str) -> Any:
    """The member's page between fairs: their standing offers and needs, what to do next."""
    fair = current_user.fair
    if not fair.is_network:
        abort(404)
    came_from = _came_from()
    back = find_way_back(current_user, came_from)
    return render_template("between/space.html", fair=fair, person=current_user,
                           posts=organisation_posts(current_user.organisation_id, live_only=False),
                           own_link=login_url(fair.slug, current_user.login_secret),
                           back_to=back.fair.name if back else None, confirm=ConfirmForm())


@bp.route("/admin/network/fairs", methods=["GET", "POST"])
@organiser_required
def fairs(slug: str) -> Any:
    """The coordinator's list of the network's fairs, and a new fair with its first organiser."""
    if not current_user.fair.is_network:
        abort(403)
    form = NetworkFairForm()
    if form.validate_on_submit():
        with refusal_flashed():
            created = create_network_fair(
                current_user, FairData(slug=form.slug.data, name=form.name.data, venue=form.venue.data or "",
                                       starts_at=to_utc(form.starts_at.data)),
                form.person(), OrganisationData(form.organisation_name.data, Sector(form.sector.data)))
            flash(_("The fair %(name)s is ready. %(person)s is invited to organise it (%(email)s).",
                    name=created.organiser.fair.name, person=created.organiser.full_name,
                    email=created.organiser.email), "success")
            return redirect(url_for("between.fairs", slug=slug), 303)
    return render_template("between/fairs.html", fair=current_user.fair, form=form, fairs=network_fairs(),
                           confirm=ConfirmForm()), 422 if form.errors else 200


@bp.post("/admin/network/remind")
@organiser_required
def remind(slug: str) -> Any:
    if not current_user.fair.is_network:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("between.fairs", slug=slug), 303)
    with refusal_flashed():
        report = queue_standing_reminders(current_user)
        flash(_("Reminders to renew: %(renewals)d; asked for a current offer: %(offers)d; "
                "without an e-mail address: %(missing)d.", renewals=report.renewals,
                offers=report.offer_requests, missing=len(report.without_address)), "success")
    return redirect(url_for("between.fairs", slug=slug), 303)
