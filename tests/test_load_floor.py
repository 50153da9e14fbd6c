"""The load floor (load/floor.py) does what a phone asks of Giełda, with nothing behind it: its
posts are numbered on from the board page's number, and a resync returns what came after."""

from __future__ import annotations

from typing import Any

from load.floor import make_floor

BOARD = '<div id="board" class="posts" data-seq="41" data-filtered="0"></div>'


def spec() -> dict[str, Any]:
    event = {"seq": 1, "stream": "fair", "type": "post.created", "fair_id": 7, "data": {"id": 1, "title": ""}}
    return {"slug": "load", "fair_id": 7, "pages": {"board": BOARD, "post_form": "<form></form>"}, "event": event}


def test_the_floor_numbers_posts_on_from_the_page_and_resyncs_what_came_after() -> None:
    app, sio = make_floor(spec())
    phone = sio.test_client(app)
    http = app.test_client()
    for title in ("Sala", "Rzutnik"):
        assert http.post("/f/load/posts/new", data={"title": title}).status_code == 303
    live = [m["args"][0] for m in phone.get_received() if m["name"] == "event"]
    assert [(m["seq"], m["data"]["title"]) for m in live] == [(42, "Sala"), (43, "Rzutnik")]

    reply = phone.emit("resync", {"after": 42}, callback=True)

    assert reply["ok"] and reply["seq"] == 43
    assert [m["data"]["title"] for m in reply["events"]] == ["Rzutnik"]
