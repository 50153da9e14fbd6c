"""Reading the floor's posts for pages (app/floor/queries.py)."""

from app.floor.posts import hide_post
from app.floor.queries import hidden_posts


def test_hidden_posts_latest_first_with_organisation_and_reason(trading_fair, organiser, make_participant,
                                                                 make_post):
    author = make_participant(organisation="Fundacja Żuraw")
    first, second = make_post(author, "Rzutnik"), make_post(author, "Sala")
    make_post(author, "Nagłośnienie")  # still on the board
    hide_post(organiser, trading_fair.id, first.id, "Powtórzone")
    hide_post(organiser, trading_fair.id, second.id, "Nie na temat")
    assert [(p.id, p.title, p.organisation_name, p.hidden_reason) for p in hidden_posts(trading_fair.id)] == [
        (second.id, "Sala", "Fundacja Żuraw", "Nie na temat"), (first.id, "Rzutnik", "Fundacja Żuraw", "Powtórzone")]
