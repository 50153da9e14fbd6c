"""A participant's public card, opened by scanning their badge: who they are and what they post."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.fairs.categories import category_label
from app.floor.board import organisation_posts
from app.people.queries import participant_by_badge

cards = Blueprint("cards", __name__)


@cards.get("/p/<badge_code>")
def card(badge_code: str) -> Any:
    person = participant_by_badge(badge_code.upper())
    if person is None:
        abort(404)
    viewer = current_user if current_user.is_authenticated else None
    posts = organisation_posts(person.organisation_id)
    return render_template("floor/card.html", fair=person.fair, person=person, viewer=viewer, posts=posts,
                           category_names={p.category_id: category_label(p.category) for p in posts})
