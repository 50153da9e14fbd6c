"""The ledger's pickers (app/ledger/pickers.py): accounts found by their holders' names, the JSON
endpoint behind each form's picker and who may ask it, the forms posted with a typed name (no
JavaScript), and the organisers' accounts list searched and paged in SQL."""

from __future__ import annotations

import re

import pytest

from app.ledger.accounts import find_organisation_account, find_person_account
from app.ledger.pickers import AccountPicker
from app.ledger.queries import fair_accounts, organisations_without_account
from tests.ledger.conftest import organisation_of


def _key(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="key"[^>]*value="([0-9a-f]{32})"', page).group(1)


@pytest.fixture
def holders(make_participant, make_account, make_person_account):
    """An organisation with an account, one without, a person with a personal account, one without."""
    with_account = make_account("Fundacja Źródło")
    make_participant("Zofia", "Źródlana", organisation="Stowarzyszenie Łąka")
    saver = make_participant("Łucja", "Źródłowska", organisation="Koło Gospodyń")
    make_person_account(saver)
    return {"org": with_account, "saver": saver}


@pytest.fixture
def elsewhere(make_fair, make_participant, make_account, make_person_account):
    """The same names at another fair, with accounts."""
    other = make_fair()
    make_account("Fundacja Źródło Obca", fair_id=other.id)
    make_person_account(make_participant("Łucja", "Źródłowska-Obca", fair_id=other.id))
    return other


# --- the picker -----------------------------------------------------------------------------

def test_accounts_are_found_by_their_holders_names_without_diacritics(app, fair, holders):
    with app.test_request_context():
        found = AccountPicker(fair.id).search("zrodl", 10)
    labels = {p.value: p.label for p in found}
    assert labels[f"org:{organisation_of(holders['org'])}"] == "Fundacja Źródło"
    assert labels[f"person:{holders['saver'].id}"] == "Łucja Źródłowska"
    assert "Zofia Źródlana" in labels.values()  # an opening balance opens her account


def test_transfers_list_only_people_who_have_an_account(app, fair, holders):
    with app.test_request_context():
        found = [p.label for p in AccountPicker(fair.id, opened_only=True).search("zrodl", 10)]
    assert "Łucja Źródłowska" in found and "Fundacja Źródło" in found and "Zofia Źródlana" not in found


def test_another_fairs_accounts_never_appear(app, fair, holders, elsewhere):
    with app.test_request_context():
        found = [p.label for p in AccountPicker(fair.id).search("zrodl", 10)]
        other_org = organisation_of(next(a for a in fair_accounts(elsewhere.id).accounts if a.member_id))
        assert find_organisation_account(other_org) is not None
        assert AccountPicker(fair.id).find(f"org:{other_org}") is None
    assert not any("Obc" in label for label in found)


# --- the endpoint ---------------------------------------------------------------------------

def test_a_participant_searches_the_accounts_to_send_to(client, login, fair, holders, elsewhere, make_participant):
    login(make_participant(organisation="Fundacja Ćma"))
    answer = client.get(f"/f/{fair.slug}/points/pick/target?q=ZRODL").get_json()
    assert {i["label"] for i in answer["items"]} == {"Fundacja Źródło", "Łucja Źródłowska"}
    assert answer["items"][0]["value"].startswith(("org:", "person:")) and answer["items"][0]["hint"]


@pytest.mark.parametrize("kind", ["source", "organisation", "opening"])
def test_a_participant_may_not_search_the_organisers_pickers(client, login, fair, make_participant, kind):
    login(make_participant())  # (the matrix in tests/test_authorization_matrix.py tries every role)
    assert client.get(f"/f/{fair.slug}/points/pick/{kind}?q=a").status_code == 403


def test_the_endpoint_needs_a_login(client, fair):
    r = client.get(f"/f/{fair.slug}/points/pick/target?q=a")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_an_organiser_searches_every_holder_for_an_opening_balance(client, login, fair, organiser, holders, elsewhere):
    login(organiser)
    answer = client.get(f"/f/{fair.slug}/points/pick/opening?q=zrodl").get_json()
    assert {i["label"] for i in answer["items"]} == {"Fundacja Źródło", "Łucja Źródłowska", "Zofia Źródlana"}


# --- the forms, without JavaScript ----------------------------------------------------------

def test_an_organiser_transfers_between_typed_names(client, login, fair, organiser, holders, fund, balance_of):
    fund(holders["org"], 50)
    login(organiser)
    url = f"/f/{fair.slug}/points/send"
    r = client.post(url, data={"key": _key(client, url), "source-q": "fundacja zrodlo",
                               "target-q": "Łucja Źródłowska", "points": "7", "memo": "Transport"})
    assert r.status_code == 303
    assert balance_of(find_person_account(holders["saver"].id)) == 7


def test_an_ambiguous_volunteer_is_offered_to_choose(client, login, fair, organiser, holders, make_participant):
    login(organiser)
    url = f"/f/{fair.slug}/points/award"
    data = {"key": _key(client, url), "organisation-q": "Fundacja Źródło", "volunteer-q": "zrodl",
            "points": "3", "reason": "Sprzątanie"}
    r = client.post(url, data=data)
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "Pasuje kilka pozycji do „zrodl”" in page
    assert f'name="volunteer-pick" value="{holders["saver"].id}"' in page
    assert client.post(url, data={**data, "volunteer-pick": str(holders["saver"].id)}).status_code == 303


def test_an_unknown_name_gets_a_plain_error(client, login, fair, organiser, holders):
    login(organiser)
    url = f"/f/{fair.slug}/admin/points/opening"
    r = client.post(url, data={"key": _key(client, url), "target-q": "Caritas", "points": "5"})
    assert r.status_code == 422 and "Nic nie pasuje do „Caritas”." in r.get_data(as_text=True)


def test_an_organiser_may_not_post_to_another_fairs_account(client, login, fair, organiser, elsewhere):
    other = organisation_of(next(a for a in fair_accounts(elsewhere.id).accounts if a.member_id))
    login(organiser)
    url = f"/f/{fair.slug}/admin/points/opening"
    r = client.post(url, data={"key": _key(client, url), "target": f"org:{other}", "points": "5"})
    assert r.status_code == 422 and "Nieprawidłowy wybór" in r.get_data(as_text=True)


def test_the_opening_form_shows_a_linked_account_by_name(client, login, fair, organiser, holders):
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/points/opening?target=person:{holders['saver'].id}").get_data(as_text=True)
    assert 'name="target-q" value="Łucja Źródłowska"' in page and "/points/pick/opening" in page


def test_a_participant_keeps_a_short_list_of_own_accounts(client, login, fair, make_participant):
    member = make_participant("Bożena", "Żak", organisation="Fundacja Ćma")
    login(member)
    page = client.get(f"/f/{fair.slug}/points/send").get_data(as_text=True)
    assert re.search(r'<select id="source" name="source"', page) and "Fundacja Ćma" in page
    assert "/points/pick/target" in page and "/points/pick/source" not in page


# --- the accounts list ----------------------------------------------------------------------

def test_accounts_are_listed_by_kind_and_folded_name_a_page_at_a_time(fair, holders, make_account):
    make_account("Ąbecadło")
    first, second = (fair_accounts(fair.id, page=n, page_size=2) for n in (1, 2))
    assert first.total == second.total == 3
    assert [a.name for a in first.accounts + second.accounts] == ["Ąbecadło", "Fundacja Źródło", "Łucja Źródłowska"]


def test_accounts_are_searched_by_holder_without_diacritics(fair, holders, elsewhere):
    assert [a.name for a in fair_accounts(fair.id, q="zrodlowska").accounts] == ["Łucja Źródłowska"]
    assert fair_accounts(fair.id, q="kolo").total == 0  # her organisation's name is not hers


def test_organisations_without_an_account_are_counted(fair, holders, organiser):
    assert organisations_without_account(fair.id) == 3  # Łąka, Koło Gospodyń, the organiser's


def test_the_accounts_page_searches_and_pages(client, login, fair, organiser, holders, monkeypatch):
    monkeypatch.setattr("app.ledger.views.PAGE_SIZE", 1)
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/points").get_data(as_text=True)
    assert "Strona 1 z 2" in page and "Fundacja Źródło" in page and "Łucja Źródłowska" not in page
    found = client.get(f"/f/{fair.slug}/admin/points?q=lucja").get_data(as_text=True)
    assert "Łucja Źródłowska" in found and "Fundacja Źródło</a>" not in found

