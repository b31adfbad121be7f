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

# Japanese characters and full-width punctuation: no space belongs next to them.
_CJK = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef※○◎△×・「」（）"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")


@dataclass(frozen=True)
class CellSettings:
    """How a cell is cropped and what counts as ink in it (pixels at the page's dpi)."""

    margin: int = 3  # past the rule's middle, whose ink is already whitened
    padding: int = 16  # white around the ink, as Tesseract likes it
    min_ink_area: int = 12  # smaller specks are scanner noise, not a stroke
    scale: float = 2.0  # a 9 pt line at 300 dpi is 38 px high; Tesseract reads 60–80 best


@dataclass(frozen=True)
class CellReading:
    """A cell as read: its text ('' for blank) and confidence (100 for blank)."""

    text: str
    confidence: float
    reading: Reading | None = None  # None: blank, nothing was read


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
    inside = page[top + m:bottom - m, x0 + m:x1 - m]
    ink = ink_box(cv2, np, inside, settings)
    if ink is None:
        return None
    ix0, itop, ix1, ibottom = ink
    return inside[itop:ibottom, ix0:ix1]


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
    """The text of the cell at ``box`` on the upright page image, line by line."""
    cv2, np = engine.cv2, engine.np
    crop = cell_crop(cv2, np, page, box, settings)
    if crop is None:
        return CellReading(text="", confidence=100.0)
    readings = [read_line(engine, line, settings) for line in text_lines(cv2, np, crop, settings)]
    text = "\n".join(reading.text for reading in readings if reading.text)
    symbols = tuple(symbol for reading in readings for symbol in reading.symbols)
    confidence = min((reading.confidence for reading in readings), default=0.0)
    reading = Reading(text=text, confidence=confidence, symbols=symbols)
    return CellReading(text=cleaned(text), confidence=confidence, reading=reading)


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


def cleaned(text: str) -> str:
    """OCR text as the PDF reader would give it: no spaces beside Japanese characters,
    lines kept, blank lines dropped."""
    lines = (_SPACE_BY_CJK.sub("", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
