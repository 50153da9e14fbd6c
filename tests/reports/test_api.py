"""The JSON API (app/reports/api.py): the fair's figures, its OpenAPI description, the health check."""

from app.door.checkin import check_in
from app.floor.kinds import PostKind
from app.network.sectors import Sector


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
                "posts_by_category", "agreements_signed", "sector_matrix", "points_pledged"):
        assert key in props


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
