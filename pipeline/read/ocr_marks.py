"""Grade marks read by their shape, not by Tesseract: ◎ ○ △ × (and ● ■ □).

Tesseract's Japanese model reads ◎ as 〇 — a silently wrong status, the worst error a
report can carry — and △ as へ, × as X. A mark is one glyph of simple geometry, so it is
told by its contours: how deeply its rings nest (◎: a ring in a ring; ○ △ □: one ring;
× ●: none), how round its outline is, and how thick its ring is for its size (a ◎ whose
gap blur has closed is a thick ring, never taken for ○). A glyph that fits no shape
clearly is undecided (None): the caller must not guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# What Tesseract reads these marks as (and the marks themselves): a line starting with
# one of them may start with a mark, which is then read by shape.
LOOKALIKES = frozenset("◎○〇◯Oo0QD@⑥⑨⑯⑩◉●■□△▲へヘ人ム八×XxメK+")


@dataclass(frozen=True)
class MarkReading:
    """A glyph read as a mark: the mark (None: undecided), and the score (0–100)."""

    mark: str | None
    score: float
    why: str  # the shape measured, for the warning when undecided


def classify_mark(cv2: Any, np: Any, glyph: Any) -> MarkReading:
    """The mark a grey glyph image shows (dark on white), by its contours."""
    _, ink = cv2.threshold(glyph, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    height, width = ink.shape
    if min(height, width) < 8:
        return MarkReading(None, 0.0, "too small to tell")
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_TREE, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return MarkReading(None, 0.0, "no ink")
    minimum = 0.01 * height * width
    depths = [_depth(hierarchy[0], index) for index, contour in enumerate(contours)
              if cv2.contourArea(contour) >= minimum]
    outer = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outer)
    perimeter = cv2.arcLength(outer, True)
    roundness = 4 * math.pi * area / perimeter ** 2 if perimeter else 0.0
    x, y, w, h = cv2.boundingRect(outer)
    fill = float(np.count_nonzero(ink[y:y + h, x:x + w])) / max(1, w * h)
    levels = max(depths, default=0) + 1
    why = f"{levels} nested outlines, roundness {roundness:.2f}, ink {fill:.2f}"
    if w < 0.6 * h or h < 0.6 * w:
        return MarkReading(None, 0.0, why + ", not square")
    if levels >= 4 and roundness > 0.75:
        return MarkReading("◎", _score(roundness, 0.75, 0.85), why)
    if levels == 2 and roundness > 0.8:
        if fill > 0.55:  # a ring this thick is a ◎ whose gap blur has closed
            return MarkReading(None, 0.0, why + ", a ring too thick for ○")
        return MarkReading("○", _score(roundness, 0.8, 0.88), why)
    if levels == 2 and 0.45 < roundness < 0.7 and _is_triangle(cv2, outer):
        return MarkReading("△", 90.0, why)
    if levels == 1 and fill < 0.5 and roundness < 0.5:
        return MarkReading("×", 85.0, why)
    return MarkReading(None, 0.0, why)


def _depth(hierarchy: Any, index: int) -> int:
    depth = 0
    parent = hierarchy[index][3]
    while parent >= 0:
        depth += 1
        parent = hierarchy[parent][3]
    return depth


def _is_triangle(cv2: Any, contour: Any) -> bool:
    approx = cv2.approxPolyDP(contour, 0.06 * cv2.arcLength(contour, True), True)
    return len(approx) == 3


def _score(value: float, floor: float, sure: float) -> float:
    return round(100 * min(1.0, 0.5 + 0.5 * (value - floor) / (sure - floor)), 1)
