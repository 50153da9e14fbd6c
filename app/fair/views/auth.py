"""Logging in and out: the private link, the PIN, and staff passwords."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.auth import fair_or_404
from app.errors import DomainError
from app.extensions import limiter
from app.fair.credentials import login_with_password, login_with_pin, login_with_secret
from app.fair.forms import PasswordLoginForm, PinLoginForm
from app.fair.sectors import Role
from app.fair.views import bp
from app.main import safe_next


def _pin_limit() -> str:
    return str(current_app.config["PIN_RATELIMIT"])


def _after_login(slug: str, person: Any) -> Any:
    login_user(person, remember=True)
    flash(_("Hello, %(name)s!", name=person.first_name), "success")
    landing = {Role.ORGANISER: "fair.admin_participants", Role.NOTARY: "fair.desk"}
    default = url_for(landing.get(person.role, "fair.me"), slug=slug)
    nxt = request.args.get("next")
    return redirect(safe_next(nxt) if nxt else default, 303)


@bp.get("/login/<secret>")
def login_link(slug: str, secret: str) -> Any:
    fair = fair_or_404(slug)
    try:
        person = login_with_secret(fair.id, secret)
    except DomainError as err:
        return render_template("error.html", message=err.message, code=err.code), err.status
    login_user(person, remember=True)
    return redirect(url_for("fair.me", slug=slug), 303)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_pin_limit, methods=["POST"])
def login(slug: str) -> Any:
    fair = fair_or_404(slug)
    pin_form = PinLoginForm(prefix="pin")
    password_form = PasswordLoginForm(prefix="staff")
    status = 200
    if request.method == "POST":
        form = pin_form if "pin-pin" in request.form else password_form
        if form.validate_on_submit():
            try:
                if form is pin_form:
                    person = login_with_pin(fair.id, pin_form.badge_code.data, pin_form.pin.data)
                else:
                    person = login_with_password(fair.id, password_form.email.data,
                                                 password_form.password.data)
            except DomainError as err:
                flash(str(err.message), "error")
                status = err.status
            else:
                return _after_login(slug, person)
        else:
            status = 422
    return render_template("fair/login.html", fair=fair, pin_form=pin_form,
                           password_form=password_form), status


@bp.post("/logout")
def logout(slug: str) -> Any:
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("fair.home", slug=slug), 303)
