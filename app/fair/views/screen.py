"""The big screen (no login: the fair's display link) and the organiser's trading controls."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import fair_or_404, organiser_required
from app.errors import DomainError
from app.events import recent_public_events
from app.fair import categories as category_services
from app.fair import trading
from app.fair.board import hidden_posts
from app.fair.categories import category_label, fair_categories
from app.fair.control_room import control_panels
from app.fair.forms import AnnouncementForm, CategoryForm, ConfirmForm, OpenTradingForm
from app.fair.qr import qr_svg
from app.fair.sectors import Sector
from app.fair.stats import fair_stats
from app.fair.views import bp
from app.inputs import same_secret

TICKER_TYPES = ("post.created", "agreement.signed", "participant.checked_in")


@bp.get("/screen/<token>")
def screen(slug: str, token: str) -> Any:
    fair = fair_or_404(slug)
    if not same_secret(token, fair.display_token):
        abort(404)
    board_url = url_for("fair.board_page", slug=fair.slug, _external=True)
    recent = [e.as_message() for e in recent_public_events(fair.id, TICKER_TYPES, limit=12)]
    return render_template("floor/screen.html", fair=fair, token=token, stats=fair_stats(fair), recent=recent,
                           board_qr=qr_svg(board_url), board_url=board_url,
                           sector_labels={s.value: str(s.label) for s in Sector})


@bp.get("/admin/control")
@organiser_required
def control(slug: str) -> Any:
    fair = current_user.fair
    return render_template(
        "floor/control.html", fair=fair, stats=fair_stats(fair), open_form=OpenTradingForm(),
        panels=control_panels(fair.id),
        announce_form=AnnouncementForm(), category_form=CategoryForm(), confirm=ConfirmForm(),
        hidden=hidden_posts(fair.id), categories=fair_categories(fair.id, include_archived=True),
        category_label=category_label,
        screen_url=url_for("fair.screen", slug=fair.slug, token=fair.display_token, _external=True))


@bp.get("/admin/control/panels")
@organiser_required
def control_panels_fragment(slug: str) -> Any:
    """The control room's live lists, re-fetched by the page when events arrive."""
    return render_template("floor/_control_panels.html", fair=current_user.fair,
                           panels=control_panels(current_user.fair_id))


def _back() -> Any:
    return redirect(url_for("fair.control", slug=current_user.fair.slug), 303)


def _run(action: Any, done: str) -> Any:
    try:
        action()
    except DomainError as err:
        flash(str(err.message), "error")
    else:
        flash(done, "success")
    return _back()


def _submit(form: Any, invalid: str | None, action: Any, done: str) -> Any:
    """Check `form` (its CSRF token too); if valid, run the service `action(form)` and go back."""
    if not form.validate_on_submit():
        if invalid:
            flash(invalid, "error")
        return _back()
    return _run(lambda: action(form), done)


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
