"""Charts as server-rendered SVG: the same markup on the results page, in the PDF report
(WeasyPrint draws inline SVG) and on the big screen. No script, no external font or URL.

Inputs are plain values (labels already translated, numbers already counted); every text is
escaped and every colour checked, so what reaches the markup is always well-formed XML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "DejaVu Sans, Verdana, sans-serif"
CHAR_WIDTH = 0.62  # average advance of DejaVu Sans, in ems: enough to keep labels apart
BOLD_WIDTH = 1.15  # bold glyphs are wider: room for a bold label (a line's last value at its end)
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?")


@dataclass(frozen=True)
class Theme:
    ink: str
    muted: str
    grid: str
    background: str
    accent: str
    font_size: int
    font: str = FONT


LIGHT = Theme(ink="#1d2330", muted="#5b6474", grid="#c9ced8", background="#ffffff", accent="#0b6e4f",
              font_size=15)
# On paper: the report's own embedded font (declared by the report's stylesheet) comes first.
PRINT = Theme(ink="#000000", muted="#444444", grid="#b0b6c0", background="#ffffff", accent="#0b6e4f",
              font_size=13, font="Report Sans, " + FONT)
DARK = Theme(ink="#f4f6fa", muted="#b7c0d0", grid="#3a4458", background="#1d2330", accent="#2fbf8a",
             font_size=17)
# Offers and needs: green and amber, as on the board and the screen; darker shades print better.
OFFER_LIGHT, NEED_LIGHT = "#2e8b57", "#e39b00"
OFFER_DARK, NEED_DARK = "#7ee0a8", "#ffc857"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Group:
    label: str
    values: tuple[float, ...]  # one per series


@dataclass(frozen=True)
class Bin:
    label: str
    value: float


@dataclass(frozen=True)
class Point:
    x: float
    y: float


Format = Callable[[float], str]


def plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# --- building blocks ---------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _colour(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise ValueError(f"not a colour: {value!r}")
    return value


def _rgb(colour: str) -> tuple[float, float, float]:
    value = _colour(colour).lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _luminance(colour: str) -> float:
    r, g, b = _rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(colour: str) -> str:
    """Black or white, whichever reads on `colour`."""
    return "#000000" if _luminance(colour) > 0.5 else "#ffffff"


def mix(a: str, b: str, share: float) -> str:
    """`share` of the way from colour a to colour b."""
    share = min(1.0, max(0.0, share))
    ra, rb = _rgb(a), _rgb(b)
    return "#" + "".join(f"{round((x + (y - x) * share) * 255):02x}" for x, y in zip(ra, rb, strict=True))


def _width_of(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _clip(text: str, size: float, room: float) -> str:
    """The label, shortened with an ellipsis to fit `room` (the full one stays in a <title>)."""
    fits = max(1, int(room / (size * CHAR_WIDTH) + 1e-6))
    return text if len(text) <= fits else text[:max(1, fits - 1)].rstrip() + "…"


def _text(x: float, y: float, content: str, size: float, fill: str, anchor: str = "start",
          weight: str = "normal", full: str | None = None) -> str:
    title = f"<title>{escape(full)}</title>" if full and full != content else ""
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{_colour(fill)}" '
            f'text-anchor="{anchor}"{bold}>{title}{escape(content)}</text>')


def _rect(x: float, y: float, w: float, h: float, fill: str, stroke: str | None = None,
          extra: str = "") -> str:
    edge = f' stroke="{_colour(stroke)}" stroke-width="1"' if stroke else ""
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(0.0, w))}" height="{_n(max(0.0, h))}" '
            f'fill="{_colour(fill)}"{edge}{extra}/>')


def _svg(width: float, height: float, title: str, body: list[str], css_class: str, theme: Theme) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css_class)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'role="img" font-family="{escape(theme.font)}"><title>{escape(title)}</title>' + "".join(body) + "</svg>")


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 5 × 10^k, at least 1) for about `ticks` gridlines up to `top`."""
    if top <= ticks:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _empty(width: float, height: float, title: str, message: str, theme: Theme, css_class: str) -> Markup:
    size = theme.font_size
    return _svg(width, height, title, [_text(width / 2, height / 2, message, size, theme.muted, "middle")],
                css_class, theme)


# --- charts ------------------------------------------------------------------------------------


def _label_layout(labels: Sequence[str], width: float, size: float, above: bool, share: float
                  ) -> tuple[float, float]:
    """(label column width, height of a label line): beside the bars, or on a line above them
    (narrow screens: the whole width is left for the label and the bar)."""
    if above:
        return 0.0, size * 1.5
    return min(width * share, max(_width_of(label, size) for label in labels) + size), 0.0


def _label(x_end: float, y: float, label: str, size: float, theme: Theme, labels_w: float, width: float,
           above: bool) -> str:
    if above:
        return _text(0, y, _clip(label, size, width), size, theme.ink, full=label)
    return _text(x_end - size * 0.5, y, _clip(label, size, labels_w - size * 0.5), size, theme.ink, "end",
                 full=label)


def bar_chart(bars: Sequence[Bar], *, title: str, theme: Theme = LIGHT, width: float = 640,
              value_format: Format = plain, empty: str = "", labels_above: bool = False) -> Markup:
    """Horizontal bars, one per row: label, bar in its colour, value."""
    size = theme.font_size
    bar_h = size * 1.55
    if not bars:
        return _empty(width, size * 4.4, title, empty, theme, "bar-chart")
    labels_w, line_h = _label_layout([b.label for b in bars], width, size, labels_above, 0.42)
    row = line_h + size * 2.2
    values = [value_format(b.value) for b in bars]
    values_w = max(_width_of(v, size) for v in values) + size
    room = width - labels_w - values_w
    top = max((b.value for b in bars), default=0) or 1
    body = []
    for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
        y = i * row + line_h
        baseline = y + size * 1.1 + size * 0.35
        body.append(_label(labels_w, (y - size * 0.4) if labels_above else baseline, bar.label, size, theme,
                           labels_w, width, labels_above))
        length = room * bar.value / top
        body.append(_rect(labels_w, y + size * 0.33, length, bar_h, bar.colour, theme.muted))
        body.append(_text(labels_w + length + size * 0.4, baseline, value, size, theme.ink, weight="bold"))
    return _svg(width, row * len(bars), title, body, "bar-chart", theme)


def grouped_bar_chart(groups: Sequence[Group], series: Sequence[Series], *, title: str,
                      theme: Theme = LIGHT, width: float = 640, value_format: Format = plain,
                      empty: str = "", labels_above: bool = False) -> Markup:
    """Horizontal bars in groups (e.g. offers and needs per category), with a legend on top."""
    size = theme.font_size
    bar_h = size * 1.25
    gap = size * 0.7
    legend_h = size * 2.2
    if not groups:
        return _empty(width, legend_h * 2, title, empty, theme, "grouped-bar-chart")
    labels_w, line_h = _label_layout([g.label for g in groups], width, size, labels_above, 0.4)
    group_h = line_h + bar_h * len(series) + gap
    values_w = max(_width_of(value_format(v), size) for g in groups for v in g.values) + size
    room = width - labels_w - values_w
    top = max((v for g in groups for v in g.values), default=0) or 1
    body = []
    x = labels_w
    for s in series:  # the legend
        body.append(_rect(x, size * 0.4, size, size, s.colour, theme.muted))
        body.append(_text(x + size * 1.4, size * 1.25, s.name, size, theme.ink))
        x += size * 2.4 + _width_of(s.name, size)
    for i, group in enumerate(groups):
        y = legend_h + i * group_h
        label_y = y + size * 1.05 if labels_above else y + bar_h * len(series) / 2 + size * 0.35
        body.append(_label(labels_w, label_y, group.label, size, theme, labels_w, width, labels_above))
        for j, (s, v) in enumerate(zip(series, group.values, strict=True)):
            by = y + line_h + j * bar_h
            length = room * v / top
            body.append(_rect(labels_w, by + 1, length, bar_h - 2, s.colour, theme.muted))
            body.append(_text(labels_w + length + size * 0.4, by + bar_h / 2 + size * 0.35, value_format(v),
                              size * 0.9, theme.ink))
        if i:
            body.append(f'<line x1="0" x2="{_n(width)}" y1="{_n(y - gap / 2)}" y2="{_n(y - gap / 2)}" '
                        f'stroke="{_colour(theme.grid)}" stroke-width="0.5"/>')
    return _svg(width, legend_h + group_h * len(groups), title, body, "grouped-bar-chart", theme)


def _split(label: str) -> list[str]:
    """A column header on at most two lines, broken at the space (or after the slash) nearest
    the middle: "Organizacja / pozarządowa", "Mieszkaniec/ / mieszkanka"."""
    words = label.replace("/", "/ ").split()
    if len(words) < 2:
        return [label]

    def line(part: list[str]) -> str:
        return " ".join(part).replace("/ ", "/")

    best = min(range(1, len(words)), key=lambda i: abs(len(line(words[:i])) - len(line(words[i:]))))
    return [line(words[:best]), line(words[best:])]


def heat_table(labels: Sequence[str], colours: Sequence[str], values: Sequence[Sequence[int]], *,
               title: str, theme: Theme = LIGHT, width: float = 760, row_height: float = 2.3) -> Markup:
    """A square table (who with whom): sector bands on both edges, cells shaded by their count.
    `row_height` is in ems of the theme's font."""
    size = theme.font_size
    n = len(labels)
    if not n:
        return _empty(width, size * 4, title, "", theme, "heat-table")
    labels_w = min(width * 0.34, max(_width_of(label, size) for label in labels) + size * 1.6)
    cell_w = (width - labels_w) / n
    head_size = min(size, size * 0.95 * cell_w / max(_width_of(line, size) + size * 0.3
                                                      for label in labels for line in _split(label)))
    head_h = size * 0.8 + head_size * 2.6
    cell_h = size * row_height
    top = max((v for r in values for v in r), default=0) or 1
    body = []
    for j, (label, colour) in enumerate(zip(labels, colours, strict=True)):  # column heads
        x = labels_w + j * cell_w
        body.append(_rect(x + 2, 0, cell_w - 4, size * 0.55, colour, theme.muted))
        for k, line in enumerate(_split(label)):
            body.append(_text(x + cell_w / 2, size * 0.55 + head_size * (1.25 + 1.2 * k), line, head_size,
                              theme.ink, "middle"))
    for i, (label, colour, row) in enumerate(zip(labels, colours, values, strict=True)):
        y = head_h + i * cell_h
        body.append(_rect(0, y + 3, size * 0.55, cell_h - 6, colour, theme.muted))
        body.append(_text(size * 0.9, y + cell_h / 2 + size * 0.35, _clip(label, size, labels_w - size * 1.2),
                          size, theme.ink, full=label))
        for j, value in enumerate(row):
            x = labels_w + j * cell_w
            fill = mix(theme.background, theme.accent, 0.15 + 0.85 * value / top) if value else theme.background
            body.append(_rect(x, y, cell_w, cell_h, fill, theme.grid))
            ink = ink_on(fill) if value else theme.muted
            body.append(_text(x + cell_w / 2, y + cell_h / 2 + size * 0.38, str(value), size * 1.05,
                              ink, "middle", "bold" if value else "normal"))
    return _svg(width, head_h + cell_h * n, title, body, "heat-table", theme)


def histogram(bins: Sequence[Bin], *, title: str, theme: Theme = LIGHT, width: float = 640,
              height: float = 260, colour: str | None = None, empty: str = "") -> Markup:
    """Vertical bars over time: a label under every bar that has room for one, gridlines, values."""
    size = theme.font_size
    if not bins:
        return _empty(width, size * 4, title, empty, theme, "histogram")
    top = max(b.value for b in bins) or 1
    step = nice_step(top)
    ceiling = step * math.ceil(top / step)
    axis_w = _width_of(plain(ceiling), size) + size * 0.8
    plot_h = height - size * 3.2
    plot_top = size * 1.2
    slot = (width - axis_w) / len(bins)
    body = []
    tick = 0.0
    while tick <= ceiling + 1e-9:
        y = plot_top + plot_h * (1 - tick / ceiling)
        body.append(f'<line x1="{_n(axis_w)}" x2="{_n(width)}" y1="{_n(y)}" y2="{_n(y)}" '
                    f'stroke="{_colour(theme.grid)}" stroke-width="0.75"/>')
        body.append(_text(axis_w - size * 0.4, y + size * 0.35, plain(tick), size * 0.85, theme.muted, "end"))
        tick += step
    label_w = max(_width_of(b.label, size * 0.85) for b in bins) + size * 0.6
    every = max(1, math.ceil(label_w / slot))
    fill = colour or theme.accent
    for i, b in enumerate(bins):
        x = axis_w + i * slot
        h = plot_h * b.value / ceiling
        body.append(_rect(x + slot * 0.12, plot_top + plot_h - h, slot * 0.76, h, fill))
        if b.value and slot >= _width_of(plain(b.value), size * 0.85):
            body.append(_text(x + slot / 2, plot_top + plot_h - h - size * 0.3, plain(b.value), size * 0.85,
                              theme.ink, "middle", "bold"))
        if i % every == 0:
            body.append(_text(x + slot / 2, plot_top + plot_h + size * 1.3, b.label, size * 0.85, theme.muted,
                              "middle"))
    return _svg(width, height, title, body, "histogram", theme)


def line_chart(points: Sequence[Point], *, title: str, theme: Theme = LIGHT, width: float = 640,
               height: float = 260, y_max: float = 1.0, y_format: Format = plain,
               x_format: Format = plain, x_caption: str = "", reference: tuple[float, str] | None = None,
               empty: str = "") -> Markup:
    """A line over x (e.g. days since the fair) from 0 to `y_max`, the last value written at its end."""
    size = theme.font_size
    if not points:
        return _empty(width, size * 4, title, empty, theme, "line-chart")
    axis_w = max(_width_of(y_format(y_max * k / 4), size * 0.85) for k in range(5)) + size * 0.8
    last_w = _width_of(y_format(points[-1].y), size * BOLD_WIDTH) + size  # bold, after half an em
    plot_top, plot_h = size * 1.2, height - size * (4.4 if x_caption else 3.2)
    plot_w = width - axis_w - last_w
    x_max = max(p.x for p in points) or 1

    def at(p: Point) -> tuple[float, float]:
        return axis_w + plot_w * p.x / x_max, plot_top + plot_h * (1 - min(p.y, y_max) / y_max)

    body = []
    for k in range(5):
        y = plot_top + plot_h * (1 - k / 4)
        body.append(f'<line x1="{_n(axis_w)}" x2="{_n(axis_w + plot_w)}" y1="{_n(y)}" y2="{_n(y)}" '
                    f'stroke="{_colour(theme.grid)}" stroke-width="0.75"/>')
        body.append(_text(axis_w - size * 0.4, y + size * 0.35, y_format(y_max * k / 4), size * 0.85,
                          theme.muted, "end"))
    if reference is not None:
        value, label = reference
        _x, y = at(Point(0, value))
        body.append(f'<line x1="{_n(axis_w)}" x2="{_n(axis_w + plot_w)}" y1="{_n(y)}" y2="{_n(y)}" '
                    f'stroke="{_colour(theme.muted)}" stroke-width="1.2" stroke-dasharray="6 4"/>')
        body.append(_text(axis_w + plot_w - size * 0.4, y + size * 1.2, label, size * 0.85, theme.muted, "end"))
    step = nice_step(x_max, 6)
    x = 0.0
    while x <= x_max + 1e-9:
        px, _y = at(Point(x, 0))
        body.append(_text(px, plot_top + plot_h + size * 1.3, x_format(x), size * 0.85, theme.muted, "middle"))
        x += step
    if x_caption:
        body.append(_text(axis_w + plot_w / 2, height - size * 0.4, x_caption, size * 0.85, theme.muted, "middle"))
    coords = [at(p) for p in points]
    path = " ".join(f"{_n(px)},{_n(py)}" for px, py in coords)
    body.append(f'<polyline points="{path}" fill="none" stroke="{_colour(theme.accent)}" stroke-width="3" '
                f'stroke-linejoin="round"/>')
    if len(points) <= 40:
        for px, py in coords:
            body.append(f'<circle cx="{_n(px)}" cy="{_n(py)}" r="3.5" fill="{_colour(theme.accent)}"/>')
    lx, ly = coords[-1]
    body.append(_text(lx + size * 0.5, ly + size * 0.35, y_format(points[-1].y), size, theme.ink, weight="bold"))
    return _svg(width, height, title, body, "line-chart", theme)


@dataclass(frozen=True)
class Node:
    key: int
    label: str
    colour: str
    group: int  # nodes of one group sit together on the circle, groups apart
    weight: int = 0  # shown in the node's title


@dataclass(frozen=True)
class Edge:
    a: int
    b: int
    weight: int


def network_graph(nodes: Sequence[Node], edges: Sequence[Edge], *, title: str, theme: Theme = LIGHT,
                  width: float = 760, empty: str = "", weight_label: Callable[[int], str] = str) -> Markup:
    """Who with whom: nodes as dots on a circle, in the order given, a gap between groups; labels
    radiating outwards; an edge as a curve through the middle, thicker for a greater weight."""
    size = theme.font_size * 0.72
    if not nodes:
        return _empty(width, theme.font_size * 4, title, empty, theme, "network-graph")
    label_room = min(width * 0.2, max(_width_of(n.label, size) for n in nodes) + size)
    radius = width / 2 - label_room - size
    centre = width / 2
    gaps = len({n.group for n in nodes}) if len({n.group for n in nodes}) > 1 else 0
    slots = len(nodes) + gaps
    where: dict[int, tuple[float, float, float]] = {}
    slot, previous = 0, nodes[0].group
    for node in nodes:
        if node.group != previous:
            slot, previous = slot + 1, node.group
        angle = 2 * math.pi * slot / slots - math.pi / 2
        where[node.key] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle), angle)
        slot += 1
    top = max((e.weight for e in edges), default=1) or 1
    body = []
    for edge in sorted(edges, key=lambda e: e.weight):
        if edge.a not in where or edge.b not in where:
            continue
        (x1, y1, _), (x2, y2, _) = where[edge.a], where[edge.b]
        stroke = 1 + 4 * (edge.weight - 1) / max(1, top - 1)
        share = 0.35 + 0.5 * edge.weight / top
        body.append(f'<path d="M{_n(x1)} {_n(y1)} Q{_n(centre)} {_n(centre)} {_n(x2)} {_n(y2)}" fill="none" '
                    f'stroke="{mix(theme.background, theme.accent, share)}" stroke-width="{_n(stroke)}" '
                    f'stroke-linecap="round"><title>{escape(weight_label(edge.weight))}</title></path>')
    for node in nodes:
        x, y, angle = where[node.key]
        degrees = math.degrees(angle)
        left = math.cos(angle) < 0
        tx, ty = x + size * 0.9 * math.cos(angle), y + size * 0.9 * math.sin(angle)
        rotate = degrees + 180 if left else degrees
        label = _clip(node.label, size, label_room)
        tip = f"{node.label} · {weight_label(node.weight)}"
        body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size * 0.45)}" fill="{_colour(node.colour)}" '
                    f'stroke="{_colour(theme.ink)}" stroke-width="0.75"><title>{escape(tip)}</title></circle>')
        body.append(f'<g transform="rotate({_n(rotate)} {_n(tx)} {_n(ty)})">'
                    + _text(tx, ty + size * 0.35, label, size, theme.ink, "end" if left else "start", full=tip)
                    + "</g>")
    return _svg(width, width, title, body, "network-graph", theme)
