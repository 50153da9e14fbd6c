"""Malformed requests for every route: the values, a crawler that finds the real forms and
links, and a runner that sends them and keeps every 500 it sees.

Used by tests/test_malformed_requests.py. Kept small on purpose: each value stands for a class
of bad input (an integer past the 64- or 32-bit range, a number that is no integer, non-ASCII
text, a NUL byte, a control character, a very long text, an empty value, bytes that are not
UTF-8), not for a case.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter, Rule
from werkzeug.test import TestResponse

# --- the values -------------------------------------------------------------------------------

# Path segments where the route wants an integer. A URL converter matching only digits turns
# "-1" and "abc" into a plain 404 by itself; the point is the numbers the database cannot hold.
INT_PATH_VALUES = [
    "9223372036854775807",  # 2**63 - 1: the largest signed 64-bit integer
    "9223372036854775808",  # 2**63: too big for SQLite (OverflowError)
    "2147483648",  # 2**31: too big for a PostgreSQL integer column
    "1" + "0" * 40,
    "0",
    "-1",
    "abc",
    "١٢٣",  # Arabic-Indic digits: Unicode digits int() reads
]

REFUSED_INT_PATH_VALUES = ["9223372036854775808", "2147483648", "0", "abc"]

# Every other value: query arguments, form fields, socket data.
TEXT_VALUES = [
    "9223372036854775808",  # past the 64-bit range
    "-9223372036854775809",  # past it, negative
    "2147483648",  # past the 32-bit range of a PostgreSQL integer
    "1e30",  # a number that is no integer
    "Żółć ☃ ١٢٣٤٥٦",  # non-ASCII letters and Unicode digits
    "a\x00b",  # PostgreSQL refuses NUL in text
    "\x01\x1b[31m\u202e",  # other control and bidi characters
    "x" * 5000,
    "",
]

# For a field people type words in (a textarea, an <input type=text> that is not numeric): the
# values of every class but the integer ranges' other ends (what matters there is text).
FREE_TEXT_VALUES = [v for v in TEXT_VALUES if v not in ("-9223372036854775809", "2147483648")]
FREE_TEXT_INPUTS = ("text", "email", "password", "search", "tel", "url")

# Path segments where the route takes text (the fair's slug everywhere, tokens, codes).
STRING_PATH_VALUES = ["9223372036854775808", "Żółć ☃ ١٢٣٤٥٦", "a\x00b", "x" * 3000, "%2F"]

# Hidden ids of a form sent with its other buttons: too big, no integer, not ASCII.
ID_VALUES = ["9223372036854775808", "1e30", "Żółć ☃ ١٢٣٤٥٦"]

# Raw query/form bytes that are no UTF-8 (sent as they are, not percent-encoded text).
BAD_UTF8 = "%FF%FE%C3"

# Read by code that runs on every request (the locale) or on many (the login redirect, safe_next):
# sent to every route, with a few values (the views that read them themselves get them all).
GENERIC_QUERY_ARGS = ("lang", "next")
GENERIC_VALUES = ["Żółć ☃ 9223372036854775808", "//evil.example/\\x"]


def short(value: str, limit: int = 40) -> str:
    """A value as a report shows it."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…({len(value)} chars)"


# --- what the views read ------------------------------------------------------------------------

# request.args/values/form reads by name (and `args = request.args; args.get(...)`).
_READ = re.compile(r"""(?:request\.(?P<src>args|values|form)|(?<![\w.])(?P<alias>args))"""
                   r"""\s*(?:\.get(?:list)?\(\s*|\[\s*)["'](?P<name>[^"']+)["']""")
# A read whose name is a variable (`request.args.get(name, "")` in a helper called with the names).
_DYNAMIC = re.compile(r"request\.(?P<src>args|values|form)\.get(?:list)?\(\s*[A-Za-z_]\w*\s*[,)]")
_NAME_LITERAL = re.compile(r"[a-z][a-z_]{0,30}")
_FORM_CLASS = re.compile(r"\b([A-Z]\w*Form)\(")


@dataclass
class ReadArgs:
    query: set[str] = field(default_factory=set)  # query arguments
    form: set[str] = field(default_factory=set)  # form fields read outside a form class
    forms: set[str] = field(default_factory=set)  # names of the form classes used


@functools.cache
def _module_functions(module: Any) -> tuple[str, dict[str, ast.FunctionDef]]:
    source = inspect.getsource(module)
    tree = ast.parse(source)
    return source, {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            names.add(sub.id)
    return names


@functools.cache
def args_read_by(view: Any) -> ReadArgs:
    """Query arguments and form fields that a view reads outside its WTForms form: found in the
    source of the view and of the functions of its module it calls (transitively)."""
    view = inspect.unwrap(view)
    module = inspect.getmodule(view)
    assert module is not None
    module_source, functions = _module_functions(module)
    seen: set[str] = set()
    todo = [view.__name__]
    found = ReadArgs()
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        node = functions[name]
        source = ast.get_source_segment(module_source, node) or ""
        for match in _READ.finditer(source):
            src = match["src"] or "args"
            (found.form if src == "form" else found.query).add(match["name"])
            if src == "values":
                found.form.add(match["name"])
        found.forms.update(_FORM_CLASS.findall(source))
        for match in _DYNAMIC.finditer(source):  # the names: the string literals the function passes on
            names = {c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)
                     and _NAME_LITERAL.fullmatch(c.value)}
            (found.form if match["src"] == "form" else found.query).update(names)
        todo.extend(_called_names(node) & set(functions))
    return found


def dynamic_reads_in(source: str) -> int:
    return len(_DYNAMIC.findall(source))


def all_reads_in(source: str) -> set[tuple[str, str]]:
    """(kind, name) of every request.args/values/form read in a module's source."""
    return {(m["src"] or "args", m["name"]) for m in _READ.finditer(textwrap.dedent(source))}


# --- pages: links and forms ---------------------------------------------------------------------

@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # in document order
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons
    files: list[str] = field(default_factory=list)
    free_text: set[str] = field(default_factory=set)  # fields people type words in (not numbers, ids)

    def names(self) -> list[str]:
        return list(dict.fromkeys(n for n, _v in self.fields))


class PageParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, all, selected
        self._option: str | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._elsewhere: dict[str, list[tuple[str, str]]] = {}  # formaction -> its buttons

    def _button(self, name: str | None, a: dict[str, str]) -> None:
        assert self._form is not None
        button = [(name, a.get("value", ""))] if name else []
        if a.get("formaction"):  # this button posts the form somewhere else
            self._elsewhere.setdefault(a["formaction"], []).extend(button)
        else:
            self._form.buttons.extend(button)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(self.page, a.get("action") or self.page, (a.get("method") or "get").upper())
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._button(name, a)
            elif kind == "file":
                self._form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and name not in self._form.names()):
                    self._form.fields.append((name, a.get("value", "on")))
            elif kind != "reset":
                self._form.fields.append((name, a.get("value", "")))
                if kind in FREE_TEXT_INPUTS and a.get("inputmode") != "numeric":
                    self._form.free_text.add(name)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._button(name, a)
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._option is not None:
                self._select[1].append(self._option)
                if "selected" in a:
                    self._select[2].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._select is not None and self._option is None and self._select[1] is not None:
            pass

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            f = self._form
            for action, buttons in self._elsewhere.items():
                self.forms.append(Form(f.page, action, f.method, list(f.fields), buttons, f.files, f.free_text))
            self._form, self._elsewhere = None, {}
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            chosen = selected[:1] or options[:1]
            self._form.fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "".join(self._textarea[1])))
            self._form.free_text.add(self._textarea[0])
            self._textarea = None


def parse_page(page: str, html: str) -> PageParser:
    parser = PageParser(page)
    parser.feed(html)
    parser.close()
    return parser


# --- sending ----------------------------------------------------------------------------------

@dataclass
class Failure:
    role: str
    endpoint: str
    method: str
    url: str
    where: str  # path:<param>, query:<arg>, form:<field>, ...
    value: str
    status: int
    detail: str

    def __str__(self) -> str:
        return (f"{self.status} {self.method} {self.endpoint} as {self.role}: {self.where}="
                f"{short(self.value)} ({self.url[:120]}) {self.detail}")


@dataclass
class Runner:
    """Sends requests through the test client, counts them, keeps each 5xx with what caused it."""

    app: Flask
    client: FlaskClient
    role: str
    sent: int = 0
    failures: list[Failure] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def send(self, endpoint: str, method: str, url: str, where: str, value: str,
             data: Any = None, headers: dict[str, str] | None = None) -> TestResponse:
        self.sent += 1
        if isinstance(data, list):
            data = MultiDict(data)
        try:
            response = self.client.open(url, method=method, data=data, headers=headers)
        except Exception as exc:  # TESTING re-raises: an unhandled exception is a 500
            self.failures.append(Failure(self.role, endpoint, method, url, where, value, 500,
                                         f"{type(exc).__name__}: {str(exc)[:200]}"))
            from app.core.extensions import db

            db.session.rollback()
            return TestResponse(b"", "500 INTERNAL SERVER ERROR", {}, request=None)  # type: ignore[arg-type]
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            self.failures.append(Failure(self.role, endpoint, method, url, where, value,
                                         response.status_code, response.get_data(as_text=True)[:200]))
        return response


def with_query(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(pairs), quote_via=quote)
    return f"{path}?{query}" if query else path


def query_pairs(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def replaced(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    out = [(k, v) for k, v in pairs if k != name]
    return [*out, (name, value)]


def path_values(rule: Rule, name: str, refused: bool = False) -> list[str]:
    """Malformed values for a path parameter; fewer integers for a role the route refuses (the
    refusal comes before any use of the id but to look the object up)."""
    if isinstance(rule._converters[name], IntegerConverter):
        return REFUSED_INT_PATH_VALUES if refused else INT_PATH_VALUES
    return STRING_PATH_VALUES


def encode_segment(value: str) -> str:
    return quote(value, safe="") if value != "%2F" else value


_VARIABLE = re.compile(r"<(?:[^:<>]+:)?(\w+)>")


def build_path(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with these raw segment values (no converter check: that is the point)."""
    return _VARIABLE.sub(lambda m: encode_segment(values[m[1]]), rule.rule)


def unique(items: Iterable[str]) -> Iterator[str]:
    return iter(dict.fromkeys(items))
