"""Every PIN check goes through one rate-limited path (per client address and per badge) with
one answer for every failure; a stranger can neither guess a PIN nor lock a fair out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.agreements.signing import sign_on_shared_device
from app.core.errors import DomainError
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.credentials import login_with_pin, login_with_secret, reissue_login
from app.people.models import Participant

CLIENT_LIMIT = 6
BADGE_LIMIT = 3


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"PIN_RATELIMIT": f"{CLIENT_LIMIT} per hour", "PIN_BADGE_RATELIMIT": f"{BADGE_LIMIT} per hour"}


def wrong_pin(person: Participant) -> str:
    return "000000" if person.pin != "000000" else "111111"


def refusal(call: Callable[[], Any]) -> DomainError:
    with pytest.raises(DomainError) as err:
        call()
    return err.value


def test_the_right_pin_logs_in(fair: Fair, make_participant: Callable[..., Participant]) -> None:
    p = make_participant()
    assert login_with_pin(fair.id, p.badge_code.lower(), p.pin, "10.0.0.1").id == p.id


def test_every_failure_gets_the_same_answer(fair: Fair, make_participant: Callable[..., Participant],
                                            organiser: Participant) -> None:
    p = make_participant()
    answers = {
        "wrong pin": refusal(lambda: login_with_pin(fair.id, p.badge_code, wrong_pin(p), "10.0.0.1")),
        "unknown badge": refusal(lambda: login_with_pin(fair.id, "ABCDEFGH", "123456", "10.0.0.2")),
        # Staff log in with their password: their (never printed) PIN opens nothing.
        "staff": refusal(lambda: login_with_pin(fair.id, organiser.badge_code, organiser.pin, "10.0.0.3")),
    }
    assert {(e.code, e.status, str(e.message)) for e in answers.values()} == {
        ("invalid_pin", 401, str(answers["wrong pin"].message))}


def test_a_badge_refuses_even_its_right_pin_after_too_many_attempts_from_anywhere(
        fair: Fair, make_participant: Callable[..., Participant]) -> None:
    p = make_participant()
    for n in range(BADGE_LIMIT):
        refusal(lambda n=n: login_with_pin(fair.id, p.badge_code, wrong_pin(p), f"10.0.1.{n}"))
    locked = refusal(lambda: login_with_pin(fair.id, p.badge_code, p.pin, "10.0.2.1"))
    wrong = refusal(lambda: login_with_pin(fair.id, p.badge_code, wrong_pin(p), "10.0.2.2"))
    assert (locked.code, str(locked.message)) == (wrong.code, str(wrong.message)) == (
        "invalid_pin", str(wrong.message))


def test_the_owner_still_logs_in_with_the_private_link_of_a_throttled_badge(
        fair: Fair, make_participant: Callable[..., Participant]) -> None:
    p = make_participant()
    for n in range(BADGE_LIMIT + 2):
        refusal(lambda n=n: login_with_pin(fair.id, p.badge_code, wrong_pin(p), f"10.0.3.{n}"))
    assert login_with_secret(fair.id, p.login_secret).id == p.id


def test_a_reissued_login_clears_the_badges_window(fair: Fair, organiser: Participant,
                                                   make_participant: Callable[..., Participant]) -> None:
    p = make_participant()
    for n in range(BADGE_LIMIT):
        refusal(lambda n=n: login_with_pin(fair.id, p.badge_code, wrong_pin(p), f"10.0.4.{n}"))
    reissued = reissue_login(organiser, fair.id, p.id)
    assert login_with_pin(fair.id, p.badge_code, reissued.pin, "10.0.4.99").id == p.id


def test_one_client_cannot_sweep_the_fair(fair: Fair, make_participant: Callable[..., Participant]) -> None:
    people = [make_participant() for _ in range(CLIENT_LIMIT + 1)]
    for p in people[:CLIENT_LIMIT]:
        assert refusal(lambda p=p: login_with_pin(fair.id, p.badge_code, wrong_pin(p), "10.0.5.1")).code \
            == "invalid_pin"
    last = people[-1]
    throttled = refusal(lambda: login_with_pin(fair.id, last.badge_code, last.pin, "10.0.5.1"))
    assert (throttled.code, throttled.status) == ("pin_rate_limited", 429)
    # Everyone else is untouched: the sweep blocked no badge (one attempt each, under the limit).
    assert login_with_pin(fair.id, last.badge_code, last.pin, "10.0.5.2").id == last.id
    assert login_with_pin(fair.id, people[0].badge_code, people[0].pin, "10.0.5.3").id == people[0].id


def test_non_ascii_and_odd_pins_are_refused_plainly(fair: Fair, make_participant: Callable[..., Participant]) -> None:
    p = make_participant()
    for odd in ("١٢٣٤٥٦", "ąęółźż", "12345\x00", "9" * 400):
        assert refusal(lambda odd=odd: login_with_pin(fair.id, p.badge_code, odd, "10.0.6.1")).code == "invalid_pin"


# --- signing on a shared phone goes through the same path -----------------------------------

@pytest.fixture
def shared(trading_fair: Fair, make_participant: Callable[..., Participant], make_draft: Callable[..., Any]
           ) -> tuple[Participant, Participant, Participant, Any]:
    a = make_participant("Anna", "Alfa")
    b = make_participant("Bartosz", "Beta")
    outsider = make_participant("Celina", "Gamma")
    return a, b, outsider, make_draft(a, b)


def test_a_right_pin_of_a_non_party_gets_the_same_answer_as_a_wrong_one(trading_fair: Fair, shared: Any) -> None:
    a, _b, outsider, draft = shared

    def sign(pin: str) -> DomainError:
        return refusal(lambda: sign_on_shared_device(a, trading_fair.id, draft.id, draft.version,
                                                     badge_code=outsider.badge_code, pin=pin, client="10.0.7.1"))

    right, wrong = sign(outsider.pin), sign(wrong_pin(outsider))
    assert (right.code, str(right.message)) == (wrong.code, str(wrong.message)) == (
        "not_a_party", str(wrong.message))


def test_shared_phone_pins_count_against_the_badge(trading_fair: Fair, shared: Any) -> None:
    a, b, _outsider, draft = shared
    for n in range(BADGE_LIMIT):
        err = refusal(lambda n=n: sign_on_shared_device(a, trading_fair.id, draft.id, draft.version,
                                                        badge_code=b.badge_code, pin=wrong_pin(b),
                                                        client=f"10.0.8.{n}"))
        assert err.code == "invalid_pin"
    # The same window guards the login page: B's right PIN is refused there now.
    assert refusal(lambda: login_with_pin(trading_fair.id, b.badge_code, b.pin, "10.0.8.50")).code == "invalid_pin"
    # ...while B's private QR still signs.
    signed = sign_on_shared_device(a, trading_fair.id, draft.id, draft.version,
                                   scanned=f"http://gielda.test/f/{trading_fair.slug}/login/{b.login_secret}")
    assert {s.participant_id for s in signed.current_signatures()} == {b.id}


def test_a_staff_secret_does_not_sign_on_a_shared_phone(trading_fair: Fair, make_participant: Callable[..., Any],
                                                        make_draft: Callable[..., Any]) -> None:
    a = make_participant("Anna", "Alfa")
    notary_party = make_participant("Nina", "Notariusz", role=Role.NOTARY)
    draft = make_draft(a, notary_party)
    err = refusal(lambda: sign_on_shared_device(a, trading_fair.id, draft.id, draft.version,
                                                scanned=notary_party.login_secret))
    assert err.code == "invalid_login_link"


# --- over HTTP: the client address, and behind a proxy -------------------------------------

def pin_post(client: FlaskClient, fair: Fair, person: Participant, pin: str, **headers: str) -> Any:
    return client.post(f"/f/{fair.slug}/login", data={"pin-badge_code": person.badge_code, "pin-pin": pin},
                       headers=headers)


def test_the_login_page_answers_throttling_with_429(client: FlaskClient, fair: Fair,
                                                     make_participant: Callable[..., Participant]) -> None:
    people = [make_participant() for _ in range(CLIENT_LIMIT + 1)]
    statuses = [pin_post(client, fair, p, wrong_pin(p)).status_code for p in people]
    assert statuses == [401] * CLIENT_LIMIT + [429]


def test_a_forwarded_for_header_is_ignored_without_trusted_proxies(
        client: FlaskClient, fair: Fair, make_participant: Callable[..., Participant]) -> None:
    people = [make_participant() for _ in range(CLIENT_LIMIT + 1)]
    statuses = [pin_post(client, fair, p, wrong_pin(p), **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n, p in enumerate(people)]
    assert statuses[-1] == 429  # a client cannot dodge the limit by claiming another address


class TestBehindAProxy:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"PIN_RATELIMIT": f"{CLIENT_LIMIT} per hour", "PIN_BADGE_RATELIMIT": "100 per hour",
                "TRUSTED_PROXIES": 1}

    def test_each_real_client_has_its_own_window(self, client: FlaskClient, fair: Fair,
                                                  make_participant: Callable[..., Participant]) -> None:
        p = make_participant()
        hall = [pin_post(client, fair, p, wrong_pin(p), **{"X-Forwarded-For": "198.51.100.7"}).status_code
                for _ in range(CLIENT_LIMIT + 1)]
        other = pin_post(client, fair, p, p.pin, **{"X-Forwarded-For": "198.51.100.8"})
        assert hall[-1] == 429 and other.status_code == 303
