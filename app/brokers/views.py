"""The brokers' pages: the worklist on a phone, its live fragment, and "introduce"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.brokers.forms import IntroduceForm
from app.brokers.introductions import introduce, introductions_of
from app.brokers.worklist import shared_worklist
from app.core.web.formfields import required_int, stale_form_message
from app.core.web.refusals import refusal_back_to
from app.fairs.access import roles_required
from app.fairs.roles import Role

bp = Blueprint("brokers", __name__, url_prefix="/f/<slug>")

WORKLIST_ROLES = (Role.BROKER, Role.ORGANISER, Role.NOTARY)


def _panels() -> dict[str, Any]:
    fair = current_user.fair
    is_broker = current_user.role == Role.BROKER
    return {"fair": fair, "work": shared_worklist(fair), "is_broker": is_broker, "form": IntroduceForm,
            "outcomes": introductions_of(fair.id, broker_id=current_user.id if is_broker else None)}


@bp.get("/brokers")
@roles_required(*WORKLIST_ROLES)
def worklist(slug: str) -> Any:
    """Needs nobody has answered, people with no post (each with suggested partners), exchange
    cycles, and the introductions made: live (static/js/brokers.js re-reads the panels)."""
    return render_template("brokers/worklist.html", **_panels())


@bp.get("/brokers/panels")
@roles_required(*WORKLIST_ROLES)
def panels(slug: str) -> Any:
    """The worklist's panels as an HTML fragment, for the page's live refresh."""
    return render_template("brokers/_panels.html", **_panels())


@bp.post("/brokers/introduce")
@roles_required(Role.BROKER)
@refusal_back_to("brokers.worklist")
def introduce_view(slug: str) -> Any:
    form = IntroduceForm()
    if not form.validate_on_submit():
        flash(stale_form_message(), "error")
        return redirect(url_for("brokers.worklist", slug=slug), 303)
    sent = introduce(current_user, current_user.fair_id, required_int(form.first), required_int(form.second),
                     form.first_post.data, form.second_post.data, form_key=form.key.data)
    intro = sent.row
    names = {"first": intro.first.full_name, "second": intro.second.full_name}
    if sent.created:
        flash(_("Introduced %(first)s and %(second)s: both have the other's card on their phone.", **names),
              "success")
    else:
        flash(_("%(first)s and %(second)s were introduced already: nobody was told twice.", **names), "info")
    return redirect(url_for("brokers.worklist", slug=slug, _anchor="introductions"), 303)
