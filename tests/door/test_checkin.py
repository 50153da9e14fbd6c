"""Check-in: idempotent, clear errors for unknown, revoked, foreign and private codes."""

import threading

import pytest

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.events import events_since
from app.door.checkin import check_in, parse_scan, register_walk_in
from app.network.sectors import Sector
from app.people.models import CheckIn, Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, remove_participant


def test_check_in_by_code(fair, notary, make_participant):
    p = make_participant()
    result = check_in(notary, fair.id, p.badge_code)
    assert result.created and result.participant.id == p.id and result.checked_in_count == 1


@pytest.mark.parametrize("template", [
    "http://gielda.test/p/{code}", "https://example.org/p/{code}/", " {code}\n", "{lower}",
    "http://gielda.test/p/{code}?utm=x",
])
def test_scan_formats(template, fair, notary, make_participant):
    p = make_participant()
    scanned = template.format(code=p.badge_code, lower=p.badge_code.lower())
    assert check_in(notary, fair.id, scanned).participant.id == p.id


def test_second_scan_checks_in_once_and_says_when(fair, notary, make_participant):
    p = make_participant()
    first = check_in(notary, fair.id, p.badge_code)
    again = check_in(notary, fair.id, p.badge_code)
    assert not again.created
    assert again.check_in.checked_in_at == first.check_in.checked_in_at
    assert db.session.query(CheckIn).count() == 1


def test_second_scan_emits_no_event(fair, notary, make_participant):
    p = make_participant()
    check_in(notary, fair.id, p.badge_code)
    check_in(notary, fair.id, p.badge_code)
    assert len([e for e in events_since(fair.id, 0, None) if e.type == "participant.checked_in"]) == 1


def test_check_in_event_carries_count(fair, notary, make_participant):
    a, b = make_participant(), make_participant()
    check_in(notary, fair.id, a.badge_code)
    check_in(notary, fair.id, b.badge_code)
    events = [e for e in events_since(fair.id, 0, None) if e.type == "participant.checked_in"]
    assert [e.payload["checked_in"] for e in events] == [1, 2]


def test_unknown_badge(fair, notary):
    with pytest.raises(DomainError) as err:
        check_in(notary, fair.id, "ZZZZZZZZ")
    assert err.value.code == "unknown_badge"


def test_revoked_badge(fair, organiser, notary, make_participant):
    p = make_participant()
    remove_participant(organiser, fair.id, p.id)
    with pytest.raises(DomainError) as err:
        check_in(notary, fair.id, p.badge_code)
    assert err.value.code == "badge_revoked"


def test_badge_of_another_fair(fair, make_fair, notary, make_participant):
    other = make_fair(name="Giełda Gdańsk")
    p = make_participant(fair_id=other.id)
    with pytest.raises(DomainError) as err:
        check_in(notary, fair.id, p.badge_code)
    assert err.value.code == "wrong_fair"
    assert "Giełda Gdańsk" in str(err.value)


def test_private_login_code_scanned_by_mistake(fair, notary, make_participant):
    p = make_participant()
    with pytest.raises(DomainError) as err:
        check_in(notary, fair.id, f"http://gielda.test/f/{fair.slug}/login/{p.login_secret}")
    assert err.value.code == "private_code_scanned"


def test_empty_scan(fair, notary):
    with pytest.raises(DomainError) as err:
        check_in(notary, fair.id, "   ")
    assert err.value.code == "empty_scan"


def test_participant_cannot_check_people_in(fair, make_participant):
    a, b = make_participant(), make_participant()
    with pytest.raises(DomainError) as err:
        check_in(a, fair.id, b.badge_code)
    assert err.value.code == "forbidden_role"


def test_parse_scan_extracts_code():
    assert parse_scan("http://x/p/abcd2345") == "ABCD2345"


def test_walk_in_registered_and_checked_in_together(fair, notary):
    result = register_walk_in(notary, fair.id, PersonData("Józef", "Gęś", "jozef@example.org"),
                              OrganisationData("", Sector.RESIDENT))
    assert result.created and result.participant.registered_via == "desk"


def test_failed_walk_in_leaves_nothing(fair, notary, make_participant):
    make_participant(email="taken@example.org")
    before = db.session.query(Participant).count()
    with pytest.raises(DomainError):
        register_walk_in(notary, fair.id, PersonData("Józef", "Gęś", "taken@example.org"),
                         OrganisationData("Nowa", Sector.NGO))
    assert db.session.query(Participant).count() == before


def test_concurrent_scans_check_in_once(app, fair, notary, make_participant):
    p = make_participant()
    results, errors = [], []
    barrier = threading.Barrier(4)

    def scan():
        with app.app_context():
            try:
                actor = db.session.get(Participant, notary.id)
                barrier.wait()
                results.append(check_in(actor, fair.id, p.badge_code).created)
            except Exception as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [False, False, False, True]
    db.session.rollback()  # end this thread's read snapshot to see the others' commits
    assert db.session.query(CheckIn).filter_by(participant_id=p.id).count() == 1


def test_a_returning_walk_in_is_recognised(fair, notary, make_fair, make_participant):
    """A resident who came to an earlier fair is the same person and the same member at the desk."""
    earlier = make_fair()
    before = make_participant("Józef", "Gęś", email="jozef@example.org", fair_id=earlier.id,
                              organisation="", sector=Sector.RESIDENT)
    result = register_walk_in(notary, fair.id, PersonData("Józef", "Gęś", "Jozef@example.org"),
                              OrganisationData("", Sector.RESIDENT))
    now = result.participant
    assert now.id != before.id and now.person_id == before.person_id
    assert now.organisation.member_id == before.organisation.member_id
