"""What pdfium reads on a page, as plain records: the only module that imports pypdfium2.

pdfplumber gets its chars, lines, rects and curves by interpreting the content stream
with pdfminer, in Python; pdfium does it in C, several times faster. This module only
asks pdfium and copies out what it says (``PdfiumPage``); ``pdfium_shape.py`` turns that
into the dicts pdfminer would have made, or says why it cannot.

pdfium keeps global state: two threads must not call it at once, even on two documents,
so every call here holds one lock, and each reading thread opens its own document.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 16
HYPHEN_MARK = "\x02"  # what pdfium's text layer has for a line-end hyphen
SIZE_EPSILON = 0.01  # pdfium's text layer skips a text object narrower than this

_PDFIUM = threading.Lock()


class Glyph(NamedTuple):
    """One char of pdfium's text layer, in pdfium's (unrotated) page space."""

    text: str
    origin: tuple[float, float]
    # left, bottom, right, top: the advance × glyph; None where it was not asked for
    box: tuple[float, float, float, float] | None
    text_object: int  # key into PdfiumPage.texts; 0 for a char pdfium made up
    generated: bool  # a space or line break pdfium inserted
    unmapped: bool  # pdfium found no Unicode for it


@dataclass
class TextObject:
    key: int  # the object's address: what Glyph.text_object refers to
    matrix: Matrix  # text matrix × CTM (forms applied), without the font size
    size: float  # the Tf size
    font: str  # the font's /BaseFont without a subset prefix (pdfium strips it)
    font_length: int  # bytes of the embedded font program (0: not embedded)
    bounds: tuple[float, float, float, float]  # left, bottom, right, top in page space
    actual_text: bool  # inside marked content with /ActualText


@dataclass(frozen=True)
class Path:
    matrix: Matrix
    segments: tuple[tuple[int, float, float, bool], ...]  # kind, x, y, closes
    fill: bool
    evenodd: bool
    stroke: bool
    linewidth: float


@dataclass
class PdfiumPage:
    glyphs: list[Glyph] = field(default_factory=list)
    texts: dict[int, TextObject] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    images: list[Matrix] = field(default_factory=list)
    too_deep: bool = False  # forms nested deeper than MAX_FORM_DEPTH
    # pdfium's text layer leaves out a text object narrower than 0.01 pt, or marks a
    # line-end hyphen: the chars must come from the content stream, and the glyphs
    # hold only their text, origin and object (core/fpdftext/cpdf_textpage.cpp).
    incomplete: bool = False


MOVE, LINE, BEZIER = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_BEZIERTO


@contextmanager
def open_pdfium(path: FilePath) -> Iterator[Any]:
    """A pdfium document for this thread; None if pdfium cannot open the file."""
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            document = None
    try:
        yield document
    finally:
        if document is not None:
            with _PDFIUM:
                document.close()


def page_count(document: Any) -> int:
    """The pages in pdfium's reading of the page tree."""
    with _PDFIUM:
        return len(document)


def read_page(document: Any, index: int,
              box_wanted: Callable[[TextObject, str], bool] | None = None) -> PdfiumPage:
    """Everything pdfium finds on page ``index`` (0-based); a glyph's box only where
    ``box_wanted(text object, text)`` (all of them without it)."""
    with _PDFIUM:
        page = document[index]
        try:
            text_page = page.get_textpage()
            try:
                result = PdfiumPage()
                count = raw.FPDFPage_CountObjects(page.raw)
                _walk(result, [raw.FPDFPage_GetObject(page.raw, i) for i in range(count)],
                      IDENTITY, 0, {})
                _read_glyphs(result, text_page.raw, box_wanted)
                return result
            finally:
                text_page.close()
        finally:
            page.close()


def _walk(page: PdfiumPage, handles: list[Any], parent: Matrix, depth: int,
          fonts: dict[int, tuple[str, int]]) -> None:
    for handle in handles:
        kind = raw.FPDFPageObj_GetType(handle)
        matrix = _multiply(_matrix(handle), parent)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            if depth >= MAX_FORM_DEPTH:
                page.too_deep = True
                continue
            count = raw.FPDFFormObj_CountObjects(handle)
            _walk(page, [raw.FPDFFormObj_GetObject(handle, i) for i in range(count)],
                  matrix, depth + 1, fonts)
        elif kind == raw.FPDF_PAGEOBJ_TEXT:
            page.texts[_address(handle)] = _text_object(handle, matrix, fonts)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            page.paths.append(_path(handle, matrix))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            page.images.append(matrix)


def _text_object(handle: Any, matrix: Matrix, fonts: dict[int, tuple[str, int]]
                 ) -> TextObject:
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(handle, ctypes.byref(size))
    font = raw.FPDFTextObj_GetFont(handle)
    key = _address(font)
    if key not in fonts:
        fonts[key] = _font_identity(font) if font else ("", 0)
    name, font_length = fonts[key]
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw.FPDFPageObj_GetBounds(handle, ctypes.byref(left), ctypes.byref(bottom),
                              ctypes.byref(right), ctypes.byref(top))
    return TextObject(key=_address(handle), matrix=matrix, size=size.value, font=name,
                      font_length=font_length,
                      bounds=(left.value, bottom.value, right.value, top.value),
                      actual_text=_has_actual_text(handle))


def _font_identity(font: Any) -> tuple[str, int]:
    length = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(length)
    raw.FPDFFont_GetBaseFontName(font, buffer, length)
    data_length = ctypes.c_ulong()
    if not raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(data_length)):
        data_length.value = 0
    return buffer.value.decode("latin-1"), data_length.value


def _has_actual_text(handle: Any) -> bool:
    length = ctypes.c_ulong()
    for i in range(raw.FPDFPageObj_CountMarks(handle)):
        mark = raw.FPDFPageObj_GetMark(handle, i)
        if raw.FPDFPageObjMark_GetParamStringValue(mark, b"ActualText", None, 0,
                                                   ctypes.byref(length)):
            return True
    return False


def _path(handle: Any, matrix: Matrix) -> Path:
    segments = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(raw.FPDFPath_CountSegments(handle)):
        segment = raw.FPDFPath_GetPathSegment(handle, i)
        raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        segments.append((raw.FPDFPathSegment_GetType(segment), x.value, y.value,
                         bool(raw.FPDFPathSegment_GetClose(segment))))
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(handle, ctypes.byref(fill_mode), ctypes.byref(stroke))
    width = ctypes.c_float()
    raw.FPDFPageObj_GetStrokeWidth(handle, ctypes.byref(width))
    return Path(matrix=matrix, segments=tuple(segments), fill=fill_mode.value != 0,
                evenodd=fill_mode.value == raw.FPDF_FILLMODE_ALTERNATE,
                stroke=bool(stroke.value), linewidth=width.value)


def _read_glyphs(page: PdfiumPage, text_page: Any,
                 box_wanted: Callable[[TextObject, str], bool] | None) -> None:
    count = raw.FPDFText_CountChars(text_page)
    texts = _page_text(text_page, count)
    page.incomplete = HYPHEN_MARK in texts or any(
        abs(obj.bounds[2] - obj.bounds[0]) < SIZE_EPSILON for obj in page.texts.values())
    # About 4 calls per char, so the call overhead is what counts: arguments made once.
    x, y, box = ctypes.c_double(), ctypes.c_double(), raw.FS_RECTF()
    x_ref, y_ref, box_ref = ctypes.byref(x), ctypes.byref(y), ctypes.byref(box)
    is_generated, text_object = raw.FPDFText_IsGenerated, raw.FPDFText_GetTextObject
    origin, loose_box = raw.FPDFText_GetCharOrigin, raw.FPDFText_GetLooseCharBox
    unmapped, append, objects = raw.FPDFText_HasUnicodeMapError, page.glyphs.append, page.texts
    for i in range(count):
        obj, text = text_object(text_page, i), texts[i]
        # pdfium makes up line breaks and spaces between objects with no text object,
        # and spaces inside one (a wide TJ gap) with it: only a space needs asking.
        if not obj or (text == " " and is_generated(text_page, i)):
            append(Glyph(text, (0.0, 0.0), None, 0, True, False))
            continue
        key = ctypes.addressof(obj.contents)
        origin(text_page, i, x_ref, y_ref)  # a ligature's pieces share one
        if page.incomplete:
            append(Glyph(text, (x.value, y.value), None, key, False, False))
            continue
        corners, target = None, objects.get(key)
        if box_wanted is None or target is None or box_wanted(target, text):
            loose_box(text_page, i, box_ref)
            corners = (box.left, box.bottom, box.right, box.top)
        append(Glyph(text, (x.value, y.value), corners, key, False,
                     bool(unmapped(text_page, i))))


def _page_text(text_page: Any, count: int) -> list[str]:
    """Each char's text, in one call; char by char where one needs two UTF-16 units."""
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(text_page, 0, count, buffer)
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", errors="replace")
    if len(text) == count and "\ufffd" not in text and "\ufffe" not in text:  # ￾: a hyphen
        return list(text)
    return [chr(raw.FPDFText_GetUnicode(text_page, i)) for i in range(count)]


def _matrix(handle: Any) -> Matrix:
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(handle, ctypes.byref(m))
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _multiply(m1: Matrix, m0: Matrix) -> Matrix:
    """m1 then m0, as pdfminer's mult_matrix(m1, m0)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _address(handle: Any) -> int:
    return ctypes.addressof(handle.contents) if handle else 0


@dataclass(frozen=True)
class PageImage:
    """A page as an image for OCR: grey pixels (a PIL image), and the page's size in points."""

    image: Any
    width_pt: float
    height_pt: float
    embedded: bool  # the scan's own image, not a rendering of the page


def page_image(document: Any, index: int, dpi: float = 300.0) -> PageImage:
    """Page ``index`` (0-based) as grey pixels: the embedded image of a scan (one image
    covering the page, unturned), else the page rendered by pdfium at ``dpi``."""
    with _PDFIUM:
        page = document[index]
        try:
            width, height = page.get_size()
            image = _scan_image(page, width, height)
            embedded = image is not None
            if image is None:
                image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            return PageImage(image=image.convert("L"), width_pt=width, height_pt=height,
                             embedded=embedded)
        finally:
            page.close()


def _scan_image(page: Any, width: float, height: float) -> Any:
    """The one image that covers the whole page upright (a scanner's page), or None."""
    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    images = [obj for obj in objects if obj.type == raw.FPDF_PAGEOBJ_IMAGE]
    if len(images) != 1 or len(objects) != 1:
        return None
    a, b, c, d, e, f = _matrix(images[0].raw)
    covers = (abs(b) < 0.01 and abs(c) < 0.01 and abs(e) < 1 and abs(f) < 1
              and abs(a - width) < 1 and abs(d - height) < 1)
    if not covers:
        return None
    pixels_wide, _ = images[0].get_px_size()
    if not 150 <= pixels_wide * 72 / width <= 600:  # too coarse (or fine) to read as it is
        return None
    try:
        return images[0].get_bitmap(render=False).to_pil()
    except pdfium.PdfiumError:
        return None
