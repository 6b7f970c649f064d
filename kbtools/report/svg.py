"""A small SVG writer for the report's two charts: tickets per month, and counts per area.

Written here rather than taken from a chart library: pygal, the well-kept Python one,
links a tooltip script from a CDN by default and gives every chart a random id, so its
output is neither self-contained without tuning nor reproducible for golden files. Two
charts of lines and bars need about a hundred lines. Tooltips are SVG `<title>` elements,
so the charts need no script; text uses the page's font and `currentColor`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
_FONT = 'font-family="inherit" font-size="11" fill="currentColor"'


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _ticks(top: int) -> list[int]:
    """Integer y-axis ticks from 0 to at least `top`, at most six of them."""
    top = max(top, 1)
    step = max(1, math.ceil(top / 5))
    return list(range(0, top + step, step))


def line_chart(
    label: str,
    months: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    width: int = 720,
    height: int = 260,
) -> str:
    """One line per series over `months` (values per month), with a legend below."""
    left, right, top, bottom = 36, 32, 12, 28
    legend_rows = math.ceil(len(series) / 2)
    full_height = height + 16 * legend_rows + 8
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = _ticks(max((max(v, default=0) for _, v in series), default=0))
    y_max = ticks[-1]

    def x(i: int) -> float:
        return left + (plot_w * i / (len(months) - 1) if len(months) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / y_max

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-chart" role="img" '
        f'viewBox="0 0 {width} {full_height}" width="{width}" height="{full_height}" '
        f"aria-label={quoteattr(label)}>",
        f"<title>{escape(label)}</title>",
    ]
    for tick in ticks:
        out.append(
            f'<line x1="{left}" y1="{_num(y(tick))}" x2="{width - right}" y2="{_num(y(tick))}" '
            'stroke="#8884" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{_num(y(tick) + 4)}" text-anchor="end" {_FONT}>{tick}</text>'
        )
    every = max(1, math.ceil(len(months) / 12))
    for i, month in enumerate(months):
        if i % every == 0 or i == len(months) - 1:
            out.append(
                f'<text x="{_num(x(i))}" y="{height - 10}" text-anchor="middle" {_FONT}>'
                f"{escape(month)}</text>"
            )
    for n, (name, values) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(values))
        out.append(
            f'<polyline class="kb-series" fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{points}"><title>{escape(name)}</title></polyline>'
        )
        for i, v in enumerate(values):
            if v:
                out.append(
                    f'<circle cx="{_num(x(i))}" cy="{_num(y(v))}" r="3" fill="{colour}">'
                    f"<title>{escape(name)}: {v} in {escape(months[i])}</title></circle>"
                )
        lx = left + (n % 2) * (plot_w // 2)
        ly = height + 4 + 16 * (n // 2)
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="4" fill="{colour}"/>')
        out.append(f'<text x="{lx + 18}" y="{ly + 6}" {_FONT}>{escape(_short(name))}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    label: str,
    rows: Sequence[tuple[str, int, int]],
    names: tuple[str, str],
    *,
    width: int = 720,
) -> str:
    """Two horizontal bars per row (for example articles and tickets of each product area)."""
    label_w, right, bar_h, gap = 140, 48, 10, 10
    top = 22
    height = top + len(rows) * (2 * bar_h + gap) + 4
    biggest = max((max(a, b) for _, a, b in rows), default=0) or 1
    plot_w = width - label_w - right
    colours = (PALETTE[0], PALETTE[4])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"aria-label={quoteattr(label)}>",
        f"<title>{escape(label)}</title>",
    ]
    for n, name in enumerate(names):
        lx = label_w + n * 110
        out.append(f'<rect x="{lx}" y="4" width="12" height="10" fill="{colours[n]}"/>')
        out.append(f'<text x="{lx + 18}" y="13" {_FONT}>{escape(name)}</text>')
    for i, (row, a, b) in enumerate(rows):
        y0 = top + i * (2 * bar_h + gap)
        out.append(
            f'<text x="{label_w - 8}" y="{y0 + bar_h + 4}" text-anchor="end" {_FONT}>'
            f"{escape(_short(row, 22))}</text>"
        )
        for n, value in enumerate((a, b)):
            w = plot_w * value / biggest
            yy = y0 + n * bar_h
            out.append(
                f'<rect class="kb-bar" x="{label_w}" y="{yy}" width="{_num(max(w, 1))}" '
                f'height="{bar_h - 1}" fill="{colours[n]}"><title>{escape(row)}: {value} '
                f"{escape(names[n])}</title></rect>"
            )
            out.append(
                f'<text x="{_num(label_w + max(w, 1) + 4)}" y="{yy + bar_h - 1}" {_FONT}>'
                f"{value}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
