"""What a request may carry (app/core/web/inputs.py): integers the database can hold, no control
characters, secrets compared as bytes; each refusal a clear 4xx in Polish."""

import pytest

from app.core.web.inputs import DB_INT_MAX, db_int, db_int_or_none, forbidden_character, same_secret
from app.floor.models import Post


def text(r):
    return r.get_data(as_text=True)


@pytest.mark.parametrize(("raw", "expected"), [
    ("0", 0), ("42", 42), (" 7 ", 7), ("-3", -3), ("+5", 5), (str(DB_INT_MAX), DB_INT_MAX),
    (str(-(2**31)), -(2**31)),
])
def test_db_int_reads_whole_numbers_of_the_integer_range(raw, expected):
    assert db_int(raw) == expected


@pytest.mark.parametrize("raw", [
    "2147483648", "-2147483649", "9223372036854775808", "1" + "0" * 40, "1e30", "1.5", "1_000", "١٢٣",
    "１２", "", " ", "abc", "NaN", None, 5,
])
def test_db_int_refuses_everything_else(raw):
    with pytest.raises(ValueError):
        db_int(raw)
    assert db_int_or_none(raw) is None


def test_same_secret_compares_any_text_without_raising():
    assert same_secret("abc", "abc")
    assert not same_secret("abd", "abc")
    assert not same_secret("Żółć ☃", "abc")  # hmac.compare_digest on str raised TypeError here
    assert not same_secret("\ud800", "abc")
    assert not same_secret(None, "abc") and not same_secret(["abc"], "abc")


def test_forbidden_characters():
    assert forbidden_character(["a\x00b"]) and forbidden_character(["\x1b[31m"]) and forbidden_character(["\ud800"])
    assert forbidden_character([{"nested": ["ok", {"deeper": "\x07"}]}])
    assert forbidden_character([{"key\x00": "value"}])
    assert not forbidden_character(["Żółć\tZdanie\r\ndrugie ☃ \u202e", 5, None, {"a": [1.5]}])


@pytest.mark.parametrize("post_id", ["2147483648", "9223372036854775808", "1" + "0" * 40, "١٢٣", "-1"])
def test_ids_in_urls_beyond_the_database_range_are_a_plain_404(client, trading_fair, post_id):
    r = client.get(f"/f/{trading_fair.slug}/posts/{post_id}")
    assert r.status_code == 404
    assert "Ta strona nie istnieje." in text(r)


def test_the_largest_id_still_routes(client, trading_fair):
    r = client.get(f"/f/{trading_fair.slug}/posts/{DB_INT_MAX}")
    assert r.status_code == 404  # routed to the view, which finds no such post


def test_nul_in_a_query_is_refused_in_polish(client, trading_fair):
    r = client.get(f"/f/{trading_fair.slug}/board?q=a%00b")
    assert r.status_code == 400
    assert "Żądanie zawiera znaki sterujące (np. bajt NUL)" in text(r)
    r = client.get(f"/f/{trading_fair.slug}/board?q=a%00b", headers={"Accept": "application/json"})
    assert r.status_code == 400
    assert r.json["code"] == "http_400" and "znaki sterujące" in r.json["message"]


def test_the_refusal_speaks_english_to_an_english_user(client, trading_fair):
    r = client.get(f"/f/{trading_fair.slug}/board?lang=en&q=%1b")
    assert r.status_code == 400
    assert "The request contains control characters" in text(r)


def test_control_characters_in_a_form_are_refused_and_nothing_is_saved(client, trading_fair, category,
                                                                        make_participant, login):
    from app.core.extensions import db

    login(make_participant())
    r = client.post(f"/f/{trading_fair.slug}/posts/new",
                    data={"kind": "offer", "category_id": category(), "title": "Sala\x00na 30 osób", "unit": ""})
    assert r.status_code == 400 and "znaki sterujące" in text(r)
    r = client.post(f"/f/{trading_fair.slug}/posts/new",
                    data={"kind": "offer", "category_id": category(), "ti\x00tle": "Sala", "unit": ""})
    assert r.status_code == 400
    assert db.session.query(Post).count() == 0
    r = client.post(f"/f/{trading_fair.slug}/posts/new", data={
        "kind": "offer", "category_id": category(), "title": "Sala\tna 30 osób", "details": "Rzutnik,\r\nnagłośnienie",
        "unit": ""})
    assert r.status_code == 303  # tab and line breaks are text like any other


def test_control_characters_in_a_json_body_are_refused(client, trading_fair):
    r = client.post(f"/f/{trading_fair.slug}/logout", json={"note": ["ok", "a\u0000b"]})
    assert r.status_code == 400
    r = client.post(f"/f/{trading_fair.slug}/logout", data='{"note": "\\ud800"}',
                    content_type="application/json")
    assert r.status_code == 400


@pytest.mark.parametrize("token", ["Żółć", "☃" * 30, "a\u202eb"])
def test_a_non_ascii_display_token_is_a_404(client, trading_fair, token):
    assert client.get(f"/f/{trading_fair.slug}/screen/{token}").status_code == 404
    assert client.get(f"/f/{trading_fair.slug}/screen/{token}/results").status_code == 404


def test_other_http_errors_are_translated(app, client):
    from flask import abort

    app.add_url_rule("/_unsupported", "unsupported", lambda: abort(415))
    r = client.get("/_unsupported")
    assert r.status_code == 415
    assert "Nie udało się zrozumieć żądania." in text(r) and "Unsupported Media Type" not in text(r)


def test_opening_balances_file_with_nul_is_refused(client, trading_fair, organiser, login):
    import io

    login(organiser)
    data = b"organizacja;punkty;opis\nFundacja\x00;10;start\n"
    r = client.post(f"/f/{trading_fair.slug}/admin/points/import",
                    data={"key": "0" * 32, "file": (io.BytesIO(data), "salda.csv")})
    assert r.status_code == 422
    assert "Plik zawiera znaki sterujące (np. bajty NUL)" in text(r)
