"""A form field's HTML is rendered once and reused while nothing on it changes (app/core/web/field_html.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import HiddenInput

from app.core.web import field_html
from app.core.web.field_html import forget_fields
from app.core.web.formfields import Form
from app.core.web.formkeys import KeyedForm


class Sample(Form):
    title = StringField("Tytuł", [DataRequired(), Length(max=120)])
    details = TextAreaField("Szczegóły")
    colour = SelectField("Kolor", choices=[SelectChoice("r", _l("Need")), SelectChoice("g", "Zielony")])
    kind = RadioField("Rodzaj", choices=[SelectChoice("offer", "oferta"), SelectChoice("need", "potrzeba")],
                      default="offer")
    pin = PasswordField("PIN")


class Keyed(KeyedForm, Form):
    title = StringField("Tytuł")


def _bare(field: Any, **kwargs: Any) -> str:
    """The field as WTForms renders it, nothing kept."""
    return str(field.widget(field, **kwargs))


def test_a_field_rendered_again_the_same_way_is_the_kept_html(app):
    forget_fields()
    with app.test_request_context("/"):
        first = Sample().title(autofocus=True)
        again = Sample().title(autofocus=True)
        assert again is first
        assert str(first) == _bare(Sample().title, autofocus=True)
        assert 'required' in first and 'maxlength="120"' in first


def test_what_the_field_shows_is_part_of_its_key(app):
    forget_fields()
    with app.test_request_context("/"):
        plain = str(Sample().title())
        assert str(Sample().title(autofocus=True)) != plain
        form = Sample(data={"title": "Sala <b>duża</b>", "colour": "g"})
        assert str(form.title()) == _bare(form.title) and "Sala &lt;b&gt;duża&lt;/b&gt;" in str(form.title())
        selected = str(form.colour())
        assert selected == _bare(form.colour) and 'selected value="g"' in selected
        assert str(Sample().colour()) != selected
        options = [str(option()) for option in Sample(data={"kind": "need"}).kind]
        assert options == [_bare(option) for option in Sample(data={"kind": "need"}).kind]
        assert "checked" in options[1] and "checked" not in options[0]


def test_a_select_speaks_the_language_of_the_request(app):
    forget_fields()
    with app.test_request_context("/"):
        with force_locale("pl"):
            polish = str(Sample().colour())
        with force_locale("en"):
            english = str(Sample().colour())
    assert "Potrzeba" in polish and ">Need<" in english


def test_a_hidden_input_shows_its_own_value_each_time(app):
    forget_fields()
    with app.test_request_context("/"):
        one, two = Keyed(), Keyed()
        assert one.key.data != two.key.data
        assert str(one.key()) == _bare(one.key) and str(two.key()) == _bare(two.key)
        assert isinstance(one.key.widget, HiddenInput)
        one.key.data = '"><script>'
        assert str(one.key()) == _bare(one.key) and "&#34;&gt;&lt;script&gt;" in str(one.key())
    with app.test_request_context("/"):
        form = Keyed(meta={"csrf": True})
        token = str(form.csrf_token())
        assert token == _bare(form.csrf_token) and form.csrf_token.current_token in token
        first, form.csrf_token.current_token = form.csrf_token.current_token, "another-token"
        assert str(form.csrf_token()) == token.replace(first, "another-token")


def test_what_a_person_typed_is_never_kept(app):
    forget_fields()
    with app.test_request_context("/", method="POST", data={"title": "tajne 123456", "pin": "654321"}):
        form = Sample()
        form.validate()
        assert "tajne 123456" in str(form.title()) and str(form.title()) == _bare(form.title)
        form.pin()
    kept = repr(list(field_html._html))
    assert "tajne" not in kept and "654321" not in kept
    assert not any(key[1] is PasswordField for key in field_html._html)
