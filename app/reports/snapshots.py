"""What every big screen and control room of a fair re-reads when an event arrives, computed once
per public event number and shared (app/core/storage/snapshots.py): the fair's counters (the
stats API, the screen, the control room) and the control room's lists.

Both depend only on the fair and the viewer's language, never on who asks: the counters are
public, and the lists are the same for every organiser of the fair (the control room, whose
views check the role before asking for the snapshot)."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from app.core.storage.snapshots import snapshot
from app.fairs.models import Fair
from app.reports.control_room import control_panels
from app.reports.stats import fair_stats


def shared_stats(fair: Fair) -> dict[str, Any]:
    """`fair_stats(fair)` at the fair's current event number (read-only: other viewers get it too)."""
    return snapshot("stats", fair.id, fair.event_seq, lambda: fair_stats(fair), str(get_locale()))


def shared_control_panels(fair: Fair) -> Markup:
    """The control room's lists, rendered (for this fair's staff only: checked by the views)."""
    return snapshot("control-panels", fair.id, fair.event_seq, lambda: Markup(render_template(
        "reports/_control_panels.html", fair=fair, panels=control_panels(fair.id))), str(get_locale()))
