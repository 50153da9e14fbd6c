"""A post's card, rendered once and reused: every phone loading the board during a burst gets
the same cards, so each card's HTML is kept (in this process, a bounded LRU) under a key holding
every value the card shows — the post's fields and version, its category's label, its
organisation and author, the fair, the language and the application root — and rendered again
only when one of them changes.

The board reads its page as plain rows of those values (app/floor/board.py `CARD_COLUMNS`) and
renders its cards from them: a card found here is found by the row's values alone, and one that is
not is rendered from a `CardPost` made of the row, never from an ORM object."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from flask import get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup

MAX_CARDS = 5_000

_cards: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
_lock = threading.Lock()


def _page_key(fair: Any) -> tuple[Any, ...]:
    """What every card of one page shares: the language, the application root, the fair."""
    return str(get_locale()), request.script_root, fair.slug


def _key(page: tuple[Any, ...], post: Any, category_names: dict[int, str] | None) -> tuple[Any, ...]:
    """The key of a post's card: the page's, then the values of the card (in `CARD_COLUMNS`'
    order, the category's label in place of its name). Enumerations are string enums: a row's
    and an object's keys of the same post are equal."""
    label = category_names[post.category_id] if category_names else post.category.name
    org = post.organisation
    return (*page, post.id, post.version, post.kind, post.title, post.details, post.quantity, post.unit,
            post.available_when, post.category_id, label, org.name, org.sector, post.author.badge_code)


def _row_key(page: tuple[Any, ...], row: Any, category_names: dict[int, str] | None) -> tuple[Any, ...]:
    """`_key` of a board row (board.CARD_COLUMNS), read off the row as it is."""
    values = tuple(row)
    label = category_names[values[_CATEGORY_ID]] if category_names else values[_CATEGORY_NAME]
    return (*page, *values[:_CATEGORY_NAME], label, *values[_CATEGORY_NAME + 1:])


_CATEGORY_ID, _CATEGORY_NAME = 8, 9  # where board.CARD_COLUMNS has them


def _kept(key: tuple[Any, ...], render: Callable[[], str]) -> Markup:
    with _lock:
        html = _cards.get(key)
        if html is not None:
            _cards.move_to_end(key)
            return html
    html = Markup(render())
    with _lock:
        _cards[key] = html
        while len(_cards) > MAX_CARDS:
            _cards.popitem(last=False)
    return html


def _render(post: Any, fair: Any, category_names: dict[int, str] | None) -> str:
    return str(get_template_attribute("floor/_post.html", "post_card")(post, fair, category_names))


def post_card_html(post: Any, fair: Any, category_names: dict[int, str] | None = None) -> Markup:
    """The card of templates/floor/_post.html for this post, from the cache when nothing on it
    has changed."""
    return _kept(_key(_page_key(fair), post, category_names), lambda: _render(post, fair, category_names))


class CardPost:
    """A post as its card sees it, made from a board row (board.CARD_COLUMNS) instead of an ORM
    object: the same attributes the card template and `_key` read, nothing more."""

    __slots__ = ("author", "available_when", "category", "category_id", "details", "id", "kind", "organisation",
                 "quantity", "title", "unit", "version")

    def __init__(self, row: Any) -> None:
        self.id, self.version, self.kind, self.title = row.id, row.version, row.kind, row.title
        self.details, self.quantity, self.unit = row.details, row.quantity, row.unit
        self.available_when, self.category_id = row.available_when, row.category_id
        self.category = SimpleNamespace(name=row.category_name)
        self.organisation = SimpleNamespace(name=row.organisation_name, sector=row.sector)
        self.author = SimpleNamespace(badge_code=row.author_badge)


def board_cards_html(fair: Any, rows: Iterable[Any], category_names: dict[int, str] | None = None) -> Markup:
    """The cards of these board rows (board.CARD_COLUMNS), in their order: a card object is made
    of a row only when its card is not kept."""
    page = _page_key(fair)

    def card(row: Any) -> Markup:
        return _kept(_row_key(page, row, category_names), lambda: _render(CardPost(row), fair, category_names))

    return Markup("").join(card(row) for row in rows)


def forget_cards() -> None:
    """Empty the cache (tests, or after a template change at run time)."""
    with _lock:
        _cards.clear()
