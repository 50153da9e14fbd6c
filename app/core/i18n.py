"""Polish first, English second: locale from the user's choice, else Polish."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel

from app.core.paths import ROOT

# The fairs this app runs are in Poland: forms take, and pages, files and reports show, this time.
LOCAL_ZONE = ZoneInfo("Europe/Warsaw")


def select_locale() -> str:

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    chosen = request.args.get("lang")
    if chosen in languages:
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def init_i18n(app: Flask, babel: Babel) -> None:

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "translations"),
        default_timezone=LOCAL_ZONE.key,
    )


def to_utc(value: datetime | None) -> datetime | None:
    """A local time typed in a form -> an aware UTC time."""
    return value.replace(tzinfo=LOCAL_ZONE).astimezone(UTC) if value else None


def to_local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_ZONE).replace(tzinfo=None) if value else None
