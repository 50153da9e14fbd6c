import pytest

from app.core.errors import DomainError
from app.core.storage.events import events_since
from app.fairs.models import FairState
from app.fairs.trading import announce, close_trading, open_trading, set_trading_timer


def test_opening_gong(fair, organiser):
    opened = open_trading(organiser, fair.id, 90)
    assert opened.state == FairState.TRADING
    assert (opened.trading_closes_at - opened.trading_started_at).total_seconds() == pytest.approx(5400, abs=2)
    evt = events_since(fair.id, 0, None)[-1]
    assert evt.type == "fair.trading_opened" and evt.payload["state"] == "trading"


def test_opening_twice_refused(fair, organiser):
    open_trading(organiser, fair.id, 90)
    with pytest.raises(DomainError) as err:
        open_trading(organiser, fair.id, 90)
    assert err.value.code == "already_trading"


def test_closing_gong(fair, organiser):
    open_trading(organiser, fair.id, 90)
    closed = close_trading(organiser, fair.id)
    assert closed.state == FairState.CLOSED and closed.trading_ended_at is not None
    assert events_since(fair.id, 0, None)[-1].type == "fair.trading_closed"


def test_close_when_not_trading_refused(fair, organiser):
    with pytest.raises(DomainError) as err:
        close_trading(organiser, fair.id)
    assert err.value.code == "not_trading"


def test_reopen_after_close_keeps_first_opening(fair, organiser):
    first = open_trading(organiser, fair.id, 90).trading_started_at
    close_trading(organiser, fair.id)
    again = open_trading(organiser, fair.id, 10)
    assert again.trading_started_at == first and again.trading_ended_at is None


@pytest.mark.parametrize("minutes", [0, 481])
def test_duration_bounds(minutes, fair, organiser):
    with pytest.raises(DomainError) as err:
        open_trading(organiser, fair.id, minutes)
    assert err.value.code == "invalid_duration"


def test_timer(fair, organiser):
    open_trading(organiser, fair.id, 90)
    f = set_trading_timer(organiser, fair.id, 5)
    assert events_since(fair.id, 0, None)[-1].type == "fair.timer_changed"
    assert f.trading_closes_at is not None


def test_only_organisers_ring_the_gong(fair, notary):
    with pytest.raises(DomainError) as err:
        open_trading(notary, fair.id, 90)
    assert err.value.code == "forbidden_role"


def test_announcement(fair, organiser):
    item = announce(organiser, fair.id, "  Zostało 10 minut!  ")
    assert item.text == "Zostało 10 minut!"
    evt = events_since(fair.id, 0, None)[-1]
    assert evt.type == "fair.announcement" and evt.payload["text"] == "Zostało 10 minut!"


def test_empty_announcement_refused(fair, organiser):
    with pytest.raises(DomainError) as err:
        announce(organiser, fair.id, " ")
    assert err.value.code == "invalid_announcement"
