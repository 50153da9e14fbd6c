"""Who is logged in: Flask-Login's loader and where an anonymous visitor is sent."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.core.errors import wants_json
from app.core.extensions import db
from app.people.models import Participant

# The person of a request with their fair, in one statement: nearly every page of a fair asks for
# both (app/fairs/access.py `fair_or_404` takes the fair from here when it is theirs).
_WITH_FAIR = (select(Participant).options(joinedload(Participant.fair))
              .where(Participant.id == bindparam("id")))


def parse_user_id(user_id: Any) -> tuple[int, int] | None:
    """(participant id, login version) from Flask-Login's id of a participant, "<id>:<version>"
    (Participant.get_id); None for anything else."""
    if not isinstance(user_id, str):
        return None
    try:
        pid, version = (int(x) for x in user_id.split(":", 1))
    except ValueError:
        return None
    return pid, version


def init_auth(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load(user_id: str) -> Participant | None:
        login = parse_user_id(user_id)
        if login is None:
            return None
        pid, version = login
        person = db.session.scalar(_WITH_FAIR, {"id": pid})
        if person is None or person.login_version != version or not person.is_active:
            return None
        return person

    @login_manager.unauthorized_handler
    def _unauthorised() -> Any:
        slug = (request.view_args or {}).get("slug")
        if request.path.startswith("/api/") or wants_json():  # the API, a phone's queue: no login page
            abort(401)
        if slug:
            return redirect(url_for("people.login", slug=slug, next=request.full_path))
        return redirect(url_for("main.index"))
