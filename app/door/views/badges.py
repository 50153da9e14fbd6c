"""Printing badges and login slips: one person at the desk, a selection, or the whole fair.

One person's badge or slip (staff: the walk-in desk prints at once) and a selection of up to a
list page's worth are rendered in the request. Longer runs go to a background job whose page
shows the progress and then offers the PDF.
"""

from __future__ import annotations

import io
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.web.inputs import db_int
from app.core.web.urls import public_url
from app.door import badge_jobs
from app.door.badges import PrintKind, PrintLayout, printable_people, write_for_people
from app.door.views.blueprint import bp
from app.fairs.access import organiser_required, staff_required
from app.people.credentials import require_slip_access
from app.people.participants import get_participant

SYNC_LIMIT = 50  # a list page's worth: rendered in the request; more goes to a background job


def _kind(value: str | None) -> PrintKind:
    try:
        return PrintKind(value or PrintKind.BADGES)
    except ValueError:
        abort(400)


def _layout(value: str | None) -> PrintLayout:
    try:
        return PrintLayout(value or PrintLayout.SHEET)
    except ValueError:
        abort(400)


def _pdf(data: bytes, filename: str, kind: PrintKind, *, attachment: bool = False) -> Response:
    response = send_file(io.BytesIO(data), mimetype="application/pdf", download_name=filename,
                         as_attachment=attachment)
    # A slip carries a login link and PIN: never keep a copy in a cache.
    response.headers["Cache-Control"] = "no-store" if kind == PrintKind.SLIPS else "private, no-cache"
    return response


def _filename(kind: PrintKind, *parts: str) -> str:
    stem = "badges" if kind == PrintKind.BADGES else "login-slips"
    return "-".join([current_user.fair.slug, stem, *parts]) + ".pdf"


def _start(kind: PrintKind, layout: PrintLayout, ids: list[int] | None) -> Response:
    job = badge_jobs.start_job(current_user.fair_id, kind, layout, ids, current_user.id,
                               base=public_url(), locale=str(get_locale()))
    return redirect(url_for("door.badge_job", slug=current_user.fair.slug, job_id=job.id), 303)


# --- one person: staff, at the desk or on the participant's page -----------------------------


@bp.get("/badges/<int:pid>/badge.pdf")
@staff_required
def badge_pdf(slug: str, pid: int) -> Any:
    person = get_participant(current_user.fair_id, pid)
    out = io.BytesIO()
    write_for_people(PrintKind.BADGES, current_user.fair, [person], out, base=public_url(),
                     layout=_layout(request.args.get("layout")))
    return _pdf(out.getvalue(), _filename(PrintKind.BADGES, person.badge_code), PrintKind.BADGES)


@bp.get("/badges/<int:pid>/slip.pdf")
@staff_required
def slip_pdf(slug: str, pid: int) -> Any:
    person = get_participant(current_user.fair_id, pid)
    require_slip_access(current_user, person)
    out = io.BytesIO()
    write_for_people(PrintKind.SLIPS, current_user.fair, [person], out, base=public_url(),
                     layout=_layout(request.args.get("layout")))
    return _pdf(out.getvalue(), _filename(PrintKind.SLIPS, person.badge_code), PrintKind.SLIPS)


# --- the organiser: everyone, or the people ticked on the list --------------------------------


@bp.post("/admin/badges")
@organiser_required
def badges_all(slug: str) -> Any:
    return _start(_kind(request.form.get("kind")), _layout(request.form.get("layout")), None)


@bp.post("/admin/badges/selection")
@organiser_required
def badges_selection(slug: str) -> Any:
    kind = _kind(request.form.get("kind"))
    layout = _layout(request.form.get("layout"))
    ids = sorted(set(request.form.getlist("pid", type=db_int)))
    if len(ids) > SYNC_LIMIT:
        return _start(kind, layout, ids)
    people = printable_people(current_user.fair_id, ids) if ids else []
    if not people:
        flash(_("Tick the people to print for first."), "error")
        return redirect(url_for("people.admin_participants", slug=slug), 303)
    out = io.BytesIO()
    write_for_people(kind, current_user.fair, people, out, base=public_url(), layout=layout)
    return _pdf(out.getvalue(), _filename(kind, "selection"), kind)


@bp.get("/admin/badges/jobs/<job_id>")
@organiser_required
def badge_job(slug: str, job_id: str) -> Any:
    job = _job_or_404(job_id)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(badge_jobs.job_summary(job))
    return render_template("door/badge_job.html", fair=current_user.fair, job=job)


@bp.get("/admin/badges/jobs/<job_id>/download")
@organiser_required
def badge_job_download(slug: str, job_id: str) -> Any:
    job = _job_or_404(job_id)
    path = badge_jobs.pdf_path(job)
    if job.state != "done" or not path.is_file():
        abort(404)
    kind = PrintKind(job.kind)
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=_filename(kind, "all" if job.participant_ids is None else "selection"))
    response.headers["Cache-Control"] = "no-store" if kind == PrintKind.SLIPS else "private, no-cache"
    return response


def _job_or_404(job_id: str) -> badge_jobs.BadgeJob:
    job = badge_jobs.load_job(job_id)
    if job is None or job.fair_id != current_user.fair_id:
        abort(404)
    return job
