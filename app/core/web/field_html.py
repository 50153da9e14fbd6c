"""A form field's HTML, rendered once and reused.

WTForms renders a field by building its attributes one by one (`html_params`, one
`Markup.format` per option of a select): the post form's fields cost more to render than the rest
of its page, and every phone opening the form at the gong renders the same fields with the same
values. `render_field` (the forms' `Meta.render_field`, see `formfields.Form`) keeps each
field's HTML (in this process, a bounded LRU) under a key holding everything the widget reads:
the widget itself, the field's class, id, name, value and data, its choices (labels as the
request's language shows them, which is selected), its flags and the attributes of the call.

Kept whole: the widgets of `CACHED_WIDGETS`, inputs a person types into, text areas, selects,
radio buttons and check boxes, unless filled in from the form sent (what a person typed, a PIN
say, is never kept in memory: a form shown again after an error renders such a field each time).
A hidden input (a CSRF token, a one-time key: a new value each time) keeps its HTML around its
value, which is escaped into it at each request. Passwords and files are rendered each time."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.meta import DefaultMeta

MAX_FIELDS = 2_000

CACHED_WIDGETS: tuple[type, ...] = (widgets.Input, widgets.TextArea, widgets.Select)
NOT_CACHED_WIDGETS: tuple[type, ...] = (widgets.PasswordInput, widgets.FileInput, widgets.SubmitInput)
VALUE_SLOT = "\x00"  # where a hidden input's value goes in its kept HTML (escaping leaves it as it is)

_html: OrderedDict[tuple[Any, ...], Markup | tuple[str, str]] = OrderedDict()
_lock = threading.Lock()


def _frozen(value: Any) -> Hashable:
    """A hashable stand-in for a value the widget prints: itself, its text in the request's
    language (a lazy string), or its repr (a list, a dict)."""
    if isinstance(value, LazyString):
        return str(value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _choices(field: Any) -> Hashable:
    """What a select shows: each option's value, label (in this language), whether it is
    selected, and its attributes; grouped choices with their groups."""
    if getattr(field, "has_groups", None) and field.has_groups():
        return tuple((str(group), tuple((c.value, str(c.label), c.selected, _frozen(c.render_kw)) for c in choices))
                     for group, choices in field.iter_groups())
    return tuple((c.value, str(c.label), c.selected, _frozen(c.render_kw)) for c in field.iter_choices())


def field_key(field: Any, render_kw: dict[str, Any]) -> tuple[Any, ...] | None:
    """The key of this field's HTML, or None when it is not kept (see the module)."""
    widget = field.widget
    if not isinstance(widget, CACHED_WIDGETS) or isinstance(widget, NOT_CACHED_WIDGETS):
        return None
    shown = _choices(field) if isinstance(widget, widgets.Select) else None
    value: Any
    data: Any
    if isinstance(widget, widgets.HiddenInput):
        if "value" in render_kw:
            return None
        value = data = VALUE_SLOT  # the value goes into the HTML kept around it
    elif field.raw_data:
        return None  # filled in from what was sent: what a person typed is never kept
    else:
        value, data = (field._value() if hasattr(field, "_value") else None), field.data
    key: tuple[Any, ...] = (widget, type(field), field.id, field.name, _frozen(value), _frozen(data),
            getattr(field, "checked", None), shown, tuple(sorted(vars(field.flags).items())),
            tuple(sorted((k, _frozen(v)) for k, v in render_kw.items())),
            tuple(sorted((k, _frozen(v)) for k, v in (getattr(field, "render_kw", None) or {}).items())))
    return key


def render_field(meta: DefaultMeta, field: Any, render_kw: dict[str, Any]) -> Markup:
    """`DefaultMeta.render_field`, from the cache when the same field was rendered the same way."""
    key = field_key(field, render_kw)
    if key is None:
        return Markup(DefaultMeta.render_field(meta, field, render_kw))
    with _lock:
        kept = _html.get(key)
        if kept is not None:
            _html.move_to_end(key)
    if kept is None:
        kept = _rendered(meta, field, render_kw)
        with _lock:
            _html[key] = kept
            while len(_html) > MAX_FIELDS:
                _html.popitem(last=False)
    if isinstance(kept, tuple):
        before, after = kept
        return Markup(before + str(escape(field._value())) + after)
    return kept


def _rendered(meta: DefaultMeta, field: Any, render_kw: dict[str, Any]) -> Markup | tuple[str, str]:
    """What the cache keeps of a field: its HTML, or a hidden input's HTML before and after its value."""
    if not isinstance(field.widget, widgets.HiddenInput):
        return Markup(DefaultMeta.render_field(meta, field, render_kw))
    html = str(DefaultMeta.render_field(meta, field, {**render_kw, "value": VALUE_SLOT}))
    before, slot, after = html.partition(VALUE_SLOT)
    assert slot and VALUE_SLOT not in after, html
    return before, after


def forget_fields() -> None:
    """Empty the cache (tests)."""
    with _lock:
        _html.clear()
