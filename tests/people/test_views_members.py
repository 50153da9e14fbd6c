"""The organiser's page of returning organisations to confirm (app/people/views/members.py)."""

from __future__ import annotations

from collections.abc import Callable

from app.core.extensions import db
from app.fairs.models import Fair
from app.people.members import pending_duplicates
from app.people.models import Organisation, Participant


def _returning(make_fair: Callable[..., Fair], make_organisation: Callable[..., Organisation],
               fair: Fair) -> tuple[Organisation, Organisation]:
    earlier = make_fair(name="Giełda wiosenna")
    return (make_organisation("Fundacja Nowa Droga", fair_id=earlier.id, city="Tczew"),
            make_organisation("Fundacja Nowej Drogi", fair_id=fair.id))


def test_the_organisations_list_says_how_many_to_confirm(client, login, organiser: Participant, fair: Fair,
                                                         make_fair, make_organisation) -> None:
    _returning(make_fair, make_organisation, fair)
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/organisations").get_data(as_text=True)
    assert "1 organizacja mogła już przyjść wcześniej pod inną nazwą: potwierdź" in page
    assert f"/f/{fair.slug}/admin/organisations/returning" in page


def test_the_page_shows_both_records_and_their_fairs(client, login, organiser: Participant, fair: Fair,
                                                     make_fair, make_organisation) -> None:
    _returning(make_fair, make_organisation, fair)
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/organisations/returning").get_data(as_text=True)
    assert "Fundacja Nowej Drogi — to samo co Fundacja Nowa Droga?" in page
    assert "Giełda wiosenna" in page and "Tczew" in page


def test_merging_from_the_page(client, login, organiser: Participant, fair: Fair, make_fair,
                               make_organisation) -> None:
    known, new = _returning(make_fair, make_organisation, fair)
    [asked] = pending_duplicates(fair.id)
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/organisations/returning/{asked.id}", data={"same": "yes"},
                    follow_redirects=True)
    assert "Połączono: Fundacja Nowa Droga to jedna organizacja, z historią obu wpisów." in r.get_data(as_text=True)
    assert db.session.get_one(Organisation, new.id).member_id == known.member_id


def test_no_answer_changes_nothing(client, login, organiser: Participant, fair: Fair, make_fair,
                                   make_organisation) -> None:
    _returning(make_fair, make_organisation, fair)
    [asked] = pending_duplicates(fair.id)
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/organisations/returning/{asked.id}", data={"same": "maybe"},
                    follow_redirects=True)
    assert "Wybierz, czy to ta sama organizacja." in r.get_data(as_text=True)
    assert len(pending_duplicates(fair.id)) == 1


def test_an_answered_question_is_refused_clearly(client, login, organiser: Participant, fair: Fair, make_fair,
                                                 make_organisation) -> None:
    _returning(make_fair, make_organisation, fair)
    [asked] = pending_duplicates(fair.id)
    login(organiser)
    url = f"/f/{fair.slug}/admin/organisations/returning/{asked.id}"
    client.post(url, data={"same": "no"})
    r = client.post(url, data={"same": "yes"}, follow_redirects=True)
    assert "Nie ma takiego pytania do rozstrzygnięcia." in r.get_data(as_text=True)


def test_inviting_from_the_network_page(client, login, organiser: Participant, fair: Fair, make_fair,
                                        make_organisation) -> None:
    known = make_organisation("Klub Seniora Wrzos", fair_id=make_fair().id, city="Pelplin")
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/organisations/invite?q=wrzos").get_data(as_text=True)
    assert "Klub Seniora Wrzos" in page and "Pelplin" in page
    r = client.post(f"/f/{fair.slug}/admin/organisations/invite/{known.member_id}", data={"q": "wrzos"},
                    follow_redirects=True)
    assert "Klub Seniora Wrzos – zaproszenie na tę giełdę wysłane." in r.get_data(as_text=True)
    assert "na tej giełdzie" in r.get_data(as_text=True)
    assert db.session.query(Organisation).filter_by(fair_id=fair.id, member_id=known.member_id).count() == 1
