"""The trading floor on a phone: the board, posting, my posts (matches: app/matching/views.py)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.core.web.answers import action_done, form_refused
from app.core.web.formfields import ConfirmForm, stale_form_message
from app.core.web.inputs import db_int
from app.core.web.refusals import refusal_back_to, refusal_flashed
from app.fairs.access import fair_or_404, login_required, organiser_required
from app.fairs.categories import category_label
from app.fairs.category_menu import category_menu
from app.fairs.models import FairState
from app.floor import posts as post_services
from app.floor.board import BoardFilter, board_posts, organisation_posts, paged_board
from app.floor.card_html import board_cards_html
from app.floor.forms import HidePostForm, NewPostForm, PostForm
from app.floor.kinds import PostKind
from app.floor.posts import get_post
from app.floor.queries import find_post
from app.floor.views.blueprint import bp
from app.network.sectors import Sector

MAX_CARDS = 200  # the most cards one request of the board asks for


def _viewer(fair_id: int) -> Any:
    return current_user if current_user.is_authenticated and current_user.fair_id == fair_id else None


def _category_choices(fair_id: int, keep: int | None = None) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in category_menu(fair_id).choices(keep)]


@bp.get("/board")
def board_page(slug: str) -> Any:
    fair = fair_or_404(slug)
    args = request.args
    kind = args.get("kind") if args.get("kind") in {k.value for k in PostKind} else None
    sector = args.get("sector") if args.get("sector") in {s.value for s in Sector} else None
    category_id = args.get("category", type=db_int)
    flt = BoardFilter(kind=PostKind(kind) if kind else None, category_id=category_id,
                      sector=Sector(sector) if sector else None, q=args.get("q", "").strip()[:100])
    me = _viewer(fair.id)  # first: the same statements whether or not the viewer's posts are on this page
    menu = category_menu(fair.id)
    category_names = menu.labels
    shown = paged_board(fair.id, flt, args.get("page", type=db_int) or 1)
    return render_template(
        "floor/board.html", fair=fair, posts=shown.posts, cards=board_cards_html(fair, shown.posts, category_names),
        shown=shown, flt=flt, categories=menu.items, category_names=category_names, me=me,
        filtered=bool(kind or sector or category_id or flt.q or shown.page > 1))


@bp.get("/posts/cards")
def board_cards(slug: str) -> Any:
    """The board's cards of some posts (`?id=1&id=2`), exactly as the board page renders them:
    the board fetches them when post events arrive. A post that is not on the board (withdrawn,
    taken, hidden, another fair's) has no card."""
    fair = fair_or_404(slug)
    ids = request.args.getlist("id", type=db_int)[:MAX_CARDS]
    category_names = category_menu(fair.id).labels
    return render_template("floor/_cards.html", fair=fair, posts=board_posts(fair.id, ids),
                           category_names=category_names)


def _render_form(fair: Any, form: PostForm, post: Any = None) -> Any:
    form_refused(form.errors)  # a phone's queue asked for JSON: no form to show it on
    if form.version.errors:  # a hidden field: the page cannot show it to fix
        flash(str(stale_form_message()), "error")
    return render_template("floor/post_form.html", fair=fair, form=form, post=post,
                           trading=fair.state == FairState.TRADING), 422 if form.errors else 200


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
def post_new(slug: str) -> Any:
    fair = current_user.fair
    form = NewPostForm()
    form.category_id.choices = _category_choices(fair.id)
    if request.method == "GET" and request.args.get("kind") in {k.value for k in PostKind}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        with refusal_flashed():
            sent = post_services.submit_post(current_user, fair.id, form.post_data(), form.key.data)
            where = url_for("floor.post_detail", slug=slug, post_id=sent.row_id)
            if sent.created:
                return action_done(_("Posted. Everyone at the fair can see it now."), where)
            return action_done(_("This form had already been sent: here is the post it made. Nothing was "
                                 "posted twice."), where, "info")
    return _render_form(fair, form)


@bp.get("/posts/<int:post_id>")
def post_detail(slug: str, post_id: int) -> Any:
    fair = fair_or_404(slug)
    post = find_post(fair.id, post_id)
    me = _viewer(fair.id)
    is_organiser = me is not None and me.role.value == "organiser"
    if post is None or (post.hidden_at is not None and not is_organiser):
        abort(404)  # a hidden post is as absent as one that never was
    mine = me is not None and me.organisation_id == post.organisation_id
    return render_template("floor/post.html", fair=fair, post=post, me=me, mine=mine,
                           is_organiser=is_organiser, confirm=ConfirmForm(), hide_form=HidePostForm(),
                           category=category_label(post.category))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def post_edit(slug: str, post_id: int) -> Any:
    fair = current_user.fair
    post = get_post(fair.id, post_id)
    if post.organisation_id != current_user.organisation_id:
        abort(403)
    form = PostForm(obj=post if request.method == "GET" else None)
    form.category_id.choices = _category_choices(fair.id, keep=post.category_id)
    if request.method == "GET":
        form.kind.data = post.kind.value
        form.unit.data = post.unit.value if post.unit else ""
        form.version.data = post.version
    if form.validate_on_submit():
        with refusal_flashed():
            post_services.edit_post(current_user, fair.id, post.id, form.post_data(),
                                    version=form.version.data or None, key=request.form.get("key") or None)
            return action_done(_("Changes saved."), url_for("floor.post_detail", slug=slug, post_id=post.id))
    return _render_form(fair, form, post)


def _post_action(slug: str, post_id: int, action: Any, done: str) -> Any:
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
    else:
        action(current_user, current_user.fair_id, post_id, version=request.form.get("version", type=db_int))
        flash(done, "success")
    return redirect(url_for("floor.post_detail", slug=slug, post_id=post_id), 303)


@bp.post("/posts/<int:post_id>/withdraw")
@login_required
@refusal_back_to("floor.post_detail")
def post_withdraw(slug: str, post_id: int) -> Any:
    return _post_action(slug, post_id, post_services.withdraw_post, _("Post withdrawn."))


@bp.post("/posts/<int:post_id>/taken")
@login_required
@refusal_back_to("floor.post_detail")
def post_taken(slug: str, post_id: int) -> Any:
    return _post_action(slug, post_id, post_services.mark_post_taken, _("Marked as taken."))


@bp.post("/posts/<int:post_id>/renew")
@login_required
@refusal_back_to("floor.post_detail")
def post_renew(slug: str, post_id: int) -> Any:
    """A standing offer or need between fairs: it lasts STANDING_POST_DAYS more from now."""
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("floor.my_posts", slug=slug), 303)
    post = post_services.renew_post(current_user, current_user.fair_id, post_id)
    flash(_("Renewed: the post stands until %(date)s.", date=format_date(post.expires_at, "long")), "success")
    return redirect(url_for("floor.my_posts", slug=slug), 303)


@bp.post("/posts/<int:post_id>/hide")
@organiser_required
@refusal_back_to("floor.post_detail")
def post_hide(slug: str, post_id: int) -> Any:
    form = HidePostForm()
    if form.validate_on_submit():
        post_services.hide_post(current_user, current_user.fair_id, post_id, form.reason.data)
        flash(_("The post is hidden from the board."), "success")
    else:
        flash(_("Say why the post is hidden."), "error")
    return redirect(url_for("floor.post_detail", slug=slug, post_id=post_id), 303)


@bp.post("/posts/<int:post_id>/restore")
@organiser_required
@refusal_back_to("floor.post_detail")
def post_restore(slug: str, post_id: int) -> Any:
    if ConfirmForm().validate_on_submit():
        post_services.restore_post(current_user, current_user.fair_id, post_id)
        flash(_("The post is back on the board."), "success")
    return redirect(url_for("floor.post_detail", slug=slug, post_id=post_id), 303)


@bp.get("/my-posts")
@login_required
def my_posts(slug: str) -> Any:
    return render_template("floor/my_posts.html", fair=current_user.fair,
                           posts=organisation_posts(current_user.organisation_id, live_only=False),
                           confirm=ConfirmForm())
