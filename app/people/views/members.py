"""Organiser pages about the network's members: returning ones to confirm (a close name: the same
member, or another?), and members of the network to invite to this fair."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.web.formfields import ConfirmForm
from app.core.web.inputs import db_int
from app.core.web.refusals import refusal_back_to
from app.fairs.access import organiser_required
from app.people.member_invites import invite_member, network_members
from app.people.members import decide_possible_duplicate, pending_duplicates
from app.people.views.blueprint import bp

PAGE_SIZE = 50


@bp.get("/admin/organisations/returning")
@organiser_required
def admin_returning(slug: str) -> Any:
    return render_template("people/returning.html", fair=current_user.fair,
                           duplicates=pending_duplicates(current_user.fair_id), confirm=ConfirmForm())


@bp.post("/admin/organisations/returning/<int:duplicate_id>")
@organiser_required
@refusal_back_to("people.admin_returning")
def admin_returning_decide(slug: str, duplicate_id: int) -> Any:
    answer = request.form.get("same", "")
    if ConfirmForm().validate_on_submit() and answer in ("yes", "no"):
        member = decide_possible_duplicate(current_user, current_user.fair_id, duplicate_id, same=answer == "yes")
        if answer == "yes":
            flash(_("Merged: %(name)s is one organisation, with the history of both records.", name=member.name),
                  "success")
        else:
            flash(_("Kept apart: they are two organisations."), "success")
    else:
        flash(_("Choose whether they are the same organisation."), "error")
    return redirect(url_for("people.admin_returning", slug=slug), 303)


@bp.get("/admin/organisations/invite")
@organiser_required
def admin_invite_members(slug: str) -> Any:
    q = request.args.get("q", "").strip()
    page = max(1, request.args.get("page", 1, type=db_int))
    found = network_members(current_user.fair_id, q, page=page, page_size=PAGE_SIZE)
    return render_template("people/invite_members.html", fair=current_user.fair, found=found, q=q, page=page,
                           pages=max(1, -(-found.total // PAGE_SIZE)), confirm=ConfirmForm())


@bp.post("/admin/organisations/invite/<int:member_id>")
@organiser_required
@refusal_back_to("people.admin_invite_members")
def admin_invite_member(slug: str, member_id: int) -> Any:
    if ConfirmForm().validate_on_submit():
        org = invite_member(current_user, current_user.fair_id, member_id)
        flash(_("%(name)s is invited to this fair.", name=org.name), "success")
    return redirect(url_for("people.admin_invite_members", slug=slug, q=request.form.get("q") or None), 303)
