"""The public card a badge's QR code opens (app/floor/views/cards.py)."""


def text(r):
    return r.get_data(as_text=True)


def test_card_shows_only_shared_contacts(client, fair, make_participant):
    p = make_participant(email="hidden@example.org", phone="+48 600 100 200", show_phone=True)
    r = client.get(f"/p/{p.badge_code}")
    assert r.status_code == 200
    assert "+48 600 100 200" in text(r) and "hidden@example.org" not in text(r)
    assert p.login_secret not in text(r) and p.pin not in text(r)


def test_card_of_removed_participant_is_404(client, fair, organiser, make_participant):
    from app.people.participants import remove_participant

    p = make_participant()
    remove_participant(organiser, fair.id, p.id)
    assert client.get(f"/p/{p.badge_code}").status_code == 404


def test_card_lists_live_posts(client, trading_fair, make_participant, make_post):
    p = make_participant()
    make_post(p, "Rzutnik do pożyczenia", category_key="equipment")
    assert "Rzutnik do pożyczenia" in text(client.get(f"/p/{p.badge_code}"))


def test_card_offers_make_an_agreement_to_others_only(client, trading_fair, make_participant, login):
    a, b = make_participant(), make_participant()
    login(a)
    assert 'id="make-agreement"' in text(client.get(f"/p/{b.badge_code}"))
    assert 'id="make-agreement"' not in text(client.get(f"/p/{a.badge_code}"))
