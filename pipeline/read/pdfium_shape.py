"""pdfium's page records → the object dicts pdfplumber makes from pdfminer's layout.

Pure functions on ``pdfium_source`` records. The result is what ``pdfplumber.Page.objects``
would hold, so its table finder and the reader's region code cannot tell the difference:

- coordinates are pdfminer's page space (its /Rotate transform, relative to the
  MediaBox), then pdfplumber's top-left origin and ``doctop``;
- a char's box is pdfminer's, not pdfium's glyph box: the advance along the baseline
  from the origin, and from the font's /Descent up by the font size;
- paths are split and classified as pdfminer does (a subpath per move; a line, an
  axis-aligned closed rectangle, or else a curve).

What pdfium reads differently is put back as pdfminer has it (ligatures it splits), or
raises ``NeedsContent`` where the page's content stream can tell (text objects its text
layer leaves out, U+0002 for a line-end hyphen: ``content_chars``), or ``Untrusted``
with the reason, and the caller reads that page with pdfminer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.read.pdf_content_text import Shown
from pipeline.read.pdf_fonts import FontTable, PdfminerFont, match_font
from pipeline.read.pdfium_source import (
    BEZIER,
    HYPHEN_MARK,
    LINE,
    MOVE,
    Glyph,
    Matrix,
    Path,
    PdfiumPage,
    TextObject,
)

# pdfium's text layer puts U+0002 in place of a line-end hyphen, which it takes to be
# U+002D or U+00AD (core/fpdftext/cpdf_textpage.cpp: IsHyphenCode, GenerateCharacter::kHyphen).
_HYPHEN_MARK = HYPHEN_MARK
_HYPHENS = ("-", "\xad")
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_STRAIGHT = 1e-6  # a matrix entry below this is zero: the text is axis-aligned


class Untrusted(Exception):
    """This page's objects cannot be made identical to pdfminer's; the reason says why."""


class NeedsContent(Untrusted):
    """pdfium's text layer alone cannot give this page's chars; its content stream can."""


@dataclass(frozen=True)
class PageFrame:
    """pdfplumber's frame of one page: pdfminer's /Rotate transform, then top-left."""

    rotation: Matrix  # pdfium's page space → pdfminer's
    height: float  # the page's height as pdfplumber has it (after rotation)
    mediabox_x0: float
    mediabox_top: float
    initial_doctop: float
    page_number: int

    @classmethod
    def of(cls, page: Any) -> PageFrame:
        """The frame of a pdfplumber page, from its MediaBox and /Rotate."""
        x0, y0, x1, y1 = page.page_obj.mediabox
        ctm = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
               270: (0, 1, -1, 0, y1, -x0)}.get(page.page_obj.rotate % 360,
                                                  (1, 0, 0, 1, -x0, -y0))
        a, b, c, d, e, f = (float(v) for v in ctm)
        return cls(rotation=(a, b, c, d, e, f), height=float(page.height),
                   mediabox_x0=float(page.mediabox[0]), mediabox_top=float(page.mediabox[1]),
                   initial_doctop=float(page.initial_doctop), page_number=page.page_number)

    def place(self, kind: str, x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
        """pdfplumber's keys for a box in pdfminer's page space, as process_object sets them."""
        top = self.height - y1 + self.mediabox_top
        bottom = self.height - y0 + self.mediabox_top
        return {"object_type": kind, "page_number": self.page_number,
                "x0": x0 + self.mediabox_x0, "y0": y0, "x1": x1 + self.mediabox_x0, "y1": y1,
                "width": x1 - x0, "height": y1 - y0, "top": top, "bottom": bottom,
                "doctop": self.initial_doctop + top}

    def top_left(self, point: tuple[float, float]) -> tuple[float, float]:
        """pdfplumber's point2coord of a point in pdfminer's page space."""
        return (self.mediabox_x0 + point[0], self.mediabox_top + self.height - point[1])


def page_objects(page: PdfiumPage, fonts: FontTable, frame: PageFrame,
                 shown: list[Shown] | None = None) -> dict[str, list[dict[str, Any]]]:
    """pdfplumber's ``objects`` for the page; raises Untrusted, or NeedsContent where the
    page's own content stream (``shown``) would tell what pdfium's text layer leaves out."""
    if page.too_deep:
        raise Untrusted("form XObjects nest too deep")
    objects: dict[str, list[dict[str, Any]]] = {}
    text = chars(page, fonts, frame) if shown is None else content_chars(page, shown, frame)
    for obj in [*graphics(page, frame), *text]:
        objects.setdefault(obj["object_type"], []).append(obj)
    return objects


def chars(page: PdfiumPage, fonts: FontTable, frame: PageFrame) -> list[dict[str, Any]]:
    """pdfminer's chars, text object by text object in drawing order, where pdfium's
    text layer read every text object and marked no hyphen."""
    if page.incomplete:
        raise NeedsContent("pdfium's text layer leaves out a text object or marks a hyphen")
    glyphs = _glyphs_by_object(page)
    if not set(glyphs) <= set(page.texts):
        raise Untrusted("pdfium's text layer has glyphs outside the page's text objects")
    if len(glyphs) != len(page.texts):
        # Inkless in the font pdfium draws it with (a blank, or a glyph a substitute
        # font lacks), or taken for a fake-bold double: any text at all.
        raise NeedsContent("pdfium's text layer leaves out a text object")
    result: list[dict[str, Any]] = []
    for key, obj in page.texts.items():
        font = _font(fonts, obj)
        result.extend(_char(g.text, g.origin, _advance(g, obj, font), obj, font, frame,
                            g.unmapped) for g in glyphs[key])
    return result


def content_chars(page: PdfiumPage, shown: list[Shown], frame: PageFrame
                  ) -> list[dict[str, Any]]:
    """pdfminer's chars from the content stream's texts, placed at pdfium's origins.

    Trusted only where the two readings agree: as many texts as pdfium has text objects,
    each in the same font and size, and every text object pdfium read reading as the
    content stream's text (a line-end hyphen pdfium marked as U+0002 is the stream's
    hyphen). Each char is placed as pdfminer places it, from the object's origin."""
    glyphs = _glyphs_by_object(page)
    if len(shown) != len(page.texts) or not set(glyphs) <= set(page.texts):
        raise Untrusted(f"the content stream shows {len(shown)} texts where pdfium has "
                        f"{len(page.texts)} text objects")
    result: list[dict[str, Any]] = []
    for (key, obj), text in zip(page.texts.items(), shown):
        font = text.font
        if font.problem:
            raise Untrusted(f"the font {font.fontname!r} is {font.problem}")
        if (obj.font not in (text.base_font, _SUBSET_PREFIX.sub("", text.base_font))
                or abs(obj.size - text.size) > 1e-4 * max(1.0, abs(text.size))):
            raise Untrusted("pdfium's text objects and the content stream disagree on a font")
        if not all(c.mapped for c in text.chars):
            raise Untrusted(f"pdfminer finds no Unicode for a code of {font.fontname!r}")
        read = glyphs.get(key)
        if read is not None and (len(read) != len(text.chars) or not all(
                g.text == c.text or (g.text == _HYPHEN_MARK and c.text in _HYPHENS)
                for g, c in zip(read, text.chars))):
            raise Untrusted("pdfium's text layer reads a text object otherwise than its "
                            "content stream")
        if read is not None and any(g.unmapped for g in read):
            raise Untrusted(f"pdfium finds no Unicode for a glyph of {font.fontname!r}")
        # pdfminer's advances from pdfium's origin of the object: pdfium places a char
        # otherwise after a leading TJ number where Tc is set (pdfminer adds Tc there).
        a, b = obj.matrix[:2]
        ox, oy = obj.matrix[4:]
        result.extend(_char(c.text, (ox + a * c.offset, oy + b * c.offset),
                            c.width * obj.size, obj, font, frame) for c in text.chars)
    return result


def _glyphs_by_object(page: PdfiumPage) -> dict[int, list[Glyph]]:
    """The glyphs of each text object; a ligature pdfium split (two glyphs at one origin)
    is one glyph again, as pdfminer has it."""
    by_object: dict[int, list[Glyph]] = {}
    for glyph in page.glyphs:
        if glyph.generated:
            continue
        same = by_object.setdefault(glyph.text_object, [])
        if same and same[-1].origin == glyph.origin:
            same[-1] = same[-1]._replace(text=same[-1].text + glyph.text,
                                         unmapped=same[-1].unmapped or glyph.unmapped)
        else:
            same.append(glyph)
    return by_object


def _font(fonts: FontTable, text_object: TextObject) -> PdfminerFont:
    font = match_font(fonts, text_object.font, text_object.font_length)
    if font is None:
        why = "two fonts share it" if text_object.font in fonts else "pdfminer does not list it"
        raise NeedsContent(f"the font {text_object.font!r} cannot be matched ({why})")
    if font.problem:
        raise Untrusted(f"the font {font.fontname!r} is {font.problem}")
    return font


def _advance(glyph: Glyph, obj: TextObject, font: PdfminerFont) -> float:
    """The glyph's advance in text space (times the font size): the font's width for the
    code that reads as this text; among several, the one nearest pdfium's box, which
    spans the advance along the baseline (or the ink, where a glyph overhangs)."""
    a, b, c, d = obj.matrix[:4]
    if abs(b) < _STRAIGHT and abs(c) < _STRAIGHT and abs(a) >= _STRAIGHT:
        along = 0
    elif abs(a) < _STRAIGHT and abs(d) < _STRAIGHT and abs(b) >= _STRAIGHT:
        along = 1
    else:
        raise NeedsContent("the page has skewed text")
    widths = font.widths_of(glyph.text)
    if not widths:
        raise NeedsContent(f"pdfium reads {glyph.text!r} in {font.fontname!r}, which "
                           "pdfminer's map of the font does not have")
    if len(widths) == 1:
        return widths[0] * obj.size
    if glyph.box is None:
        raise Untrusted("a glyph's box was not read")  # not reached: box_wanted asks
    left, bottom, right, top = glyph.box
    extent = (right - left) / abs(a) if along == 0 else (top - bottom) / abs(b)
    return min(widths, key=lambda width: abs(width * obj.size - extent)) * obj.size


def box_wanted(fonts: FontTable) -> Callable[[TextObject, str], bool]:
    """Whether ``_advance`` needs pdfium's box of a glyph: where its font, as matched,
    has other than one width for the glyph's text (the box picks among them)."""
    matched: dict[tuple[str, int], PdfminerFont | None] = {}

    def wanted(obj: TextObject, text: str) -> bool:
        key = (obj.font, obj.font_length)
        if key not in matched:
            matched[key] = match_font(fonts, *key)
        font = matched[key]
        return font is None or len(font.widths_of(text)) != 1

    return wanted


def _char(text: str, origin: tuple[float, float], adv: float, obj: TextObject,
          font: PdfminerFont, frame: PageFrame, unmapped: bool = False) -> dict[str, Any]:
    if obj.actual_text:
        raise Untrusted("the page has marked content with /ActualText")
    if unmapped:
        raise Untrusted(f"pdfium finds no Unicode for a glyph of {font.fontname!r}")
    if text == _HYPHEN_MARK:
        raise Untrusted("pdfium marks a line-end hyphen")
    a, b, c, d = obj.matrix[:4]
    ra, rb, rc, rd, re_, rf = frame.rotation
    ox, oy = _f32(origin[0]), _f32(origin[1])
    matrix = (a * ra + b * rc, a * rb + b * rd, c * ra + d * rc, c * rb + d * rd,
              ox * ra + oy * rc + re_, ox * rb + oy * rd + rf)
    size = _f32(obj.size)
    descent = font.descent * size
    ma, mb, mc, md, me, mf = matrix
    if mb == 0 and mc == 0 and ma > 0 and md > 0:  # upright text: no corners to sort
        x0, y0, x1, y1 = me, md * descent + mf, ma * adv + me, md * (descent + size) + mf
    else:
        x0, y0, x1, y1 = _transform_rect(matrix, (0.0, descent, adv, descent + size))
    # frame.place's keys, then pdfminer's char's own, in one literal: a page has
    # thousands of chars.
    top = frame.height - y1 + frame.mediabox_top
    return {"object_type": "char", "page_number": frame.page_number,
            "x0": x0 + frame.mediabox_x0, "y0": y0, "x1": x1 + frame.mediabox_x0, "y1": y1,
            "width": x1 - x0, "height": y1 - y0, "top": top,
            "bottom": frame.height - y0 + frame.mediabox_top,
            "doctop": frame.initial_doctop + top, "text": text, "fontname": font.fontname,
            "size": y1 - y0, "adv": adv, "upright": ma * md > 0 and mb * mc <= 0,
            "matrix": matrix, "stroking_color": None, "non_stroking_color": None}


def _transform_rect(m: Matrix, rect: tuple[float, float, float, float]
                    ) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = rect
    corners = [_apply(m, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def graphics(page: PdfiumPage, frame: PageFrame) -> list[dict[str, Any]]:
    """Lines, rects, curves and images, as pdfminer's paint_path and render_image make them."""
    result: list[dict[str, Any]] = []
    for path in page.paths:
        for subpath in _subpaths(path, frame):
            result.append(_painted(subpath, path, frame))
    for matrix in page.images:
        x0, y0, x1, y1 = _transform_rect(_then(matrix, frame.rotation), (0.0, 0.0, 1.0, 1.0))
        result.append(frame.place("image", x0, y0, x1, y1))
    return result


def _then(m1: Matrix, m0: Matrix) -> Matrix:
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


_F32: dict[float, float] = {}


def _f32(value: float) -> float:
    # pdfium keeps coordinates in float32 (56.7 comes back as 56.70000076); seven
    # significant digits give back the number as the content stream wrote it. Pages
    # repeat their coordinates (rules, sizes, columns), so each is worked out once.
    known = _F32.get(value)
    if known is None:
        if len(_F32) > 200_000:
            _F32.clear()
        known = _F32[value] = float(f"{value:.7g}")
    return known


def _subpaths(path: Path, frame: PageFrame) -> list[list[tuple[str, tuple[float, float]]]]:
    """The path as pdfminer's operator list (m, l, c, h), split at each move."""
    to_page = _then(path.matrix, frame.rotation)
    subpaths: list[list[tuple[str, tuple[float, float]]]] = []
    pending_curve = 0
    for kind, x, y, closes in path.segments:
        point = _apply(to_page, _f32(x), _f32(y))
        point = (_f32(point[0]), _f32(point[1]))
        if kind == MOVE or not subpaths:
            subpaths.append([("m", point)])
        elif kind == LINE:
            subpaths[-1].append(("l", point))
        elif kind == BEZIER:
            pending_curve += 1
            if pending_curve == 3:  # two control points, then the end point
                subpaths[-1].append(("c", point))
                pending_curve = 0
            continue
        if closes:
            subpaths[-1].append(("h", subpaths[-1][0][1]))
    return subpaths


def _painted(subpath: list[tuple[str, tuple[float, float]]], path: Path, frame: PageFrame
             ) -> dict[str, Any]:
    shape = "".join(op for op, _ in subpath)
    pts = [point for _, point in subpath]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    kind = "curve"
    if shape in {"mlh", "ml"}:
        kind, pts = "line", pts[:2]
    elif shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                  or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))
        if pts[0] == pts[4] and square:
            kind = "rect"
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    if kind == "rect":
        box = (min(pts[0][0], pts[2][0]), min(pts[0][1], pts[2][1]),
               max(pts[0][0], pts[2][0]), max(pts[0][1], pts[2][1]))
    else:
        box = (min(xs), min(ys), max(xs), max(ys))
    obj = frame.place(kind, *box)
    obj.update(linewidth=path.linewidth, stroke=path.stroke, fill=path.fill,
               evenodd=path.evenodd, stroking_color=None, non_stroking_color=None,
               pts=[frame.top_left(p) for p in pts], dash=None,
               path=[(op, frame.top_left(p)) for op, p in subpath])
    return obj
