"""The big screen and the organiser's control room: the fair's live figures."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import abort, render_template
from flask_login import current_user
from markupsafe import Markup

from app.core.output.qr import qr_svg
from app.core.storage.events import recent_public_events
from app.core.web.formfields import ConfirmForm
from app.core.web.inputs import same_secret
from app.core.web.urls import public_page_url, public_url
from app.fairs.access import fair_or_404, organiser_required
from app.fairs.categories import category_label, fair_categories
from app.fairs.forms import AnnouncementForm, CategoryForm, OpenTradingForm
from app.floor.queries import hidden_posts
from app.network.sectors import Sector
from app.reports.snapshots import shared_control_panels, shared_stats
from app.reports.views.blueprint import bp

TICKER_TYPES = ("post.created", "agreement.signed", "participant.checked_in")


@lru_cache(maxsize=64)
def _qr(url: str) -> Markup:
    """The QR code of one of the fair's public addresses: drawn once per process, not per request
    (the screen and the control room show the same one every time)."""
    return qr_svg(url)


@bp.get("/screen/<token>")
def screen(slug: str, token: str) -> Any:
    fair = fair_or_404(slug)
    if not same_secret(token, fair.display_token):
        abort(404)
    board_url = public_page_url("floor.board_page", slug=fair.slug)
    recent = [e.as_message() for e in recent_public_events(fair.id, TICKER_TYPES, limit=12)]
    return render_template("reports/screen.html", fair=fair, token=token, stats=shared_stats(fair), recent=recent,
                           board_qr=_qr(board_url), board_url=board_url,
                           sector_labels={s.value: str(s.label) for s in Sector})


@bp.get("/admin/control")
@organiser_required
def control(slug: str) -> Any:
    fair = current_user.fair
    fair_url = public_page_url("fairs.home", slug=fair.slug)  # what the QR code on the console opens
    return render_template(
        "reports/control.html", fair=fair, stats=shared_stats(fair), open_form=OpenTradingForm(),
        panels=shared_control_panels(fair),
        announce_form=AnnouncementForm(), category_form=CategoryForm(), confirm=ConfirmForm(),
        hidden=hidden_posts(fair.id), categories=fair_categories(fair.id, include_archived=True),
        category_label=category_label, phones_url=public_url(), fair_url=fair_url, fair_qr=_qr(fair_url),
        screen_url=public_page_url("reports.screen", slug=fair.slug, token=fair.display_token))


@bp.get("/admin/control/panels")
@organiser_required
def control_panels_fragment(slug: str) -> Any:
    """The control room's live lists, re-fetched by the page when events arrive."""
    return shared_control_panels(current_user.fair)
