"""Login link, PIN fallback with lockout, staff passwords, reissue and revoke."""

from datetime import timedelta

import pytest

from app.db import transaction, utcnow
from app.errors import DomainError
from app.extensions import db
from app.fair.credentials import (
    login_with_password,
    login_with_pin,
    login_with_secret,
    reissue_login,
    revoke_login,
    set_password,
)
from tests.conftest import PASSWORD


def test_login_link_logs_in(fair, make_participant):
    p = make_participant()
    assert login_with_secret(fair.id, p.login_secret).id == p.id


def test_login_link_of_other_fair_refused(fair, make_fair, make_participant):
    p = make_participant()
    other = make_fair()
    with pytest.raises(DomainError) as err:
        login_with_secret(other.id, p.login_secret)
    assert err.value.code == "invalid_login_link"


def test_reissued_link_replaces_old(fair, organiser, make_participant):
    p = make_participant()
    old_secret, old_pin, old_version = p.login_secret, p.pin, p.login_version
    reissue_login(organiser, fair.id, p.id)
    db.session.refresh(p)
    assert p.login_secret != old_secret and p.login_version == old_version + 1
    assert p.pin != old_pin or len(p.pin) == 6
    with pytest.raises(DomainError) as err:
        login_with_secret(fair.id, old_secret)
    assert err.value.code == "invalid_login_link"
    assert login_with_secret(fair.id, p.login_secret).id == p.id


def test_revoked_login_refused(fair, organiser, make_participant):
    p = make_participant()
    revoke_login(organiser, fair.id, p.id)
    with pytest.raises(DomainError) as err:
        login_with_secret(fair.id, p.login_secret)
    assert err.value.code == "invalid_login_link"


def test_only_organiser_reissues(fair, notary, make_participant):
    p = make_participant()
    with pytest.raises(DomainError) as err:
        reissue_login(notary, fair.id, p.id)
    assert err.value.code == "forbidden_role"


def test_pin_login(fair, make_participant):
    p = make_participant()
    assert login_with_pin(fair.id, p.badge_code.lower(), p.pin).id == p.id


def test_wrong_pin_refused_and_counted(fair, make_participant):
    p = make_participant()
    wrong = "000000" if p.pin != "000000" else "111111"
    with pytest.raises(DomainError) as err:
        login_with_pin(fair.id, p.badge_code, wrong)
    assert err.value.code == "invalid_pin"
    db.session.refresh(p)
    assert p.pin_failures == 1


def test_pin_locks_after_repeated_failures_even_for_right_pin(app, fair, make_participant):
    p = make_participant()
    wrong = "000000" if p.pin != "000000" else "111111"
    codes = []
    for _ in range(app.config["PIN_MAX_FAILURES"]):
        with pytest.raises(DomainError) as err:
            login_with_pin(fair.id, p.badge_code, wrong)
        codes.append(err.value.code)
    assert codes[-1] == "pin_locked"
    with pytest.raises(DomainError) as err:
        login_with_pin(fair.id, p.badge_code, p.pin)
    assert err.value.code == "pin_locked"


def test_pin_lock_expires(app, fair, make_participant):
    p = make_participant()
    with transaction():
        db.session.get(type(p), p.id).pin_locked_until = utcnow() - timedelta(seconds=1)
    assert login_with_pin(fair.id, p.badge_code, p.pin).id == p.id


def test_reissue_unlocks_pin(fair, organiser, make_participant):
    p = make_participant()
    with transaction():
        db.session.get(type(p), p.id).pin_locked_until = utcnow() + timedelta(minutes=10)
    reissue_login(organiser, fair.id, p.id)
    db.session.refresh(p)
    assert login_with_pin(fair.id, p.badge_code, p.pin).id == p.id


def test_unknown_badge_pin_is_generic_error(fair):
    with pytest.raises(DomainError) as err:
        login_with_pin(fair.id, "ABCDEFGH", "123456")
    assert err.value.code == "invalid_pin"


def test_staff_password_login(fair, organiser):
    assert login_with_password(fair.id, "ORG@example.org", PASSWORD).id == organiser.id


def test_wrong_password_refused(fair, organiser):
    with pytest.raises(DomainError) as err:
        login_with_password(fair.id, "org@example.org", "wrong password")
    assert err.value.code == "invalid_password"


def test_password_is_hashed(fair, organiser):
    assert PASSWORD not in (organiser.password_hash or "")


def test_participant_cannot_get_password(fair, organiser, make_participant):
    p = make_participant()
    with pytest.raises(DomainError) as err:
        set_password(organiser, fair.id, p.id, "a long enough password")
    assert err.value.code == "not_staff"


def test_short_password_refused(fair, organiser, notary):
    with pytest.raises(DomainError) as err:
        set_password(organiser, fair.id, notary.id, "short")
    assert err.value.code == "password_too_short"


def test_notary_sets_own_password(fair, notary):
    set_password(notary, fair.id, notary.id, "a new long password")
    assert login_with_password(fair.id, notary.email, "a new long password").id == notary.id
