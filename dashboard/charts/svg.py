"""Charts drawn as inline SVG and HTML for the overview's first screen: no chart library for the browser to load.

A new browser spent 1.5-2.6 s of its main thread evaluating Plotly's 4.7 MB
chunk and drawing the overview's three charts (CPU profile, README
"Performance", Browser), more than any other part of the page. These two
drawings need nothing but the HTML they are: Streamlit's Markdown renders
them (``st.markdown(..., unsafe_allow_html=True)``), Chromium draws them with
the page.

Each builder returns one line of HTML with no blank line (a Markdown HTML
block ends at a blank line), starting with a ``<div>`` so that Markdown reads
it as an HTML block, not as a paragraph whose text it would parse. Every
text (an area's name from data, a month, a label from the translation table)
is escaped with :func:`text.markup.markdown_html_text`; numbers are formatted here;
everything else is this module's own. Sizes are pixels, horizontal
positions percentages of the width, so the charts follow their column's
width with their type at its size. A value's figure is a hover away, in the
element's ``<title>`` (bars and points) or ``title`` attribute (rows).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from dashboard import theme
from text.formatting import format_count
from text.markup import markdown_html_text as esc

# Marks for the browser test and the benchmark (the chart is drawn when its marks are).
TREND_MARK = "trend"
RANKED_MARK = "ranked"


def _open_chart(mark: str, label: str, height: int, padding: tuple[int, int, int, int], font: int) -> str:
    """A chart's opening tags: an SVG as wide as its column, its drawing inset by ``padding`` (top, right,
    bottom, left px) so that coordinates can be percentages of the plot area; ``label`` already escaped."""
    top, right, bottom, left = padding
    return (
        f'<div><svg data-chart="{mark}" role="img" aria-label="{label}" '
        f'width="100%" height="{height}" style="display:block;overflow:visible;box-sizing:border-box;'
        f'padding:{top}px {right}px {bottom}px {left}px;font-size:{font}px" '
        f'fill="currentColor">'
    )


def _fmt(x: float) -> str:
    """A coordinate with at most two decimals (the HTML stays short)."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` steps up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return max(factor * power, 1.0)
    return 10 * power  # pragma: no cover - the loop always returns


def _tick_lines(label: str) -> list[str]:
    # Month ticks carry Plotly's line break ("1月<br>2026年"): lines of their own here.
    return label.split("<br>")


def trend_chart(
    months: Sequence[str],
    counts: Sequence[int | None],
    rates: Sequence[float | None],
    *,
    count_name: str,
    rate_name: str,
    projection: bool,
) -> str:
    """Bars of a monthly count (left axis) and a line of a rate (fractions, right axis, 0-100%).

    The same reading as :func:`dashboard.charts.series.counts_with_rate`: the
    bars fill the lower three quarters, the rate (usually 80-100%) runs above
    them; a missing rate is a gap in the line, never 0%.
    """
    n = len(months)
    height = 400 if projection else 380
    font = 19 if projection else 13
    legend_font = 21 if projection else 14
    pad_top, pad_bottom = legend_font + 22, 2 * font + 20
    pad_left, pad_right = 7 * font // 2 + 14, 4 * font + 8
    count_colour, rate_colour = theme.count_colour(projection), theme.rate_colour(projection)
    top = max([c for c in counts if c is not None] or [0])
    count_max = max(top, 1) * 1.35
    step = nice_step(count_max)
    rate_max = 105.0

    def y_count(value: float) -> float:
        return 100 * (1 - value / count_max)

    def y_rate(percent: float) -> float:
        return 100 * (1 - percent / rate_max)

    parts = [
        _open_chart(TREND_MARK, f"{esc(count_name)} / {esc(rate_name)}", height,
                    (pad_top, pad_right, pad_bottom, pad_left), font),
    ]
    # Grid and the count axis's ticks (left), the rate axis's ticks (right).
    tick = 0.0
    while tick <= count_max + 1e-9:
        y = _fmt(y_count(tick))
        parts.append(f'<line x1="0" x2="100%" y1="{y}%" y2="{y}%" stroke="currentColor" stroke-opacity="0.14"/>')
        parts.append(f'<text x="-8" y="{y}%" text-anchor="end" dominant-baseline="middle" '
                     f'fill-opacity="0.8">{format_count(int(round(tick)))}</text>')
        tick += step
    for percent in range(0, 101, 20):
        parts.append(f'<text x="100%" dx="8" y="{_fmt(y_rate(percent))}%" dominant-baseline="middle" '
                     f'fill-opacity="0.8">{percent}%</text>')
    slot = 100 / max(n, 1)
    for i, (month, count) in enumerate(zip(months, counts, strict=True)):
        lines = [esc(line) for line in _tick_lines(month)]
        centre = _fmt((i + 0.5) * slot)
        # The year under a month, a size smaller: two years side by side still fit a narrow column.
        spans = "".join(f'<tspan x="{centre}%" dy="1.4em">{line}</tspan>' if k == 0 else
                        f'<tspan x="{centre}%" dy="1.25em" style="font-size:0.85em">{line}</tspan>'
                        for k, line in enumerate(lines))
        parts.append(f'<text y="100%" text-anchor="middle" fill-opacity="0.8">{spans}</text>')
        if count is None:
            continue
        y = y_count(count)
        parts.append(
            f'<rect x="{_fmt((i + 0.125) * slot)}%" width="{_fmt(0.75 * slot)}%" y="{_fmt(y)}%" '
            f'height="{_fmt(100 - y)}%" fill="{count_colour}"><title>{" ".join(lines)}: {format_count(count)}'
            "</title></rect>"
        )
    # The rate: segments between months that have one (a missing month breaks the line), then the points.
    points = [None if r is None else ((i + 0.5) * slot, y_rate(r * 100), r) for i, r in enumerate(rates)]
    width = 4 if projection else 3
    for a, b in zip(points, points[1:], strict=False):
        if a is not None and b is not None:
            parts.append(f'<line x1="{_fmt(a[0])}%" y1="{_fmt(a[1])}%" x2="{_fmt(b[0])}%" y2="{_fmt(b[1])}%" '
                         f'stroke="{rate_colour}" stroke-width="{width}" stroke-linecap="round"/>')
    for i, point in enumerate(points):
        if point is None:
            continue
        label = " ".join(esc(line) for line in _tick_lines(months[i]))
        parts.append(f'<circle cx="{_fmt(point[0])}%" cy="{_fmt(point[1])}%" r="{width + 2}" fill="{rate_colour}">'
                     f"<title>{label}: {point[2] * 100:.1f}%</title></circle>")
    # The legend above the plot, left-aligned.
    parts.append(
        f'<text x="0" y="{-(legend_font // 2 + 8)}" style="font-size:{legend_font}px" dominant-baseline="middle">'
        f'<tspan fill="{count_colour}" style="font-size:1.3em">■</tspan> {esc(count_name)}'
        f'<tspan dx="1.5em" fill="{rate_colour}" style="font-size:1.3em">●</tspan> {esc(rate_name)}</text>'
    )
    parts.append("</svg></div>")
    return "".join(parts)


def ranked_bars(
    labels: Sequence[str],
    counts: Sequence[int],
    projection: bool,
    *,
    caption: str | None = None,
    min_slots: int = 0,
) -> str:
    """One row per label, the largest first (as given), a bar and its count beside it.

    ``labels`` are names from data (escaped here); ``min_slots`` keeps the
    height of that many rows, so that two short lists side by side line up and
    one bar does not become a slab; ``caption`` says what is counted.
    """
    counts = list(counts)
    top = max(counts, default=0) or 1
    row = 40 if projection else 28
    font = 20 if projection else 14
    colour = theme.count_colour(projection)
    cells = []
    for label, count in zip(labels, counts, strict=True):
        name = esc(label)
        share = _fmt(80 * count / top)
        cells.append(
            f'<div title="{name}: {format_count(count)}" style="text-align:right;white-space:nowrap;'
            f'overflow:hidden;text-overflow:ellipsis;max-width:14em">{name}</div>'
            f'<div title="{name}: {format_count(count)}" style="display:flex;align-items:center;gap:0.4em">'
            f'<div style="height:{row * 2 // 3}px;width:{share}%;min-width:2px;background:{colour};'
            f'border-radius:2px"></div><span style="font-variant-numeric:tabular-nums">{format_count(count)}</span>'
            "</div>"
        )
    for _ in range(max(min_slots - len(counts), 0)):
        cells.append("<div></div><div></div>")
    below = (f'<div style="margin-top:0.4em;font-size:{font - 2}px;opacity:0.75">{esc(caption)}</div>'
             if caption else "")
    return (
        f'<div data-chart="{RANKED_MARK}" style="display:grid;grid-template-columns:minmax(3em,max-content) 1fr;'
        f"grid-auto-rows:{row}px;column-gap:0.6em;align-items:center;font-size:{font}px\">"
        + "".join(cells) + "</div>" + below
    )


SPARKLINE_MARK = "sparkline"
# Month ticks under a sparkline: about this many (13 months -> every third month, both ends labelled).
SPARKLINE_TICKS = 5


def sparkline(months: Sequence[str], counts: Sequence[int | None], projection: bool) -> str:
    """A small filled line of monthly counts, the last month's figure written at its point (the map's panel).

    The same reading as :func:`dashboard.charts.series.sparkline`: no count
    axis, the axis's top at 1.3 × the largest count (headroom for the figure
    written above the last point), every few months' label under the line. A
    month with no figure (None) breaks the line; a month with no case is 0.
    The line and its fill are drawn in a nested SVG stretched to the plot
    (a path takes no percentages); points and text stay in the outer one, so
    circles stay round and type keeps its size at any width.
    """
    counts = list(counts)
    n = len(counts)
    height = 200 if projection else 140
    font = 17 if projection else 12
    pad_top, pad_bottom, pad_side = font + 12, font + 14, 6
    colour = theme.count_colour(projection)
    top = max([1, *(c for c in counts if c is not None)]) * 1.3

    def x(i: int) -> float:
        return 50.0 if n == 1 else 100 * i / (n - 1)

    def y(value: float) -> float:
        return 100 * (1 - value / top)

    parts = [
        f'<div><svg data-chart="{SPARKLINE_MARK}" role="img" width="100%" height="{height}" '
        f'style="display:block;overflow:visible;box-sizing:border-box;'
        f'padding:{pad_top}px {pad_side}px {pad_bottom}px {pad_side}px;font-size:{font}px" fill="currentColor">',
        '<svg width="100%" height="100%" viewBox="0 0 100 100" preserveAspectRatio="none" overflow="visible">',
    ]
    # Runs of months with a figure: each is filled down to zero and stroked along its top.
    runs: list[list[int]] = []
    for i, count in enumerate(counts):
        if count is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    width = 4 if projection else 3
    for run in runs:
        line = " ".join(f"{_fmt(x(i))},{_fmt(y(counts[i]))}" for i in run)
        parts.append(f'<polygon points="{_fmt(x(run[0]))},100 {line} {_fmt(x(run[-1]))},100" fill="{colour}" '
                     'fill-opacity="0.25" stroke="none"/>')
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="{width}" '
                     'stroke-linejoin="round" vector-effect="non-scaling-stroke"/>')
    parts.append("</svg>")
    for i, (month, count) in enumerate(zip(months, counts, strict=True)):
        if count is None:
            continue
        parts.append(f'<circle cx="{_fmt(x(i))}%" cy="{_fmt(y(count))}%" r="{width + 1}" fill="{colour}">'
                     f"<title>{esc(month)}: {format_count(count)}</title></circle>")
    step = max(1, math.ceil((n - 1) / (SPARKLINE_TICKS - 1))) if n > 1 else 1
    for i in range(0, n, step):
        # The end labels lean inwards: they stay within the chart's width.
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        parts.append(f'<text x="{_fmt(x(i))}%" y="100%" dy="1.3em" text-anchor="{anchor}" fill-opacity="0.8">'
                     f"{esc(months[i])}</text>")
    if counts and counts[-1] is not None:
        parts.append(f'<text x="{_fmt(x(n - 1))}%" y="{_fmt(y(counts[-1]))}%" dx="-0.4em" dy="-0.6em" '
                     f'text-anchor="end" font-weight="600">{format_count(counts[-1])}</text>')
    parts.append("</svg></div>")
    return "".join(parts)


LINES_MARK = "lines"


def count_lines(
    months: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    projection: bool,
    *,
    axis_title: str,
) -> str:
    """Two monthly counts as lines, the last month's figure written above each line's end.

    The reading of :func:`dashboard.charts.series.count_lines` (the outcomes
    page's backlog trend), without Plotly: building and sending that figure
    took 13-30 ms of every rerun. The first line solid with circles in the
    count colour, the second dashed with squares in the rate colour (told apart
    without colour too); the axis from 0 to 1.25 times the largest count; a
    missing month is a gap in its line.
    """
    n = len(months)
    height = 400 if projection else 340
    font = 19 if projection else 13
    legend_font = 21 if projection else 14
    pad_top, pad_bottom = legend_font + font + 34, 2 * font + 20
    pad_left, pad_right = 7 * font // 2 + 14, 2 * font
    top = max([c for _, counts in series for c in counts if c is not None] or [0])
    axis_max = max(top, 1) * 1.25
    step = nice_step(axis_max)

    def y(value: float) -> float:
        return 100 * (1 - value / axis_max)

    parts = [
        _open_chart(LINES_MARK, " / ".join(esc(name) for name, _ in series), height,
                    (pad_top, pad_right, pad_bottom, pad_left), font),
        # The axis's title above its ticks, level (read without turning the head).
        f'<text x="-8" y="-10" text-anchor="end" fill-opacity="0.8">{esc(axis_title)}</text>',
    ]
    tick = 0.0
    while tick <= axis_max + 1e-9:
        level = _fmt(y(tick))
        parts.append(f'<line x1="0" x2="100%" y1="{level}%" y2="{level}%" stroke="currentColor" '
                     'stroke-opacity="0.14"/>')
        parts.append(f'<text x="-8" y="{level}%" text-anchor="end" dominant-baseline="middle" '
                     f'fill-opacity="0.8">{format_count(int(round(tick)))}</text>')
        tick += step
    slot = 100 / max(n, 1)
    for i, month in enumerate(months):
        centre = _fmt((i + 0.5) * slot)
        spans = "".join(f'<tspan x="{centre}%" dy="1.4em">{esc(line)}</tspan>' if k == 0 else
                        f'<tspan x="{centre}%" dy="1.25em" style="font-size:0.85em">{esc(line)}</tspan>'
                        for k, line in enumerate(_tick_lines(month)))
        parts.append(f'<text y="100%" text-anchor="middle" fill-opacity="0.8">{spans}</text>')
    width = 4 if projection else 3
    styles = ((theme.count_colour(projection), None, "circle"), (theme.rate_colour(projection), "8 6", "square"))
    legend = []
    # The last figures: the highest line's above its end, the other's below (close lines' would overlap).
    lasts = [counts[-1] if len(counts) and counts[-1] is not None else -1 for _, counts in series]
    above = lasts.index(max(lasts)) if lasts else 0
    for k, ((name, counts), (colour, dash, marker)) in enumerate(zip(series, styles, strict=False)):
        counts = list(counts)
        points = [None if c is None else ((i + 0.5) * slot, y(c), c) for i, c in enumerate(counts)]
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        for a, b in zip(points, points[1:], strict=False):
            if a is not None and b is not None:
                parts.append(f'<line x1="{_fmt(a[0])}%" y1="{_fmt(a[1])}%" x2="{_fmt(b[0])}%" y2="{_fmt(b[1])}%" '
                             f'stroke="{colour}" stroke-width="{width}"{dashing}/>')
        size = width + 2
        for i, point in enumerate(points):
            if point is None:
                continue
            hover = f"<title>{' '.join(esc(line) for line in _tick_lines(months[i]))} {esc(name)}: " \
                    f"{format_count(point[2])}</title>"
            if marker == "circle":
                parts.append(f'<circle cx="{_fmt(point[0])}%" cy="{_fmt(point[1])}%" r="{size}" '
                             f'fill="{colour}">{hover}</circle>')
            else:
                # A square centred on the point: an inner svg placed at the point, drawn about its origin.
                parts.append(f'<svg x="{_fmt(point[0])}%" y="{_fmt(point[1])}%" overflow="visible">'
                             f'<rect x="{-size}" y="{-size}" width="{2 * size}" height="{2 * size}" '
                             f'fill="{colour}">{hover}</rect></svg>')
        if points and points[-1] is not None:
            parts.append(f'<text x="{_fmt(points[-1][0])}%" y="{_fmt(points[-1][1])}%" '
                         f'dy="{"-0.9em" if k == above else "1.7em"}" '
                         f'text-anchor="middle" fill="{colour}" font-weight="600">{format_count(points[-1][2])}'
                         "</text>")
        symbol = "●" if marker == "circle" else "■"
        legend.append(f'<tspan dx="{"1.5em" if legend else "0"}" fill="{colour}" style="font-size:1.3em">'
                      f"{symbol}</tspan> {esc(name)}")
    parts.append(f'<text x="0" y="{-(font + legend_font // 2 + 22)}" style="font-size:{legend_font}px" '
                 f'dominant-baseline="middle">{"".join(legend)}</text>')
    parts.append("</svg></div>")
    return "".join(parts)
