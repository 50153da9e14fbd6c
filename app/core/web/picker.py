"""A searchable picker: the form field for choosing one of thousands (an organisation, a
participant, an account) without listing them all.

The page shows a text box. With JavaScript (static/js/picker.js), typing a few letters asks the
area's small JSON endpoint for the best matches and choosing one puts its value in a hidden
input. Without JavaScript the typed name (or badge code) is looked up when the form is posted:
one match, or one whose whole name is what was typed, is taken; several are offered back as
radio buttons to choose from; none gives a plain error. The value is always re-checked on the
server against what the caller may choose (`Picker.find`), however it arrived.

A picker given `choices` (a short, fixed list: a participant's own accounts) is a plain select.
The field posts three names: `<name>` (the chosen value), `<name>-q` (the typed text) and
`<name>-pick` (a radio button of the no-JavaScript step).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app.core.textkeys import search_key

SHOWN = 10  # matches offered at once (the endpoint's list and the no-JavaScript step)


@dataclass(frozen=True)
class Pick:
    """One thing to choose: the value the form posts, the name people read, a second line."""

    value: str
    label: str
    hint: str = ""

    def as_json(self) -> dict[str, str]:
        return {"value": self.value, "label": self.label, "hint": self.hint}


class Picker(Protocol):
    """What one picker may choose from, for one caller."""

    def find(self, value: str) -> Pick | None:
        """The choice with this value, or None if there is none the caller may choose."""

    def search(self, q: str, limit: int) -> list[Pick]:
        """Up to `limit` choices matching every word of `q` (case and diacritics ignored), best
        first: a whole name equal to `q`, then names starting with it, then the rest by name."""


def matches_json(picker: Picker, q: str) -> dict[str, Any]:
    """The endpoint's answer: the first SHOWN matches and whether there are more."""
    found = picker.search(q, SHOWN + 1) if search_key(q) else []
    return {"items": [p.as_json() for p in found[:SHOWN]], "more": len(found) > SHOWN}


def _same_name(typed: str, label: str) -> bool:
    return search_key(typed) == search_key(label)


class PickerField(wtforms.Field):
    """A searchable picker (see the module's doc). The view sets `picker` and `search_url` (or
    `choices` for a short list) before validating, like a SelectField's choices."""

    widget = wtforms.widgets.HiddenInput()

    def __init__(self, label: Any = None, validators: Sequence[Any] | None = None, *,
                 required: bool = True, placeholder: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.placeholder = placeholder or _l("Search by name…")
        self.picker: Picker | None = None
        self.search_url = ""
        self.choices: list[tuple[str, str]] | None = None
        self.typed: str | None = None  # the text box as posted (None: not posted)
        self.picked: str = ""  # a radio button of the no-JavaScript step
        self.candidates: list[Pick] = []  # offered when several match what was typed
        self.chosen: Pick | None = None

    # --- values in -----------------------------------------------------------------------------

    def process(self, formdata: Any, data: Any = wtforms.utils.unset_value,
                extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            typed = formdata.get(f"{self.name}-q")
            self.typed = typed.strip() if isinstance(typed, str) else None
            picked = formdata.get(f"{self.name}-pick")
            self.picked = picked.strip() if isinstance(picked, str) else ""

    def process_data(self, value: Any) -> None:
        self.data = "" if value is None else str(value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            self.data = valuelist[0].strip() if isinstance(valuelist[0], str) else ""

    def _value(self) -> str:
        return self.data or ""

    # --- checking ------------------------------------------------------------------------------

    def pre_validate(self, form: wtforms.Form) -> None:
        if self.choices is not None:
            if self.data and self.data in {value for value, _label in self.choices}:
                return
            if self.data or self.required:
                raise ValidationError(self.gettext("Not a valid choice.") if self.data
                                      else _l("Choose one."))
            return
        if self.picker is None:
            raise RuntimeError(f"{self.name}: no picker set")
        if self.picked:
            self._take(self.picker.find(self.picked))
            return
        if self.data:
            found = self.picker.find(self.data)
            # The value counts when nobody changed the text box after choosing (or none was sent:
            # a client of its own). A cleared box without JavaScript clears the choice.
            if found is None or self.typed is None or _same_name(self.typed, found.label):
                self._take(found)
                return
        if self.typed:
            self._look_up(self.typed)
            return
        self.data = ""
        if self.required:
            raise ValidationError(_l("Type a few letters of the name and choose from the list."))

    def _take(self, found: Pick | None) -> None:
        if found is None:
            self.data = ""
            raise ValidationError(self.gettext("Not a valid choice."))
        self.chosen, self.data = found, found.value

    def _look_up(self, typed: str) -> None:
        assert self.picker is not None
        found = self.picker.search(typed, SHOWN + 1)
        exact = [p for p in found if _same_name(typed, p.label)]
        if len(found) == 1 or len(exact) == 1:
            self._take(exact[0] if exact else found[0])
            return
        self.data = ""
        if not found:
            raise ValidationError(_l("Nothing matches “%(q)s”.", q=typed))
        self.candidates = found[:SHOWN]
        if len(found) > SHOWN:
            raise ValidationError(_l("More than %(num)d match “%(q)s”: type more of the name, or choose "
                                     "one below.", num=SHOWN, q=typed))
        raise ValidationError(_l("Several match “%(q)s”: choose one below.", q=typed))

    # --- what the page shows -------------------------------------------------------------------

    @property
    def text(self) -> str:
        """What the text box shows: the chosen name, or what was typed."""
        if self.chosen is not None and not self.errors:
            return self.chosen.label
        return self.typed if self.typed is not None else ""

    def preset(self, value: str | None) -> None:
        """Show this value as chosen on a fresh form (a link's `?target=`, an edited record)."""
        if not value:
            return
        self.data = value
        if self.choices is None and self.picker is not None:
            self.chosen = self.picker.find(value)
            if self.chosen is None:
                self.data = ""
