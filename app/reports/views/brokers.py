"""The brokers' page: who still stands alone on the floor."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user

from app.fairs.access import roles_required
from app.fairs.roles import Role
from app.reports.snapshots import shared_control_panels
from app.reports.views.blueprint import bp


@bp.get("/brokers")
@roles_required(Role.BROKER, Role.ORGANISER, Role.NOTARY)
def brokers(slug: str) -> Any:
    """The broker's view: who has posted nothing yet, which needs nobody has answered (the control
    room's lists: the same snapshot)."""
    return render_template("reports/brokers.html", fair=current_user.fair,
                           panels=shared_control_panels(current_user.fair))
