"""Reading a page's forms as a browser submits them (stdlib html.parser): the phones fill in
the real forms — CSRF token, one-time key, the agreement editor's hidden fields — never a
hand-made request."""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAGE_SEQ = re.compile(r'id="board"[^>]*data-seq="(\d+)"')  # the public event number a board page shows


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self.actions: list[str] = []
        self._form: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
            self.actions.append(a.get("action", ""))
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "checkbox"):
            self._form[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a and a.get("name"):
            self._form[a["name"]] = a.get("value", "y")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form[self._textarea] = ""
        elif tag == "select" and a.get("name"):
            self._select, self._first_option = a["name"], True
            self._form.setdefault(self._select, "")
        elif tag == "option" and self._select and ("selected" in a or self._first_option):
            self._form[self._select] = a.get("value", "")
            self._first_option = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data


def forms(html: str) -> list[dict[str, str]]:
    """Every form of the page: its fields' names and the values it would send (no buttons)."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_to(html: str, action_end: str) -> dict[str, str]:
    """The fields of the first form whose action ends with `action_end`; KeyError if none."""
    parser = _Forms()
    parser.feed(html)
    for action, form in zip(parser.actions, parser.forms, strict=True):
        if action.endswith(action_end):
            return form
    raise KeyError(f"no form sent to …{action_end}")


def form_with(html: str, field: str) -> dict[str, str]:
    """The first form holding `field`; KeyError if none does."""
    for form in forms(html):
        if field in form:
            return form
    raise KeyError(f"no form with the field {field!r}")
