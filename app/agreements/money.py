"""The one binding rule of the method: money is taboo. An obligation whose consideration is
money is refused; a contribution to costs (transport, materials) may be named as such."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError
from app.core.textkeys import search_key

# Matched on text folded by search_key (lower case, no diacritics: "zł" -> "zl").
_CURRENCY = r"(?:zl|zlotych|zlote|zloty|zlotego|pln|eur|euro|euros|usd|gbp|chf|dolar\w*|€|\$|£)"
_AMOUNT = re.compile(
    rf"(?:\d[\d\s.,]*\s*(?:tys\.?\s*)?{_CURRENCY}(?![a-z]))|(?:(?<![a-z]){_CURRENCY}\s*\d)")
_MONEY_WORDS = re.compile(r"(?<![a-z])(?:" + "|".join([
    r"gotowk\w*", r"przelew\w*", r"zaplat\w*", r"zaplac\w*", r"placimy", r"placi\w*", r"oplat\w*",
    r"pieniadz\w*", r"pieniedz\w*", r"pieniez\w*", r"wynagrodzeni\w*", r"honorari\w*",
    r"faktur\w*", r"kwot\w*", r"blik", r"zaliczk\w*",
    r"cash", r"money", r"payment\w*", r"pay", r"pays", r"paid", r"paying", r"invoice\w*",
    r"wire transfer", r"bank transfer", r"fee", r"fees", r"salary", r"remuneration",
]) + r")(?![a-z])")
# Naming a contribution to costs "as such" makes a mention of money acceptable.
_COSTS = re.compile(r"(?<![a-z])(?:" + "|".join([
    r"zwrot\w* koszt\w*", r"pokryci\w* koszt\w*", r"koszt\w* (?:dojazdu|transportu|paliwa|materialow|"
    r"przejazdu|druku|wydruku|produktow|skladnikow)", r"koszty wlasne", r"partycypacj\w* w kosztach",
    r"dojazd\w*", r"paliw\w*", r"material\w*",
    r"(?:transport|travel|fuel|material|materials|printing) costs?", r"costs? of (?:transport|travel|fuel|"
    r"materials|printing)", r"reimburse\w*", r"contribution to (?:the )?costs?",
]) + r")(?![a-z])")
_CLAUSES = re.compile(r"[.;\n]|(?:,\s)|(?:\s-\s)|(?:\s–\s)")


class MoneyError(ValidationError):
    pass


def mentions_money(text: str) -> bool:
    """True when some clause of `text` offers or asks money without naming it, in that clause or
    the one just before, a contribution to costs."""
    folded = re.sub(r"(?<![a-z])(tys|mln|ok)\.", r"\1", search_key(text))
    previous = ""
    for clause in _CLAUSES.split(folded):
        names_costs = _COSTS.search(clause) or _COSTS.search(previous)  # "costs of fuel, 40 EUR"
        if (_AMOUNT.search(clause) or _MONEY_WORDS.search(clause)) and not names_costs:
            return True
        previous = clause
    return False


def check_no_money(*texts: str) -> None:
    """Raise MoneyError if any text makes money the consideration."""
    if any(mentions_money(t) for t in texts if t):
        raise MoneyError(
            _l("Money is taboo at the fair: an agreement exchanges rooms, time, skills, equipment or "
               "services, never money. You may name a contribution to costs (for example transport or "
               "materials) as such."),
            code="money_taboo")
