"""The network's space (app/fairs/network_space.py): one, made when first needed, always open."""

import pytest
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.fairs.models import Fair, FairKind, FairState
from app.fairs.network_space import ensure_network_space, network_space
from app.fairs.trading import close_trading, open_trading


def test_there_is_none_until_needed(app):
    assert network_space() is None


def test_it_is_made_once_trading_without_a_notary(app):
    with transaction():
        first = ensure_network_space()
    with transaction():
        again = ensure_network_space()
    assert first.id == again.id and first.slug == app.config["NETWORK_SLUG"]
    assert (first.kind, first.state, first.notary_required) == (FairKind.NETWORK, FairState.TRADING, False)
    assert db.session.scalar(select(func.count()).select_from(Fair).where(Fair.kind == FairKind.NETWORK)) == 1


def test_it_takes_another_address_when_a_fair_has_its_name(app, make_fair):
    make_fair(slug=app.config["NETWORK_SLUG"])
    with transaction():
        space = ensure_network_space()
    assert space.slug == f"{app.config['NETWORK_SLUG']}-2"


def test_it_has_the_seeded_categories(app):
    from app.fairs.categories import fair_categories

    with transaction():
        space = ensure_network_space()
    assert [c.key for c in fair_categories(space.id)][:2] == ["rooms", "equipment"]


@pytest.mark.parametrize("gong", [lambda a, f: open_trading(a, f, 30), close_trading])
def test_no_gong_is_struck_in_the_space(make_participant, gong):
    from app.between.space import enter_network_space
    from app.fairs.roles import Role
    from app.ledger.coordinators import set_network_coordinator
    from app.ledger.permissions import SystemActor

    coordinator = set_network_coordinator(SystemActor(), make_participant(role=Role.ORGANISER).id, True)
    enter_network_space(make_participant())
    with pytest.raises(DomainError) as err:
        gong(coordinator, coordinator.fair_id)
    assert err.value.code == "network_always_open"
