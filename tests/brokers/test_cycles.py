"""Exchange cycles of 3–4 organisations (app/brokers/cycles.py), on a constructed fair and on
hand-made graphs."""

from app.brokers.cards import PostCard
from app.brokers.cycles import Step, exchange_cycles, find_cycles
from app.floor.kinds import PostKind


def card(post_id, kind, org):
    return PostCard(post_id, kind, f"post {post_id}", org, f"Org {org}", "ngo", org * 10, f"Osoba {org}", f"B{org}")


def step(giver, receiver, weight=1.0, offer_id=None):
    offer_id = offer_id or giver * 100 + receiver
    return Step(card(offer_id, "offer", giver), card(offer_id + 5000, "need", receiver), weight)


def test_a_triangle_is_one_cycle():
    [cycle] = find_cycles([step(1, 2), step(2, 3), step(3, 1)])
    assert [s.offer.organisation_id for s in cycle.steps] == [1, 2, 3]
    assert [s.need.organisation_id for s in cycle.steps] == [2, 3, 1]


def test_a_square_is_found_and_a_pair_is_not():
    cycles = find_cycles([step(1, 2), step(2, 1), step(2, 3), step(3, 4), step(4, 1)])
    assert [[s.offer.organisation_id for s in c.steps] for c in cycles] == [[1, 2, 3, 4]]


def test_five_in_a_ring_is_too_long():
    assert find_cycles([step(1, 2), step(2, 3), step(3, 4), step(4, 5), step(5, 1)]) == []


def test_strongest_cycle_first():
    weak = [step(1, 2, 0.6), step(2, 3), step(3, 1)]
    strong = [step(4, 5), step(5, 6, 0.9), step(6, 4)]
    cycles = find_cycles(weak + strong)
    assert [c.steps[0].offer.organisation_id for c in cycles] == [4, 1]


def test_the_best_answer_between_two_organisations_makes_the_step():
    cycles = find_cycles([step(1, 2, 0.6, offer_id=7), step(1, 2, 0.9, offer_id=8), step(2, 3), step(3, 1)])
    assert cycles[0].steps[0].offer.id == 8


def test_cycle_on_a_fair(make_participant, make_post):
    """Arka offers a room the theatre needs, the theatre offers a projector the school needs, the
    school offers volunteers Arka needs."""
    arka = make_participant(organisation="Fundacja Arka")
    teatr = make_participant(organisation="Teatr Miejski")
    szkola = make_participant(organisation="Szkoła Podstawowa nr 1")
    make_post(arka, "Sala prób", category_key="rooms")
    make_post(teatr, "Potrzebna sala prób", kind=PostKind.NEED, category_key="rooms")
    make_post(teatr, "Rzutnik multimedialny", category_key="equipment")
    make_post(szkola, "Potrzebny rzutnik multimedialny", kind=PostKind.NEED, category_key="equipment")
    make_post(szkola, "Wolontariusze do sprzątania", category_key="volunteers")
    make_post(arka, "Wolontariusze do sprzątania parku", kind=PostKind.NEED, category_key="volunteers")
    [cycle] = exchange_cycles(arka.fair_id)
    assert sorted(cycle.organisations) == ["Fundacja Arka", "Szkoła Podstawowa nr 1", "Teatr Miejski"]
    gives = {s.offer.organisation: (s.offer.title, s.need.organisation) for s in cycle.steps}
    assert gives["Teatr Miejski"] == ("Rzutnik multimedialny", "Szkoła Podstawowa nr 1")
