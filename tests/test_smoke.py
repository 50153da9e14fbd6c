def test_health_reports_database_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json["status"] == "ok"
    assert r.json["database"] == "ok"


def test_fair_home_renders_in_polish_by_default(client, fair):
    r = client.get(f"/f/{fair.slug}/")
    assert r.status_code == 200
    assert "Giełda Zasobów Tczew" in r.get_data(as_text=True)
