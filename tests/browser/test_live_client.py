"""The one live client (static/js/live.js, GieldaLive) on every page that follows the fair.

* The board shows a new or changed post with the card the server renders (the same markup as
  after reloading the page), not one built again in the browser.
* A page that re-reads something when events arrive (the big screen's and the control room's
  counters, the board's cards) never sends a second request while one is still on its way.
* A reset database (the fair's event numbers start over) reloads the page, on every page that
  uses the client: seen in a live event under an applied number, or in the reply to the resync
  after reconnecting."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, update

from app.core.extensions import db
from app.core.storage.events import DomainEvent
from app.fairs.models import Fair
from app.people.models import Participant
from tests.browser.conftest import PHONE, LiveServer, log_in
from tests.live import login_session, post_offer

ONLINE = "() => !document.documentElement.classList.contains('offline')"
# The card as the page holds it, without the highlight a card that just arrived wears for a moment.
CARD_MARKUP = "el => { const c = el.cloneNode(true); c.classList.remove('fresh'); return c.outerHTML; }"


def card_markup(page: Any, post_id: int) -> str:
    return page.eval_on_selector(f"#board article[data-post='{post_id}']", CARD_MARKUP)


def test_the_board_shows_a_new_and_a_changed_post_as_the_server_renders_its_card(
        browser: Any, live_server: LiveServer, trading_fair: Fair, category: Callable[[str], int],
        make_participant: Callable[..., Participant], make_post: Callable[..., Any]) -> None:
    base, slug = live_server.url, trading_fair.slug
    author = make_participant("Zofia", "Gęś", organisation="Spółdzielnia Socjalna Gościniec")
    older = make_post(author, title="Sala na 30 osób")

    board_ctx = browser.new_context(**PHONE)
    board = board_ctx.new_page()
    board.goto(f"{base}/f/{slug}/board")
    board.wait_for_function(ONLINE)

    phone_ctx = browser.new_context(**PHONE)
    phone = phone_ctx.new_page()
    log_in(phone, base, author)
    phone.goto(f"{base}/f/{slug}/posts/new?kind=need")
    phone.select_option("select[name=category_id]", str(category("volunteers")))
    phone.fill("input[name=title]", "Wolontariusze na festyn <w sobotę>")
    phone.fill("textarea[name=details]", "Sobota 10–14 & niedziela, " + "bardzo długi opis " * 15)
    phone.fill("input[name=quantity]", "3")
    phone.select_option("select[name=unit]", "people")
    phone.fill("input[name=available_when]", "czerwiec")
    phone.click("button.btn.primary")
    expect(phone.locator(".flash-success")).to_be_visible()
    post_id = int(re.search(r"/posts/(\d+)$", phone.url).group(1))  # type: ignore[union-attr]

    card = board.locator(f"#board article[data-post='{post_id}']")
    expect(card).to_contain_text("3 osoby")
    expect(card).to_have_class(re.compile(r"\bfresh\b"))  # a card that just arrived is highlighted
    expect(board.locator("#board article.post").first).to_have_attribute("data-post", str(post_id))
    arrived = card_markup(board, post_id)
    board.reload()
    board.wait_for_function(ONLINE)
    assert card_markup(board, post_id) == arrived
    assert board.locator("#board article.post").evaluate_all("cards => cards.map(c => c.dataset.post)") == \
        [str(post_id), str(older.id)]

    phone.goto(f"{base}/f/{slug}/posts/{post_id}/edit")
    phone.fill("input[name=title]", "Wolontariusze na festyn i piknik")
    phone.fill("input[name=quantity]", "5")
    phone.click("button.btn.primary")
    expect(phone.locator(".flash-success")).to_be_visible()

    expect(card).to_contain_text("5 osób")
    expect(card).to_contain_text("Wolontariusze na festyn i piknik")
    changed = card_markup(board, post_id)
    assert changed != arrived
    board.reload()
    board.wait_for_function(ONLINE)
    assert card_markup(board, post_id) == changed
    for ctx in (board_ctx, phone_ctx):
        ctx.close()


# --- one request at a time ------------------------------------------------------------------------

PAGES_THAT_RE_READ = {
    # page: (what it re-reads, who opens it, its path, where it shows the offers)
    "screen": (r"/api/fairs/[^/]+/stats$", None, "/f/{slug}/screen/{token}", "#n-offers"),
    "control room": (r"/api/fairs/[^/]+/stats$", "organiser", "/f/{slug}/admin/control", "#c-offers"),
    "board": (r"/posts/cards\?", None, "/f/{slug}/board", None),
}


@pytest.mark.parametrize("name", list(PAGES_THAT_RE_READ))
def test_a_page_does_not_ask_again_while_its_request_is_on_its_way(
        name: str, browser: Any, live_server: LiveServer, trading_fair: Fair, organiser: Participant,
        category: Callable[[str], int], make_participant: Callable[..., Participant]) -> None:
    watched, who, path, offers = PAGES_THAT_RE_READ[name]
    base, slug = live_server.url, trading_fair.slug
    author = make_participant("Bożena", "Kłos", organisation="Spółdzielnia Socjalna Łącznik")
    http = login_session(base, slug, author.login_secret)
    rooms = category("rooms")

    asked: list[str] = []
    held: list[Any] = []
    holding = [True]

    def hold(route: Any) -> None:
        asked.append(route.request.url)
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    if who:
        log_in(page, base, organiser)
    page.route(re.compile(watched), hold)
    page.goto(base + path.format(slug=slug, token=trading_fair.display_token))
    page.wait_for_function(ONLINE)

    post_offer(http, base, slug, rooms, "Sala na 40 osób z rzutnikiem")
    page.wait_for_function("() => GieldaLive.stats.loads === 1")  # the first request is on its way, held
    post_offer(http, base, slug, rooms, "Nagłośnienie na plener")
    post_offer(http, base, slug, rooms, "Namiot 3×6 m")
    # The page wants to read again while the first request is held: it waits for it instead.
    page.wait_for_function("() => GieldaLive.stats.applied >= 3 && GieldaLive.stats.held >= 1")
    assert len(asked) == 1, asked
    assert page.evaluate("() => GieldaLive.stats.loads") == 1

    holding[0] = False
    for route in held:
        route.continue_()
    # When it is back, the page reads once more, for what came while it was away.
    page.wait_for_function("() => GieldaLive.stats.loads === 2")
    if offers:
        expect(page.locator(offers)).to_have_text("3")
    else:
        expect(page.locator("#board article.post")).to_have_count(3)
    ctx.close()


# --- a reset database -----------------------------------------------------------------------------

def reset_the_fairs_stream(fair: Fair) -> None:
    """What a reset database looks like to a page: the fair's event numbers start over."""
    db.session.execute(update(Fair).where(Fair.id == fair.id).values(event_seq=0))
    db.session.execute(delete(DomainEvent).where(DomainEvent.fair_id == fair.id,
                                                 DomainEvent.participant_id.is_(None)))
    db.session.commit()


LIVE_PAGES = {
    # page: (who opens it, its path)
    "board": (None, "/f/{slug}/board"),
    "screen": (None, "/f/{slug}/screen/{token}"),
    "control room": ("organiser", "/f/{slug}/admin/control"),
    "desk": ("notary", "/f/{slug}/desk"),
    "agreements": ("participant", "/f/{slug}/agreements"),
}


def open_live_page(name: str, browser: Any, base: str, fair: Fair, people: dict[str, Participant]) -> Any:
    who, path = LIVE_PAGES[name]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    if who:
        log_in(page, base, people[who])
    return page, base + path.format(slug=fair.slug, token=fair.display_token)


def reloaded_into_the_new_world(page: Any, http: Any, base: str, fair: Fair, rooms: int) -> None:
    """The page was loaded again, and it follows the new numbers from there (no second reload)."""
    assert page.evaluate("() => window.__beforeReset") is None
    page.wait_for_function(ONLINE)
    page.evaluate("() => { window.__afterReset = true; }")
    post_offer(http, base, fair.slug, rooms, "Oferta po resecie")
    page.wait_for_function("() => GieldaLive.stats.applied >= 1")
    assert page.evaluate("() => [window.__afterReset, GieldaLive.stats.resets]") == [True, 0]


@pytest.fixture
def people(organiser: Participant, notary: Participant,
           make_participant: Callable[..., Participant]) -> dict[str, Participant]:
    return {"organiser": organiser, "notary": notary,
            "participant": make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło"),
            "author": make_participant("Bożena", "Kłos", organisation="Spółdzielnia Socjalna Łącznik")}


@pytest.mark.parametrize("name", list(LIVE_PAGES))
def test_a_live_event_under_an_applied_number_from_a_reset_database_reloads_the_page(
        name: str, browser: Any, live_server: LiveServer, trading_fair: Fair, people: dict[str, Participant],
        category: Callable[[str], int], make_post: Callable[..., Any]) -> None:
    base = live_server.url
    for n in range(3):  # the page starts past number 3 of the fair's stream
        make_post(people["author"], title=f"Oferta sprzed resetu {n}")
    http = login_session(base, trading_fair.slug, people["author"].login_secret)
    page, url = open_live_page(name, browser, base, trading_fair, people)
    page.goto(url)
    page.wait_for_function(ONLINE)
    page.evaluate("() => { window.__beforeReset = true; }")

    with page.expect_navigation():
        reset_the_fairs_stream(trading_fair)
        post_offer(http, base, trading_fair.slug, category("rooms"), "Pierwsza oferta nowej bazy")  # number 1 again

    reloaded_into_the_new_world(page, http, base, trading_fair, category("rooms"))
    page.context.close()


@pytest.mark.parametrize("name", ["board", "screen"])
def test_reconnecting_to_a_reset_database_reloads_the_page(
        name: str, browser: Any, live_server: LiveServer, trading_fair: Fair, people: dict[str, Participant],
        category: Callable[[str], int], make_post: Callable[..., Any]) -> None:
    base = live_server.url
    for n in range(3):
        make_post(people["author"], title=f"Oferta sprzed resetu {n}")
    http = login_session(base, trading_fair.slug, people["author"].login_secret)
    page, url = open_live_page(name, browser, base, trading_fair, people)
    sockets: list[Any] = []

    def relay(ws: Any) -> None:
        upstream = ws.connect_to_server()
        ws.on_message(upstream.send)
        upstream.on_message(ws.send)
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/socket\.io/"), relay)
    page.goto(url)
    page.wait_for_function(ONLINE)
    page.wait_for_function("() => GieldaLive.stats.resyncs >= 1")
    page.evaluate("() => { window.__beforeReset = true; }")

    with page.expect_navigation():
        reset_the_fairs_stream(trading_fair)
        sockets[-1].close()  # the server restarts on the new database: the page reconnects and asks

    reloaded_into_the_new_world(page, http, base, trading_fair, category("rooms"))
    page.context.close()


# --- a burst of events at the big screen ------------------------------------------------------------

BURST = 30  # offers posted in each of the two bursts
STATS_ANSWERED = """() => performance.getEntriesByType('resource')
    .filter(e => /\\/api\\/fairs\\/[^/]+\\/stats$/.test(e.name)).length === GieldaLive.stats.loads"""


def test_a_burst_of_events_makes_the_screen_ask_for_few_snapshots_one_at_a_time(
        browser: Any, live_server: LiveServer, trading_fair: Fair, category: Callable[[str], int],
        make_participant: Callable[..., Participant]) -> None:
    base, slug = live_server.url, trading_fair.slug
    rooms = category("rooms")
    authors = [login_session(base, slug, make_participant(f"Autor{n}", "Żółkiewski",
                                                          organisation=f"Fundacja Źródło {n}").login_secret)
               for n in range(4)]
    for http in authors:  # each session's CSRF secret is made once, before the threads share it
        assert http.get(f"{base}/f/{slug}/posts/new", timeout=10).status_code == 200

    stats_url = re.compile(r"/api/fairs/[^/]+/stats$")
    sent: list[str] = []
    in_flight = [0, 0]  # now, most at once
    held: list[Any] = []
    holding = [True]

    def started(request: Any) -> None:
        if stats_url.search(request.url):
            sent.append(request.url)
            in_flight[0] += 1
            in_flight[1] = max(in_flight)

    def ended(request: Any) -> None:
        if stats_url.search(request.url):
            in_flight[0] -= 1

    def hold(route: Any) -> None:
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = ctx.new_page()
    screen.on("request", started)
    screen.on("requestfinished", ended)
    screen.on("requestfailed", ended)
    screen.route(stats_url, hold)
    screen.goto(f"{base}/f/{slug}/screen/{trading_fair.display_token}")
    expect(screen.locator("body")).to_have_attribute("data-connected", "1")
    applied = screen.evaluate("() => GieldaLive.stats.applied")

    def post(n: int) -> None:
        post_offer(authors[n % len(authors)], base, slug, rooms, f"Sala nr {n}")

    # A burst while the screen's first request for a snapshot is held (a slow answer): it asks no more.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(post, range(BURST)))
    screen.wait_for_function("n => GieldaLive.stats.applied >= n", arg=applied + BURST, timeout=30_000)
    assert len(sent) == 1 and len(held) == 1, sent

    # Its answer arrives: one more request for everything that came meanwhile, and no other.
    holding[0] = False
    held.pop().continue_()
    screen.wait_for_function("() => GieldaLive.stats.loads === 2", timeout=30_000)
    expect(screen.locator("#n-offers")).to_have_text(str(BURST), timeout=30_000)
    assert len(sent) == 2, sent

    # A second burst, answered as fast as the server can: still one request at a time, and few.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(post, range(BURST, 2 * BURST)))
    expect(screen.locator("#n-offers")).to_have_text(str(2 * BURST), timeout=30_000)
    # Idle: every load the screen started has its answer (resource timings are written on arrival).
    screen.wait_for_function(STATS_ANSWERED, timeout=30_000)
    assert len(sent) == screen.evaluate("() => GieldaLive.stats.loads")
    assert in_flight == [0, 1], in_flight
    assert len(sent) <= 2 + BURST // 3, f"{len(sent)} requests for {2 * BURST} events"
    ctx.close()
