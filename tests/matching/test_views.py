"""Matching's pages (app/matching/views.py): matches for you with their explanation, the
organisers' synonym page (linked from the fair's settings)."""

from app.floor.kinds import PostKind
from app.matching.synonyms import groups_text


def text(r):
    return r.get_data(as_text=True)


def csrf(page):
    import re

    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_the_matches_page_lists_each_post_with_matches_and_why(client, trading_fair, make_participant,
                                                                make_post, login):
    me = make_participant()
    make_post(me, "Sala na szkolenia")
    make_post(make_participant(), "Potrzebna sala na szkolenie", kind=PostKind.NEED)
    login(me)
    page = text(client.get(f"/f/{trading_fair.slug}/matches"))
    assert "Potrzebna sala na szkolenie" in page
    assert "wspólne: " in page and "sala" in page.split("wspólne: ")[1]


def test_the_matches_page_says_when_there_is_nothing_yet(client, trading_fair, make_participant, make_post,
                                                         login):
    me = make_participant()
    make_post(me, "Sala na szkolenia")
    login(me)
    assert "brak dopasowań" in text(client.get(f"/f/{trading_fair.slug}/matches"))


def test_the_organiser_edits_synonyms_on_their_page(client, fair, organiser, login):
    login(organiser)
    assert f"/f/{fair.slug}/admin/synonyms" in text(client.get(f"/f/{fair.slug}/admin/settings"))
    page = text(client.get(f"/f/{fair.slug}/admin/synonyms"))
    r = client.post(f"/f/{fair.slug}/admin/synonyms", data={"text": "rzutnik = projektor", "csrf_token": csrf(page)})
    assert r.status_code == 303
    assert groups_text(fair.id) == "rzutnik = projektor"
    assert "rzutnik = projektor" in text(client.get(f"/f/{fair.slug}/admin/synonyms"))


def test_a_refused_line_is_said_and_nothing_is_saved(client, fair, organiser, login):
    login(organiser)
    page = text(client.get(f"/f/{fair.slug}/admin/synonyms"))
    r = client.post(f"/f/{fair.slug}/admin/synonyms", data={"text": "rzutnik", "csrf_token": csrf(page)})
    assert r.status_code == 422 and "Wiersz 1" in text(r)
    assert groups_text(fair.id) == ""
