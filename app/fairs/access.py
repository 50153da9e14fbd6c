"""Which fair a page belongs to, and who may open it: the role decorators for views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort, current_app, g
from flask_login import current_user

from app.fairs.models import Fair
from app.fairs.queries import fair_by_slug
from app.fairs.roles import Role

F = TypeVar("F", bound=Callable[..., Any])


def fair_or_404(slug: str) -> Fair:
    """The fair of this slug (404 if there is none): the logged-in person's own, loaded with
    them (app/people/auth.py), or looked up."""
    user = current_user
    mine = user.fair if user.is_authenticated else None
    fair = mine if mine is not None and mine.slug == slug else fair_by_slug(slug)
    if fair is None:
        abort(404)
    g.fair = fair
    return fair


def roles_required(*roles: Role) -> Callable[[F], F]:
    """The view's `slug` fair must be the logged-in person's fair, and their role one of these."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:

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
