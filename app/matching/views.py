"""Matching's pages and API: "matches for you" (each of our live posts with the posts that answer
it, and why), the organisers' synonym groups, and the ranked matches of one post as JSON."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import Length

from app.core.errors import NotFound
from app.core.extensions import csrf
from app.core.web.formfields import Form
from app.core.web.refusals import refusal_flashed
from app.core.web.urls import public_page_url
from app.fairs.access import login_required, organiser_required
from app.fairs.categories import category_label
from app.fairs.fairs import get_fair
from app.fairs.roles import Role
from app.floor.board import organisation_posts
from app.floor.queries import find_post
from app.matching import synonyms as synonym_services
from app.matching.ranking import Suggestion, suggestions_for, suggestions_for_posts

bp = Blueprint("matching", __name__, url_prefix="/f/<slug>")
api = Blueprint("matching_api", __name__, url_prefix="/api")
csrf.exempt(api)

PER_POST = 5  # matches shown under each of our posts
API_LIMIT = 20


class SynonymsForm(Form):
    text = TextAreaField(_l("Synonym groups"), [Length(max=synonym_services.MAX_GROUPS * synonym_services.MAX_LINE)])


@bp.get("/matches")
@login_required
def matches(slug: str) -> Any:
    mine = organisation_posts(current_user.organisation_id)
    found = suggestions_for_posts(mine, PER_POST)
    return render_template("matching/matches.html", fair=current_user.fair,
                           rows=[(post, found.get(post.id, [])) for post in mine], has_posts=bool(mine))


@bp.route("/admin/synonyms", methods=["GET", "POST"])
@organiser_required
def synonyms(slug: str) -> Any:
    fair = current_user.fair
    form = SynonymsForm()
    if form.validate_on_submit():
        with refusal_flashed():
            groups = synonym_services.set_synonyms(current_user, fair.id, form.text.data or "")
            flash(_("Synonyms saved: %(n)s groups.", n=len(groups)), "success")
            return redirect(url_for("matching.synonyms", slug=slug), 303)
    elif not form.is_submitted():
        form.text.data = synonym_services.groups_text(fair.id)
    return render_template("matching/synonyms.html", fair=fair, form=form), 422 if form.is_submitted() else 200


# --- the API ---------------------------------------------------------------------------------------

def _match(slug: str, s: Suggestion) -> dict[str, Any]:
    post = s.post
    return {"score": s.score, "shared": s.shared,
            "post": {"id": post.id, "kind": post.kind.value, "title": post.title, "details": post.details,
                     "category": category_label(post.category), "quantity": post.quantity,
                     "unit": post.unit.value if post.unit else None, "organisation": post.organisation.name,
                     "url": public_page_url("floor.post_detail", slug=slug, post_id=post.id)}}


@api.get("/fairs/<slug>/posts/<int:post_id>/matches")
def post_matches(slug: str, post_id: int) -> Any:
    """As the post's page shows it: a hidden post is there for the fair's organisers only."""
    fair = get_fair(slug)
    post = find_post(fair.id, post_id)
    organiser = (current_user.is_authenticated and current_user.fair_id == fair.id
                 and current_user.role == Role.ORGANISER)
    if post is None or (post.hidden_at is not None and not organiser):
        raise NotFound(_l("This post does not exist."), code="post_not_found")
    found = suggestions_for(post, API_LIMIT)
    return {"post": {"id": post.id, "kind": post.kind.value, "title": post.title},
            "matches": [_match(fair.slug, s) for s in found]}


_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
OPENAPI_PATHS: dict[str, Any] = {
    "/api/fairs/{slug}/posts/{post_id}/matches": {"get": {
        "summary": "The posts that answer this one, best first: offers for a need, needs for an offer, "
                   "of other organisations, live on the fair's board.",
        "description": "Ranked by BM25 over the posts' lemmatised Polish title and details, widened by the "
                       "fair's synonym groups, a Polish thesaurus and spelling neighbours; the same category "
                       "doubles the score. At most 20. Visible as the post's own page is: a hidden post is "
                       "found by the fair's organisers only.",
        "parameters": [
            {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "post_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {
            "200": {"description": "The ranked matches.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostMatches"}}}},
            "404": {"description": "No such fair (fair_not_found), or no such post at it, or a hidden one "
                                   "(post_not_found).", "content": _PROBLEM}}}},
}
OPENAPI_SCHEMAS: dict[str, Any] = {
    "PostMatches": {"type": "object", "required": ["post", "matches"], "properties": {
        "post": {"type": "object", "required": ["id", "kind", "title"], "properties": {
            "id": {"type": "integer"}, "kind": {"enum": ["offer", "need"]}, "title": {"type": "string"}}},
        "matches": {"type": "array", "items": {"$ref": "#/components/schemas/PostMatch"}}}},
    "PostMatch": {"type": "object", "required": ["score", "shared", "post"], "properties": {
        "score": {"type": "number", "description": "Higher is better; comparable within one answer only."},
        "shared": {"type": "array", "items": {"type": "string"},
                   "description": "What explains the match: the terms both posts have (lemmas, e.g. 'sala'), "
                                  "or this post's term and the other's it answers ('rzutnik/projektor')."},
        "post": {"type": "object", "required": ["id", "kind", "title", "details", "category", "organisation",
                                                "url"], "properties": {
            "id": {"type": "integer"}, "kind": {"enum": ["offer", "need"]}, "title": {"type": "string"},
            "details": {"type": "string"}, "category": {"type": "string"},
            "quantity": {"type": ["integer", "null"]}, "unit": {"type": ["string", "null"]},
            "organisation": {"type": "string"}, "url": {"type": "string"}}}}},
}
