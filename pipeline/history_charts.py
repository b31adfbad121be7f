"""Inline SVG charts for history.html, written as text: no plotting library, no fonts or
scripts to embed, nothing for a browser to fetch; the page's CSS gives them their font.

Each function takes plain numbers and returns one ``<svg>`` element. Every mark carries
a ``<title>`` (the browser's tooltip, and what a screen reader says).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

# Canonical statuses, worst first, with their colours (the same in the grid's CSS).
STATUS_COLOURS = {"not_started": "#dc2626", "delayed": "#f59e0b", "on_schedule": "#16a34a",
                  "exceeded": "#2563eb"}
_AXIS = "#6b7280"


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    label: str  # as printed, for the tooltip


@dataclass(frozen=True)
class Series:
    name: str  # actual, target, or an earlier print
    points: tuple[Point, ...]
    style: str  # "actual", "target" or "revised"


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 12,
          css: str = "") -> str:
    extra = f' class="{css}"' if css else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{extra}>'
            f"{html.escape(text)}</text>")


def status_bars(years: list[int], counts: Mapping[int, Mapping[str, int]],
                labels: dict[str, str]) -> str:
    """Stacked bars, one row per fiscal year, worst status first, each item the same width,
    so that one late item among a hundred is still a visible block. ``counts``: items per
    status and year; ``labels``: the grade each status is printed as."""
    left, right, row, gap, top = 64, 56, 24, 10, 6
    most = max([sum(counts[year].values()) for year in years] + [1])
    unit = max(600 / most, 1.0)
    width = int(left + unit * most + right)
    height = top + (row + gap) * len(years)
    parts = [f'<svg class="chart status-bars" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Items per status and fiscal year">']
    for index, year in enumerate(years):
        y = top + (row + gap) * index
        parts.append(_text(left - 8, y + row / 2 + 4, f"FY{year}", "end", 12))
        x = float(left)
        for status, colour in STATUS_COLOURS.items():
            count = counts[year].get(status, 0)
            mark = labels.get(status, status)
            if not count:
                continue
            size = unit * count
            parts.append(f'<rect class="segment" x="{x:.1f}" y="{y}" width="{size:.1f}" '
                         f'height="{row}" fill="{colour}"><title>FY{year} {mark} {count}'
                         f"</title></rect>")
            if size >= 28:
                parts.append(_text(x + size / 2, y + row / 2 + 4, f"{mark}{count}", size=11,
                                   css="inside"))
            x += size
        parts.append(_text(x + 6, y + row / 2 + 4, str(sum(counts[year].values())), "start", 11))
    parts.append("</svg>")
    return "".join(parts)


def indicator_chart(title: str, unit: str | None, series: list[Series]) -> str:
    """One small multiple: actuals (line, filled dots) against targets (dashed, hollow),
    earlier prints that a later report revised as grey rings."""
    width, height, left, right, top, bottom = 300, 170, 66, 12, 14, 26
    points = [point for line in series for point in line.points]
    years = sorted({point.year for point in points})
    values = [point.value for point in points]
    low = min([0.0, *values])
    high = max([*values, low + 1.0])
    span_x = max(years[-1] - years[0], 1) if years else 1

    def x(year: int) -> float:
        if len(years) < 2:
            return left + (width - left - right) / 2
        return left + (width - left - right) * (year - years[0]) / span_x

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    parts = [f'<svg class="chart indicator" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{html.escape(title, quote=True)}">',
             f'<line x1="{left}" y1="{y(low):.1f}" x2="{width - right}" y2="{y(low):.1f}" '
             f'stroke="{_AXIS}"/>',
             _text(left - 4, y(high) + 4, _number(high, unit), "end", 10),
             _text(left - 4, y(low) + 4, _number(low, unit), "end", 10)]
    for year in years:
        parts.append(_text(x(year), height - 8, str(year), size=10))
    for line in series:
        parts.append(_series_svg(line, x, y))
    parts.append("</svg>")
    return "".join(parts)


def _series_svg(line: Series, x, y) -> str:
    ordered = sorted(line.points, key=lambda point: point.year)
    parts = []
    colour = {"actual": "#1d4ed8", "target": "#9333ea", "revised": "#9ca3af"}[line.style]
    if line.style != "revised" and len(ordered) > 1:
        path = " ".join(f"{x(p.year):.1f},{y(p.value):.1f}" for p in ordered)
        dash = ' stroke-dasharray="5 3"' if line.style == "target" else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"{dash}/>')
    for point in ordered:
        fill = colour if line.style == "actual" else "white"
        radius = 3.5 if line.style != "revised" else 4.5
        parts.append(f'<circle class="{line.style}" cx="{x(point.year):.1f}" '
                     f'cy="{y(point.value):.1f}" r="{radius}" fill="{fill}" stroke="{colour}" '
                     f'stroke-width="1.5"><title>{html.escape(line.name)} FY{point.year}: '
                     f"{html.escape(point.label)}</title></circle>")
    return "".join(parts)


def _number(value: float, unit: str | None) -> str:
    if float(value).is_integer():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.1f}"
    return text + (unit or "")
