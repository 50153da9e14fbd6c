"""Agreement pages: start, edit, sign (on one or two devices), notary desk, follow-up."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.agreements import annulment, drafting, fulfilment, proposals, reminders, signing
from app.agreements.access import can_view
from app.agreements.feedback import RATINGS, read_rating
from app.agreements.forms import (
    DisputeForm,
    DraftForm,
    PaperDraftForm,
    ProposalForm,
    ProposalSideForm,
    ReasonForm,
    SharedSignForm,
    StartForm,
    VersionForm,
)
from app.agreements.models import Agreement, AgreementState
from app.agreements.queries import find_agreement
from app.agreements.queues import DeskPages, notary_queue
from app.agreements.signing import all_parties_signed
from app.agreements.valuing import agreement_value, estimates, value_line
from app.core.errors import ValidationError, wants_json
from app.core.web.answers import action_done
from app.core.web.formfields import ConfirmForm, stale_form_message
from app.core.web.formkeys import Sent
from app.core.web.inputs import db_int
from app.core.web.refusals import flash_refusal, refusal_back_to, refusal_flashed, refusal_kept
from app.door.checkin import parse_scan
from app.fairs.access import login_required, organiser_required, staff_required
from app.fairs.models import FairState
from app.fairs.roles import STAFF_ROLES
from app.floor.kinds import Unit, quantity_text
from app.people.models import Participant
from app.people.queries import organisation_names, participant_by_badge

bp = Blueprint("agreements", __name__, url_prefix="/f/<slug>")
FOLLOW_UP_PAGE_SIZE = 100  # obligations on one page of the follow-up


def _agreement_for_view(agreement_id: int) -> Agreement:
    agreement = find_agreement(current_user.fair_id, agreement_id)
    if agreement is None:
        abort(404)
    if not can_view(current_user, agreement):
        abort(403)
    return agreement


def _to_detail(agreement_id: int) -> Any:
    return redirect(url_for("agreements.detail", slug=current_user.fair.slug, agreement_id=agreement_id), 303)


def _attempt(action: Any, done: str) -> None:
    with refusal_flashed():
        action()
        flash(done, "success")


def _participant_by_badge(scanned: str) -> Participant | None:
    return participant_by_badge(parse_scan(scanned or ""), current_user.fair_id)


# --- my agreements, starting one ------------------------------------------------------------


@bp.get("/agreements")
@login_required
def mine(slug: str) -> Any:
    return render_template("agreements/list.html", fair=current_user.fair,
                           agreements=drafting.my_agreements(current_user))


@bp.route("/agreements/new", methods=["GET", "POST"])
@login_required
def start(slug: str) -> Any:
    """From a card (?with=<badge_code>) or a post (&post=<id>): confirm, then a draft."""
    other = _participant_by_badge(request.values.get("with", ""))
    if other is None:
        abort(404)
    post_id = request.values.get("post", type=db_int)
    form = StartForm()
    if request.method == "POST" and form.validate_on_submit():
        with refusal_flashed():
            sent = drafting.submit_start(current_user, current_user.fair_id, other.id, post_id, form.key.data)
            return _to_started(sent)
    elif form.errors:
        flash(_("The form has expired. Please try again."), "error")
    return render_template("agreements/start.html", fair=current_user.fair, other=other, post_id=post_id,
                           form=form)


def _to_started(sent: Sent[Agreement]) -> Any:
    """To the draft a start form made; saying so when the same form had been sent before."""
    if not sent.created:
        flash(_("This form had already been sent: here is the agreement it started. Nothing was "
                "started twice."), "info")
    return redirect(url_for("agreements.edit", slug=current_user.fair.slug, agreement_id=sent.row_id), 303)


# --- proposing an exchange: both sides prefilled, sent with my signature ---------------------

MAX_TAPPED_POSTS = 2  # a post, or a match's two posts


@dataclass(frozen=True)
class SideSummary:
    """One side of a proposal as its form now says it, in words (what the page shows at first)."""

    what: str
    quantity: str
    hours: int | None
    points: int
    in_hours: bool  # the quantity is the hours: said once


def _summary(side: ProposalSideForm, point_rate: int) -> SideSummary:
    unit = side.unit.data if side.unit.data in {u.value for u in Unit} else None
    quantity = quantity_text(side.quantity.data, Unit(unit) if unit else None) if side.quantity.data else ""
    points = side.points.data if side.points.data is not None else (side.hours.data or 0) * point_rate
    in_hours = unit == Unit.HOURS and side.quantity.data == side.hours.data
    return SideSummary((side.description.data or "").strip(), quantity, side.hours.data, points, in_hours)


def _side_values(side: proposals.ProposalSide) -> dict[str, Any]:
    return {"description": side.description, "quantity": side.quantity,
            "unit": side.unit.value if side.unit else "", "when": side.when, "hours": side.hours,
            "post_id": side.post_id, "category_id": side.category_id}


@bp.route("/agreements/propose", methods=["GET", "POST"])
@login_required
def propose(slug: str) -> Any:
    """From a card (?with=<badge_code>), a post or a match (&post=<id>, twice for a match): both
    sides' obligations prefilled from the posts; one tap sends the proposal with my signature."""
    other = _participant_by_badge(request.values.get("with", ""))
    if other is None:
        abort(404)
    post_ids = request.values.getlist("post", type=db_int)[:MAX_TAPPED_POSTS]
    proposal = proposals.draft_proposal(current_user, current_user.fair_id, other.id, post_ids)
    me, them = current_user.organisation_id, other.organisation_id
    status = 200
    if request.method == "POST":
        form = ProposalForm()
        if form.validate_on_submit():
            obligations = [ob for ob in (form.theirs.form.obligation(them, me), form.mine.form.obligation(me, them))
                           if ob is not None]
            with refusal_flashed() as refusal:
                sent = proposals.propose_exchange(current_user, current_user.fair_id, other.id, obligations,
                                                  form.key.data)
                if sent.created:
                    flash(_("Sent and signed. %(name)s sees it on their phone now; the agreement is "
                            "complete when they sign.", name=other.full_name), "success")
                else:
                    flash(_("This proposal had already been sent: here it is. Nothing was sent twice."), "info")
                return _to_detail(sent.row_id)
            status = refusal.status()
        else:
            status = 422
            if form.key.errors:
                flash(_("The form has expired. Please try again."), "error")
    else:
        form = ProposalForm(formdata=None, data={"theirs": _side_values(proposal.theirs),
                                                 "mine": _side_values(proposal.mine)})
    rate = proposal.point_rate
    return render_template(
        "agreements/propose.html", fair=current_user.fair, other=other, proposal=proposal, form=form,
        post_ids=post_ids, theirs=_summary(form.theirs.form, rate), mine=_summary(form.mine.form, rate),
        trading=current_user.fair.state == FairState.TRADING), status


# --- the draft editor ---------------------------------------------------------------------


def _party_organisations(form: DraftForm) -> list[int]:
    """The organisation ids of the form's parties, without the ones a damaged page garbled."""
    ids = [p.form.organisation_id.data for p in form.parties]
    return list(dict.fromkeys(i for i in ids if i is not None))


def _fill_choices(form: DraftForm) -> None:
    ids = _party_organisations(form)
    orgs = organisation_names(ids)
    choices = [SelectChoice(str(oid), orgs.get(oid, "?")) for oid in ids]
    for ob in form.obligations:
        ob.form.giver.choices = choices
        ob.form.receiver.choices = choices


def _form_from(agreement: Agreement) -> DraftForm:
    form = DraftForm(formdata=None)
    form.version.data = agreement.version
    for party in agreement.parties:
        form.parties.append_entry({"organisation_id": party.organisation_id,
                                   "representative_id": party.representative_id,
                                   "contact_name": party.contact_name,
                                   "contact_details": party.contact_details})
    for ob in agreement.obligations:
        form.obligations.append_entry({
            "giver": str(ob.giver.organisation_id), "receiver": str(ob.receiver.organisation_id),
            "description": ob.description, "quantity": ob.quantity,
            "unit": ob.unit.value if ob.unit else "", "when": ob.when, "where": ob.where,
            "duration": ob.duration, "hours": ob.hours, "points": ob.points,
            "cost_contribution": ob.cost_contribution, "due_date": ob.due_date,
            "post_id": ob.post_id, "category_id": ob.category_id, "value_basis": ob.value_basis or ""})
    _add_empty_obligation(form)
    return form


def _add_empty_obligation(form: DraftForm) -> bool:
    """A blank obligation row, from the user's organisation to another party (if there are two)."""
    parties = _party_organisations(form)
    if len(parties) < 2:
        return False
    giver = current_user.organisation_id if current_user.organisation_id in parties else parties[0]
    receiver = next(p for p in parties if p != giver)
    form.obligations.append_entry({"giver": str(giver), "receiver": str(receiver)})
    return True


def _garbled(form: DraftForm) -> bool:
    """Whether a hidden value of the editor came back damaged: the page cannot show it to fix."""
    hidden = [form.version, *(f for e in form.parties for f in (e.form.organisation_id, e.form.representative_id)),
              *(f for e in form.obligations for f in (e.form.post_id, e.form.category_id))]
    return any(f.errors for f in hidden)


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, agreement_id: int) -> Any:
    agreement = _agreement_for_view(agreement_id)
    if agreement.state not in (AgreementState.DRAFT, AgreementState.AWAITING_SIGNATURES):
        return _to_detail(agreement.id)
    if request.method == "GET":
        form = _form_from(agreement)
    else:
        form = DraftForm()
        action = request.form.get("action", "save")
        if action == "add_obligation":
            if not _add_empty_obligation(form):
                flash(_("An agreement needs two parties before an obligation can be added."), "error")
        elif action == "add_party":
            person = _participant_by_badge(request.form.get("new_party", ""))
            if person is None:
                flash(_("No participant of this fair has that badge."), "error")
            elif person.organisation_id in _party_organisations(form):
                flash(_("This organisation is already a party."), "error")
            else:
                form.parties.append_entry({"organisation_id": person.organisation_id,
                                           "representative_id": person.id,
                                           "contact_name": person.full_name, "contact_details": ""})
        elif form.validate_on_submit():
            with refusal_flashed():
                drafting.save_draft(current_user, agreement.fair_id, agreement.id, form.agreement_data(),
                                    version=form.version.data or None)
                flash(_("Saved. Signatures given before this change must be given again."), "success")
                return _to_detail(agreement.id)
    if _garbled(form):
        flash(str(stale_form_message()), "error")
    _fill_choices(form)
    org_names = organisation_names(_party_organisations(form))
    return render_template("agreements/edit.html", fair=current_user.fair, agreement=agreement, form=form,
                           org_names=org_names), 422 if form.errors else 200


# --- the agreement and its actions --------------------------------------------------------


@bp.get("/agreements/<int:agreement_id>")
@login_required
def detail(slug: str, agreement_id: int) -> Any:
    return _detail_page(agreement_id)


def _detail_page(agreement_id: int, sent: SentFeedback | None = None) -> str:
    """The agreement's page; `sent`: a feedback form whose fields were refused, shown again as
    they were sent, with the reason by the field."""
    agreement = _agreement_for_view(agreement_id)
    my_party = agreement.party_for(current_user.organisation_id)
    signed_parties = {s.party_id: s for s in agreement.current_signatures()}
    return render_template(
        "agreements/detail.html", fair=current_user.fair, agreement=agreement, my_party=my_party,
        signed_parties=signed_parties, all_signed=all_parties_signed(agreement),
        is_staff=current_user.role in STAFF_ROLES, is_organiser=current_user.role.value == "organiser",
        form=VersionForm(), shared_form=SharedSignForm(), reason_form=ReasonForm(),
        dispute_form=DisputeForm(), is_overdue=fulfilment.is_overdue, sent=sent, ratings=RATINGS,
        value_previews=None if agreement.is_complete else estimates(agreement), value_line=value_line,
        agreement_value=agreement_value(agreement))


def _version() -> int:
    form = VersionForm()
    if not form.validate_on_submit():
        raise ValidationError(stale_form_message(), code="form_expired")
    return form.version.data or 0


def _done(agreement_id: int, action: Any, done: str) -> Any:
    """An action a phone may have kept while offline (static/js/offline.js): the answer is the
    agreement's page, or to the phone's queue its message (app/core/web/answers.py)."""
    with refusal_flashed():
        action()
        return action_done(done, url_for("agreements.detail", slug=current_user.fair.slug,
                                         agreement_id=agreement_id))
    return _to_detail(agreement_id)


@bp.post("/agreements/<int:agreement_id>/sign")
@login_required
def sign(slug: str, agreement_id: int) -> Any:
    version = _version()
    key = request.form.get("key") or None  # the phone's own key (static/js/offline.js): sent twice, signs once
    return _done(agreement_id, lambda: signing.sign_agreement(current_user, current_user.fair_id, agreement_id,
                                                              version, key=key), _("Signed."))


@bp.post("/agreements/<int:agreement_id>/sign-shared")
@login_required
def sign_shared(slug: str, agreement_id: int) -> Any:
    form = SharedSignForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return _to_detail(agreement_id)
    _attempt(lambda: signing.sign_on_shared_device(
        current_user, current_user.fair_id, agreement_id, form.version.data or 0,
        badge_code=form.badge_code.data or None, pin=form.pin.data or None, scanned=form.scanned.data,
        client=request.remote_addr or ""),
        _("The other party has signed on this device."))
    return _to_detail(agreement_id)


@bp.post("/agreements/<int:agreement_id>/notarise")
@staff_required
def notarise(slug: str, agreement_id: int) -> Any:
    version = _version()
    _attempt(lambda: signing.notarise(current_user, current_user.fair_id, agreement_id, version),
             _("Countersigned. The agreement is complete."))
    return _to_detail(agreement_id)


@bp.post("/agreements/<int:agreement_id>/paper")
@staff_required
def record_paper(slug: str, agreement_id: int) -> Any:
    version = _version()
    _attempt(lambda: signing.record_paper_agreement(current_user, current_user.fair_id, agreement_id, version),
             _("Recorded as signed on paper."))
    return _to_detail(agreement_id)


@bp.post("/agreements/<int:agreement_id>/cancel")
@login_required
def cancel(slug: str, agreement_id: int) -> Any:
    _version()
    _attempt(lambda: drafting.cancel_agreement(current_user, current_user.fair_id, agreement_id),
             _("The draft is cancelled."))
    return _to_detail(agreement_id)


@bp.post("/agreements/<int:agreement_id>/annulment")
@login_required
def request_annulment(slug: str, agreement_id: int) -> Any:
    _version()
    reason = request.form.get("reason", "")
    _attempt(lambda: annulment.request_annulment(current_user, current_user.fair_id, agreement_id, reason),
             _("Your request to annul is recorded. The agreement is annulled when every party asks."))
    return _to_detail(agreement_id)


@bp.post("/agreements/<int:agreement_id>/annul")
@organiser_required
def annul(slug: str, agreement_id: int) -> Any:
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the annulment."), "error")
    else:
        _attempt(lambda: annulment.annul_by_organiser(current_user, current_user.fair_id, agreement_id,
                                                      form.reason.data), _("The agreement is annulled."))
    return _to_detail(agreement_id)


def _obligation_action(agreement_id: int, action: Any, done: str) -> Any:
    _version()
    _attempt(action, done)
    return _to_detail(agreement_id)


@bp.post("/agreements/<int:agreement_id>/obligations/<int:obligation_id>/delivered")
@login_required
def delivered(slug: str, agreement_id: int, obligation_id: int) -> Any:
    return _obligation_action(agreement_id, lambda: fulfilment.mark_delivered(
        current_user, current_user.fair_id, obligation_id), _("Marked as delivered."))


@bp.post("/agreements/<int:agreement_id>/obligations/<int:obligation_id>/confirm")
@login_required
def confirm(slug: str, agreement_id: int, obligation_id: int) -> Any:
    """Confirmed, with the receiver's feedback if they gave it (app/agreements/feedback.py)."""
    _version()
    key = request.form.get("key") or None  # the phone's own key (static/js/offline.js): sent twice, confirms once
    sent = _sent_feedback(obligation_id, "confirm")
    return _with_feedback(agreement_id, sent, lambda: fulfilment.confirm_delivery(
        current_user, current_user.fair_id, obligation_id, key=key, rating=read_rating(sent.rating),
        testimonial=sent.testimonial, quote_consent=sent.quote_consent), _("Confirmed. Thank you!"))


@bp.post("/agreements/<int:agreement_id>/obligations/<int:obligation_id>/feedback")
@login_required
def feedback(slug: str, agreement_id: int, obligation_id: int) -> Any:
    """The receiver's feedback on an obligation they have confirmed: given, changed or taken back."""
    _version()
    key = request.form.get("key") or None  # as for confirm: sent twice, changes once
    sent = _sent_feedback(obligation_id, "feedback")
    return _with_feedback(agreement_id, sent, lambda: fulfilment.leave_feedback(
        current_user, current_user.fair_id, obligation_id, rating=read_rating(sent.rating),
        testimonial=sent.testimonial, quote_consent=sent.quote_consent, key=key), _("Thank you for your feedback."))


@dataclass(frozen=True)
class SentFeedback:
    """A feedback form's fields as sent (the confirmation's or the later one), for the page again
    when they are refused."""

    obligation_id: int
    form: str  # "confirm" | "feedback"
    rating: str
    testimonial: str
    quote_consent: bool
    field: str = ""  # the refused field, and why
    error: str = ""


CONSENT_VALUES = ("y", "on", "1", "true")
FEEDBACK_FIELDS = {"rating_invalid": "rating", "testimonial_too_long": "testimonial"}  # refusal code -> field


def _sent_feedback(obligation_id: int, form: str) -> SentFeedback:
    return SentFeedback(obligation_id, form, request.form.get("rating", ""), request.form.get("testimonial", ""),
                        request.form.get("quote_consent", "").strip().lower() in CONSENT_VALUES)


def _with_feedback(agreement_id: int, sent: SentFeedback, action: Any, done: str) -> Any:
    """As `_done`; a refused rating or testimonial shows the agreement's page again with the
    form as it was sent and the reason by its field (422), nothing done."""
    with refusal_kept() as refusal:
        action()
        return action_done(done, url_for("agreements.detail", slug=current_user.fair.slug,
                                         agreement_id=agreement_id))
    error = refusal.error
    assert error is not None
    if wants_json():
        raise error
    flash_refusal(error)
    field = FEEDBACK_FIELDS.get(error.code)
    if field is None:
        return _to_detail(agreement_id)
    return _detail_page(agreement_id, replace(sent, field=field, error=str(error.message))), error.status


@bp.post("/agreements/<int:agreement_id>/obligations/<int:obligation_id>/dispute")
@login_required
def dispute(slug: str, agreement_id: int, obligation_id: int) -> Any:
    form = DisputeForm()
    if not form.validate_on_submit():
        flash(_("Say what is wrong, so that the other party can answer."), "error")
        return _to_detail(agreement_id)
    _attempt(lambda: fulfilment.dispute_delivery(current_user, current_user.fair_id, obligation_id,
                                                 form.comment.data), _("Your comment is recorded."))
    return _to_detail(agreement_id)


# --- the notary's desk and the organiser's follow-up --------------------------------------


@bp.route("/notary", methods=["GET", "POST"])
@staff_required
def notary_desk(slug: str) -> Any:
    fair = current_user.fair
    paper = PaperDraftForm()
    if paper.validate_on_submit():
        first, second = _participant_by_badge(paper.first.data), _participant_by_badge(paper.second.data)
        if first is None or second is None:
            flash(_("No participant of this fair has that badge."), "error")
        else:
            with refusal_flashed():
                sent = drafting.submit_paper_draft(current_user, fair.id, first.id, second.id, paper.key.data)
                return _to_started(sent)
    args = request.args
    q = args.get("q", "").strip()[:100]
    pages = DeskPages(waiting=args.get("page", 1, type=db_int), drafts=args.get("drafts_page", 1, type=db_int),
                      signed=args.get("signed_page", 1, type=db_int))
    queue = notary_queue(fair.id, q, pages)
    return render_template("agreements/notary.html", fair=fair, queue=queue, q=q, paper=paper)


@bp.get("/admin/follow-up")
@organiser_required
def follow_up(slug: str) -> Any:
    page = max(1, request.args.get("page", 1, type=db_int))
    found = fulfilment.follow_up_page(current_user.fair_id, page, FOLLOW_UP_PAGE_SIZE)
    # Per agreement on this page, each party's newest reminder.
    reminded = reminders.latest_reminders(current_user.fair_id, {ob.agreement_id for ob in found.obligations})
    return render_template("agreements/follow_up.html", fair=current_user.fair, obligations=found.obligations,
                           is_overdue=fulfilment.is_overdue, page=page, total=found.total, reminded=reminded,
                           pages=max(1, -(-found.total // FOLLOW_UP_PAGE_SIZE)))


@bp.post("/admin/follow-up/reminders")
@organiser_required
@refusal_back_to("agreements.follow_up")
def send_reminders(slug: str) -> Any:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    overdue_only = request.form.get("overdue_only") == "1"
    report = reminders.send_reminders(current_user, current_user.fair_id, overdue_only=overdue_only)
    days = f"{reminders.interval().total_seconds() / 86400:g}"
    if report.sent:
        flash(_("Reminders sent: %(n)d.", n=report.sent) if report.transport == "smtp" else
              _("Reminders written to the outbox folder (no mail server is set up): %(n)d.", n=report.sent),
              "success")
    if report.pending:
        flash(_("Reminders being sent: %(n)d. This page shows each one as it goes.", n=report.pending), "success")
    if report.failed:
        flash(_("Reminders that could not be sent: %(n)d (%(error)s). Send again to retry them; "
                "the ones already sent are not sent twice.", n=report.failed, error="; ".join(report.errors)),
              "error")
    if report.skipped_recent:
        flash(_("Left out, as reminded in the last %(days)s days: %(n)d.", days=days, n=report.skipped_recent),
              "info")
    if report.without_address:
        flash(_("No e-mail address for: %(parties)s.", parties=", ".join(report.without_address)), "error")
    if not (report.sent or report.pending or report.failed or report.skipped_recent or report.without_address):
        flash(_("Nobody to remind: no obligation is overdue.") if overdue_only else
              _("Nobody to remind: every obligation of the signed agreements is confirmed."), "info")
    return redirect(url_for("agreements.follow_up", slug=slug), 303)
