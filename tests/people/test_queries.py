"""Reading people (app/people/queries.py): the organiser's list sorted, searched and paged in SQL."""

from sqlalchemy import event

from app.core.extensions import db
from app.core.textkeys import search_key
from app.network.sectors import Sector
from app.people.models import Participant
from app.people.queries import search_participants
from app.people.views.admin import PAGE_SIZE

NAMES = [("Łucja", "Żółkiewska"), ("Adam", "Nowak"), ("Ewa", "Nowakowska"), ("Zenon", "Ąbacki"),
         ("Anna", "Nowak"), ("Olga", "Zalewska"), ("Łukasz", "Lis"), ("Lech", "Łoś")]


def _people(make_participant):
    return [make_participant(first, last, organisation=f"Stowarzyszenie {last}",
                             sector=Sector.NGO if i % 2 else Sector.BUSINESS)
            for i, (first, last) in enumerate(NAMES)]


def test_people_are_listed_by_folded_last_then_first_name(fair, make_participant):
    people = _people(make_participant)
    expected = sorted(people, key=lambda p: (search_key(p.last_name), search_key(p.first_name), p.id))
    assert search_participants(fair.id).people == expected
    assert [p.last_name for p in search_participants(fair.id).people][:4] == ["Ąbacki", "Lis", "Łoś", "Nowak"]


def test_pages_are_cut_in_sql_and_the_total_counts_them_all(fair, make_participant):
    _people(make_participant)
    everyone = search_participants(fair.id).people
    first, second = (search_participants(fair.id, page=n, page_size=3) for n in (1, 2))
    assert first.total == second.total == len(everyone) == len(NAMES)
    assert first.people + second.people == everyone[:6]
    assert search_participants(fair.id, page=99, page_size=3).people == []


def test_every_word_is_searched_in_name_organisation_email_and_badge(fair, make_participant):
    people = _people(make_participant)
    zolkiewska = people[0]
    assert search_participants(fair.id, "zolkiewska").people == [zolkiewska]  # no diacritics typed
    assert search_participants(fair.id, "STOWARZYSZENIE lucja").people == [zolkiewska]  # two fields
    assert search_participants(fair.id, zolkiewska.badge_code.lower()).people == [zolkiewska]
    assert search_participants(fair.id, zolkiewska.email.split("@")[0]).people == [zolkiewska]
    assert {p.last_name for p in search_participants(fair.id, "nowak").people} == {"Nowak", "Nowakowska"}
    assert search_participants(fair.id, "nowak anna").people == [people[4]]
    assert search_participants(fair.id, "100%").people == []  # LIKE's wildcards are only letters here
    assert search_participants(fair.id, "_").people == []


def test_sector_and_role_narrow_the_list(fair, make_participant, organiser):
    _people(make_participant)
    ngo = search_participants(fair.id, sector=Sector.NGO.value)
    everyone = search_participants(fair.id).people
    assert ngo.people == [p for p in everyone if p.organisation.sector == Sector.NGO]
    assert ngo.total == len(ngo.people) >= 4 and len(ngo.people) < len(everyone)
    assert search_participants(fair.id, role="organiser").people == [organiser]


def test_the_list_page_asks_the_same_number_of_queries_however_many_people(client, login, fair, organiser,
                                                                          make_participant):
    login(organiser)
    statements: list[str] = []
    loaded: list[int] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    def load(person, _context, *_attrs):
        loaded.append(person.id)

    def page_queries() -> int:
        db.session.expire_all()  # every person read from a row is loaded or refreshed
        statements.clear()
        loaded.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        event.listen(Participant, "load", load)
        event.listen(Participant, "refresh", load)
        try:
            r = client.get(f"/f/{fair.slug}/admin/participants?q=stowarzyszenie&page=2")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
            event.remove(Participant, "load", load)
            event.remove(Participant, "refresh", load)
        assert r.status_code == 200
        assert len(set(loaded)) <= PAGE_SIZE + 1  # one page (and the organiser): not the whole fair
        return len(statements)

    for i in range(60):
        make_participant(f"Osoba{i}", "Kowalska", organisation=f"Stowarzyszenie {i}")
    small = page_queries()
    for i in range(60, 180):
        make_participant(f"Osoba{i}", "Kowalska", organisation=f"Stowarzyszenie {i}")
    assert page_queries() == small


def test_an_actor_is_read_again_as_their_row_stands_with_fair_and_organisation(app, fair, make_participant,
                                                                              statements):
    from sqlalchemy import text

    from app.people.queries import reread_actor

    person = make_participant(organisation="Fundacja Żółw")
    assert person.organisation.name == "Fundacja Żółw"
    with db.engine.begin() as other:  # another request renames the organisation
        other.execute(text("UPDATE organisations SET name = 'Fundacja Żółw i Przyjaciele' WHERE id = :id"),
                      {"id": person.organisation_id})
    db.session.rollback()  # a service's transaction starts: what the request read is expired
    statements.clear()
    again = reread_actor(person)
    assert again is person and again.organisation.name == "Fundacja Żółw i Przyjaciele"
    assert again.fair.slug == fair.slug
    assert [s for s in statements if s != "BEGIN"] == statements[-1:] and "JOIN organisations" in statements[-1]
