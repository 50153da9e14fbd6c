"""The big screen and the control room pages (app/reports/views/screen.py)."""

from __future__ import annotations

from typing import Any

from tests.agreements import conftest as contract_fixtures

make_signed_agreement = contract_fixtures.make_signed_agreement  # a fixture


def text(r):
    return r.get_data(as_text=True)


def test_screen_needs_the_display_token(client, fair):
    assert client.get(f"/f/{fair.slug}/screen/wrong-token").status_code == 404
    r = client.get(f"/f/{fair.slug}/screen/{fair.display_token}")
    assert r.status_code == 200 and "<svg" in text(r)


def test_screen_shows_the_social_value_beside_the_agreements(client, trading_fair, make_signed_agreement):
    url = f"/f/{trading_fair.slug}/screen/{trading_fair.display_token}"
    assert 'id="s-social-value" hidden' in text(client.get(url))  # nothing pledged yet
    make_signed_agreement()  # 3 h + 4 h of basic help × 28,61 zł = 200,27 zł
    html = text(client.get(url))
    value = html.split('id="s-social-value"')[1].split("</div>")[0]
    assert not value.startswith(" hidden") and ">200 zł<" in value and "szacunkowej wartości społecznej" in value
    assert html.index('id="n-agreements_signed"') < html.index('id="s-social-value"')  # in the agreements' box


def test_screen_script_follows_the_reveal_event(app: Any) -> None:
    from app.core.paths import ROOT

    script = (ROOT / "static/js/screen.js").read_text()
    assert '"fair.results_revealed"' in script and '"/results"' in script


def test_control_room_page_and_fragment(client, trading_fair, organiser, make_participant, login):
    make_participant("Bożena", "Cicha")
    login(organiser)
    page = client.get(f"/f/{trading_fair.slug}/admin/control")
    assert page.status_code == 200 and "Bożena Cicha" in page.get_data(as_text=True)
    fragment = client.get(f"/f/{trading_fair.slug}/admin/control/panels")
    assert fragment.status_code == 200 and 'id="panel-without-posts"' in fragment.get_data(as_text=True)


def test_control_fragment_forbidden_to_notary(client, trading_fair, notary, login):
    login(notary)
    assert client.get(f"/f/{trading_fair.slug}/admin/control/panels").status_code == 403


def test_control_room_lists_hidden_posts_with_organisation_and_reason(client, trading_fair, organiser,
                                                                       make_participant, make_post, login):
    from app.floor.posts import hide_post

    author = make_participant(organisation="Fundacja Żuraw")
    post = make_post(author, "Rzutnik na sobotę")
    hide_post(organiser, trading_fair.id, post.id, "Powtórzone ogłoszenie")
    login(organiser)
    page = text(client.get(f"/f/{trading_fair.slug}/admin/control"))
    assert "Rzutnik na sobotę</a> — Fundacja Żuraw" in page and "Powtórzone ogłoszenie" in page


def test_waiting_agreements_shown_by_their_parties(client, trading_fair, organiser, make_participant,
                                                   make_draft, login):
    from app.agreements.signing import sign_agreement

    draft = make_draft(make_participant(organisation="Klub Sokół"), make_participant(organisation="Urząd Gminy"))
    for party in draft.parties:
        sign_agreement(party.representative, trading_fair.id, draft.id, draft.version)
    login(organiser)
    fragment = text(client.get(f"/f/{trading_fair.slug}/admin/control/panels"))
    assert "Klub Sokół ⇄ Urząd Gminy" in fragment
