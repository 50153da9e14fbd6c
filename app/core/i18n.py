"""Polish first, English second: locale from the user's choice, else Polish."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, Domain, get_locale
from jinja2.runtime import Context
from jinja2.utils import pass_context
from markupsafe import Markup
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
        return _for_request("gielda_wtforms", _request_wtforms_catalogue).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _for_request("gielda_wtforms", _request_wtforms_catalogue).ungettext(singular, plural, n)


def _request_wtforms_catalogue() -> NullTranslations:
    return _wtforms_catalogue(str(get_locale()))


def _for_request(name: str, find: Callable[[], NullTranslations]) -> NullTranslations:
    """`find()`'s catalogue, kept for the rest of the request in Flask-Babel's per-request
    namespace (`g._flask_babel`) beside the locale it was found for (`babel_locale`), and found
    again when another locale is in force: `force_locale` (a PDF in Polish from an English page)
    and `refresh()` replace or remove `babel_locale`."""
    try:
        state = g._flask_babel
        locale, found = getattr(state, name)
        if locale is state.babel_locale:
            return found
    except (AttributeError, RuntimeError):  # no request state yet, no app context
        pass
    found = find()
    state = getattr(g, "_flask_babel", None) if g else None
    if state is not None and getattr(state, "babel_locale", None) is not None:
        setattr(state, name, (state.babel_locale, found))
    return found


WTFORMS_MESSAGES = WTFormsMessages()


class RequestDomain(Domain):
    """Flask-Babel's domain, with the catalogue found once per request.

    Flask-Babel looks up the request's context, its domain, its locale and then the catalogue for
    every string it translates — about 10 µs a string from a template, several times what the
    translation itself costs, and a page shows dozens. This domain finds it once per request
    (and again when the locale in force changes: `_for_request`)."""

    def get_translations(self) -> NullTranslations:
        return _for_request("gielda_translations", super().get_translations)


class FastBabel(Babel):
    """Babel whose domain is a `RequestDomain`."""

    @cached_property
    def domain_instance(self) -> Domain:
        return RequestDomain(domain=self.domain)


@pass_context
def _template_gettext(context: Context, string: str, **variables: Any) -> str:
    """Jinja's new-style `gettext` (`_()` in templates), as jinja2.ext makes it: the translation,
    marked safe when the template autoescapes, then always formatted with `%` (so `%%` is a
    percent sign). A string without variables gives the same text every time, so that text is
    kept per catalogue: formatting a Markup costs several times the lookup."""
    translations = _translations()
    if variables:
        found = translations.ugettext(string)
        return (Markup(found) if context.eval_ctx.autoescape else found) % variables
    plain: dict[tuple[str, bool], str] = translations.__dict__.setdefault("gielda_plain", {})
    key = (string, context.eval_ctx.autoescape)
    text = plain.get(key)
    if text is None:
        found = translations.ugettext(string)
        text = plain[key] = (Markup(found) if key[1] else found) % {}
    return text


def _translations() -> NullTranslations:
    """The request's catalogue, straight from the app's domain (Flask-Babel's own callables look
    the domain up in the request first)."""
    babel: Babel = current_app.extensions["babel"].instance
    return babel.domain_instance.get_translations()


def init_i18n(app: Flask, babel: Babel) -> None:

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "translations"),
        default_timezone=LOCAL_ZONE.key,
    )

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n's
        gettext=lambda s: _translations().ugettext(s),  # wrapped by Jinja, then replaced just below
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.globals["gettext"] = _template_gettext  # `_()` resolves "gettext": no Markup % {} each time

    @app.before_request
    def _wtforms_messages() -> None:
        request.wtforms_translations = WTFORMS_MESSAGES  # type: ignore[attr-defined]  # Flask-WTF's name


def to_utc(value: datetime | None) -> datetime | None:
    """A local time typed in a form -> an aware UTC time."""
    return value.replace(tzinfo=LOCAL_ZONE).astimezone(UTC) if value else None


def to_local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_ZONE).replace(tzinfo=None) if value else None
