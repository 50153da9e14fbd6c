"""Logging in and out: the private link, the PIN, and staff passwords."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.core.extensions import limiter
from app.core.web.formfields import ConfirmForm
from app.core.web.refusals import refusal_flashed
from app.core.web.urls import safe_next
from app.fairs.access import fair_or_404
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.credentials import login_with_password, login_with_pin, login_with_secret, uses_password
from app.people.forms import PasswordLoginForm, PinLoginForm
from app.people.models import Participant
from app.people.views.blueprint import bp

# Where each role starts: organisers in their console, notaries at the desk, brokers on their
# worklist, participants on their own card.
LANDING = {Role.ORGANISER: "people.admin_participants", Role.NOTARY: "door.desk", Role.BROKER: "brokers.worklist",
           Role.PARTICIPANT: "people.me"}


def landing_url(person: Participant) -> str:
    return url_for(LANDING[person.role], slug=person.fair.slug)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATELIMIT"])


def _is_pin_attempt() -> bool:
    return "pin-pin" in request.form  # PIN attempts are limited by the PIN guard instead


def _after_login(person: Participant, greet: bool = True) -> Any:
    login_user(person, remember=True)
    if greet:
        flash(_("Hello, %(name)s!", name=person.first_name), "success")
    nxt = request.args.get("next")
    return redirect(safe_next(nxt) if nxt else landing_url(person), 303)


def _login_page(fair: Fair, pin_form: PinLoginForm, password_form: PasswordLoginForm, status: int = 200,
                staff_link: bool = False) -> Any:
    return render_template("people/login.html", fair=fair, pin_form=pin_form, password_form=password_form,
                           staff_link=staff_link), status


@bp.route("/login/<secret>", methods=["GET", "POST"])
def login_link(slug: str, secret: str) -> Any:
    """A participant's private link (the QR on their slip) logs their phone in. Staff log in with
    their password: their link only opens the password form. A phone already logged in as
    someone else asks before it switches."""
    fair = fair_or_404(slug)
    person = login_with_secret(fair.id, secret)  # a refusal: the error page
    if uses_password(person):
        password_form = PasswordLoginForm(prefix="staff", formdata=None, data={"email": person.email})
        return _login_page(fair, PinLoginForm(prefix="pin", formdata=None), password_form, staff_link=True)
    if current_user.is_authenticated and current_user.id != person.id:
        form = ConfirmForm()
        if request.method == "POST" and form.validate_on_submit():
            logout_user()
            return _after_login(person)
        return render_template("people/switch_account.html", fair=fair, person=person, current=current_user,
                               form=form)
    if current_user.is_authenticated:  # the same person again
        return redirect(landing_url(person), 303)
    return _after_login(person, greet=False)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], exempt_when=_is_pin_attempt)
def login(slug: str) -> Any:
    fair = fair_or_404(slug)
    pin_form = PinLoginForm(prefix="pin")
    password_form = PasswordLoginForm(prefix="staff")
    status = 200
    if request.method == "POST":
        form = pin_form if _is_pin_attempt() else password_form
        if form.validate_on_submit():
            with refusal_flashed() as refusal:
                if form is pin_form:
                    person = login_with_pin(fair.id, pin_form.badge_code.data, pin_form.pin.data,
                                            request.remote_addr or "")
                else:
                    person = login_with_password(fair.id, password_form.email.data,
                                                 password_form.password.data)
                return _after_login(person)
            status = refusal.status()
        else:
            status = 422
    return _login_page(fair, pin_form, password_form, status)


@bp.post("/logout")
def logout(slug: str) -> Any:
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("fairs.home", slug=slug), 303)
