"""Form fields (app/core/web/formfields.py): integers the database can hold, hidden ids, nested forms in Polish."""

import pytest


@pytest.mark.parametrize(("value", "message"), [
    ("99999999999999999999", "Podaj liczbę od -2147483648 do 2147483647."),
    ("2147483648", "Podaj liczbę od -2147483648 do 2147483647."),
    ("1_000", "Nieprawidłowa liczba całkowita"),
    ("١٢", "Nieprawidłowa liczba całkowita"),
    ("1e30", "Nieprawidłowa liczba całkowita"),
])
def test_integer_fields_take_only_numbers_the_database_holds(app, value, message):
    from app.fairs.forms import SettingsForm

    with app.test_request_context(method="POST", data={"name": "Giełda", "point_rate": "10",
                                                       "target_agreements": value}):
        form = SettingsForm()
        assert not form.validate()
        assert form.target_agreements.data is None
        assert any(message in str(e) for e in form.errors["target_agreements"]), form.errors


def test_hidden_ids_are_ints_or_a_form_error(app):
    from app.agreements.forms import VersionForm

    with app.test_request_context(method="POST", data={"version": " 12 "}):
        form = VersionForm()
        assert form.validate() and form.version.data == 12
    with app.test_request_context(method="POST", data={"version": ""}):
        form = VersionForm()
        assert form.validate() and form.version.data is None
    with app.test_request_context(method="POST", data={"version": "9223372036854775808"}):
        form = VersionForm()
        assert not form.validate() and form.version.data is None
        assert [str(e) for e in form.errors["version"]] == ["Formularz wygasł. Spróbuj ponownie."]


def test_nested_forms_speak_polish(app):
    from app.agreements.forms import DraftForm

    with app.test_request_context(method="POST", data={
            "obligations-0-giver": "1", "obligations-0-receiver": "2", "obligations-0-quantity": "abc",
            "obligations-0-description": "Sala", "obligations-0-unit": ""}):
        form = DraftForm()
        assert not form.validate()
        errors = [str(e) for e in form.errors["obligations"][0]["quantity"]]
        assert "Nieprawidłowa liczba całkowita" in errors[0]
        assert not any("Not a valid" in e or "Number must be" in e for e in errors), errors
