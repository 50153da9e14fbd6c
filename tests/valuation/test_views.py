"""The organisers' rates page (app/valuation/views.py)."""

from app.valuation.kinds import DEFAULT_RATES, RateKey
from app.valuation.rates import effective_rates, set_rates


def test_the_page_shows_the_rates_in_force(client, fair, organiser, login):
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/values").get_data(as_text=True)
    assert "Stawki wartości społecznej" in page and "28,61 zł" in page and "Pomoc podstawowa, za godzinę" in page


def test_saving_a_rate_as_people_write_it(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/values", data={"room_hour": "62,50", "vehicle_day": " 450 zł"})
    assert r.status_code == 303
    rates = effective_rates(fair.id)
    assert (rates[RateKey.ROOM_HOUR], rates[RateKey.VEHICLE_DAY]) == (6250, 45000)
    page = client.get(f"/f/{fair.slug}/admin/values").get_data(as_text=True)
    assert 'value="62,50"' in page and "Stawki zapisane" in page


def test_an_empty_field_goes_back_to_the_inherited_rate(client, fair, organiser, login):
    set_rates(organiser, fair.id, {RateKey.ROOM_HOUR: 9900})
    login(organiser)
    assert client.post(f"/f/{fair.slug}/admin/values", data={"room_hour": ""}).status_code == 303
    assert effective_rates(fair.id)[RateKey.ROOM_HOUR] == DEFAULT_RATES[RateKey.ROOM_HOUR]


def test_a_wrong_amount_is_explained_and_nothing_saved(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/values", data={"room_hour": "70", "room_day": "dużo"})
    assert r.status_code == 422
    assert "Wpisz każdą stawkę jako kwotę w złotych" in r.get_data(as_text=True)
    assert effective_rates(fair.id) == DEFAULT_RATES
