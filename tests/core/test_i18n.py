"""Polish first, English second."""

from flask import render_template_string
from flask_babel import force_locale, gettext, refresh
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from scripts.translations import missing, stale


def test_every_source_string_has_a_polish_translation():
    assert missing("pl") == []


def test_no_translation_is_left_behind_by_a_change_of_wording():
    assert stale("pl") == []  # `python scripts/translations.py drop-stale` removes them


def test_pages_are_polish_by_default(client, fair):
    body = client.get(f"/f/{fair.slug}/login").get_data(as_text=True)
    assert "Zaloguj" in body and 'lang="pl"' in body


def test_english_switch(client, fair):
    r = client.get(f"/lang/en?next=/f/{fair.slug}/login")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/f/{fair.slug}/login")
    body = client.get(f"/f/{fair.slug}/login").get_data(as_text=True)
    assert "Log in with password" in body and 'lang="en"' in body


def test_language_switch_refuses_foreign_redirect(client):
    r = client.get("/lang/en?next=https://evil.example.org/x")
    assert r.headers["Location"] in ("/", "http://gielda.test/")


def test_domain_error_message_is_translated(client, fair, make_participant):
    p = make_participant()
    wrong = "000000" if p.pin != "000000" else "111111"
    r = client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": p.badge_code, "pin-pin": wrong})
    assert "Kod identyfikatora lub PIN jest nieprawidłowy albo" in r.get_data(as_text=True)


def test_api_problem_in_english_when_asked(client):
    client.get("/lang/en")
    assert client.get("/api/fairs/nope/stats").json["message"] == "There is no fair with this address."


def test_wtforms_own_messages_follow_each_requests_language(app):
    class Pick(FlaskForm):
        pick = SelectField(choices=[SelectChoice("a", "A")])

    errors = {}
    for lang in ("en", "pl", "en"):  # one catalogue per language, kept: never the last request's
        with app.app_context(), app.test_request_context(f"/?lang={lang}", method="POST", data={"pick": "z"}):
            app.preprocess_request()  # what every request gets first (app/core/i18n.py)
            form = Pick(meta={"csrf": False})
            assert not form.validate()
            errors.setdefault(lang, set()).add(str(form.errors["pick"][0]))
    assert errors["en"] == {"Not a valid choice."}
    assert errors["pl"] == {"Nieprawidłowy wybór"}


def test_force_locale_switches_the_catalogue_within_a_request(app):
    """The catalogue kept per request follows force_locale (a Polish PDF from an English page)
    and comes back with the request's language after it."""
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context may keep an earlier request's locale
        assert gettext("Rooms") == "Rooms"
        with force_locale("pl"):
            assert gettext("Rooms") == "Sale i pomieszczenia"
            assert render_template_string("{{ _('Rooms') }}") == "Sale i pomieszczenia"
        assert gettext("Rooms") == "Rooms"
        assert render_template_string("{{ _('Rooms') }}") == "Rooms"


def test_templates_translate_as_jinjas_new_style_gettext(app):
    """`%%` is a percent sign, variables are escaped, and the same string twice gives the same."""
    with app.test_request_context("/?lang=en"):
        refresh()
        page = "{{ _('100%% sure') }}|{{ _('100%% sure') }}|{{ _('%(name)s here', name=who) }}"
        assert render_template_string(page, who="<b>") == "100% sure|100% sure|&lt;b&gt; here"
