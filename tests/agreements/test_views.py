"""Agreement pages (app/agreements/views.py): from a card to a signed agreement, the notary's desk,
the follow-up."""

import pytest

from app.agreements.models import Agreement, AgreementState
from app.core.extensions import db


def text(r):
    return r.get_data(as_text=True)


def test_start_edit_sign_flow(client, trading_fair, notary, make_participant, login):
    a, b = make_participant(), make_participant()
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/new", data={"with": b.badge_code})
    assert r.status_code == 303
    agreement = db.session.query(Agreement).one()
    edit = f"/f/{trading_fair.slug}/agreements/{agreement.id}/edit"
    assert client.get(edit).status_code == 200
    form = {
        "version": agreement.version,
        "parties-0-organisation_id": a.organisation_id, "parties-0-representative_id": a.id,
        "parties-0-contact_name": "Łucja", "parties-0-contact_details": "600 100 200",
        "parties-1-organisation_id": b.organisation_id, "parties-1-representative_id": b.id,
        "parties-1-contact_name": "Żaneta", "parties-1-contact_details": "",
        "obligations-0-giver": a.organisation_id, "obligations-0-receiver": b.organisation_id,
        "obligations-0-description": "Sala na 30 osób", "obligations-0-hours": "3", "obligations-0-unit": "",
        "obligations-1-giver": b.organisation_id, "obligations-1-receiver": a.organisation_id,
        "obligations-1-description": "", "obligations-1-unit": "",
        "action": "save",
    }
    r = client.post(edit, data=form)
    assert r.status_code == 303, text(r)
    db.session.expire_all()
    agreement = db.session.get(Agreement, agreement.id)
    assert [o.description for o in agreement.obligations] == ["Sala na 30 osób"]
    assert agreement.obligations[0].points == 3 * trading_fair.point_rate
    r = client.post(f"/f/{trading_fair.slug}/agreements/{agreement.id}/sign", data={"version": agreement.version})
    assert r.status_code == 303
    detail = text(client.get(f"/f/{trading_fair.slug}/agreements/{agreement.id}"))
    assert "id=\"sign-button\"" not in detail and "Sala na 30 osób" in detail


def test_money_in_editor_is_explained(client, trading_fair, make_participant, make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    form = {
        "version": d.version,
        "parties-0-organisation_id": a.organisation_id, "parties-0-representative_id": a.id,
        "parties-1-organisation_id": b.organisation_id, "parties-1-representative_id": b.id,
        "obligations-0-giver": a.organisation_id, "obligations-0-receiver": b.organisation_id,
        "obligations-0-description": "Zapłacimy 500 zł", "obligations-0-unit": "", "action": "save",
    }
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/edit", data=form)
    assert r.status_code == 200 and "tabu" in text(r)
    db.session.expire_all()
    assert db.session.get(Agreement, d.id).obligations[0].description != "Zapłacimy 500 zł"


def test_add_obligation_row_does_not_save(client, trading_fair, make_participant, make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    page = client.get(f"/f/{trading_fair.slug}/agreements/{d.id}/edit")
    assert text(page).count('class="card obligation"') == 3  # two saved + one empty row


def test_shared_device_signing_page(client, trading_fair, make_participant, make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/sign-shared",
                    data={"version": d.version, "badge_code": b.badge_code, "pin": b.pin})
    assert r.status_code == 303
    db.session.expire_all()
    assert [s.participant_id for s in db.session.get(Agreement, d.id).current_signatures()] == [b.id]


def test_stranger_cannot_see_agreement(client, trading_fair, make_participant, make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(make_participant())
    assert client.get(f"/f/{trading_fair.slug}/agreements/{d.id}").status_code == 403


def test_notary_desk_and_countersign(client, trading_fair, notary, make_participant, make_draft, login):
    from app.agreements.signing import sign_agreement

    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    sign_agreement(a, trading_fair.id, d.id, d.version)
    sign_agreement(b, trading_fair.id, d.id, d.version)
    login(notary)
    desk = text(client.get(f"/f/{trading_fair.slug}/notary"))
    assert a.organisation.name in desk
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/notarise", data={"version": d.version})
    assert r.status_code == 303
    db.session.expire_all()
    assert db.session.get(Agreement, d.id).state == AgreementState.SIGNED


def test_notary_desk_pages_keep_the_search(client, trading_fair, notary, make_participant, make_draft, login,
                                           monkeypatch):
    from app.agreements import queues

    monkeypatch.setattr(queues, "PAGE_SIZE", 1)
    for i in range(2):
        make_draft(make_participant(organisation=f"Fundacja Łąka {i}"), make_participant())
    make_draft(make_participant(organisation="Stowarzyszenie Inne"), make_participant())
    login(notary)
    desk = text(client.get(f"/f/{trading_fair.slug}/notary?q=laka"))
    assert f'href="/f/{trading_fair.slug}/notary?q=laka&amp;drafts_page=2"' in desk
    assert "Fundacja Łąka 1" in desk and "Stowarzyszenie Inne" not in desk


def test_notary_desk_forbidden_to_participants(client, trading_fair, make_participant, login):
    login(make_participant())
    assert client.get(f"/f/{trading_fair.slug}/notary").status_code == 403


def test_follow_up_page(client, trading_fair, organiser, notary, make_participant, make_draft, login):
    from app.agreements.signing import record_paper_agreement

    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    login(organiser)
    page = text(client.get(f"/f/{trading_fair.slug}/admin/follow-up"))
    assert f"GZ/{trading_fair.slug}/001" in page


def test_follow_up_page_is_paged(client, trading_fair, organiser, notary, make_participant, make_draft, login,
                                 monkeypatch):
    from app.agreements import views
    from app.agreements.signing import record_paper_agreement

    monkeypatch.setattr(views, "FOLLOW_UP_PAGE_SIZE", 2)
    for i in range(2):  # four obligations: two pages
        d = make_draft(make_participant(f"Daje{i}"), make_participant(f"Bierze{i}"))
        record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    login(organiser)
    first = client.get(f"/f/{trading_fair.slug}/admin/follow-up").get_data(as_text=True)
    second = client.get(f"/f/{trading_fair.slug}/admin/follow-up?page=2").get_data(as_text=True)
    assert first.count("<tr>") + first.count('<tr class="overdue">') == 3  # the header and two rows
    assert f"/f/{trading_fair.slug}/admin/follow-up?page=2" in first
    assert f"GZ/{trading_fair.slug}/001" in first and f"GZ/{trading_fair.slug}/002" in second


def test_confirm_from_page_posts_points(client, trading_fair, notary, make_participant, make_draft, login):
    from app.agreements.signing import record_paper_agreement
    from app.ledger.accounts import find_organisation_account, posted_balance

    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    login(b)
    ob = d.obligations[0]
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/obligations/{ob.id}/confirm", data={})
    assert r.status_code == 303
    assert posted_balance(find_organisation_account(a.organisation_id).id) == 30


def test_shared_device_signing_with_the_scanned_login_link(client, trading_fair, make_participant, make_draft,
                                                          login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    link = f"http://gielda.test/f/{trading_fair.slug}/login/{b.login_secret}"
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/sign-shared",
                    data={"version": d.version, "scanned": link})
    assert r.status_code == 303
    db.session.expire_all()
    assert [s.participant_id for s in db.session.get(Agreement, d.id).current_signatures()] == [b.id]


def _editor_form(d, a, b, **changes):
    form = {
        "version": d.version,
        "parties-0-organisation_id": a.organisation_id, "parties-0-representative_id": a.id,
        "parties-1-organisation_id": b.organisation_id, "parties-1-representative_id": b.id,
        "obligations-0-giver": a.organisation_id, "obligations-0-receiver": b.organisation_id,
        "obligations-0-description": "Sala na 30 osób", "obligations-0-unit": "", "action": "save",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_add_obligation_with_fewer_than_two_parties_is_explained(client, trading_fair, make_participant,
                                                                   make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    edit = f"/f/{trading_fair.slug}/agreements/{d.id}/edit"
    one_party = _editor_form(d, a, b, action="add_obligation", **{
        "parties-1-organisation_id": None, "parties-1-representative_id": None})
    r = client.post(edit, data=one_party)
    assert r.status_code == 200
    assert "Aby dodać zobowiązanie, umowa musi mieć dwie strony." in text(r)
    for garbled in ("abc", "9223372036854775808", ""):  # a damaged page: the party's id is no id
        r = client.post(edit, data=_editor_form(d, a, b, action="add_obligation",
                                                **{"parties-1-organisation_id": garbled}))
        assert r.status_code == 200 and "umowa musi mieć dwie strony" in text(r), garbled
    r = client.post(edit, data={"action": "add_obligation"})
    assert r.status_code == 200 and "umowa musi mieć dwie strony" in text(r)
    two = client.post(edit, data=_editor_form(d, a, b, action="add_obligation"))
    assert text(two).count('class="card obligation"') == 2  # the posted row and the new one


@pytest.mark.parametrize(("name", "value"), [
    ("parties-1-organisation_id", "9223372036854775808"), ("parties-1-organisation_id", "١٢"),
    ("parties-0-representative_id", "1e30"), ("obligations-0-giver", "Żółć"),
    ("obligations-0-post_id", "2147483648"), ("obligations-0-category_id", "-"), ("version", "x"),
])
def test_garbled_ids_in_the_editor_are_a_form_error_and_save_nothing(name, value, client, trading_fair,
                                                                      make_participant, make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/edit", data=_editor_form(d, a, b, **{name: value}))
    assert r.status_code == 422
    if name != "obligations-0-giver":  # hidden fields: the page cannot point at them
        assert "Formularz wygasł. Spróbuj ponownie." in text(r)
    db.session.expire_all()
    assert db.session.get(Agreement, d.id).version == d.version


def test_bogus_party_organisation_is_refused_by_the_service(client, trading_fair, make_participant, make_draft,
                                                             login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/edit",
                    data=_editor_form(d, a, b, **{"parties-1-organisation_id": "2147483647"}))
    assert r.status_code == 200
    assert "Osoba kontaktowa strony musi należeć do tej organizacji." in text(r)
    db.session.expire_all()
    assert db.session.get(Agreement, d.id).version == d.version


@pytest.mark.parametrize("version", ["abc", "9223372036854775808", "1e30"])
def test_garbled_version_on_an_agreement_button_is_explained(version, client, trading_fair, make_participant,
                                                             make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/sign", data={"version": version})
    assert r.status_code == 422 and "Formularz wygasł. Spróbuj ponownie." in text(r)
    db.session.expire_all()
    assert db.session.get(Agreement, d.id).current_signatures() == []


@pytest.mark.parametrize("pin", ["١٢٣٤٥٦", "Żółć12", "12345"])
def test_shared_signing_with_a_pin_that_is_not_six_ascii_digits(pin, client, trading_fair, make_participant,
                                                                make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/sign-shared",
                    data={"version": d.version, "badge_code": b.badge_code, "pin": pin})
    assert r.status_code == 303
    assert "PIN ma 6 cyfr." in text(client.get(r.headers["Location"]))
    db.session.expire_all()
    assert db.session.get(Agreement, d.id).current_signatures() == []


def test_agreement_and_notary_pages_warn_when_pdf_qr_codes_would_point_to_this_computer(
        app, client, trading_fair, notary, make_participant, make_draft, login):
    from app.agreements.signing import sign_agreement

    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    sign_agreement(a, trading_fair.id, d.id, d.version)
    sign_agreement(b, trading_fair.id, d.id, d.version)
    login(notary)
    pages = [f"/f/{trading_fair.slug}/notary", f"/f/{trading_fair.slug}/agreements/{d.id}"]
    app.config["PUBLIC_URL"] = "http://localhost:5000"
    for page in pages:
        body = text(client.get(page))
        assert 'id="loopback-warning"' in body and "http://localhost:5000" in body, page
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    for page in pages:
        assert 'id="loopback-warning"' not in text(client.get(page)), page
