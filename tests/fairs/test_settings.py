"""Fair settings (app/fairs/settings.py): the settings and the big screen's link."""


import pytest

from app.core.errors import DomainError
from app.core.extensions import db
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
