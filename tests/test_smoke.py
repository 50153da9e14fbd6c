import re

import pytest


def test_health_reports_database_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json["status"] == "ok"
    assert r.json["database"] == "ok"


def test_fair_home_renders_in_polish_by_default(client, fair):
    r = client.get(f"/f/{fair.slug}/")
    assert r.status_code == 200
    assert "Giełda Zasobów Tczew" in r.get_data(as_text=True)


# --- the chrome of every page: the phone's bottom navigation and the top menu -------------------

def _bottom_nav(page: str) -> str:
    start = page.find('<nav class="bottom-nav"')
    return page[start:page.index("</nav>", start)] if start >= 0 else ""


def test_a_participants_pages_have_the_bottom_navigation(client, fair, make_participant, login):
    login(make_participant())
    nav = _bottom_nav(client.get(f"/f/{fair.slug}/board").get_data(as_text=True))
    assert [label in nav for label in ("Tablica", "Skanuj", "Moje umowy", "Ja")] == [True] * 4
    assert f'href="/f/{fair.slug}/scan"' in nav and 'aria-label="Szybka nawigacja"' in nav


@pytest.mark.parametrize(("path", "tab"), [("board", "board"), ("scan", "scan"), ("agreements", "agreements"),
                                           ("me", "me")])
def test_the_current_page_is_marked_in_the_bottom_navigation(client, fair, make_participant, login, path, tab):
    login(make_participant())
    nav = _bottom_nav(client.get(f"/f/{fair.slug}/{path}").get_data(as_text=True))
    assert nav.count("aria-current") == 1
    assert re.search(rf'class="tab tab-{tab}" aria-current="page"', nav), nav


def test_a_scanned_card_is_under_scan(client, fair, make_participant, login):
    other = make_participant()
    login(make_participant())
    nav = _bottom_nav(client.get(f"/p/{other.badge_code}").get_data(as_text=True))
    assert 'class="tab tab-scan" aria-current="true"' in nav


def test_anonymous_visitors_get_no_bottom_navigation_and_no_menu_button(client, fair):
    page = client.get(f"/f/{fair.slug}/board").get_data(as_text=True)
    assert _bottom_nav(page) == "" and 'id="menu-button"' not in page


def test_the_full_menu_stays_behind_the_menu_button(client, fair, make_participant, login):
    login(make_participant())
    page = client.get(f"/f/{fair.slug}/me").get_data(as_text=True)
    assert 'id="menu-button" href="#menu" aria-controls="menu" aria-expanded="false"' in page
    menu = page[page.index('<nav class="menu" id="menu"'):]
    assert "Nasze ogłoszenia" in menu and "Wyloguj" in menu
