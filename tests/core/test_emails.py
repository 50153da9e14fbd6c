"""One e-mail rule everywhere (app/core/emails.py)."""

from __future__ import annotations

import pytest

from app.core.emails import normalise_email
from app.core.errors import DomainError

REFUSED = ["anna@tczew.local", "x@localhost", "no-at-sign.example.org", "a@b", "a b@example.org",
           "anna@example.org\x00", "ą" * 250 + "@example.org"]
ACCEPTED = ["anna.nowak@example.org", "Ewa.Żak@Fundacja.PL", "organizator@tczew.example.org"]


@pytest.mark.parametrize("address", REFUSED)
def test_the_rule_refuses_addresses_nobody_can_write_to(address: str) -> None:
    with pytest.raises(DomainError) as err:
        normalise_email(address)
    assert err.value.code == "invalid_email"


@pytest.mark.parametrize("address", ACCEPTED)
def test_the_rule_accepts_real_addresses(address: str) -> None:
    assert normalise_email(address).lower() == address.lower()
