"""Addresses that leave the app (app/core/web/urls.py): PUBLIC_URL over the browser's host, and
the warning when QR codes made now would point at this computer only."""

from __future__ import annotations

import pytest
from flask import Flask

from app.core.web import urls
from app.core.web.urls import cli_loopback_warning, loopback_warning, public_page_url, public_url


def test_public_url_is_public_url_whatever_host_the_browser_used(app: Flask) -> None:
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    with app.test_request_context("/f/x/admin/control", base_url="http://127.0.0.1:5000"):
        assert public_url() == "http://192.168.1.20:5000"
        assert public_page_url("floor.board_page", slug="x") == "http://192.168.1.20:5000/f/x/board"
        assert loopback_warning() is None


def test_without_public_url_the_browsers_host_is_used_and_a_loopback_one_is_warned_about(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    app.config["PUBLIC_URL"] = None
    monkeypatch.setattr(urls, "_lan_seen", (-1e9, None))  # ask again
    monkeypatch.setattr(urls, "lan_address", lambda: "10.77.0.1")
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert public_page_url("floor.board_page", slug="x") == "http://127.0.0.1:5000/f/x/board"
        assert loopback_warning() == {"url": "http://127.0.0.1:5000", "lan": "http://10.77.0.1:5000"}
    with app.test_request_context("/", base_url="http://10.77.0.1:5000"):  # a phone, or the laptop by its address
        assert loopback_warning() is None


def test_a_loopback_public_url_is_warned_about_even_from_a_lan_browser(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    app.config["PUBLIC_URL"] = "http://localhost:8000"
    monkeypatch.setattr(urls, "_lan_seen", (-1e9, None))
    monkeypatch.setattr(urls, "lan_address", lambda: None)
    with app.test_request_context("/", base_url="http://10.77.0.1:8000"):
        assert loopback_warning() == {"url": "http://localhost:8000", "lan": ""}


def test_the_cli_warning_names_the_address_and_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urls, "lan_address", lambda: "192.168.4.7")
    warning = cli_loopback_warning("http://127.0.0.1:5000", "The QR codes on these badges")
    assert warning is not None
    assert warning.startswith("WARNING: The QR codes on these badges will point to http://127.0.0.1:5000")
    assert "make hall" in warning and "PUBLIC_URL=http://192.168.4.7:5000" in warning
    assert cli_loopback_warning("http://192.168.4.7:5000", "The QR codes") is None
