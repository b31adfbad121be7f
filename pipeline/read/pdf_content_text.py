"""The text a page's content stream shows, object by object, as pdfminer reads it.

pdfium's text layer leaves some text objects out (one whose glyphs have no ink in the
font it substitutes, a fake-bold double) and rewrites others (a line-end hyphen becomes
U+0002), and its API gives no char codes for them. This module reads the content
stream itself, for those pages only: a small tokenizer that follows just the operators
that decide what text is shown and in which font (q Q Tf Tc Tw Tj TJ ' " Do, with form
XObjects as pdfminer enters them: a fresh text state, only forms with a /BBox), and
decodes each string with pdfminer's own font object. ``pdfium_shape`` trusts the result
only where it agrees with every text object pdfium did read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdftypes import PDFObjRef, PDFStream, dict_value, resolve1
from pdfminer.psparser import literal_name

from pipeline.read.pdf_fonts import MAX_FORM_DEPTH, PdfminerFont, font_pair

_DELIMITERS = rb"()<>\[\]{}/%"
# A token, or first a run of numbers and operators that change nothing this reader
# follows (paths, colours, text positioning: pdfium gives each object's origin).
_TOKEN = re.compile(
    rb"(?P<idle>(?:(?:[+-]?(?:\d+\.?\d*|\.\d+)[\x00\t\n\x0c\r ]+)*"
    rb"(?:re|cm|m|l|c|v|y|h|f\*?|F|S|s|B\*?|b\*?|n|W\*?|w|J|j|M|i|ri|g|G|rg|RG|k|K|"
    rb"ET|TL|Tz|Ts|Tr|EMC|d0|d1)"
    rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|$)[\x00\t\n\x0c\r ]*)+)"
    # The operators that set the text position anew (from the line matrix).
    rb"|(?P<moved>(?:(?:[+-]?(?:\d+\.?\d*|\.\d+)[\x00\t\n\x0c\r ]+)*"
    rb"(?:BT|Td|TD|Tm|T\*)(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|$)))"
    rb"|[\x00\t\n\x0c\r ]+|%[^\r\n]*"
    rb"|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?![^\x00\t\n\x0c\r " + _DELIMITERS + rb"])"
    rb"|(?P<name>/[^\x00\t\n\x0c\r " + _DELIMITERS + rb"]*)"
    rb"|(?P<open>\()|(?P<hex><(?!<)[^>]*>)|(?P<mark><<|\[|\{)|(?P<close>>>|\]|\})"
    rb"|(?P<word>[^\x00\t\n\x0c\r " + _DELIMITERS + rb"]+)|(?P<junk>.)", re.S)
_STRING_STOP = re.compile(rb"[()\\]")
_ESCAPES = {ord(k): v for k, v in {"n": 10, "r": 13, "t": 9, "b": 8, "f": 12, "(": 40,
                                   ")": 41, "\\": 92}.items()}
_OCTAL = re.compile(rb"[0-7]{1,3}")
_INLINE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")
_HEX_JUNK = re.compile(rb"[^0-9A-Fa-f]")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class ShownChar(NamedTuple):
    text: str  # pdfminer's text for the code: to_unichr, or "(cid:N)" where it has none
    mapped: bool
    width: float  # pdfminer's char_width, per unit of font size
    offset: float  # from the text object's origin (as pdfium places it), unscaled


@dataclass(frozen=True)
class Shown:
    """One text-showing operator pdfium makes a text object of."""

    base_font: str  # the font's /BaseFont, as written
    font: PdfminerFont
    size: float
    chars: tuple[ShownChar, ...]


class _Font(NamedTuple):
    pdfminer: Any  # pdfminer's font object
    ours: PdfminerFont
    base: str
    codes: dict[int, tuple[str, bool, float]]  # text, mapped, width: made once per code

    def code(self, cid: int) -> tuple[str, bool, float]:
        if cid not in self.codes:
            text = _text(self.pdfminer, cid)
            self.codes[cid] = (f"(cid:{cid})" if text is None else text, text is not None,
                               self.pdfminer.char_width(cid))
        return self.codes[cid]


class ContentUnreadable(Exception):
    """The content stream cannot be followed to the end."""


def shown_texts(pdf: Any, page: Any) -> list[Shown]:
    """Every text object the page's content stream shows, in drawing order."""
    streams = page.page_obj.contents
    data = b"\n".join(resolve1(s).get_data() for s in streams if isinstance(resolve1(s),
                                                                            PDFStream))
    result: list[Shown] = []
    _Reader(pdf.rsrcmgr, result).run(data, resolve1(page.page_obj.resources), 0, set())
    return result


class _Reader:
    def __init__(self, rsrcmgr: Any, out: list[Shown]) -> None:
        self.rsrcmgr, self.out = rsrcmgr, out
        self.fonts: dict[int, _Font] = {}  # by id of the resource

    def _font(self, ref: Any) -> _Font:
        if id(ref) not in self.fonts:
            font, made = font_pair(self.rsrcmgr, ref)
            if font is None:
                raise ContentUnreadable("a font pdfminer cannot read")
            base = str(literal_name(resolve1(dict_value(ref).get("BaseFont", ""))))
            self.fonts[id(ref)] = _Font(font, made, base, {})
        return self.fonts[id(ref)]

    def run(self, data: bytes, resources: Any, depth: int, forms: set[int]) -> None:
        resources = dict_value(resources) if resources else {}
        fonts = dict_value(resources.get("Font", {}))
        # pdfminer's text state: font, size, char spacing, word spacing, and whether
        # pdfium's text position has moved off pdfminer's since it was last set; q/Q
        # keep it.
        state: list[Any] = [None, 0.0, 0.0, 0.0, False]
        stack: list[list[Any]] = []
        operands: list[Any] = []
        nests: list[list[Any]] = []
        position, end = 0, len(data)
        value: Any
        token = _TOKEN.match
        while position < end:
            match = token(data, position)
            if match is None:  # not reached: any one byte is a token
                raise ContentUnreadable(f"no token at byte {position}")
            position = match.end()
            kind = match.lastgroup
            if kind is None:
                continue
            if kind == "idle" or kind == "moved":
                if nests:
                    raise ContentUnreadable("an operator inside an array or a dictionary")
                operands = []
                state[4] = state[4] and kind == "idle"
                continue
            if kind == "word":
                word = match.group()
                if nests:
                    nests[-1].append(word)
                    continue
                if word == b"BI":
                    position = _skip_inline_image(data, position)
                else:
                    self._operator(word, operands, state, stack, fonts, resources, depth, forms)
                operands = []
                continue
            if kind == "open":
                value, position = _literal(data, position)
            elif kind == "hex":
                value = _hex(match.group())
            elif kind == "num":
                value = float(match.group())
            elif kind == "name":
                value = ("name", _name(match.group()))
            elif kind == "mark":
                nests.append([])
                continue
            elif kind == "close":
                value = nests.pop() if nests else None
            else:
                continue
            (nests[-1] if nests else operands).append(value)

    def _operator(self, word: bytes, operands: list[Any], state: list[Any],
                  stack: list[list[Any]], fonts: dict[str, Any], resources: dict[str, Any],
                  depth: int, forms: set[int]) -> None:
        if word == b"q":
            stack.append(list(state))
        elif word == b"Q":
            if stack:
                state[:] = stack.pop()
        elif word == b"Tf" and len(operands) >= 2:
            name, size = operands[-2], operands[-1]
            if not (isinstance(name, tuple) and isinstance(size, float)):
                raise ContentUnreadable("Tf")
            ref = fonts.get(name[1])
            if ref is None:
                raise ContentUnreadable(f"no font {name[1]!r} in the resources")
            state[0], state[1] = ref, size
        elif word == b"Tc" and operands and isinstance(operands[-1], float):
            state[2] = operands[-1]
        elif word == b"Tw" and operands and isinstance(operands[-1], float):
            state[3] = operands[-1]
        elif word == b"Tj" and operands:
            self._show(state, [operands[-1]])
        elif word == b"'" and operands:
            state[4] = False  # T* first
            self._show(state, [operands[-1]])
        elif word == b'"' and len(operands) >= 3:
            state[3], state[2], state[4] = operands[-3], operands[-2], False
            self._show(state, [operands[-1]])
        elif word == b"TJ" and operands and isinstance(operands[-1], list):
            self._show(state, operands[-1])
        elif word == b"Do" and operands and isinstance(operands[-1], tuple):
            self._form(operands[-1][1], resources, depth, forms)

    def _show(self, state: list[Any], seq: list[Any]) -> None:
        ref, size, charspace, wordspace, moved = state
        if ref is None:
            return  # pdfminer shows nothing without a font; pdfium neither
        if not any(isinstance(item, bytes) and item for item in seq):
            return  # pdfium makes no object of it, and pdfminer no char
        if moved:
            raise ContentUnreadable("char or word spacing moves pdfium's text position off "
                                    "pdfminer's between two text-showing operators")
        font = self._font(ref)
        x, initial, started, need_space = 0.0, 0.0, False, False
        spaced_first, cid_32 = False, False
        chars: list[ShownChar] = []
        for item in seq:
            if isinstance(item, float):
                x -= item * 0.001 * size
                initial -= 0 if started else item * 0.001 * size
                need_space = True
            elif isinstance(item, bytes):
                started = started or bool(item)
                for cid in font.pdfminer.decode(item):
                    if need_space:
                        x += charspace
                    spaced_first = spaced_first or (need_space and not chars)
                    text, mapped, width = font.code(cid)
                    chars.append(ShownChar(text, mapped, width, x - initial))
                    x += width * size
                    if cid == 32 and wordspace:
                        x += wordspace
                        cid_32 = True
                    need_space = True
            else:
                raise ContentUnreadable("a TJ array holds neither strings nor numbers")
        # pdfium puts Tc after every char, pdfminer between chars (and after a leading
        # number); pdfium puts Tw after a one-byte code 32, pdfminer after CID 32.
        state[4] = bool(charspace and not spaced_first) or (
            cid_32 and isinstance(font.pdfminer, PDFCIDFont))
        self.out.append(Shown(font.base, font.ours, size, tuple(chars)))

    def _form(self, name: str, resources: dict[str, Any], depth: int, forms: set[int]) -> None:
        ref = dict_value(resources.get("XObject", {})).get(name)
        xobject = resolve1(ref)
        if not isinstance(xobject, PDFStream):
            return
        if literal_name(xobject.get("Subtype")) != "Form" or "BBox" not in xobject:
            return
        key = ref.objid if isinstance(ref, PDFObjRef) else id(xobject)
        if depth >= MAX_FORM_DEPTH or key in forms:
            raise ContentUnreadable("form XObjects nest too deep")
        inner = xobject.get("Resources")
        self.run(xobject.get_data(), resolve1(inner) if inner else resources, depth + 1,
                 forms | {key})


def _text(font: Any, cid: int) -> str | None:
    try:
        text = font.to_unichr(cid)
    except Exception:  # pdfminer raises PDFUnicodeNotDefined or KeyError
        return None
    return text if isinstance(text, str) else None


def _hex(token: bytes) -> bytes:
    digits = _HEX_JUNK.sub(b"", token[1:-1])
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _name(token: bytes) -> str:
    return _NAME_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()),
                            token[1:]).decode("latin-1")


def _literal(data: bytes, position: int) -> tuple[bytes, int]:
    """A literal string from just after its "(", as pdfminer reads it; the end after ")"."""
    out, depth = bytearray(), 1
    while True:
        stop = _STRING_STOP.search(data, position)
        if stop is None:
            raise ContentUnreadable("a string runs to the end of the stream")
        out += data[position:stop.start()]
        char = data[stop.start()]
        position = stop.end()
        if char == 0x5C:  # backslash
            octal = _OCTAL.match(data, position)
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                position = octal.end()
            elif position < len(data):
                code = data[position]
                if code in _ESCAPES:
                    out.append(_ESCAPES[code])
                elif code == 0x0D and data[position + 1:position + 2] == b"\n":
                    position += 1
                position += 1
            continue
        depth += 1 if char == 0x28 else -1
        if depth == 0:
            return bytes(out), position
        out.append(char)


def _skip_inline_image(data: bytes, position: int) -> int:
    start = data.find(b"ID", position)
    if start < 0:
        raise ContentUnreadable("an inline image without ID")
    end = _INLINE_END.search(data, start + 3)
    if end is None:
        raise ContentUnreadable("an inline image without EI")
    return end.end()
