from collections.abc import Callable

import pytest

from app.fair.categories import fair_categories
from app.fair.models import Fair, Participant, Post
from app.fair.posts import PostData, create_post
from app.fair.sectors import PostKind
from app.fair.trading import open_trading


@pytest.fixture
def trading_fair(fair: Fair, organiser: Participant) -> Fair:
    open_trading(organiser, fair.id, 90)
    return fair


@pytest.fixture
def category(fair: Fair) -> Callable[[str], int]:
    def by_key(key: str = "rooms") -> int:
        return next(c.id for c in fair_categories(fair.id, include_archived=True) if c.key == key)

    return by_key


@pytest.fixture
def make_post(trading_fair: Fair, category: Callable[[str], int]) -> Callable[..., Post]:
    def make(author: Participant, title: str = "Sala na 30 osób", kind: PostKind = PostKind.OFFER,
             category_key: str = "rooms", **kw: object) -> Post:
        return create_post(author, trading_fair.id,
                           PostData(kind=kind, category_id=category(category_key), title=title, **kw))

    return make
