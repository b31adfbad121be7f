"""A page's fonts as pdfminer reads them: the name and descent a pdfminer char carries.

pdfium substitutes its own font's metrics where a font descriptor says /Descent 0 (as
LibreOffice writes for CJK fonts), and reports its own widths for a simple font that has
no /Widths; pdfminer takes the dictionaries as written. Reading the fonts through
pdfminer's own font objects (cached by its resource manager, shared with the pdfminer
path) gives each pdfium char exactly pdfminer's box. No content stream is interpreted.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from pdfminer.pdffont import FontMetricsDB, PDFCIDFont, PDFFont, PDFType1Font, PDFType3Font
from pdfminer.pdftypes import PDFObjRef, dict_value, resolve1
from pdfminer.psparser import literal_name

MAX_FORM_DEPTH = 16
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class PdfminerFont:
    """What a pdfminer char takes from its font, and whether pdfium can stand in for it."""

    fontname: str
    descent: float  # in text space per unit of font size (pdfminer's get_descent())
    problem: str | None = None  # why pdfium's glyphs in this font cannot be trusted
    program_length: int = 0  # bytes of the embedded font program, to tell subsets apart
    # pdfminer's font objects, each with the codes that read as each text: the widths
    # of a text (per unit of font size) are worked out when first asked for. Two fonts
    # alike but for these are two fonts (merged below when they share a name).
    sources: tuple[tuple[PDFFont, dict[str, list[int]]], ...] = field(default=(), hash=False)
    widths: dict[str, tuple[float, ...]] = field(default_factory=dict, compare=False,
                                                 hash=False)

    def widths_of(self, text: str) -> tuple[float, ...]:
        """The widths the codes that read as ``text`` have in this font."""
        known = self.widths.get(text)
        if known is None:
            known = self.widths[text] = tuple(sorted(
                {font.char_width(cid) for font, codes in self.sources
                 for cid in codes.get(text, ())}))
        return known


# By /BaseFont, with and without its subset prefix: two subsets of one font
# (BAAAAA+NotoSansCJKjp-Regular, DAAAAA+NotoSansCJKjp-Regular) share a key.
FontTable = dict[str, set[PdfminerFont]]


def page_fonts(pdf: Any, page: Any) -> FontTable:
    """The fonts a page and its form XObjects use, as pdfminer makes them."""
    table: FontTable = {}
    _collect(pdf.rsrcmgr, resolve1(page.page_obj.resources), table, set(), 0)
    return {name: _merged(fonts) for name, fonts in table.items()}


def _merged(fonts: set[PdfminerFont]) -> set[PdfminerFont]:
    # The same non-embedded font under two encodings (as reportlab writes a CID font)
    # gives pdfminer chars alike but for the widths: one font with both sets of widths.
    first = next(iter(fonts))
    if len(fonts) == 1 or any((f.fontname, f.descent, f.problem, f.program_length)
                              != (first.fontname, first.descent, first.problem,
                                  first.program_length) for f in fonts):
        return fonts
    return {PdfminerFont(first.fontname, first.descent, first.problem, first.program_length,
                         tuple(source for font in fonts for source in font.sources))}


def match_font(table: FontTable, name: str, program_length: int) -> PdfminerFont | None:
    """The one font of that name (and, among subsets, of that program length), or None."""
    candidates = table.get(name, set())
    if len(candidates) > 1:
        candidates = {font for font in candidates if font.program_length == program_length}
    return next(iter(candidates)) if len(candidates) == 1 else None


def _collect(rsrcmgr: Any, resources: Any, table: FontTable, seen: set[int], depth: int) -> None:
    if not isinstance(resources, dict) or depth > MAX_FORM_DEPTH:
        return
    for ref in dict_value(resources.get("Font", {})).values():
        spec = resolve1(ref)
        if not isinstance(spec, dict):
            continue
        # pdfium names an embedded subset without its prefix, a font it substitutes
        # with it: the font is listed under both.
        base = str(literal_name(resolve1(spec.get("BaseFont", ""))))  # Type3: none
        font = _font(rsrcmgr, ref, spec)
        for name in {base, _SUBSET_PREFIX.sub("", base)}:
            table.setdefault(name, set()).add(font)
    for ref in dict_value(resources.get("XObject", {})).values():
        xobject = resolve1(ref)
        key = ref.objid if isinstance(ref, PDFObjRef) else id(xobject)
        attrs = getattr(xobject, "attrs", {})
        if key in seen or literal_name(attrs.get("Subtype")) != "Form":
            continue
        seen.add(key)
        _collect(rsrcmgr, resolve1(attrs.get("Resources")), table, seen, depth + 1)


_MADE: weakref.WeakKeyDictionary[PDFFont, PdfminerFont] = weakref.WeakKeyDictionary()


def font_pair(rsrcmgr: Any, ref: Any) -> tuple[Any, PdfminerFont]:
    """pdfminer's font object for a font resource (None if it cannot read it), and ours."""
    spec = dict_value(ref)
    return _pdfminer_font(rsrcmgr, ref, spec), _font(rsrcmgr, ref, spec)


def _pdfminer_font(rsrcmgr: Any, ref: Any, spec: dict[str, Any]) -> PDFFont | None:
    objid = ref.objid if isinstance(ref, PDFObjRef) else None
    try:
        return rsrcmgr.get_font(objid, spec)  # cached by the resource manager
    except Exception:  # pdfminer raises many kinds on a damaged font
        return None


def _font(rsrcmgr: Any, ref: Any, spec: dict[str, Any]) -> PdfminerFont:
    font = _pdfminer_font(rsrcmgr, ref, spec)
    if font is None:
        return PdfminerFont("unknown", 0.0, "a font pdfminer cannot read")
    if font not in _MADE:  # the resource manager caches fonts: made once per document
        name = font.fontname if isinstance(font.fontname, str) else repr(font.fontname)
        _MADE[font] = PdfminerFont(
            fontname=name, descent=font.get_descent(), problem=_problem(font, spec),
            program_length=_program_length(spec), sources=((font, _codes(font)),))
    return _MADE[font]


def _codes(font: PDFFont) -> dict[str, list[int]]:
    """The codes (CIDs) that pdfminer reads as each text."""
    unicode_map = getattr(font, "unicode_map", None)
    if isinstance(font, PDFCIDFont):
        texts = getattr(unicode_map, "cid2unichr", None)
        if texts is None:  # no ToUnicode: pdfminer reads (cid:N) or the CID itself
            texts = {}
    else:
        texts = {cid: _unichr(font, cid) for cid in range(256)}
    codes: dict[str, list[int]] = {}
    for cid, text in texts.items():
        if text:
            codes.setdefault(text, []).append(cid)
    return codes


def _unichr(font: PDFFont, cid: int) -> str | None:
    try:
        return font.to_unichr(cid)
    except Exception:  # pdfminer raises PDFUnicodeNotDefined or KeyError
        return None


def _is_standard(font: PDFFont) -> bool:
    try:
        FontMetricsDB.get_metrics(getattr(font, "basefont", ""))
    except KeyError:
        return False
    return True


def _program_length(spec: dict[str, Any]) -> int:
    if literal_name(resolve1(spec.get("Subtype"))) == "Type0":
        spec = dict_value(resolve1(spec.get("DescendantFonts", [{}]))[0])
    descriptor = dict_value(spec.get("FontDescriptor", {}))
    for key in ("FontFile", "FontFile2", "FontFile3"):
        if key in descriptor:
            try:
                return len(resolve1(descriptor[key]).get_data())
            except Exception:  # a damaged font stream: pdfium will not match it either
                return -1
    return 0


def _problem(font: PDFFont, spec: dict[str, Any]) -> str | None:
    subtype = literal_name(resolve1(spec.get("Subtype")))
    if isinstance(font, PDFType3Font):
        return "a Type3 font"  # glyph boxes follow the font's own /FontMatrix
    if font.is_vertical():
        return "vertical writing"
    unicode_map = getattr(font, "unicode_map", None)
    if isinstance(font, PDFCIDFont) and not getattr(unicode_map, "cid2unichr", True):
        # An empty ToUnicode: pdfminer reads (cid:N) and the page is refused as
        # unreadable, while pdfium guesses from the /Encoding. The refusal is kept.
        return "a font with an empty ToUnicode map"
    if isinstance(font, PDFCIDFont) and unicode_map is None:
        return "a font without a Unicode map"  # pdfminer reads (cid:N) here too
    if not isinstance(font, PDFCIDFont) and subtype != "Type0" and "Widths" not in spec:
        return "a font without /Widths"  # pdfminer's widths are Adobe's, pdfium's its own
    if isinstance(font, PDFType1Font) and _is_standard(font):
        # pdfminer takes a standard font's widths from Adobe's metrics even where the
        # PDF gives /Widths; pdfium places glyphs by /Widths.
        return "a standard font that pdfminer measures by its own metrics"
    return None
