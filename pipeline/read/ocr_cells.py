"""One table cell's image → its text and how sure the engine is of it.

A cell is cropped inside its rules (a margin, so that what is left of a rule is not
read as ``|`` or ``]``), trimmed to its ink, and read as a block of lines; a cell with no
ink is blank and not read at all. The spaces Tesseract puts between Japanese characters
are removed; the line breaks of a wrapped cell stay, as the PDF reader keeps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.read.ocr_engine import Engine, Reading
from pipeline.read.ocr_image import PixelBox
from pipeline.read.ocr_marks import (
    LOOKALIKES,
    MARKLIKE,
    STARLIKE,
    CIRCLED_NUMBERS,
    MarkReading,
    circled_number,
    classify_mark,
    rings_around_ink,
)

# Japanese characters and full-width punctuation: no space belongs next to them.
_CJK = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef※○◎△×・「」（）"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])| +(?=[:;)])|(?<=\() +")


@dataclass(frozen=True)
class CellSettings:
    """How a cell is cropped and what counts as ink in it (pixels at the page's dpi)."""

    margin: int = 3  # past the rule's middle, whose ink is already whitened
    padding: int = 16  # white around the ink, as Tesseract likes it
    min_ink_area: int = 12  # smaller specks are scanner noise, not a stroke
    # Lines are read at their scanned size (a 9 pt line at 300 dpi is 38 px high):
    # enlarged, Tesseract reads this sample's cells slightly worse, and slower.
    scale: float = 1.0


@dataclass(frozen=True)
class CellReading:
    """A cell as read: its text ('' for blank), the engine's confidence (100 for blank),
    what the engine read, and every doubt: a mark taken by its shape or left undecided."""

    text: str
    confidence: float
    reading: Reading | None = None  # None: blank, nothing was read
    marks: tuple[MarkReading, ...] = ()  # the marks read by shape, in order

    @property
    def undecided(self) -> MarkReading | None:
        """The first mark that could not be told by its shape, if any."""
        return next((mark for mark in self.marks if mark.mark is None), None)


def ink_box(cv2: Any, np: Any, crop: Any, settings: CellSettings) -> PixelBox | None:
    """The box of the ink in a grey crop, specks left out; None when it holds none."""
    if crop.size == 0:
        return None
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if int(crop.max()) - int(crop.min()) < 60:  # Otsu splits even blank paper in two
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    boxes = [stats[label] for label in range(1, count)
             if stats[label][4] >= settings.min_ink_area]
    if not boxes:
        return None
    x0 = min(int(s[0]) for s in boxes)
    top = min(int(s[1]) for s in boxes)
    x1 = max(int(s[0] + s[2]) for s in boxes)
    bottom = max(int(s[1] + s[3]) for s in boxes)
    return (x0, top, x1, bottom)


def cell_crop(cv2: Any, np: Any, page: Any, box: PixelBox, settings: CellSettings) -> Any:
    """The cell's ink (grey, unpadded); None for a blank cell."""
    x0, top, x1, bottom = box
    m = settings.margin
    inside = on_white(np, page[top + m:bottom - m, x0 + m:x1 - m])
    ink = ink_box(cv2, np, inside, settings)
    if ink is None:
        return None
    ix0, itop, ix1, ibottom = ink
    return inside[itop:ibottom, ix0:ix1]


def on_white(np: Any, crop: Any) -> Any:
    """A shaded cell (a header's grey fill) made white: what is no darker than its
    background is paper. A white cell is returned as it is."""
    if crop.size == 0:
        return crop
    background = float(np.median(crop))
    if background >= 235:
        return crop
    lifted = crop.copy()
    lifted[crop >= background - 30] = 255
    return lifted


def text_lines(cv2: Any, np: Any, crop: Any, settings: CellSettings) -> list[Any]:
    """The crop cut into its lines of text, at the rows with no ink between them."""
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    rows = np.zeros(crop.shape[0], dtype=bool)
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if area >= settings.min_ink_area:
            rows[y:y + h] = True
    lines, start = [], None
    for y, inked in enumerate(list(rows) + [False]):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            lines.append((start, y))
            start = None
    return [crop[a:b] for a, b in lines]


def read_cell(engine: Engine, page: Any, box: PixelBox, settings: CellSettings) -> CellReading:
    """The text of the cell at ``box`` on the upright page image, line by line; a cell
    of one square glyph, and a leading glyph Tesseract reads as a look-alike of a mark,
    are read by their shape (``ocr_marks``)."""
    cv2, np = engine.cv2, engine.np
    crop = cell_crop(cv2, np, page, box, settings)
    if crop is None:
        return CellReading(text="", confidence=100.0)
    lines = text_lines(cv2, np, crop, settings)
    if len(lines) == 1 and _one_glyph(cv2, np, lines[0]):
        alone = classify_mark(cv2, np, _padded(cv2, lines[0], 4))
        if alone.mark is not None:
            return CellReading(text=alone.mark, confidence=alone.score, marks=(alone,))
    readings = [read_line_by_parts(engine, line, settings) for line in lines]
    marks: list[MarkReading] = []
    texts = [reading.text for reading in readings]
    if readings:
        texts[0], leading = with_leading_mark(cv2, np, lines[0], texts[0])
        if leading is not None:
            marks.append(leading)
    text = "\n".join(text for text in texts if text)
    symbols = tuple(symbol for reading in readings for symbol in reading.symbols)
    confidence = min((reading.confidence for reading in readings), default=0.0)
    raw = "\n".join(reading.text for reading in readings if reading.text)
    return CellReading(text=cleaned(text), confidence=confidence,
                       reading=Reading(text=raw, confidence=confidence, symbols=symbols),
                       marks=tuple(marks))


def with_leading_mark(cv2: Any, np: Any, line: Any, text: str
                      ) -> tuple[str, MarkReading | None]:
    """The line's text (as Tesseract read it, a space between glyphs) with its first
    glyph read by its shape where that is a mark: the look-alikes Tesseract read for it
    (or its one wrong character, 式 for ☆) replaced. The mark reading is returned where
    the glyph is a mark, or where Tesseract read a mark-like character and the shape
    decides nothing (undecided); None where the line starts with text."""
    glyph = first_glyph(np, line)
    height, width = glyph.shape
    marklike = text[:1] in MARKLIKE
    if not text or not 0.75 <= width / max(1, height) <= 1.33:
        return text, (MarkReading(None, 0.0, "not square") if marklike else None)
    mark = classify_mark(cv2, np, _padded(cv2, glyph, 4))
    if mark.mark is None:
        return text, (mark if marklike else None)
    if text[0] in LOOKALIKES:  # a legend's ◎・・・ keeps its dots, a label gets a space
        rest = text.lstrip("".join(LOOKALIKES) + " ")
        return mark.mark + ("" if rest.startswith("・") else "\u3000") + rest, mark
    if mark.mark == "☆" and text[0] in STARLIKE:  # Tesseract has no ☆
        return mark.mark + text[1:].lstrip(), mark
    return text, None  # a kanji of a bold heading can pass for a ring: only look-alikes


def first_glyph(np: Any, line: Any) -> Any:
    """The line's first glyph: its ink from the left up to the first blank column past
    half a line's height (a mark is one glyph, about as wide as the line is high)."""
    height = line.shape[0]
    inked = (line < 160).any(axis=0)
    start = int(np.argmax(inked))
    end = start + int(0.5 * height)
    while end < min(len(inked), start + int(1.3 * height)) and inked[end]:
        end += 1
    glyph = line[:, start:end]
    rows = np.nonzero((glyph < 160).any(axis=1))[0]
    return glyph[rows.min():rows.max() + 1] if len(rows) else glyph


def _one_glyph(cv2: Any, np: Any, line: Any) -> bool:
    height, width = line.shape
    return 0.7 <= width / height <= 1.4


def _padded(cv2: Any, image: Any, padding: int) -> Any:
    return cv2.copyMakeBorder(image, padding, padding, padding, padding,
                              cv2.BORDER_CONSTANT, value=255)


def read_line(engine: Engine, line: Any, settings: CellSettings) -> Reading:
    """One line of a cell, enlarged to the size Tesseract reads best, padded white."""
    cv2 = engine.cv2
    scaled = cv2.resize(line, None, fx=settings.scale, fy=settings.scale,
                        interpolation=cv2.INTER_CUBIC)
    p = settings.padding
    padded = cv2.copyMakeBorder(scaled, p, p, p, p, cv2.BORDER_CONSTANT, value=255)
    reading = engine.read(padded, single_line=True)
    if not reading.text:  # the line finder found no text: read the line raw
        reading = engine.read(padded, raw_line=True)
    return reading


def read_line_by_parts(engine: Engine, line: Any, settings: CellSettings) -> Reading:
    """One line of a cell, a circled number on it (1-1-①) read by its ring: the digits
    inside it. Read whole, a ring with a speck on it is read as @, a faint one as two
    characters (ぐ⑤); read alone, a short piece beside a ring may lose a character
    (-3-② for 1-3-②). So the text either side of each ring is read both ways, and where
    the two differ, the one with as many characters as the piece has glyphs is taken;
    the line's confidence is then the lower of the two readings'."""
    cv2, np = engine.cv2, engine.np
    whole = read_line(engine, line, settings)
    numbers: list[str] = []
    pieces: list[Any] = []
    confidences = [whole.confidence]
    start = 0
    for ring in rings_around_ink(cv2, np, line):
        p = settings.padding
        digits = engine.read(cv2.copyMakeBorder(ring.inside, p, p, p, p, cv2.BORDER_CONSTANT,
                                                value=255),
                             single_line=True, whitelist="0123456789")
        number = circled_number(digits.text)
        if number is None:  # ◎'s inner ring, say: no number there
            continue
        numbers.append(number)
        confidences.append(digits.confidence)
        pieces.append(line[:, start:ring.x0])
        start = ring.x1
    if not numbers:
        return whole
    pieces.append(line[:, start:])
    alone = [_text_of(engine, piece, settings) for piece in pieces]
    split = re.split(f" *([{CIRCLED_NUMBERS}]) *", whole.text)
    texts = [reading.text if reading else "" for reading in alone]
    if split[1::2] == numbers:
        texts = [_nearer_in_length(read, text, glyph_count(np, piece))
                 for read, text, piece in zip(split[::2], texts, pieces)]
    if "".join(texts + numbers).replace(" ", "") != whole.text.replace(" ", ""):
        confidences += [reading.confidence for reading in alone if reading]
    return Reading(text="".join(text + number for text, number in zip(texts, numbers + [""])),
                   confidence=min(confidences), symbols=whole.symbols)


def _text_of(engine: Engine, piece: Any, settings: CellSettings) -> Reading | None:
    """A piece of a line beside a ring, read alone; None where it holds no ink."""
    if piece.shape[1] == 0 or ink_box(engine.cv2, engine.np, piece, settings) is None:
        return None
    return read_line(engine, piece, settings)


def glyph_count(np: Any, piece: Any) -> int:
    """The runs of inked columns of a piece of a line: its glyphs, about (a kanji of
    two parts apart may count twice)."""
    inked = (piece < 160).any(axis=0) if piece.size else np.zeros(0, dtype=bool)
    return int(np.count_nonzero(inked[1:] & ~inked[:-1]) + (1 if len(inked) and inked[0] else 0))


def _nearer_in_length(whole: str, alone: str, glyphs: int) -> str:
    """Of two readings of one piece, the one whose length (spaces aside) is nearer its
    glyph count; the whole line's where they are as near."""
    if abs(len(alone.replace(" ", "")) - glyphs) < abs(len(whole.replace(" ", "")) - glyphs):
        return alone
    return whole


def cleaned(text: str) -> str:
    """OCR text as the PDF reader would give it: no spaces beside Japanese characters,
    lines kept, blank lines dropped."""
    lines = (_SPACE_BY_CJK.sub("", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
