"""How pages and the API answer a refused service call (a DomainError): in one place.

Views parse, call a service, render; they do not catch refusals one by one:

* A form page runs the call, and what follows it on success, inside `with refusal_flashed():`.
  A refusal is flashed and the block left; the view goes on to render the form again with what
  the user typed (the block's `Refusal` holds the error, and the status it asks for). A page
  that shows the refusal in place (the check-in desk, the import preview) uses `refusal_kept()`.
* An action that leads back to a page names that page with `@refusal_back_to(endpoint)`. A
  refusal leaving the view is flashed by the handler registered here, which redirects (303) to
  the endpoint with the view's own URL values (browsers send no Referer to go back to: the
  Referrer-Policy is no-referrer).
* A request for JSON (the phone's queue of actions kept while offline) gets the refusal of a
  form page as a problem document too: `refusal_flashed` lets it leave the view.
* Anything else reaching the handler (an unknown or foreign id, a missing role) is answered
  with the error page and the error's status; a request for JSON (the API, `/api/...`) with a
  problem document (application/problem+json) whose code and message, in the user's language,
  are the error's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.core.errors import DomainError, problem_response, wants_json

V = TypeVar("V", bound=Callable[..., Any])
BACK_TO = "refusal_back_to"  # the attribute `refusal_back_to` puts on a view


def flash_refusal(err: DomainError) -> None:
    flash(str(err.message), "error")


@dataclass
class Refusal:
    """What `refusal_flashed` caught: no error while the call went through."""

    error: DomainError | None = None

    def status(self, otherwise: int = 200) -> int:
        """The refusal's status, or `otherwise` when there was none."""
        return self.error.status if self.error is not None else otherwise


@contextmanager
def refusal_flashed() -> Iterator[Refusal]:
    """Run a service call in the block; a refusal leaves the block flashed, kept in the yielded
    `Refusal`, and the view goes on after the block. A request for JSON (a phone's queue of
    actions kept while offline, static/js/offline.js) has no page to flash it on: the refusal
    leaves the view, to be answered with a problem document."""
    with refusal_kept() as refusal:
        yield refusal
    if refusal.error is not None:
        if wants_json():
            raise refusal.error
        flash_refusal(refusal.error)


@contextmanager
def refusal_kept() -> Iterator[Refusal]:
    """As `refusal_flashed`, for a page that shows the refusal itself: nothing is flashed."""
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as err:
        refusal.error = err


def refusal_back_to(endpoint: str) -> Callable[[V], V]:
    """Mark a view: a refusal leaving it is flashed and redirects to `endpoint`."""

    def mark(view: V) -> V:
        setattr(view, BACK_TO, endpoint)
        return view

    return mark


def _back_to(endpoint: str) -> Response:
    needed: set[str] = set()
    for rule in current_app.url_map.iter_rules(endpoint):
        needed |= rule.arguments
    values = {k: v for k, v in (request.view_args or {}).items() if k in needed}
    return redirect(url_for(endpoint, **values), 303)


def answer_refusal(err: DomainError) -> Any:
    """The one answer to a refusal that left its view."""
    if wants_json():
        return problem_response(err.as_problem(), err.status)
    view = current_app.view_functions.get(request.endpoint or "")
    endpoint = getattr(view, BACK_TO, None)
    if endpoint is not None:
        flash_refusal(err)
        return _back_to(endpoint)
    return render_template("error.html", message=err.message, code=err.code), err.status


def register_refusal_handler(app: Flask) -> None:
    app.register_error_handler(DomainError, answer_refusal)
