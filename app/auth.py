"""Sessions (Flask-Login) and the role checks every page and action goes through."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, abort, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from app.extensions import db
from app.fair.models import Fair, Participant
from app.fair.sectors import Role

F = TypeVar("F", bound=Callable[..., Any])


def init_auth(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_message = _l("Please log in to see this page.")  # type: ignore[assignment]
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load(user_id: str) -> Participant | None:
        try:
            pid, version = (int(x) for x in user_id.split(":", 1))
        except ValueError:
            return None
        person = db.session.get(Participant, pid)
        if person is None or person.login_version != version or not person.is_active:
            return None
        return person

    @login_manager.unauthorized_handler
    def _unauthorised() -> Any:
        slug = (request.view_args or {}).get("slug")
        if request.path.startswith("/api/"):
            abort(401)
        if slug:
            return redirect(url_for("fair.login", slug=slug, next=request.full_path))
        return redirect(url_for("main.index"))


def fair_or_404(slug: str) -> Fair:
    fair = db.session.query(Fair).filter_by(slug=slug).one_or_none()
    if fair is None:
        abort(404)
    g.fair = fair
    return fair


def roles_required(*roles: Role) -> Callable[[F], F]:
    """The view's `slug` fair must be the logged-in person's fair, and their role one of these."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from flask import current_app

            fair = fair_or_404(kwargs["slug"])
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if current_user.fair_id != fair.id or (roles and current_user.role not in roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorator


login_required = roles_required()
staff_required = roles_required(Role.NOTARY, Role.ORGANISER)
organiser_required = roles_required(Role.ORGANISER)
