"""Stacked columns as server-rendered SVG (e.g. the network's members per sector, year by year),
made of the building blocks of `app.reports.charts`: the same escaping, colours and themes, the
same markup on the page and in the PDF."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.reports.charts import (
    BOLD_WIDTH,
    CHAR_WIDTH,
    LIGHT,
    Format,
    Series,
    Theme,
    _colour,
    _empty,
    _n,
    _rect,
    _svg,
    _text,
    _width_of,
    nice_step,
    plain,
)


@dataclass(frozen=True)
class Stack:
    label: str
    values: tuple[float, ...]  # one per series, bottom first


def _legend(series: Sequence[Series], width: float, size: float, theme: Theme) -> tuple[list[str], float]:
    """A swatch and a name per series, on as many lines as the width needs: (markup, height)."""
    body: list[str] = []
    x, line = 0.0, 0
    for s in series:
        item_w = size * 1.4 + _width_of(s.name, size)
        if x and x + item_w > width:
            x, line = 0.0, line + 1
        y = line * size * 1.6
        body.append(_rect(x, y + size * 0.3, size, size, s.colour, theme.muted))
        body.append(_text(x + size * 1.4, y + size * 1.15, s.name, size, theme.ink))
        x += item_w + size * 1.2
    return body, (line + 1) * size * 1.6 + size * 0.6


def _fitting(text: str, size: float, room: float) -> float:
    """The size, down to two thirds of it, at which a bold text fits `room`; 0 if none does (the
    value is still in the table beside the chart and in its segments' titles)."""
    fits = room * 0.96 / (len(text) * CHAR_WIDTH * BOLD_WIDTH) if text else size
    return min(size, fits) if fits >= size * 2 / 3 else 0.0


def stacked_columns(stacks: Sequence[Stack], series: Sequence[Series], *, title: str, theme: Theme = LIGHT,
                    width: float = 640, height: float = 300, value_format: Format = plain, empty: str = "",
                    series_label: Format | None = None, legend: bool = True) -> Markup:
    """A column per stack (a year), its series piled bottom up in their colours, the total on top; a
    legend of the series above (unless the page shows one of its own: `legend=False`). A segment's
    <title> names its series and value."""
    size = theme.font_size
    if not stacks:
        return _empty(width, size * 4, title, empty, theme, "stacked-columns")
    body, legend_h = _legend(series, width, size, theme) if legend else ([], 0.0)
    totals = [sum(s.values) for s in stacks]
    top = max(totals) or 1
    step = nice_step(top)
    ceiling = step * math.ceil(top / step)
    axis_w = _width_of(value_format(ceiling), size * 0.85) + size * 0.8
    plot_top = legend_h + size * 1.5  # room for the totals above the tallest column
    plot_h = height - plot_top - size * 2
    slot = (width - axis_w) / len(stacks)
    column_w = min(slot * 0.62, size * 5)
    tick = 0.0
    while tick <= ceiling + 1e-9:
        y = plot_top + plot_h * (1 - tick / ceiling)
        body.append(f'<line x1="{_n(axis_w)}" x2="{_n(width)}" y1="{_n(y)}" y2="{_n(y)}" '
                    f'stroke="{_colour(theme.grid)}" stroke-width="0.75"/>')
        body.append(_text(axis_w - size * 0.4, y + size * 0.35, value_format(tick), size * 0.85, theme.muted, "end"))
        tick += step
    label_w = max(_width_of(s.label, size * 0.85) for s in stacks) + size * 0.6
    every = max(1, math.ceil(label_w / slot))
    for i, (stack, total) in enumerate(zip(stacks, totals, strict=True)):
        centre = axis_w + slot * (i + 0.5)
        x, base = centre - column_w / 2, plot_top + plot_h
        for s, value in zip(series, stack.values, strict=True):
            if not value:
                continue
            h = plot_h * value / ceiling
            base -= h
            name = f"{s.name}: {series_label(value) if series_label else value_format(value)}"
            segment = _rect(x, base, column_w, h, s.colour, theme.muted).removesuffix("/>")
            body.append(f"{segment}><title>{escape(name)}</title></rect>")
        total_size = _fitting(value_format(total), size * 0.9, slot)
        if total and total_size:
            body.append(_text(centre, base - size * 0.35, value_format(total), total_size, theme.ink, "middle",
                              "bold"))
        if i % every == 0:
            body.append(_text(centre, plot_top + plot_h + size * 1.35, stack.label, size * 0.85, theme.ink, "middle"))
    return _svg(width, height, title, body, "stacked-columns", theme)
