"""Grade marks read by their shape, not by Tesseract: ◎ ○ △ ×, and the ☆ of a starred item.

Tesseract's Japanese model reads ◎ as 〇 — a silently wrong status, the worst error a
report can carry — and △ as へ, × as X. A mark is one glyph of simple geometry, so it is
told by rays from its middle: on how many rays there is ink near the rim (a ring: ○ ◎),
half-way in (◎'s inner ring; × has it on its diagonals only), at the middle (×'s
crossing); a triangle by its outline's three corners. A glyph that fits no shape
clearly is undecided (None): the caller must not guess, and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# What Tesseract reads these marks as: a cell or line that starts with one of them may
# start with a mark, which is then read by its shape. Marks and circled glyphs are
# never text there, so a shape that decides nothing is an undecided mark; letters and
# kana may be text, and stay as read when the shape is no mark.
MARKLIKE = frozenset("◎○〇◯⑥⑨⑯⑩◉©®△▲×")
LOOKALIKES = MARKLIKE | frozenset("OoQ@へヘム人Xxメ")
STARLIKE = frozenset("☆式六半大")  # what Tesseract, which has no ☆, reads for one
CIRCLED_NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_RAYS = 48
# Share of the glyph's darkest ink that counts as ink on a ray: relative, as a thin ring
# scanned at 200 dpi, or ◎'s inner ring, is grey where a thick stroke is black.
_INK = 0.4


@dataclass(frozen=True)
class MarkReading:
    """A glyph read as a mark: the mark (None: undecided), and the score (0–100)."""

    mark: str | None
    score: float
    why: str  # the shape measured, for the warning when undecided


@dataclass(frozen=True)
class RayShape:
    """Shares of rays from the glyph's middle that meet ink in each band of radius."""

    rim: float  # 0.76–1.1 of the radius
    inner: float  # 0.2–0.68
    middle: float  # under 0.15
    diagonal_arms: float  # 0.5–1.0 of the radius, on the rays within 12° of a diagonal
    upright_arms: float  # the same, within 12° of up, down, left or right
    square: bool  # the ink's box is about as wide as high
    rim_lobes: int  # separate runs of rays meeting ink at the rim, around the glyph
    round_rim: bool  # the outermost ink is as far out on every ray (not a square's corners)
    even_lobes: bool  # the rim's runs start evenly around (a star's points, not 文's strokes)

    def __str__(self) -> str:
        return (f"ink on {self.rim:.0%} of rays at the rim, {self.inner:.0%} half-way in, "
                f"{self.middle:.0%} at the middle")


def classify_mark(cv2: Any, np: Any, glyph: Any) -> MarkReading:
    """The mark a grey glyph image shows (dark on white), or None where it is unclear."""
    shape = ray_shape(cv2, np, glyph)
    if shape is None:
        return MarkReading(None, 0.0, "no ink")
    why = str(shape)
    if not shape.square:
        return MarkReading(None, 0.0, why + ", not square")
    if shape.rim >= 0.9 and shape.middle < 0.3 and shape.round_rim:
        if shape.inner <= 0.05:
            return MarkReading("○", _score(shape.rim, 0.9) * _score(1 - shape.inner, 0.95) / 100, why)
        if shape.inner >= 0.9:
            return MarkReading("◎", _score(shape.rim, 0.9) * _score(shape.inner, 0.9) / 100, why)
        return MarkReading(None, 0.0, why + ": between ○ and ◎")
    if shape.middle >= 0.8 and shape.diagonal_arms >= 0.8 and shape.upright_arms <= 0.2:
        return MarkReading("×", _score(shape.diagonal_arms, 0.8) * _score(
            1 - shape.upright_arms, 0.8) / 100, why)
    if (shape.middle < 0.1 and shape.inner >= 0.85 and 0.15 <= shape.rim <= 0.5
            and shape.rim_lobes == 5 and shape.even_lobes and _has_middle_hole(cv2, np, glyph)):
        return MarkReading("☆", 85.0, why + ", five points")
    if _is_triangle(cv2, np, glyph):
        return MarkReading("△", 90.0, why)
    return MarkReading(None, 0.0, why)


def ray_shape(cv2: Any, np: Any, glyph: Any) -> RayShape | None:
    """Where the glyph's ink lies along rays from the middle of its box."""
    ink = 255.0 - glyph.astype(np.float32)
    if ink.max() < 60:  # paper, perhaps a speck: no glyph
        return None
    ink /= ink.max()
    ys, xs = np.nonzero(ink > _INK)
    if len(xs) < 8:
        return None
    x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    width, height = x1 - x0, y1 - y0
    radius = max(width, height) / 2
    pad = int(radius) + 2  # rays run past the glyph's box: no ink out there
    ink = cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0.0)
    centre = ((x0 + x1) / 2 - 0.5 + pad, (y0 + y1) / 2 - 0.5 + pad)
    # Out to 1.5 radii: a square's corners (回, 口) lie at 1.41, a ring's rim at 1.
    samples = max(24, int(radius * 1.5 * 2))
    polar = cv2.warpPolar(ink, (samples, _RAYS), centre, radius * 1.5,
                          cv2.WARP_POLAR_LINEAR | cv2.INTER_LINEAR)
    inked = polar > _INK
    fraction = np.arange(samples) / samples * 1.5
    outermost = np.where(inked.any(axis=1),
                         fraction[samples - 1 - np.argmax(inked[:, ::-1], axis=1)], 0.0)

    def band(low: float, high: float) -> Any:
        return inked[:, (fraction >= low) & (fraction <= high)].any(axis=1)

    arms = band(0.5, 1.0)
    rim = band(0.76, 1.1)
    starts = np.nonzero(rim & ~np.roll(rim, 1))[0]
    lobes = len(starts) if not rim.all() else 1
    gaps = np.diff(np.append(starts, starts[:1] + _RAYS)) * 360 / _RAYS if len(starts) else []
    angles = np.arange(_RAYS) * 360 / _RAYS
    diagonal = np.abs((angles % 90) - 45) <= 12
    upright = np.minimum(angles % 90, 90 - angles % 90) <= 12
    return RayShape(rim=float(band(0.76, 1.1).mean()), inner=float(band(0.2, 0.68).mean()),
                    middle=float(band(0.0, 0.15).mean()),
                    diagonal_arms=float(arms[diagonal].mean()),
                    upright_arms=float(arms[upright].mean()),
                    square=0.75 <= width / height <= 1.33, rim_lobes=lobes,
                    round_rim=_round(np, outermost),
                    even_lobes=bool(len(gaps) and np.ptp(gaps) <= 30))


def _round(np: Any, outermost: Any) -> bool:
    """Whether the outermost ink lies about as far out on most rays (a ring), where a
    square's reaches 1.41 radii on its diagonals."""
    reached = outermost[outermost > 0]
    if len(reached) < 0.9 * len(outermost):
        return False
    low, high = np.percentile(reached, [10, 90])
    return bool(high - low <= 0.2)


def _has_middle_hole(cv2: Any, np: Any, glyph: Any) -> bool:
    """Whether the glyph's strokes enclose its middle (☆'s pentagon; not 文's cross)."""
    ink = ((glyph < 160) * 255).astype(np.uint8)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return False
    ys, xs = np.nonzero(ink)
    middle = (float(xs.min() + xs.max()) / 2, float(ys.min() + ys.max()) / 2)
    box = float((xs.max() - xs.min() + 1) * (ys.max() - ys.min() + 1))
    return any(hierarchy[0][i][3] >= 0 and cv2.contourArea(contour) >= 0.1 * box
               and cv2.pointPolygonTest(contour, middle, False) > 0
               for i, contour in enumerate(contours))


def _is_triangle(cv2: Any, np: Any, glyph: Any) -> bool:
    ink = ((glyph < 160) * 255).astype(np.uint8)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return False
    outer = max(contours, key=cv2.contourArea)
    approx = cv2.approxPolyDP(outer, 0.06 * cv2.arcLength(outer, True), True)
    holes = sum(1 for h in hierarchy[0] if h[3] >= 0)
    area, perimeter = cv2.contourArea(outer), cv2.arcLength(outer, True)
    roundness = 4 * math.pi * area / perimeter ** 2 if perimeter else 0.0
    return len(approx) == 3 and holes >= 1 and 0.45 < roundness < 0.72


@dataclass(frozen=True)
class Ring:
    """A round ring on a line of text with ink inside it: where a circled number is."""

    x0: int  # the ring's columns on the line
    x1: int
    inside: Any  # the ink within the ring (grey, the ring itself whitened), padded


def rings_around_ink(cv2: Any, np: Any, line: Any) -> list[Ring]:
    """The glyphs of a line that are a ring as high as the line around other ink, left to
    right: a circled number (1-1-①), which Tesseract may read as @ or as two characters.
    Glyphs are the runs of inked columns; a ring is square with empty corners, inked all
    round its rim and round (``ray_shape``), and apart from the ink within 0.7 of its
    radius, which is its inside. Sizes are the glyph's own, so any dpi reads alike."""
    threshold, _ = cv2.threshold(line, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    inked = list((line <= threshold).any(axis=0)) + [False]
    rings, start = [], None
    for x, ink in enumerate(inked):
        if ink and start is None:
            start = x
        elif not ink and start is not None:
            ring = _ring(cv2, np, line, start, x, threshold)
            if ring is not None:
                rings.append(ring)
            start = None
    return rings


def _ring(cv2: Any, np: Any, line: Any, x0: int, x1: int, threshold: float) -> Ring | None:
    glyph = line[:, x0:x1]
    rows = np.nonzero((glyph <= threshold).any(axis=1))[0]
    height = rows.max() + 1 - rows.min()
    # as high as the line's ink (a ring is a full-height glyph), and about square
    if height < 0.8 * line.shape[0] or not 0.75 <= (x1 - x0) / height <= 1.33:
        return None
    radius = max(x1 - x0, height) / 2
    ys, xs = np.mgrid[0:glyph.shape[0], 0:glyph.shape[1]]
    distance = np.hypot(xs - ((x1 - x0) / 2 - 0.5), ys - (rows.min() + rows.max()) / 2)
    ink = (glyph <= threshold).astype(np.uint8)
    if (ink[distance > 1.2 * radius] > 0).any():  # ink in a corner: 回, 国, most kanji
        return None
    # The ring is apart from what it holds: の's inner stroke, or @'s, runs into its rim
    # broadly; a blurred digit may touch its ring at a corner pixel (4-connected: apart).
    _, labels = cv2.connectedComponents(ink, connectivity=4)
    rim = np.unique(labels[(distance > 0.85 * radius) & (ink > 0)])
    held = (distance <= 0.7 * radius) & (ink > 0)
    apart = held & ~np.isin(labels, rim)
    if not apart.any() or apart.sum() < 0.9 * held.sum():
        return None
    # The rim measured alone: a thin ring at 200 dpi is far greyer than its digits.
    shape = ray_shape(cv2, np, np.where(distance > 0.7 * radius, glyph, 255).astype(np.uint8))
    if shape is None or shape.rim < 0.9 or not shape.round_rim:
        return None
    inside = np.where(np.isin(labels, rim) | (distance > 0.7 * radius), 255, glyph)
    return Ring(x0=x0, x1=x1, inside=cv2.copyMakeBorder(
        inside.astype(np.uint8), 4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255))


def circled_number(digits: str) -> str | None:
    """The circled number ① … ⑳ printing ``digits``, or None."""
    if not digits.isdigit() or not 1 <= int(digits) <= len(CIRCLED_NUMBERS):
        return None
    return CIRCLED_NUMBERS[int(digits) - 1]


def _score(value: float, floor: float) -> float:
    """100 at a value of 1, 50 at the floor that decides."""
    return round(50 + 50 * max(0.0, min(1.0, (value - floor) / (1 - floor))), 1)
