"""Fair settings (app/fairs/settings.py): the settings and the big screen's link."""

from datetime import UTC, datetime

import pytest

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.events import events_since
from app.fairs.models import Fair
from app.fairs.settings import FairSettings, rotate_display_link, update_fair_settings


def test_update_settings(fair, organiser):
    f = update_fair_settings(organiser, fair.id, FairSettings(name="Giełda 2027", point_rate=15,
                                                               target_agreements=120, notary_required=False))
    assert (f.name, f.point_rate, f.target_agreements, f.notary_required) == ("Giełda 2027", 15, 120, False)


def test_settings_validation(fair, organiser):
    with pytest.raises(DomainError) as err:
        update_fair_settings(organiser, fair.id, FairSettings(name="x", target_agreements=0))
    assert err.value.code == "invalid_target"


def test_rotate_display_link_voids_old_one(client, fair, organiser):
    old = fair.display_token
    rotate_display_link(organiser, fair.id)
    db.session.refresh(fair)
    assert fair.display_token != old
    assert client.get(f"/f/{fair.slug}/screen/{old}").status_code == 404
    assert client.get(f"/f/{fair.slug}/screen/{fair.display_token}").status_code == 200


@pytest.mark.parametrize(("settings", "code"), [
    (FairSettings(name="  "), "name_missing"),
    (FairSettings(name="Giełda", trading_opens_at=datetime(2027, 3, 14, 10, tzinfo=UTC),
                  trading_closes_at=datetime(2027, 3, 14, 10, tzinfo=UTC)), "invalid_window"),
    (FairSettings(name="Giełda", point_rate=-1), "invalid_rate"),
    (FairSettings(name="Giełda", point_rate=1001), "invalid_rate"),
    (FairSettings(name="Giełda", target_agreements=100_001), "invalid_target"),
])
def test_refused_settings_change_nothing(fair, organiser, settings, code):
    with pytest.raises(DomainError) as err:
        update_fair_settings(organiser, fair.id, settings)
    assert err.value.code == code
    db.session.expire_all()
    assert db.session.get_one(Fair, fair.id).name == "Giełda Zasobów Tczew"


def test_closing_registration_in_the_settings_is_told_to_the_fair(fair, organiser):
    update_fair_settings(organiser, fair.id, FairSettings(name=fair.name, registration_open=False))
    evt = events_since(fair.id, 0, None)[-1]
    assert evt.type == "fair.registration_changed" and evt.payload == {"registration_open": False}


def test_only_organisers_change_the_settings_or_the_screen_link(fair, notary):
    token = fair.display_token
    for change in (lambda: update_fair_settings(notary, fair.id, FairSettings(name="Giełda notariusza")),
                   lambda: rotate_display_link(notary, fair.id)):
        with pytest.raises(DomainError) as err:
            change()
        assert err.value.code == "forbidden_role"
    db.session.expire_all()
    assert db.session.get_one(Fair, fair.id).display_token == token
