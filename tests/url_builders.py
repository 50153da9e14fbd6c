"""Werkzeug's URL builders, compiled once per test process instead of once per app.

Every test creates its own app, and Werkzeug compiles two Python functions (through `ast` and
`compile`) for each of its ~130 URL rules when they are added to the app's map: about four
fifths of `create_app`'s time, three tenths of a second per test. The functions depend only on
the rule's text, its parsed parts and its defaults; they read the converters through the rule
they are bound to (`self._converters`) when called. So a function compiled for one app's rule is
the very function Werkzeug would compile for the same rule of the next app, and is reused.

Only the test processes do this (tests/conftest.py installs it); `python -m app` is untouched.
tests/test_factory_url_builders.py checks, for every rule of the app, that the reused function is
the one Werkzeug compiles.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_builders: dict[Hashable, Callable[..., tuple[str, str]]] = {}


def builder_key(rule: Rule, append_unknown: bool) -> Hashable:
    """Everything `Rule._compile_builder` reads: the rule's text (the function's name), its parts
    (`_trace`), and its defaults (their names; the value of one that fills a part of the path,
    as its converter writes it into the URL)."""
    dynamic = {data for is_dynamic, data in rule._trace if is_dynamic}
    defaults = rule.defaults or {}
    return (append_unknown, rule.rule, tuple(rule._trace),
            tuple((name, rule._converters[name].to_url(value) if name in dynamic else None)
                  for name, value in defaults.items()))


def _cached_compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    key = builder_key(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


def install() -> None:
    Rule._compile_builder = _cached_compile_builder  # type: ignore[method-assign]


def compile_uncached(rule: Rule, append_unknown: bool) -> Any:
    """What Werkzeug itself compiles for `rule` (for the test of the cache)."""
    return _compile_builder(rule, append_unknown)
