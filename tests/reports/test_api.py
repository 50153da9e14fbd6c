"""The JSON API (app/reports/api.py): the fair's figures, its OpenAPI description, the health check."""

from app.agreements.drafting import ObligationData
from app.door.checkin import check_in
from app.floor.kinds import PostKind
from app.network.sectors import Sector
from tests.agreements import conftest as contract_fixtures
from tests.agreements.value_fair import fair_of_three

make_signed_agreement = contract_fixtures.make_signed_agreement  # a fixture


def test_stats_counts(client, fair, notary, make_participant):
    a = make_participant(sector=Sector.BUSINESS, organisation="Drukarnia Kociewiak")
    make_participant(sector=Sector.BUSINESS, organisation="Drukarnia Kociewiak")
    make_participant(sector=Sector.RESIDENT)
    check_in(notary, fair.id, a.badge_code)
    s = client.get(f"/api/fairs/{fair.slug}/stats").json
    assert s["participants"] == 4  # + the notary
    assert s["organisations_by_sector"]["business"] == 1
    assert s["organisations_by_sector"]["resident"] == 1
    assert set(s["organisations_by_sector"]) == {x.value for x in Sector}
    assert s["organisations"] == sum(s["organisations_by_sector"].values())
    assert s["checked_in"] == 1


def test_stats_unknown_fair_is_json_problem(client):
    r = client.get("/api/fairs/nope/stats")
    assert r.status_code == 404 and r.json["code"] == "fair_not_found"


def test_openapi_documents_the_stats(client):
    doc = client.get("/api/openapi.json").json
    assert doc["openapi"].startswith("3.")
    props = doc["components"]["schemas"]["FairStats"]["properties"]
    for key in ("participants", "organisations", "organisations_by_sector", "checked_in", "offers", "needs",
                "posts_by_category", "agreements_signed", "sector_matrix", "points_pledged", "social_value_pledged",
                "social_value_realised", "social_value_by_category", "social_value_by_sector",
                "social_value_unvalued_obligations"):
        assert key in props
        assert key in doc["components"]["schemas"]["FairStats"]["required"]
    assert "never a price" in props["social_value_pledged"]["description"]
    assert props["social_value_by_category"]["items"] == {"$ref": "#/components/schemas/SocialValueOfCategory"}
    row = doc["components"]["schemas"]["SocialValue"]
    assert row["required"] == ["pledged", "realised"] and row["properties"]["pledged"]["type"] == "integer"


def test_stats_match_the_documented_schema(client, trading_fair, make_participant, make_post):
    make_post(make_participant())
    doc = client.get("/api/openapi.json").json
    schema = doc["components"]["schemas"]["FairStats"]
    stats = client.get(f"/api/fairs/{trading_fair.slug}/stats").json
    assert set(schema["required"]) <= set(stats)
    assert set(stats) <= set(schema["properties"])


def test_healthz_reports_database_down(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from app.core.extensions import db

    def broken(*a, **k):
        raise OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(db.session, "execute", broken)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json["status"] == "error"


def test_stats_api_has_floor_counters(client, trading_fair, make_participant, make_post):
    a = make_participant()
    make_post(a, "Sala")
    make_post(a, "Rzutnik", category_key="equipment")
    make_post(a, "Wolontariusze", kind=PostKind.NEED, category_key="volunteers")
    s = client.get(f"/api/fairs/{trading_fair.slug}/stats").json
    assert (s["offers"], s["needs"]) == (2, 1)
    rooms = next(c for c in s["posts_by_category"] if c["key"] == "rooms")
    assert (rooms["offers"], rooms["needs"]) == (1, 0)
    assert s["agreements_signed"] == 0 and s["points_pledged"] == 0
    assert set(s["sector_matrix"]) == set(s["organisations_by_sector"])
    assert s["trading"]["state"] == "trading"


# --- the social value (app/agreements/value_totals.py; the fair in tests/agreements/value_fair.py) -----


def test_stats_give_the_social_value_pledged_and_realised_in_whole_zloty(
        client, trading_fair, make_signed_agreement, make_participant, category, organiser):
    fair_of_three(make_signed_agreement, make_participant, category, organiser, trading_fair)
    s = client.get(f"/api/fairs/{trading_fair.slug}/stats").json
    # 150 + 300 + 286,10 + 400 zł pledged (the annulled agreement not counted); the room confirmed.
    assert (s["social_value_pledged"], s["social_value_realised"]) == (1136, 150)
    assert all(type(s[k]) is int for k in ("social_value_pledged", "social_value_realised"))
    assert s["social_value_unvalued_obligations"] == 0
    assert s["social_value_by_category"] == [
        {"name": "Sale i pomieszczenia", "pledged": 150, "realised": 150},
        {"name": "Wolontariusze i czas", "pledged": 286, "realised": 0},
        {"name": "Catering", "pledged": 400, "realised": 0},
        {"name": "Szkolenia", "pledged": 300, "realised": 0}]
    by_sector = s["social_value_by_sector"]
    assert set(by_sector) == {x.value for x in Sector}
    assert by_sector["ngo"] == {"pledged": 550, "realised": 150}
    assert by_sector["social_cooperative"] == {"pledged": 300, "realised": 0}
    assert by_sector["public"] == {"pledged": 286, "realised": 0}
    assert by_sector["business"] == {"pledged": 0, "realised": 0}


def test_stats_round_the_social_value_halves_up_and_count_the_unvalued(
        client, trading_fair, make_signed_agreement, make_participant, category):
    a, b = make_participant(sector=Sector.NGO), make_participant(sector=Sector.BUSINESS)
    # 50 h × 28,61 zł = 1 430,50 zł: rounded up to 1 431 zł; the thanks say no amount: no estimate.
    make_signed_agreement(a, b, obligations=[
        ObligationData(a.organisation_id, b.organisation_id, "Wolontariusze", category_id=category("volunteers"),
                       hours=50, points=10),
        ObligationData(b.organisation_id, a.organisation_id, "Podziękowanie na stronie", points=0)])
    s = client.get(f"/api/fairs/{trading_fair.slug}/stats").json
    assert (s["social_value_pledged"], s["social_value_realised"]) == (1431, 0)
    assert s["social_value_by_sector"]["ngo"]["pledged"] == 1431
    assert s["social_value_unvalued_obligations"] == 1


def test_stats_of_a_fair_without_agreements_have_no_social_value(client, trading_fair):
    s = client.get(f"/api/fairs/{trading_fair.slug}/stats").json
    assert (s["social_value_pledged"], s["social_value_realised"], s["social_value_unvalued_obligations"]) == (0, 0, 0)
    assert s["social_value_by_category"] == []
    assert all(row == {"pledged": 0, "realised": 0} for row in s["social_value_by_sector"].values())
