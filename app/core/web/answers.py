"""How a form's action that went through is answered, on a page and to a phone's queue.

A page sends the form and gets a redirect (303) to where the result is shown, with the message
flashed there. A phone's queue of actions kept while offline (static/js/offline.js) sends the
same form with `Accept: application/json`, perhaps long after the page was left: it gets the
message, in the person's language, and the address of the result as JSON, and nothing is
flashed (no later page shows it out of place). A refusal is a problem document
(app/core/web/refusals.py); a form the server could not accept is one too (`form_refused`).
"""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from app.core.errors import ValidationError, wants_json


def action_done(message: str, location: str, category: str = "success") -> Response:
    """The action went through: a page is sent to `location` with `message`; a request for JSON
    gets {ok, message, category, location}."""
    if wants_json():
        return jsonify(ok=True, message=message, category=category, location=location)
    flash(message, category)
    return redirect(location, 303)


def form_refused(errors: dict[str, Any]) -> None:
    """A request for JSON whose form did not validate: refused with its fields' messages (a page
    shows them by their fields instead, so this does nothing for a page)."""
    if not wants_json():
        return
    messages: list[str] = []
    for value in errors.values():
        for message in value if isinstance(value, list) else [value]:
            if isinstance(message, dict):  # a subform's errors
                messages.extend(str(m) for ms in message.values() for m in ms)
            elif str(message) not in messages:
                messages.append(str(message))
    raise ValidationError(" ".join(messages) or _l("The form has expired. Please try again."),
                          code="form_invalid")
