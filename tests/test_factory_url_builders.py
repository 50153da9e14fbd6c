"""The URL builders the test processes reuse across apps (tests/url_builders.py) are the ones
Werkzeug compiles for each rule of the app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, url_for

from tests.conftest import build_app
from tests.url_builders import compile_uncached


def test_every_rules_reused_builders_are_what_werkzeug_compiles_for_it(app: Flask) -> None:
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    for rule in rules:
        for append_unknown, builder in ((False, rule._build), (True, rule._build_unknown)):
            fresh = compile_uncached(rule, append_unknown)
            assert builder.__func__.__code__ == fresh.__code__, rule.rule  # type: ignore[attr-defined]
            assert builder.__func__.__defaults__ == fresh.__defaults__, rule.rule  # type: ignore[attr-defined]
            assert builder.__self__ is rule  # type: ignore[attr-defined]


def test_a_second_app_reuses_the_builders_and_builds_its_own_urls(app: Flask, tmp_path: Path,
                                                                  database_url: str) -> None:
    other = build_app(database_url, tmp_path / "other", SERVER_NAME="other.test", PUBLIC_URL="http://other.test")
    mine = {rule.rule: rule for rule in app.url_map.iter_rules()}
    for rule in other.url_map.iter_rules():
        assert rule._build.__func__ is mine[rule.rule]._build.__func__  # type: ignore[attr-defined]
    with other.test_request_context():
        assert url_for("people.login", slug="łąka", _external=True) == "http://other.test/f/%C5%82%C4%85ka/login"
    with app.test_request_context():
        assert url_for("people.login", slug="łąka", _external=True) == "http://gielda.test/f/%C5%82%C4%85ka/login"
