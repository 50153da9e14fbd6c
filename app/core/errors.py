"""Domain errors with stable machine codes, and how each channel presents them."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, jsonify, make_response, render_template, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A refused operation. `code` is stable for machines; `message` is for people."""

    status: int = 400

    def __init__(
        self,
        message: str | LazyString,
        code: str,
        status: int | None = None,
        **details: Any,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        if status is not None:
            self.status = status
        self.details = details

    def __str__(self) -> str:
        return str(self.message)

    def as_problem(self) -> dict[str, Any]:
        """RFC 9457-style problem document for the JSON API and socket acks."""
        body: dict[str, Any] = {"ok": False, "code": self.code, "message": str(self.message)}
        if self.details:
            body["details"] = self.details
        return body


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class ValidationError(DomainError):
    status = 422


PROBLEM_JSON = "application/problem+json"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def problem_response(body: dict[str, Any], status: int) -> Response:
    """A problem document (RFC 9457's media type) with this status."""
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


BUSY_RETRY_AFTER = 5  # seconds, in the Retry-After of a 503 when the database connections are all busy


def register_error_handlers(app: Flask) -> None:
    """HTTP errors and crashes; a refused service call (a DomainError) is answered by
    app/core/web/refusals.py."""

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException) -> Any:
        messages = {
            400: _l("The request could not be understood."),
            401: _l("Please log in to see this page."),
            403: _l("You do not have access to this page."),
            404: _l("This page does not exist."),
            405: _l("This action is not allowed here."),
            413: _l("The file is too large."),
            414: _l("The address is too long."),
            429: _l("Too many attempts. Please wait a moment and try again."),
            431: _l("The request is too large."),
        }
        # Our own HTTP errors carry a translated description; Werkzeug's are English.
        status = err.code or 500
        if isinstance(err.description, LazyString):
            message = err.description
        elif status in messages or status < 500:
            message = messages.get(status, messages[400])
        else:
            message = err.description or ""
        code = f"http_{status}"
        if isinstance(err, CSRFError):  # an expired token, or a form sent from another site
            message = _l("This form could not be accepted: it has expired or it was sent from another site. "
                         "Reload the page and try again.")
            code = "csrf_refused"
        if wants_json():
            return problem_response({"ok": False, "code": code, "message": str(message)}, status)
        return render_template("error.html", message=message, code=code), err.code

    @app.errorhandler(PoolTimeout)
    def _busy(err: PoolTimeout) -> Any:
        """Every database connection of this process stayed busy for the pool's whole timeout
        (a hall's burst beyond what the deployment was sized for): nothing was done, say so and
        when to try again, rather than a crash."""
        app.logger.warning("Database connections exhausted: answered 503 (%s)", err)
        message = _l("The fair's server is very busy right now. Nothing was saved; please try again "
                     "in a few seconds.")
        if wants_json():
            response = problem_response({"ok": False, "code": "server_busy", "message": str(message)}, 503)
        else:
            # The page is rendered without the database it could not get: as for nobody logged in
            # (Flask-Login would load the person for every template), and of no fair.
            g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
            response = make_response(render_template("error.html", message=message, code="server_busy"), 503)
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response

    @app.errorhandler(500)
    def _server_error(err: Exception) -> Any:
        message = _l("Something went wrong on our side. Nothing was saved half-way; please try again.")
        if wants_json():
            return problem_response({"ok": False, "code": "server_error", "message": str(message)}, 500)
        return render_template("error.html", message=message, code="server_error"), 500
