"""Ledger pages: "My points" (phone), statements (HTML, CSV, PDF), sending and awarding points,
and the organisers' pages: accounts, opening balances, reversals, import, network totals,
exports. Thin: parse, call a service, render or redirect."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.core.web.formfields import required_int
from app.core.web.inputs import db_int
from app.core.web.picker import matches_json
from app.core.web.refusals import Refusal, refusal_back_to, refusal_flashed
from app.fairs.access import login_required, organiser_required
from app.fairs.roles import Role
from app.ledger import accounts as ledger_accounts
from app.ledger import operations
from app.ledger.accounts import account_for_holder, accounts_of, get_account
from app.ledger.exports import iter_balances_csv, iter_entries_csv, ledger_json, statement_csv
from app.ledger.forms import AwardForm, ImportForm, LimitsForm, OpeningForm, ReverseForm, TransferForm
from app.ledger.imports import import_opening_balances
from app.ledger.limits import limits_for, near_floor
from app.ledger.models import Account, AccountKind, Entry
from app.ledger.pdf import render_pdf
from app.ledger.permissions import (
    can_see_entry,
    can_spend,
    is_network_admin,
    manages,
    require_can_see,
    require_network_admin,
)
from app.ledger.pickers import picker_for
from app.ledger.queries import (
    entry_with_key,
    fair_accounts,
    find_entry,
    holder_choice,
    organisations_without_account,
    reversal_of,
)
from app.ledger.statements import account_statement
from app.ledger.totals import network_totals
from app.people.models import Participant

bp = Blueprint("ledger", __name__, url_prefix="/f/<slug>")
RECENT_LINES = 20
PAGE_SIZE = 50  # accounts on one page of the organisers' list, as participants


@bp.app_template_filter("points")
def points_filter(value: int | None, signed: bool = False) -> str:
    """1234 -> '1 234' (in Polish), with a + or − sign when `signed`."""
    if value is None:
        return "—"
    text = format_decimal(abs(value))
    if value < 0:
        return "−" + text
    return ("+" + text) if signed and value > 0 else text


def _render(template: str, status: int = 200, **context: Any) -> Any:
    context.setdefault("fair", current_user.fair)
    context.setdefault("limits_for", limits_for)
    context.setdefault("near_floor", near_floor)
    return render_template(template, **context), status


def _flash_posted(entry: Entry, replay: bool) -> None:
    if replay:
        flash(_("This was already posted as entry no. %(id)s; nothing was posted twice.", id=entry.id), "info")
    else:
        flash(_("Posted as entry no. %(id)s.", id=entry.id), "success")


def _period() -> tuple[date | None, date | None]:
    def parse(name: str) -> date | None:
        raw = request.args.get(name, "").strip()
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            flash(_("Dates are written as YYYY-MM-DD."), "error")
            return None

    return parse("since"), parse("until")


# --- choices ------------------------------------------------------------------------------


def _is_organiser(person: Participant) -> bool:
    return person.role == Role.ORGANISER


def _own_spendable(actor: Participant) -> list[tuple[str, str]]:
    """A participant's accounts to spend from: their own (if they have one) and their
    organisation's. Organisers pick any of the fair's instead."""
    choices = []
    if ledger_accounts.find_person_account(actor.id) is not None:
        choices.append((f"person:{actor.id}", _("My personal account")))
    choices.append((f"org:{actor.organisation_id}", actor.organisation.name))
    return choices


def _pickers(form: Any, slug: str, **kinds: str) -> None:
    """Each picker of a ledger form (form field = picker kind) searches what the caller may
    choose (pickers.picker_for); a field given a short list of choices stays a select."""
    for name, kind in kinds.items():
        field = getattr(form, name)
        if field.choices is None:
            field.picker = picker_for(kind, current_user)
            field.search_url = url_for("ledger.pick", slug=slug, kind=kind)


@bp.get("/points/pick/<any(target, volunteer, source, organisation, opening):kind>")
@login_required
def pick(slug: str, kind: str) -> Any:
    """A ledger form's picker: the best matches of `q` as JSON, for whoever may use that form."""
    picker = picker_for(kind, current_user)
    if picker is None:
        abort(403)
    return jsonify(matches_json(picker, request.args.get("q", "")))


# --- participants: my points, statements --------------------------------------------------


@bp.get("/points")
@login_required
def my_points(slug: str) -> Any:
    held = accounts_of(current_user)
    shown = [(a, account_statement(a, latest=RECENT_LINES)) for a in (held.person, held.organisation) if a]
    return _render("ledger/my_points.html", held=held, shown=shown,
                   is_organiser=_is_organiser(current_user))


@bp.get("/points/accounts/<int:account_id>")
@login_required
def statement(slug: str, account_id: int) -> Any:
    account = get_account(account_id)
    require_can_see(current_user, account)
    since, until = _period()
    return _render("ledger/statement.html", account=account,
                   statement=account_statement(account, since, until), since=since, until=until,
                   manages=manages(current_user, account), can_spend=can_spend(current_user, account),
                   limits_form=LimitsForm(obj=account), opening_target=holder_choice(account, current_user.fair_id))


def _statement_for_download(account_id: int) -> Any:
    account = get_account(account_id)
    require_can_see(current_user, account)
    since, until = _period()
    return account_statement(account, since, until)


def _filename(account: Account, ext: str) -> str:
    return f"wyciag-{account.id}-{datetime.now(UTC):%Y%m%d}.{ext}"


@bp.get("/points/accounts/<int:account_id>/statement.csv")
@login_required
def statement_csv_download(slug: str, account_id: int) -> Any:
    st = _statement_for_download(account_id)
    return Response(statement_csv(st), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_filename(st.account, "csv")}"'})


@bp.get("/points/accounts/<int:account_id>/statement.pdf")
@login_required
def statement_pdf_download(slug: str, account_id: int) -> Any:
    st = _statement_for_download(account_id)
    pdf = render_pdf("ledger/statement_pdf.html", statement=st, account=st.account,
                     limits=limits_for(st.account), generated_at=datetime.now(UTC))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{_filename(st.account, "pdf")}"'})


@bp.get("/points/entries/<int:entry_id>")
@login_required
def entry(slug: str, entry_id: int) -> Any:
    found = find_entry(entry_id)
    if found is None or not can_see_entry(current_user, found):
        abort(404)
    reversed_by = reversal_of(found.id)
    may_reverse = any(manages(current_user, p.account) for p in found.postings
                      if p.account.kind != AccountKind.SYSTEM)
    return _render("ledger/entry.html", entry=found, reversed_by=reversed_by, may_reverse=may_reverse)


# --- sending and awarding points ----------------------------------------------------------


@bp.route("/points/send", methods=["GET", "POST"])
@login_required
def transfer(slug: str) -> Any:
    fair = current_user.fair
    form = TransferForm()
    if not _is_organiser(current_user):
        form.source.choices = _own_spendable(current_user)
    _pickers(form, slug, source="source", target="target")
    if form.validate_on_submit():
        key = form.idempotency_key(current_user.id, "transfer")
        before = entry_with_key(key)
        with refusal_flashed() as refusal:
            source = account_for_holder(fair.id, form.source.data)
            target = account_for_holder(fair.id, form.target.data)
            posted = operations.transfer_points(current_user, source.id, target.id, required_int(form.points),
                                                form.memo.data, key)
            _flash_posted(posted, before is not None)
            return redirect(url_for("ledger.statement", slug=slug, account_id=source.id), 303)
        return _render("ledger/transfer.html", refusal.status(), form=form)
    return _render("ledger/transfer.html", 422 if form.errors else 200, form=form)


@bp.route("/points/award", methods=["GET", "POST"])
@login_required
def award(slug: str) -> Any:
    form = AwardForm()
    if not _is_organiser(current_user):
        form.organisation.choices = [(str(current_user.organisation_id), current_user.organisation.name)]
        if request.method == "GET":
            form.organisation.data = str(current_user.organisation_id)
    _pickers(form, slug, organisation="organisation", volunteer="volunteer")
    if form.validate_on_submit():
        key = form.idempotency_key(current_user.id, "award")
        before = entry_with_key(key)
        with refusal_flashed() as refusal:
            posted = operations.award_points(current_user, int(form.organisation.data),
                                             int(form.volunteer.data), required_int(form.points),
                                             form.reason.data, key)
            _flash_posted(posted, before is not None)
            return redirect(url_for("ledger.entry", slug=slug, entry_id=posted.id), 303)
        return _render("ledger/award.html", refusal.status(), form=form)
    return _render("ledger/award.html", 422 if form.errors else 200, form=form)


# --- organisers ---------------------------------------------------------------------------


@bp.get("/admin/points")
@organiser_required
def accounts(slug: str) -> Any:
    fair = current_user.fair
    q = request.args.get("q", "").strip()
    page = max(1, request.args.get("page", 1, type=db_int))
    found = fair_accounts(fair.id, with_system=is_network_admin(current_user), q=q, page=page,
                          page_size=PAGE_SIZE)
    return _render("ledger/accounts.html", rows=found.accounts, total=found.total, page=page,
                   pages=max(1, -(-found.total // PAGE_SIZE)), q=q,
                   missing=organisations_without_account(fair.id), form=LimitsForm())


@bp.post("/admin/points/open-accounts")
@organiser_required
@refusal_back_to("ledger.accounts")
def open_accounts(slug: str) -> Any:
    opened = ledger_accounts.open_organisation_accounts(current_user, current_user.fair_id)
    flash(ngettext("%(num)d account opened.", "%(num)d accounts opened.", opened), "success")
    return redirect(url_for("ledger.accounts", slug=slug), 303)


@bp.post("/admin/points/accounts/<int:account_id>/limits")
@organiser_required
@refusal_back_to("ledger.statement")
def set_limits(slug: str, account_id: int) -> Any:
    form = LimitsForm()
    if form.validate_on_submit():
        ledger_accounts.set_account_limits(current_user, account_id, form.floor.data, form.ceiling.data)
        flash(_("Limits saved."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("ledger.statement", slug=slug, account_id=account_id), 303)


@bp.route("/admin/points/opening", methods=["GET", "POST"])
@organiser_required
def opening(slug: str) -> Any:
    fair = current_user.fair
    form = OpeningForm()
    _pickers(form, slug, target="opening")
    if request.method == "GET":
        form.target.preset(request.args.get("target"))
    if form.validate_on_submit():
        key = form.idempotency_key(current_user.id, "opening")
        before = entry_with_key(key)
        with refusal_flashed() as refusal:
            account = account_for_holder(fair.id, form.target.data)
            posted = operations.post_opening_balance(current_user, account.id, required_int(form.points),
                                                     form.memo.data or "", key)
            _flash_posted(posted, before is not None)
            return redirect(url_for("ledger.statement", slug=slug, account_id=account.id), 303)
        return _render("ledger/opening.html", refusal.status(), form=form)
    return _render("ledger/opening.html", 422 if form.errors else 200, form=form)


@bp.route("/admin/points/entries/<int:entry_id>/reverse", methods=["GET", "POST"])
@organiser_required
def reverse(slug: str, entry_id: int) -> Any:
    original = find_entry(entry_id)
    if original is None or not can_see_entry(current_user, original):
        abort(404)
    form = ReverseForm()
    if form.validate_on_submit():
        key = form.idempotency_key(current_user.id, "reversal")
        before = entry_with_key(key)
        with refusal_flashed() as refusal:
            posted = operations.reverse_entry(current_user, entry_id, form.reason.data, key)
            _flash_posted(posted, before is not None)
            return redirect(url_for("ledger.entry", slug=slug, entry_id=posted.id), 303)
        return _render("ledger/reverse.html", refusal.status(), form=form, entry=original)
    return _render("ledger/reverse.html", 422 if form.errors else 200, form=form, entry=original)


@bp.route("/admin/points/import", methods=["GET", "POST"])
@organiser_required
def import_openings(slug: str) -> Any:
    form = ImportForm()
    refusal = Refusal()
    if form.validate_on_submit():
        with refusal_flashed() as refusal:
            result = import_opening_balances(current_user, current_user.fair_id, form.file.data.read())
            flash(ngettext("Imported %(num)d opening balance.", "Imported %(num)d opening balances.",
                           result.posted), "success")
            if result.already_posted:
                flash(ngettext("%(num)d row had been imported before and was not posted again.",
                               "%(num)d rows had been imported before and were not posted again.",
                               result.already_posted), "info")
            return redirect(url_for("ledger.accounts", slug=slug), 303)
    errors = refusal.error.details.get("errors", []) if refusal.error else []
    return _render("ledger/import.html", 422 if form.errors or refusal.error else 200, form=form, errors=errors)


@bp.get("/admin/points/network")
@organiser_required
def network(slug: str) -> Any:
    require_network_admin(current_user)
    return _render("ledger/network.html", totals=network_totals())


@bp.get("/admin/points/export/entries.csv")
@organiser_required
def export_entries_csv(slug: str) -> Any:
    require_network_admin(current_user)
    return Response(stream_with_context(iter_entries_csv()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="ledger-entries.csv"'})


@bp.get("/admin/points/export/balances.csv")
@organiser_required
def export_balances_csv(slug: str) -> Any:
    require_network_admin(current_user)
    return Response(stream_with_context(iter_balances_csv()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="ledger-balances.csv"'})


@bp.get("/admin/points/export/ledger.json")
@organiser_required
def export_json(slug: str) -> Any:
    require_network_admin(current_user)
    return Response(ledger_json(), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="ledger.json"'})
