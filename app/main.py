"""Site-wide pages: the list of fairs and the language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from sqlalchemy import select

from app.extensions import db
from app.fair.models import Fair

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> Any:
    fairs = db.session.scalars(select(Fair).order_by(Fair.starts_at.desc(), Fair.id.desc())).all()
    return render_template("index.html", fairs=fairs)


@bp.get("/lang/<code>")
def set_language(code: str) -> Any:
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")))  # every switch link carries next=


def safe_next(target: str | None) -> str:
    """A same-site path to go back to; anything pointing elsewhere goes home."""
    parts = urlsplit(target or "")
    if parts.netloc and parts.netloc != request.host:
        return url_for("main.index")
    path = parts.path or url_for("main.index")
    if not path.startswith("/") or path.startswith("//"):
        return url_for("main.index")
    return path + (f"?{parts.query}" if parts.query else "")
