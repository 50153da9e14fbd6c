"""The searchable picker field (app/core/web/picker.py): a chosen value, a name typed without
JavaScript, several matches to choose from, a short list as a select; messages in Polish."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm

from app.core.textkeys import search_key
from app.core.web.picker import SHOWN, Pick, PickerField, matches_json

NAMES = {"1": "Fundacja Żółw", "2": "Fundacja Żółw Morski", "3": "Koło Gospodyń", "4": "Łódzkie Koło"}


@dataclass(frozen=True)
class Names:
    names: dict[str, str]

    def find(self, value: str) -> Pick | None:
        return Pick(value, self.names[value], "hint") if value in self.names else None

    def search(self, q: str, limit: int) -> list[Pick]:
        words = search_key(q).split()
        found = [Pick(v, n) for v, n in self.names.items() if all(w in search_key(n) for w in words)]
        return sorted(found, key=lambda p: (search_key(p.label) != search_key(q), p.label))[:limit]


class OneForm(FlaskForm):
    class Meta:
        csrf = False

    org = PickerField("Organisation")


def _posted(app, data, names=None, required=True, choices=None):
    with app.test_request_context(method="POST", data=data):
        form = OneForm()
        form.org.picker, form.org.required, form.org.choices = Names(names or NAMES), required, choices
        ok = form.validate()
        return ok, form.org.data, [str(e) for e in form.org.errors], form.org.candidates


def test_a_chosen_value_whose_name_is_still_in_the_box_is_taken(app):
    assert _posted(app, {"org": "3", "org-q": "koło gospodyń"})[:2] == (True, "3")


def test_a_value_posted_without_the_text_box_is_taken(app):
    assert _posted(app, {"org": "3"})[:2] == (True, "3")


def test_a_value_that_is_not_a_choice_is_refused(app):
    assert _posted(app, {"org": "99"})[:3] == (False, "", ["Nieprawidłowy wybór"])


def test_a_name_typed_without_javascript_is_looked_up(app):
    assert _posted(app, {"org": "", "org-q": "gospodyn"})[:2] == (True, "3")


def test_a_changed_text_box_wins_over_the_earlier_choice(app):
    assert _posted(app, {"org": "1", "org-q": "lodzkie"})[:2] == (True, "4")


def test_the_whole_name_wins_over_longer_names(app):
    assert _posted(app, {"org-q": "FUNDACJA zolw"})[:2] == (True, "1")


def test_several_matches_are_offered_to_choose_from(app):
    ok, data, errors, candidates = _posted(app, {"org-q": "koło"})
    assert not ok and data == ""
    assert errors == ["Pasuje kilka pozycji do „koło”: wybierz jedną poniżej."]
    assert [c.value for c in candidates] == ["3", "4"]


def test_the_offered_choice_is_taken(app):
    assert _posted(app, {"org-q": "koło", "org-pick": "4"})[:2] == (True, "4")


def test_nothing_matching_says_so(app):
    assert _posted(app, {"org-q": "Caritas"})[:3] == (False, "", ["Nic nie pasuje do „Caritas”."])


def test_an_empty_required_picker_asks_to_choose(app):
    ok, _data, errors, _c = _posted(app, {"org": "", "org-q": ""})
    assert not ok and errors == ["Wpisz kilka liter nazwy i wybierz z listy."]


def test_an_empty_optional_picker_is_empty(app):
    assert _posted(app, {"org": "1", "org-q": ""}, required=False)[:2] == (True, "")


def test_a_picker_with_a_short_list_checks_the_list(app):
    choices = [("org:1", "Fundacja Żółw")]
    assert _posted(app, {"org": "org:1"}, choices=choices)[:2] == (True, "org:1")
    assert _posted(app, {"org": "org:2"}, choices=choices)[:3] == (False, "org:2", ["Nieprawidłowy wybór"])


def test_the_endpoint_answers_the_first_matches_and_whether_there_are_more(app):
    many = Names({str(i): f"Koło {i:02d}" for i in range(SHOWN + 3)})
    answer = matches_json(many, "koło")
    assert len(answer["items"]) == SHOWN and answer["more"] is True
    assert answer["items"][0] == {"value": "0", "label": "Koło 00", "hint": ""}
    assert matches_json(many, "  ") == {"items": [], "more": False}
