"""Credentials (app/people/credentials.py): login links, staff passwords, reissue and revoke
(PINs: test_pin_guard.py)."""

import pytest

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.roles import Role
from app.people.credentials import (
    login_with_password,
    login_with_secret,
    reissue_login,
    revoke_login,
    set_password,
    set_password_unchecked,
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


def test_only_the_coordinator_sets_their_password(fair, organiser, make_participant):
    """The coordinator's password opens every fair's ledger: another organiser may not set it
    (and then log in as them)."""
    from app.ledger.coordinators import set_network_coordinator
    from app.ledger.permissions import SystemActor

    cezary = make_participant("Cezary", role=Role.ORGANISER)
    coordinator = set_network_coordinator(SystemActor(), cezary.id, True)
    space = coordinator.fair_id
    colleague = set_network_coordinator(SystemActor(), organiser.id, True)  # another coordinator
    with pytest.raises(DomainError) as err:
        set_password(colleague, space, coordinator.id, "a password chosen by someone else")
    assert err.value.code == "coordinator_password"
    assert login_with_password(space, coordinator.email, PASSWORD).id == coordinator.id
    set_password(coordinator, space, coordinator.id, "my own new password")
    assert login_with_password(space, coordinator.email, "my own new password").id == coordinator.id


def test_reissue_signs_out_existing_session(client, fair, organiser, make_participant, login):
    from app.people.credentials import reissue_login

    p = make_participant()
    login(p)
    assert client.get(f"/f/{fair.slug}/me").status_code == 200
    reissue_login(organiser, fair.id, p.id)
    assert client.get(f"/f/{fair.slug}/me").status_code == 302


def test_staff_passwords_are_hashed_with_scrypt_unless_configured(tmp_path):
    from app.core.config import load_config

    assert load_config(tmp_path, {"SECRET_KEY": "x"})["PASSWORD_HASH_METHOD"] == "scrypt"


def test_a_password_hashed_by_another_method_still_logs_in(app, fair, make_participant):
    organiser = make_participant("Ewa", "Zając", role=Role.ORGANISER, email="ewa@example.org")
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    with transaction():
        set_password_unchecked(organiser, "haslo-na-gielde-2026")
    assert organiser.password_hash.startswith("scrypt:")
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # the method changed afterwards
    assert login_with_password(fair.id, "ewa@example.org", "haslo-na-gielde-2026").id == organiser.id
