"""Polish first, English second: locale from the user's choice, else Polish."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale
from wtforms.i18n import messages_path

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


@functools.cache
def _wtforms_catalogue(locale: str) -> NullTranslations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' own messages ("Not a valid choice.") in the current language, from one catalogue
    per language kept for the life of the process. Flask-WTF reads and parses WTForms' catalogue
    file again for every request that builds a form unless the request already holds one (its
    `request.wtforms_translations`), which `init_i18n` gives every request."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = WTFormsMessages()


def init_i18n(app: Flask, babel: Babel) -> None:

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "translations"),
        default_timezone=LOCAL_ZONE.key,
    )

    @app.before_request
    def _wtforms_messages() -> None:
        request.wtforms_translations = WTFORMS_MESSAGES  # type: ignore[attr-defined]  # Flask-WTF's name


def to_utc(value: datetime | None) -> datetime | None:
    """A local time typed in a form -> an aware UTC time."""
    return value.replace(tzinfo=LOCAL_ZONE).astimezone(UTC) if value else None


def to_local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_ZONE).replace(tzinfo=None) if value else None
