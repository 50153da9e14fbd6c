"""A notice's text in every language of the app: a phone shows its own language's (notices.js),
and a notice is written once, in a background task that has no reader's language."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale


def in_every_language(render: Callable[[], object]) -> dict[str, str]:
    texts = {}
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            texts[lang] = str(render())
    return texts
