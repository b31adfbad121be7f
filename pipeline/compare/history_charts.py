"""Inline SVG charts for history.html, written as text: no plotting library, no fonts or
scripts to embed, nothing for a browser to fetch; the page's CSS gives them their font.

Each function takes plain numbers and returns one ``<svg>`` element. Every mark carries
a ``<title>`` (the browser's tooltip, and what a screen reader says).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.compare.page_words import NUMBER_STEPS, year_label

# Canonical statuses, worst first, with their colours (the same in the grid's CSS).
STATUS_COLOURS = {"not_started": "#dc2626", "delayed": "#f59e0b", "on_schedule": "#16a34a",
                  "exceeded": "#2563eb"}
_AXIS = "#6b7280"
_GRID = "#e5e7eb"


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
                labels: dict[str, str], year_labels: list[str], aria: str) -> str:
    """Stacked bars, one row per fiscal year, worst status first, each item the same width,
    so that one late item among a hundred is still a visible block. ``counts``: items per
    status and year; ``labels``: the grade each status is printed as; ``year_labels``: each
    year as the page names it. The viewBox lets the chart shrink to a phone's width."""
    left, right, row, gap, top = 84, 40, 24, 10, 6
    most = max([sum(counts[year].values()) for year in years] + [1])
    unit = max(420 / most, 1.0)
    width = int(left + unit * most + right)
    height = top + (row + gap) * len(years)
    parts = [f'<svg class="chart status-bars" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{html.escape(aria, quote=True)}">']
    for index, (year, shown) in enumerate(zip(years, year_labels)):
        y = top + (row + gap) * index
        parts.append(_text(left - 8, y + row / 2 + 4, shown, "end", 12))
        x = float(left)
        for status, colour in STATUS_COLOURS.items():
            count = counts[year].get(status, 0)
            mark = labels.get(status, status)
            if not count:
                continue
            size = unit * count
            parts.append(f'<rect class="segment" x="{x:.1f}" y="{y}" width="{size:.1f}" '
                         f'height="{row}" fill="{colour}"><title>{html.escape(shown)} '
                         f"{html.escape(mark)} {count}</title></rect>")
            if size >= 28:
                parts.append(_text(x + size / 2, y + row / 2 + 4, f"{mark}{count}", size=11,
                                   css="inside"))
            x += size
        parts.append(_text(x + 6, y + row / 2 + 4, str(sum(counts[year].values())), "start", 11))
    parts.append("</svg>")
    return "".join(parts)


def indicator_chart(title: str, unit: str | None, series: list[Series], lang: str = "ja") -> str:
    """One small multiple: actuals (line, filled dots, each value written above its dot)
    against targets (dashed, hollow rings, the last target written beside it), earlier
    prints that a later report revised as grey rings; every fiscal year under the axis,
    three to five round values up the side with light grid lines, the unit once above."""
    width, height, left, right, top, bottom = 320, 190, 50, 34, 22, 28
    inset = 16  # the first and last points clear of the axis labels and the edge
    points = [point for line in series for point in line.points]
    years = sorted({point.year for point in points})
    ticks = axis_ticks([point.value for point in points])
    low, high = ticks[0], ticks[-1]
    span_x = max(years[-1] - years[0], 1) if years else 1

    def x(year: int) -> float:
        if len(years) < 2:
            return left + (width - left - right) / 2
        return left + inset + (width - left - right - 2 * inset) * (year - years[0]) / span_x

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    parts = [f'<svg class="chart indicator" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{html.escape(title, quote=True)}">']
    for tick in ticks:
        colour = _AXIS if tick == low else _GRID
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" '
                     f'y2="{y(tick):.1f}" stroke="{colour}"/>')
        parts.append(_text(left - 4, y(tick) + 4, number_label(tick, None, lang), "end", 10))
    if unit:
        parts.append(_text(left - 4, top - 10, f"({unit})", "end", 10))
    for year in years:
        parts.append(_text(x(year), height - 8, year_label(year, lang, "axis"), size=10))
    for line in series:
        parts.append(_series_svg(line, x, y, lang))
    parts.append(_value_labels(series, x, y, lang))
    parts.append("</svg>")
    return "".join(parts)


def axis_ticks(values: list[float]) -> list[float]:
    """Round values from 0 (or the lowest value, when below 0) past the highest: a step of
    1, 2 or 5 times a power of ten giving three to five intervals."""
    low = min([0.0, *values])
    high = max([*values, low + 1.0])
    raw = (high - low) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(power * factor for factor in (1, 2, 2.5, 5, 10) if power * factor >= raw)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9 * step:
        ticks.append(first + step * len(ticks))
    return ticks


def _value_labels(series: list[Series], x, y, lang: str) -> str:
    parts = []
    for line in series:
        ordered = sorted(line.points, key=lambda point: point.year)
        if line.style == "actual":
            parts += [_text(x(p.year), y(p.value) - 7, number_label(p.value, None, lang), size=9,
                            css="value") for p in ordered]
        elif line.style == "target" and ordered:
            last = ordered[-1]
            parts.append(_text(x(last.year) + 6, y(last.value) + 3,
                               number_label(last.value, None, lang), "start", 9, css="goal"))
    return "".join(parts)


def _series_svg(line: Series, x, y, lang: str) -> str:
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
                     f'stroke-width="1.5"><title>{html.escape(line.name)} '
                     f"{html.escape(year_label(point.year, lang))}: "
                     f"{html.escape(point.label)}</title></circle>")
    return "".join(parts)


def number_label(value: float, unit: str | None, lang: str = "ja") -> str:
    """A value in little room: 2,310,000 as 231万 (Japanese) or 2.31M (English)."""
    word = ""
    for size, name, from_ in NUMBER_STEPS[lang]:
        if abs(value) >= from_:
            value, word = value / size, name
            break
    digits = 0 if abs(value) >= 1000 else 1 if abs(value) >= 100 else 2
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + word + (unit or "")
