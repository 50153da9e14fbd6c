"""The fair's home page and the organiser's controls of the fair itself: settings, gong, categories."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.i18n import to_local, to_utc
from app.core.web.formfields import ConfirmForm, required_int
from app.core.web.refusals import refusal_back_to, refusal_flashed
from app.core.web.urls import public_page_url
from app.fairs import categories as category_services
from app.fairs import settings as settings_service
from app.fairs import trading
from app.fairs.access import fair_or_404, organiser_required
from app.fairs.forms import AnnouncementForm, CategoryForm, OpenTradingForm, SettingsForm

bp = Blueprint("fairs", __name__, url_prefix="/f/<slug>")



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
        with refusal_flashed():
            settings_service.update_fair_settings(current_user, fair.id, settings_service.FairSettings(
                name=form.name.data, venue=form.venue.data or "", starts_at=to_utc(form.starts_at.data),
                trading_opens_at=to_utc(form.trading_opens_at.data),
                trading_closes_at=to_utc(form.trading_closes_at.data),
                registration_open=form.registration_open.data, notary_required=form.notary_required.data,
                point_rate=required_int(form.point_rate), target_agreements=form.target_agreements.data))
            flash(_("Settings saved."), "success")
            return redirect(url_for("fairs.settings", slug=slug), 303)
    screen_url = public_page_url("reports.screen", slug=fair.slug, token=fair.display_token)
    return render_template("fairs/settings.html", fair=fair, form=form, screen_url=screen_url,
                           confirm_form=ConfirmForm()), \
        422 if form.errors else 200


@bp.post("/admin/settings/display-link")
@organiser_required
@refusal_back_to("fairs.settings")
def rotate_display(slug: str) -> Any:
    if ConfirmForm().validate_on_submit():
        settings_service.rotate_display_link(current_user, current_user.fair_id)
        flash(_("New display link made. Open it again on the big screen; the old one no longer works."),
              "success")
    return redirect(url_for("fairs.settings", slug=slug), 303)


def _back() -> Any:
    return redirect(url_for("reports.control", slug=current_user.fair.slug), 303)


def _submit(form: Any, invalid: str | None, action: Any, done: str) -> Any:
    """Check `form` (its CSRF token too); if valid, run the service `action(form)` and go back."""
    if not form.validate_on_submit():
        if invalid:
            flash(invalid, "error")
        return _back()
    with refusal_flashed():
        action(form)
        flash(done, "success")
    return _back()


def _duration_error() -> str:
    return _("Trading lasts between 1 and %(max)d minutes.", max=trading.MAX_MINUTES)


@bp.post("/admin/control/open")
@organiser_required
def control_open(slug: str) -> Any:
    return _submit(OpenTradingForm(), _duration_error(), lambda f: trading.open_trading(
        current_user, current_user.fair_id, f.minutes.data), _("Gong! Trading is open."))


@bp.post("/admin/control/close")
@organiser_required
def control_close(slug: str) -> Any:
    return _submit(ConfirmForm(), None, lambda f: trading.close_trading(current_user, current_user.fair_id),
                   _("Gong! Trading is closed."))


@bp.post("/admin/control/timer")
@organiser_required
def control_timer(slug: str) -> Any:
    return _submit(OpenTradingForm(), _duration_error(), lambda f: trading.set_trading_timer(
        current_user, current_user.fair_id, f.minutes.data), _("Timer set."))


@bp.post("/admin/control/announce")
@organiser_required
def control_announce(slug: str) -> Any:
    return _submit(AnnouncementForm(), _("An announcement has between 1 and 500 characters."),
                   lambda f: trading.announce(current_user, current_user.fair_id, f.text.data),
                   _("Announcement sent."))


def _category_name_error() -> str:
    return _("A category needs a name of at most 80 characters.")


@bp.post("/admin/categories")
@organiser_required
def category_add(slug: str) -> Any:
    return _submit(CategoryForm(), _category_name_error(), lambda f: category_services.add_category(
        current_user, current_user.fair_id, f.name.data), _("Category added."))


@bp.post("/admin/categories/<int:category_id>/rename")
@organiser_required
def category_rename(slug: str, category_id: int) -> Any:
    return _submit(CategoryForm(), _category_name_error(), lambda f: category_services.rename_category(
        current_user, current_user.fair_id, category_id, f.name.data), _("Category renamed."))


@bp.post("/admin/categories/<int:category_id>/archive")
@organiser_required
def category_archive(slug: str, category_id: int) -> Any:
    archived = request.form.get("next") != "restore"
    return _submit(ConfirmForm(), None, lambda f: category_services.set_category_archived(
        current_user, current_user.fair_id, category_id, archived),
        _("Category archived.") if archived else _("Category restored."))


@bp.get("/")
def home(slug: str) -> Any:
    fair = fair_or_404(slug)
    me = current_user if current_user.is_authenticated and current_user.fair_id == fair.id else None
    return render_template("fairs/home.html", fair=fair, me=me)
