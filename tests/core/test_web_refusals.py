"""How a refused service call is answered (app/core/web/refusals.py): flashed and back to a page, the
form shown again with what was typed, the error page, or a problem document for the API."""

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, render_template_string, request
from flask.testing import FlaskClient

from app.core.errors import Conflict, ValidationError
from app.core.web.refusals import refusal_back_to, refusal_flashed

REFUSED = "Refused here."


@pytest.fixture
def pages(app: Flask) -> Iterator[None]:
    """A page, an action that leads back to it, a form, and a page that lets a refusal through."""

    @app.get("/t/<int:thing>")
    def t_page(thing: int) -> str:
        return f"page {thing}"

    @app.post("/t/<int:thing>/act/<int:other>")
    @refusal_back_to("t_page")
    def t_act(thing: int, other: int) -> Any:
        raise Conflict(REFUSED, code="t_refused")

    @app.post("/t/form")
    def t_form() -> Any:
        typed = request.form["name"]
        with refusal_flashed() as refusal:
            if typed == "bad":
                raise ValidationError(REFUSED, code="t_invalid")
            return "saved"
        return render_template_string('<input name="name" value="{{ typed }}">', typed=typed), refusal.status()

    @app.get("/t/missing")
    def t_missing() -> Any:
        raise Conflict(REFUSED, code="t_refused")

    app.config["WTF_CSRF_ENABLED"] = False
    yield


def flashes(client: FlaskClient) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_a_refused_action_goes_back_to_its_page_with_the_message(pages: None, client: FlaskClient) -> None:
    r = client.post("/t/7/act/9")
    assert r.status_code == 303
    assert r.headers["Location"] == "/t/7"  # the page's own values only: no `other` in a query string
    assert flashes(client) == [("error", REFUSED)]


def test_a_refused_form_is_shown_again_with_what_was_typed(pages: None, client: FlaskClient) -> None:
    r = client.post("/t/form", data={"name": "bad"})
    assert r.status_code == 422
    assert r.get_data(as_text=True) == '<input name="name" value="bad">'
    assert flashes(client) == [("error", REFUSED)]

    r = client.post("/t/form", data={"name": "good"})
    assert (r.status_code, r.get_data(as_text=True)) == (200, "saved")


def test_a_refusal_that_leaves_an_unmarked_page_is_the_error_page(pages: None, client: FlaskClient) -> None:
    r = client.get("/t/missing")
    assert r.status_code == 409 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert REFUSED in page and "t_refused" in page
    assert flashes(client) == []


def test_asked_for_json_a_refusal_is_a_problem_document(pages: None, client: FlaskClient) -> None:
    for r in (client.post("/t/7/act/9", headers={"Accept": "application/json"}),
              client.get("/t/missing", headers={"Accept": "application/json"})):
        assert r.status_code == 409 and r.mimetype == "application/problem+json"
        assert r.json == {"ok": False, "code": "t_refused", "message": REFUSED}
    assert flashes(client) == []


def test_the_api_answers_a_refusal_with_a_problem_in_the_users_language(client: FlaskClient) -> None:
    r = client.get("/api/fairs/nope/stats")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    assert r.json == {"ok": False, "code": "fair_not_found", "message": "Nie ma giełdy o takim adresie."}

    r = client.get("/api/fairs/nope/stats?lang=en")
    assert r.json == {"ok": False, "code": "fair_not_found", "message": "There is no fair with this address."}
