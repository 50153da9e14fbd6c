"""The directory's JSON API (app/directory/api.py): the members, a member's profile (its balance only
for its own people), the network's figures, and their place in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from flask.testing import FlaskClient

from app.core.i18n import LOCAL_ZONE
from app.core.storage.transactions import transaction
from app.fairs.models import Fair
from app.floor.kinds import PostKind, Unit
from app.floor.posts import withdraw_post
from app.ledger.accounts import organisation_account
from app.ledger.operations import post_opening_balance
from app.network.models import Member
from app.network.sectors import Branch, Sector
from app.partnerships.records import PartnerData, PartnershipData, record_partnership
from app.people.models import Participant
from tests.agreements import conftest as contract_fixtures
from tests.agreements.value_fair import fair_of_three

MakeMember = Callable[..., Member]
make_signed_agreement = contract_fixtures.make_signed_agreement  # a fixture


def test_the_members_are_searched_filtered_and_paged(client: FlaskClient, make_member: MakeMember) -> None:
    zolw = make_member("Fundacja Żółw", Sector.NGO, branch=Branch.CULTURE, city="Tczew",
                       website="https://zolw.example.org", description="Uczymy pływać")
    make_member("Firma Kot", Sector.BUSINESS, city="Gdańsk")
    make_member("Fundacja Ukryta", public=False)
    body = client.get("/api/members").get_json()
    assert (body["total"], body["page"], body["pages"], body["page_size"]) == (2, 1, 1, 50)
    assert [m["name"] for m in body["members"]] == ["Firma Kot", "Fundacja Żółw"]
    assert body["members"][1] == {"id": zolw.id, "name": "Fundacja Żółw", "sector": "ngo", "branch": "culture",
                                  "city": "Tczew", "website": "https://zolw.example.org",
                                  "description": "Uczymy pływać",
                                  "url": f"http://gielda.test/network/members/{zolw.id}"}
    for query, expected in (("q=ZOLW", ["Fundacja Żółw"]), ("sector=business", ["Firma Kot"]),
                            ("branch=culture", ["Fundacja Żółw"]), ("place=gdansk", ["Firma Kot"]),
                            ("sector=bank&branch=x&page=abc", ["Firma Kot", "Fundacja Żółw"]),
                            ("page=2", []), ("q=ukryta", [])):
        r = client.get(f"/api/members?{query}")
        assert r.status_code == 200
        assert [m["name"] for m in r.get_json()["members"]] == expected, query


def test_a_profile_has_the_details_the_fairs_and_the_live_posts(client: FlaskClient, make_member: MakeMember,
                                                               make_participant, make_post,
                                                               trading_fair: Fair) -> None:
    member = make_member("Fundacja Żółw", city="Tczew", email="biuro@zolw.example.org", phone="+48 600 100 200",
                         nip="526-025-02-74")
    ola = make_participant(organisation="Fundacja Żółw")
    offer = make_post(ola, "Basen na godzinę", quantity=2, unit=Unit.HOURS)
    need = make_post(ola, "Ratownik", kind=PostKind.NEED, category_key="volunteers")
    withdraw_post(ola, trading_fair.id, make_post(ola, "Wycofana").id)
    r = client.get(f"/api/members/{member.id}")
    assert r.status_code == 200
    body = r.get_json()
    assert (body["id"], body["name"], body["sector"], body["city"], body["email"], body["phone"], body["nip"]) == (
        member.id, "Fundacja Żółw", "ngo", "Tczew", "biuro@zolw.example.org", "+48 600 100 200", "5260250274")
    assert [f["slug"] for f in body["fairs"]] == [trading_fair.slug]
    assert [p["id"] for p in body["offers"]] == [offer.id] and [p["id"] for p in body["needs"]] == [need.id]
    assert body["offers"][0] | {"created_at": None} == {
        "id": offer.id, "kind": "offer", "title": "Basen na godzinę", "details": "", "category": "Sale i pomieszczenia",
        "quantity": 2, "unit": "hours", "fair": trading_fair.slug, "created_at": None,
        "url": f"http://gielda.test/f/{trading_fair.slug}/posts/{offer.id}"}
    assert "balance" not in body


def test_the_balance_is_shown_only_to_the_members_own_people(client: FlaskClient, make_member: MakeMember,
                                                             make_participant: Callable[..., Participant],
                                                             organiser: Participant, fair: Fair, login) -> None:
    member, kot = make_member("Fundacja Żółw"), make_member("Firma Kot", Sector.BUSINESS)
    ola = make_participant(organisation="Fundacja Żółw")
    other = make_participant(organisation="Firma Kot")
    with transaction():
        account = organisation_account(ola.organisation_id).id
    post_opening_balance(organiser, account, 120, "Saldo z zeszłego roku", "api-balance")
    assert "balance" not in client.get(f"/api/members/{member.id}").get_json()  # anonymous
    login(other)
    assert "balance" not in client.get(f"/api/members/{member.id}").get_json()
    login(ola)
    assert client.get(f"/api/members/{member.id}").get_json()["balance"] == 120
    assert "balance" not in client.get(f"/api/members/{kot.id}").get_json()  # another member's: not hers


def test_a_member_not_in_the_directory_is_a_json_problem(client: FlaskClient, make_member: MakeMember,
                                                         merge) -> None:
    hidden = make_member("Fundacja Ukryta", public=False)
    kept, gone = make_member("Fundacja Główna"), make_member("Fundacja Główna z Tczewa")
    merge(kept, gone)
    for member_id in (hidden.id, gone.id, 999999):
        r = client.get(f"/api/members/{member_id}")
        assert r.status_code == 404 and r.mimetype == "application/problem+json"
        assert r.get_json()["code"] == "member_not_found"
    assert client.get(f"/api/members/{kept.id}").status_code == 200


def test_the_network_stats(client: FlaskClient, make_member: MakeMember, make_fair, make_organisation,
                           fair: Fair) -> None:
    make_member("Fundacja A", branch=Branch.CULTURE, created_at=datetime(2023, 4, 1, tzinfo=UTC))
    make_member("Firma B", Sector.BUSINESS, public=False, created_at=datetime(2024, 4, 1, tzinfo=UTC))
    make_organisation("Fundacja A", fair_id=make_fair(slug="jesien").id)
    body = client.get("/api/network/stats").get_json()
    assert body["members"] == 2
    assert body["members_by_sector"]["ngo"] == 1 and body["members_by_sector"]["business"] == 1
    assert body["members_by_branch"]["culture"] == 1 and body["members_by_branch"]["none"] == 1
    assert [(y["year"], y["members"]) for y in body["per_year"][:2]] == [(2023, 1), (2024, 2)]
    assert body["per_year"][-1]["year"] == datetime.now(UTC).year
    assert body["fairs"] == 2 and body["members_at_two_fairs_or_more"] == 1


def _check(schema: dict[str, Any], doc: dict[str, Any], value: Any, where: str = "") -> None:
    """The answer has the documented fields: the required ones, and no other (objects and arrays)."""
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("type") == "object" and "properties" in schema:
        assert set(schema.get("required", [])) <= set(value), where
        assert set(value) <= set(schema["properties"]), (where, set(value) - set(schema["properties"]))
        for key, item in value.items():
            _check(schema["properties"][key], doc, item, f"{where}.{key}")
    elif schema.get("type") == "array":
        for n, item in enumerate(value):
            _check(schema["items"], doc, item, f"{where}[{n}]")
    elif "enum" in schema:
        assert value in schema["enum"], (where, value)


def test_the_openapi_document_describes_the_answers(client: FlaskClient, make_member: MakeMember,
                                                    make_participant, make_post, trading_fair: Fair) -> None:
    doc = client.get("/api/openapi.json").get_json()
    assert {"/api/members", "/api/members/{member_id}", "/api/network/stats", "/api/fairs/{slug}/stats"} <= set(
        doc["paths"])
    member = make_member("Fundacja Żółw", branch=Branch.CULTURE)
    make_post(make_participant(organisation="Fundacja Żółw"), "Basen")
    for path, schema in (("/api/members", "MembersPage"), (f"/api/members/{member.id}", "MemberProfile"),
                         ("/api/network/stats", "NetworkStats")):
        _check({"$ref": f"#/components/schemas/{schema}"}, doc, client.get(path).get_json(), path)


def test_the_network_stats_count_partnerships(client: FlaskClient, make_member: MakeMember,
                                              organiser: Participant) -> None:
    a, b, c = make_member("Fundacja A"), make_member("Urząd B", Sector.PUBLIC), make_member("Firma C", Sector.BUSINESS)
    for members in ((a, b), (a, b, c)):
        record_partnership(organiser, PartnershipData(
            purpose="Wspólne pikniki", starts_on=date(2026, 3, 1), lead_member_id=members[0].id,
            partners=[PartnerData(m.id) for m in members]))
    body = client.get("/api/network/stats").get_json()
    _check({"$ref": "#/components/schemas/NetworkStats"}, client.get("/api/openapi.json").get_json(), body)
    found = body["partnerships"]
    assert found["total"] == 2
    assert found["by_size"] == {"2-3": 2, "4+": 0}
    assert found["by_sectors_joined"] == {"1": 0, "2": 1, "3+": 1}
    assert found["combinations"] == {"ngo+public": 1, "ngo+public+business": 1}
    assert {"sectors": ["ngo", "public"], "partnerships": 2} in found["sector_pairs"]
    assert found["per_year"][0]["year"] == 2026


def test_the_network_stats_give_the_social_value_overall_and_per_year(
        client: FlaskClient, trading_fair: Fair, make_signed_agreement, make_participant, category,
        organiser: Participant, make_member: MakeMember) -> None:
    make_member("Fundacja Dawna", created_at=datetime(2024, 4, 1, tzinfo=UTC))  # the network's years: 2024 on
    fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    body = client.get("/api/network/stats").get_json()
    _check({"$ref": "#/components/schemas/NetworkStats"}, client.get("/api/openapi.json").get_json(), body)
    assert (body["social_value_pledged"], body["social_value_realised"]) == (1136, 150)
    assert body["social_value_by_sector"]["ngo"] == {"pledged": 550, "realised": 150}
    assert {"name": "Catering", "pledged": 400, "realised": 0} in body["social_value_by_category"]
    assert body["social_value_unvalued_obligations"] == 0
    years = {y["year"]: (y["social_value_pledged"], y["social_value_realised"]) for y in body["per_year"]}
    this_year = datetime.now(LOCAL_ZONE).year  # the agreements were signed now (in Warsaw)
    assert years[this_year] == (1136, 150)
    assert years[2024] == (0, 0)
