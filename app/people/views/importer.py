"""Organiser page: import participants from a CSV file — upload, preview, then import.

The preview keeps the uploaded bytes in the page (base64 in a hidden field), so that the
"Import" button sends exactly the file that was checked, and the service checks it again.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import HiddenField
from wtforms.validators import DataRequired

from app.core.errors import DomainError
from app.core.web.formfields import Form
from app.core.web.refusals import Refusal, refusal_kept
from app.fairs.access import organiser_required
from app.people.csv_import import ImportRejected, ImportReport, import_participants, preview_import
from app.people.csv_rows import COLUMNS, RowProblem, template_csv
from app.people.views.blueprint import bp

COLUMN_HELP = {
    "first_name": _l("The first name. Instead of these two columns there may be one, “imię i nazwisko” "
                     "(name), with both."),
    "last_name": _l("The last name."),
    "email": _l("Optional. Each e-mail may appear only once at the fair."),
    "phone": _l("Optional, e.g. +48 600 100 200."),
    "organisation": _l("The organisation the person represents. Leave it empty for a resident."),
    "sector": _l("The organisation's sector. Polish and English names work too, e.g. fundacja, firma, "
                 "instytucja publiczna, mieszkanka."),
    "city": _l("Optional: the organisation's town."),
    "role": _l("Optional: participant (uczestnik) or notary (notariusz). Add organisers one by one."),
    "show_email": _l("Optional: tak or nie (yes/no, 1/0, x) — show the e-mail on the person's card."),
    "show_phone": _l("Optional: tak or nie (yes/no, 1/0, x) — show the phone number on the person's card."),
}


class UploadForm(Form):
    file = FileField(_l("CSV file"), [FileRequired(_l("Choose the CSV file to import."))],
                     render_kw={"accept": ".csv,text/csv,text/plain"})


class ConfirmImportForm(Form):
    content = HiddenField(validators=[DataRequired()])


def _page(upload: UploadForm, report: ImportReport | None = None, error: DomainError | None = None,
          problems: Sequence[RowProblem] = (), content: str = "", status: int = 200) -> Any:
    confirm = ConfirmImportForm(formdata=None, content=content)
    return render_template(
        "people/import.html", fair=current_user.fair, upload=upload, report=report, error=error,
        problems=problems, confirm=confirm, columns=COLUMNS, column_help=COLUMN_HELP), status


def _failed(refusal: Refusal) -> Any:
    err = refusal.error
    problems = err.problems if isinstance(err, ImportRejected) else []
    return _page(UploadForm(formdata=None), error=err, problems=problems, status=refusal.status())


@bp.route("/admin/import", methods=["GET", "POST"])
@organiser_required
def admin_import(slug: str) -> Any:
    try:
        posted = request.form  # parses the body: one over MAX_CONTENT_LENGTH is refused here
    except RequestEntityTooLarge:
        return _page(UploadForm(formdata=None), error=ImportRejected(
            _l("The file is too large to upload. Split it into smaller files."),
            code="import_too_large"), status=413)
    if "content" in posted:
        return _import(slug)
    upload = UploadForm()
    if not upload.validate_on_submit():
        return _page(upload, status=422 if upload.errors else 200)
    data = upload.file.data.read()
    with refusal_kept() as refusal:
        report = preview_import(current_user, current_user.fair_id, data)
        content = base64.b64encode(data).decode("ascii") if report.ok else ""
        return _page(UploadForm(formdata=None), report=report, problems=report.problems, content=content,
                     status=200 if report.ok else 422)
    return _failed(refusal)


def _import(slug: str) -> Any:
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("people.admin_import", slug=slug), 303)
    try:
        data = base64.b64decode(form.content.data or "", validate=True)
    except (binascii.Error, ValueError):
        return _failed(Refusal(ImportRejected(_l("The checked file did not come back intact. Upload it again."),
                                              code="import_content")))
    with refusal_kept() as refusal:
        report = import_participants(current_user, current_user.fair_id, data)
        flash(_("Participants imported: %(n)d. New organisations: %(new)d.",
                n=report.created, new=report.new_organisations), "success")
        return redirect(url_for("people.admin_participants", slug=slug), 303)
    return _failed(refusal)


@bp.get("/admin/import/template.csv")
@organiser_required
def admin_import_template(slug: str) -> Any:
    return Response(template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="uczestnicy.csv"'})
