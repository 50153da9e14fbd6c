"""A burst at the gong: 60 posts interleaved with 60 private drafts, sent at once by several
phones. The board and the big screen show every post, with only a handful of resyncs (private
events take no number of the public stream, so public clients see no false gaps), and the
phone the drafts were addressed to gets every one of them in its own stream."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests
from playwright.sync_api import expect

from app.fairs.models import Fair
from app.people.models import Participant
from tests.browser.conftest import PHONE, LiveServer, log_in
from tests.live import csrf_token, login_session, post_offer

POSTS = 60
DRAFTS = 60
MAX_RESYNCS = 5  # the first one after connecting, and a few for events that really overtook others


def start_draft(http: requests.Session, base: str, slug: str, badge_code: str) -> None:
    """Start an agreement with someone through the live HTML form, as a phone does."""
    page = http.get(f"{base}/f/{slug}/agreements/new?with={badge_code}", timeout=10)
    assert page.status_code == 200, page.text[:300]
    data = {"csrf_token": csrf_token(page.text)}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", page.text):  # the form's own hidden fields
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrf_token":
            data[name.group(1)] = value.group(1) if value else ""
    r = http.post(f"{base}/f/{slug}/agreements/new?with={badge_code}", data=data, allow_redirects=False, timeout=10)
    assert r.status_code == 303, (r.status_code, r.text[:300])


def test_a_burst_of_posts_and_private_drafts_reaches_every_board_and_screen(
        browser: object, live_server: LiveServer, trading_fair: Fair, category: Callable[[str], int],
        make_participant: Callable[..., Participant]) -> None:
    base, slug = live_server.url, trading_fair.slug
    authors = [make_participant(f"Autor{n}", "Żółkiewski", organisation=f"Fundacja Źródło {n}") for n in range(4)]
    counterpart = make_participant("Bożena", "Odbiorczyni", organisation="Spółdzielnia Socjalna Łąka")

    screen_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})  # type: ignore[attr-defined]
    screen = screen_ctx.new_page()
    screen.goto(f"{base}/f/{slug}/screen/{trading_fair.display_token}")
    expect(screen.locator("body")).to_have_attribute("data-connected", "1")

    board_ctx = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    board = board_ctx.new_page()
    board.goto(f"{base}/f/{slug}/board")
    board.wait_for_function("() => !document.documentElement.classList.contains('offline')")

    counterpart_ctx = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    phone = counterpart_ctx.new_page()
    log_in(phone, base, counterpart)
    phone.goto(f"{base}/f/{slug}/board")
    phone.wait_for_function("() => !document.documentElement.classList.contains('offline')")

    sessions = [login_session(base, slug, a.login_secret) for a in authors]
    for http in sessions:  # each session's CSRF secret is made once, before the threads share it
        assert http.get(f"{base}/f/{slug}/posts/new", timeout=10).status_code == 200
    rooms = category("rooms")

    def work(n: int) -> None:
        http = sessions[n % len(sessions)]
        if n % 2 == 0:
            post_offer(http, base, slug, rooms, f"Sala nr {n // 2} na spotkanie")
        else:
            start_draft(http, base, slug, counterpart.badge_code)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(POSTS + DRAFTS)))

    for page in (board, phone):
        expect(page.locator("#board article.post")).to_have_count(POSTS, timeout=30_000)
    expect(screen.locator("#n-offers")).to_have_text(str(POSTS), timeout=30_000)
    titles = set(board.locator("#board article.post h3").all_inner_texts())
    assert titles == {f"Sala nr {n} na spotkanie" for n in range(POSTS)}

    # Every draft reached the counterpart's phone in its private stream.
    phone.wait_for_function(
        "([fair, who, n]) => Number(sessionStorage.getItem('gielda-pseq-' + fair + '-' + who)) >= n",
        arg=[trading_fair.id, counterpart.id, DRAFTS], timeout=30_000)

    for name, page in (("board", board), ("screen", screen), ("counterpart", phone)):
        stats = page.evaluate("() => GieldaLive.stats")
        assert stats["resyncs"] <= MAX_RESYNCS, (name, stats)
    for ctx in (screen_ctx, board_ctx, counterpart_ctx):
        ctx.close()


def test_a_refused_resync_is_retried_until_the_board_has_caught_up(
        browser: object, app: object, database_url: str, tmp_path: object, trading_fair: Fair,
        make_participant: Callable[..., Participant], make_post: Callable[..., object]) -> None:
    # One resync per client address in 8 seconds: the one after reconnecting is refused at first.
    server = LiveServer(database_url, tmp_path, extra_env={"SOCKET_CLIENT_RATELIMIT": "1/8seconds"})  # type: ignore[arg-type]
    try:
        author = make_participant("Zenon", "Źrebię", organisation="Klub Sportowy Sokół")
        ctx = browser.new_context(**PHONE)  # type: ignore[attr-defined]
        board = ctx.new_page()
        sockets: list[object] = []

        def relay(ws: object) -> None:
            upstream = ws.connect_to_server()  # type: ignore[attr-defined]
            ws.on_message(upstream.send)  # type: ignore[attr-defined]
            upstream.on_message(ws.send)
            sockets.append(ws)

        board.route_web_socket(re.compile(r"/socket\.io/"), relay)
        board.goto(f"{server.url}/f/{trading_fair.slug}/board")
        board.wait_for_function("() => GieldaLive.stats.resyncs === 1 && GieldaLive.stats.refused === 0")

        # Posted by this test process: the server never emits them, so the board misses them...
        for n in range(3):
            make_post(author, title=f"Przegapiona oferta {n}")
        # ...until its connection drops; the resync after reconnecting is refused, and retried.
        sockets[-1].close()  # type: ignore[attr-defined]
        board.wait_for_function("() => GieldaLive.stats.refused >= 1", timeout=15_000)
        expect(board.locator("#board article.post")).to_have_count(3, timeout=30_000)
        ctx.close()
    finally:
        server.stop()
