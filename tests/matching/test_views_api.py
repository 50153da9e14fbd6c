"""The ranked matches of a post as JSON (app/matching/views.py, GET /api/fairs/<slug>/posts/<id>/matches):
visible as the post's page is, its shape, and its place in the OpenAPI document."""

from app.floor.kinds import PostKind
from app.floor.posts import hide_post


def url(fair, post_id):
    return f"/api/fairs/{fair.slug}/posts/{post_id}/matches"


def test_anyone_gets_the_ranked_matches_with_scores_and_why(client, trading_fair, make_participant, make_post):
    need = make_post(make_participant(), "Potrzebny rzutnik", kind=PostKind.NEED, category_key="equipment")
    offer = make_post(make_participant(organisation="Fundacja Ekran"), "Rzutniki do wypożyczenia",
                      category_key="equipment")
    make_post(make_participant(), "Rzutnik w sali", category_key="rooms")
    body = client.get(url(trading_fair, need.id)).get_json()
    assert body["post"] == {"id": need.id, "kind": "need", "title": "Potrzebny rzutnik"}
    first = body["matches"][0]
    assert first["post"]["id"] == offer.id and first["post"]["organisation"] == "Fundacja Ekran"
    assert first["shared"] == ["rzutnik"] and first["post"]["kind"] == "offer"
    assert first["post"]["url"].endswith(f"/f/{trading_fair.slug}/posts/{offer.id}")
    assert [m["score"] for m in body["matches"]] == sorted((m["score"] for m in body["matches"]), reverse=True)
    assert len(body["matches"]) == 2


def test_an_unknown_or_hidden_post_is_not_found(client, trading_fair, organiser, make_participant, make_post,
                                                login):
    post = make_post(make_participant())
    hide_post(organiser, trading_fair.id, post.id, "spam")
    for path in (url(trading_fair, post.id), url(trading_fair, 999999), f"/api/fairs/nie-ma/posts/{post.id}/matches"):
        r = client.get(path)
        assert r.status_code == 404 and r.mimetype == "application/problem+json"
    assert client.get(url(trading_fair, 999999)).get_json()["code"] == "post_not_found"
    login(organiser)
    assert client.get(url(trading_fair, post.id)).status_code == 200


def test_the_openapi_document_lists_it(client):
    doc = client.get("/api/openapi.json").get_json()
    operation = doc["paths"]["/api/fairs/{slug}/posts/{post_id}/matches"]["get"]
    assert set(operation["responses"]) == {"200", "404"}
    assert {"PostMatches", "PostMatch"} <= set(doc["components"]["schemas"])
