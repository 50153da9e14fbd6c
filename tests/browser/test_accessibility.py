"""axe-core (vendored from npm, tests/browser/vendor) finds no serious or critical violation on the
pages people use at the fair: the board, cards, the agreement editor, the desk and the
organiser's pages on a phone, and the big screen and the results reveal at 1920x1080."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from app.agreements.models import Agreement
from app.core.extensions import db
from app.door.checkin import check_in
from app.fairs.trading import close_trading
from app.floor.kinds import PostKind, Unit
from app.network.sectors import Sector
from tests.agreements import conftest as contract_fixtures
from tests.browser.conftest import PHONE, log_in

make_signed_agreement = contract_fixtures.make_signed_agreement

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
BLOCKING = ("serious", "critical")


def axe_context(browser: Any, **kwargs: Any) -> Any:
    """A browser context whose pages all load axe-core first (an init script: no CSP applies)."""
    ctx = browser.new_context(**kwargs)
    ctx.add_init_script(path=str(AXE))
    return ctx


def blocking_violations(page: Any) -> list[str]:
    """axe's serious and critical violations on the page as it stands, one line per rule."""
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in result["violations"] if v["impact"] in BLOCKING]


class Audit:
    """Opens pages one after another and collects what axe finds on each."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base, self.found = page, base, {}

    def check(self, path: str, ready: str | None = None) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, (path, response and response.status)
        if ready:
            expect(self.page.locator(ready).first).to_be_visible()
        self.record(path)

    def record(self, label: str) -> None:
        # Colours are judged at rest: an element sliding or fading in is part transparent.
        self.page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')", timeout=15_000)
        problems = blocking_violations(self.page)
        if problems:
            self.found[label] = problems

    def report(self) -> str:
        return "\n".join(f"{path}:\n  " + "\n  ".join(lines) for path, lines in self.found.items())


def test_participant_pages_on_a_phone(browser, live_server, trading_fair, make_participant, make_post, make_draft):
    slug = trading_fair.slug
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Źdźbło")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Spółdzielnia Socjalna Łąka",
                         sector=Sector.SOCIAL_COOPERATIVE)
    make_post(a, "Sala konferencyjna na 30 osób", quantity=30, unit=Unit.PEOPLE)
    make_post(b, "Transport stołów", kind=PostKind.NEED, category_key="transport")
    draft = make_draft(a, b)

    ctx = axe_context(browser, **PHONE)
    page = ctx.new_page()
    audit = Audit(page, live_server.url)
    audit.check(f"/f/{slug}/")
    audit.check(f"/f/{slug}/login")
    audit.check(f"/f/{slug}/board", ready="#board .post")
    audit.check(f"/p/{b.badge_code}")
    log_in(page, live_server.url, a)
    audit.check(f"/f/{slug}/me")
    audit.check(f"/f/{slug}/board", ready="#board .post")
    audit.check(f"/f/{slug}/posts/new?kind=offer")
    audit.check(f"/f/{slug}/my-posts")
    audit.check(f"/f/{slug}/matches")
    audit.check(f"/f/{slug}/agreements")
    audit.check(f"/f/{slug}/agreements/propose?with={b.badge_code}")
    audit.check(f"/f/{slug}/scan")
    page.click("#menu-button")
    audit.record("/scan, the menu open")
    audit.check(f"/f/{slug}/agreements/{draft.id}/edit")
    audit.check(f"/f/{slug}/agreements/{draft.id}")
    audit.check(f"/f/{slug}/points")
    ctx.close()
    assert not audit.found, audit.report()


def test_desk_and_organiser_pages_on_a_phone(browser, live_server, trading_fair, organiser, notary,
                                             make_participant, make_signed_agreement):
    fair, slug = trading_fair, trading_fair.slug
    agreement = make_signed_agreement()
    person = make_participant("Jan", "Wróbel", sector=Sector.RESIDENT)
    check_in(notary, fair.id, agreement.parties[0].representative.badge_code)

    ctx = axe_context(browser, **PHONE)
    page = ctx.new_page()
    audit = Audit(page, live_server.url)
    log_in(page, live_server.url, organiser)
    audit.check(f"/f/{slug}/desk")
    page.fill("input[name=scanned]", person.badge_code)
    page.keyboard.press("Enter")
    expect(page.locator("#scan-result")).to_contain_text("Jan Wróbel")
    audit.record("/desk after a scan")
    audit.check(f"/f/{slug}/desk/walk-in")
    audit.check(f"/f/{slug}/notary")
    audit.check(f"/f/{slug}/brokers")
    audit.check(f"/f/{slug}/admin/participants")
    audit.check(f"/f/{slug}/admin/participants/{person.id}")
    audit.check(f"/f/{slug}/admin/participants/new")
    audit.check(f"/f/{slug}/admin/organisations")
    audit.check(f"/f/{slug}/admin/control")
    audit.check(f"/f/{slug}/admin/settings")
    audit.check(f"/f/{slug}/admin/staff")
    audit.check(f"/f/{slug}/admin/import")
    audit.check(f"/f/{slug}/admin/exports")
    audit.check(f"/f/{slug}/admin/follow-up")
    audit.check(f"/f/{slug}/admin/points")
    audit.check(f"/f/{slug}/agreements/{agreement.id}")
    audit.check(f"/c/{db.session.get(Agreement, agreement.id).public_code}")
    close_trading(organiser, fair.id)
    audit.check(f"/f/{slug}/admin/results")
    ctx.close()
    assert not audit.found, audit.report()


def test_big_screen_and_results_reveal(browser, live_server, trading_fair, organiser, make_signed_agreement):
    fair = trading_fair
    make_signed_agreement(points=(30, 45))
    ctx = axe_context(browser, viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    audit = Audit(page, live_server.url)
    audit.check(f"/f/{fair.slug}/screen/{fair.display_token}")
    expect(page.locator("body")).to_have_attribute("data-connected", "1")
    audit.record("/screen, connected")
    close_trading(organiser, fair.id)
    audit.check(f"/f/{fair.slug}/screen/{fair.display_token}/results")
    # All five counted up: three, then the finale's agreements and their social value (from 7.4 s on).
    expect(page.locator(".r-counter .n.done")).to_have_count(5, timeout=15_000)
    audit.record("/screen/results, counted up")
    ctx.close()
    assert not audit.found, audit.report()
