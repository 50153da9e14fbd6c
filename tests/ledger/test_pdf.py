"""The statement PDF's URL fetcher serves only the app's own static files."""

from __future__ import annotations

import pytest

from app.core.paths import ROOT
from app.ledger.pdf import LocalOnlyFetcher


def test_fetcher_serves_a_static_file():
    css = next((ROOT / "static").rglob("*.css"))
    response = LocalOnlyFetcher().fetch(css.as_uri())
    assert response.read() == css.read_bytes()


@pytest.mark.parametrize("url", ["http://example.org/logo.png", "https://127.0.0.1/x.css",
                                 "ftp://example.org/x"])
def test_fetcher_refuses_network_urls(url):
    with pytest.raises(ValueError, match="refused"):
        LocalOnlyFetcher().fetch(url)


def test_fetcher_refuses_files_outside_static():
    with pytest.raises(ValueError, match="outside the static folder"):
        LocalOnlyFetcher().fetch((ROOT / "app" / "config.py").as_uri())


def test_fetcher_refuses_escaping_static_with_dots():
    with pytest.raises(ValueError, match="outside the static folder"):
        LocalOnlyFetcher().fetch((ROOT / "static").as_uri() + "/../app/config.py")
