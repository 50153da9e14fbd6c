"""The installation's front door: the list of fairs, the first fair's setup page, the language switch."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_user

from app.core.paths import STATIC
from app.core.web.refusals import refusal_flashed
from app.core.web.urls import safe_next
from app.fairs.fairs import FairData
from app.fairs.queries import all_fairs
from app.network.sectors import Sector
from app.people.first_fair import FirstFair, code_matches, create_first_fair, forget_setup_code, has_fairs
from app.people.organisations import OrganisationData
from app.people.staff_forms import FirstFairForm

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> Any:
    return render_template("index.html", fairs=all_fairs())


@bp.route("/setup", methods=["GET", "POST"])
def first_fair() -> Any:
    """A brand-new installation: its first organiser creates the first fair (with the set-up
    code the server printed when it started)."""


    if has_fairs():
        return redirect(url_for("main.index"), 303)
    form = FirstFairForm()
    if request.method == "GET":
        form.code.data = request.args.get("code", "")
    code_ok = code_matches(current_app.instance_path, form.code.data)
    if not code_ok:
        status = 403 if form.code.data else 200
        return render_template("setup.html", form=form, code_ok=False, wrong_code=bool(form.code.data)), status
    if form.validate_on_submit():
        with refusal_flashed():
            person = create_first_fair(FirstFair(
                fair=FairData(slug=form.slug.data, name=form.fair_name.data, venue=form.venue.data or ""),
                organiser=form.person(), password=form.password.data,
                organisation=OrganisationData(form.organisation_name.data, Sector(form.sector.data))))
            forget_setup_code(current_app.instance_path)
            login_user(person, remember=True)
            flash(_("The fair %(name)s is ready. You are its organiser.", name=person.fair.name), "success")
            return redirect(url_for("fairs.settings", slug=person.fair.slug), 303)
    return render_template("setup.html", form=form, code_ok=True, wrong_code=False), 422 if form.errors else 200


@bp.get("/lang/<code>")
def set_language(code: str) -> Any:
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")))  # every switch link carries next=


# The service worker's own policy: it may fetch this site, and nothing may run or load in it.
WORKER_POLICY = "default-src 'none'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@bp.get("/offline-sw.js")
def offline_worker() -> Any:
    """The phone's service worker (static/js/offline-sw.js), served from the top of the site so
    that its scope is every page: a page kept by it opens again while the Wi-Fi is down, with
    the actions waiting on the phone (static/js/offline.js). Checked again on every load."""
    response = send_from_directory(STATIC / "js", "offline-sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = WORKER_POLICY
    return response
