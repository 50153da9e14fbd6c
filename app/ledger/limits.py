"""Floors and ceilings: how far an account may go into debit and how much it may hold.

Defaults come from the app config key `LEDGER_LIMITS`, a mapping from account kind to a
`(floor, ceiling)` pair, merged over the network default of −500 / +1,000 for members' and
people's accounts (`member`, `individual`). An account's own `floor` / `ceiling` columns, when set, win. System accounts
(such as `opening`, the counterpart of opening balances) have no limits.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.ledger.models import Account, AccountKind

NETWORK_FLOOR = -500
NETWORK_CEILING = 1000
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    AccountKind.MEMBER.value: (NETWORK_FLOOR, NETWORK_CEILING),
    AccountKind.INDIVIDUAL.value: (NETWORK_FLOOR, NETWORK_CEILING),
    # Closed per-fair accounts take no postings; their limits only describe their past.
    AccountKind.ORGANISATION.value: (NETWORK_FLOOR, NETWORK_CEILING),
    AccountKind.PERSON.value: (NETWORK_FLOOR, NETWORK_CEILING),
}
# What LEDGER_LIMITS called members' and people's accounts before the network: still understood
# (the new name wins when both are given).
_ALIASES = {AccountKind.ORGANISATION.value: AccountKind.MEMBER.value,
            AccountKind.PERSON.value: AccountKind.INDIVIDUAL.value}
# An account whose balance is this close to its floor (as a share of the floor) gets a warning.
WARNING_SHARE = 0.10


class LimitError(DomainError):
    """A posting would take an account past its floor or ceiling (code below_floor/above_ceiling)."""

    status = 409


@dataclass(frozen=True)
class Limits:
    floor: int | None
    ceiling: int | None

    def allows(self, balance: int) -> bool:
        return (self.floor is None or balance >= self.floor) and (
            self.ceiling is None or balance <= self.ceiling)


def kind_defaults(kind: AccountKind) -> Limits:
    if kind == AccountKind.SYSTEM:
        return Limits(None, None)
    given = current_app.config.get("LEDGER_LIMITS") or {}
    configured = {**DEFAULT_LIMITS, **{_ALIASES.get(k, k): v for k, v in given.items()},
                  **{k: v for k, v in given.items() if k in _ALIASES.values()}}
    floor, ceiling = configured.get(kind.value, (NETWORK_FLOOR, NETWORK_CEILING))
    return Limits(int(floor), int(ceiling))


def limits_for(account: Account) -> Limits:
    return limits_of(account.kind, account.floor, account.ceiling)


def limits_of(kind: AccountKind, floor: int | None, ceiling: int | None, default: Limits | None = None) -> Limits:
    """An account's limits from its kind and its own columns; `default` is `kind_defaults(kind)`
    when the caller has it already (the exports, for every account)."""
    if kind == AccountKind.SYSTEM:
        return Limits(None, None)
    default = default or kind_defaults(kind)
    return Limits(floor if floor is not None else default.floor, ceiling if ceiling is not None else default.ceiling)


def check_move(account: Account, balance: int, points: int) -> None:
    """Refuse a posting of `points` that would take `balance` across a limit.

    Only a move towards a limit is refused: an account left below its floor by a lowered limit
    may still receive points, and one above its ceiling may still spend.
    """
    limits = limits_for(account)
    after = balance + points
    if points < 0 and limits.floor is not None and after < limits.floor:
        raise LimitError(
            _l("%(account)s cannot go below its floor of %(limit)s points "
               "(balance %(balance)s, change %(points)s).",
               account=account.name, limit=limits.floor, balance=balance, points=points),
            code="below_floor", account_id=account.id, limit=limits.floor, balance=balance,
            points=points)
    if points > 0 and limits.ceiling is not None and after > limits.ceiling:
        raise LimitError(
            _l("%(account)s cannot go above its ceiling of %(limit)s points "
               "(balance %(balance)s, change +%(points)s).",
               account=account.name, limit=limits.ceiling, balance=balance, points=points),
            code="above_ceiling", account_id=account.id, limit=limits.ceiling, balance=balance,
            points=points)


def near_floor(account: Account, balance: int | None = None) -> bool:
    """True when the balance is within 10 % of the floor (e.g. −450 or less for −500)."""
    floor = limits_for(account).floor
    if floor is None:
        return False
    value = account.balance if balance is None else balance
    return (value - floor) <= abs(floor) * WARNING_SHARE
