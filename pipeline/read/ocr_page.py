"""The OCR page source: a scanned page's image → the blocks the PDF reader gives a text page.

image (``pdfium_source.page_image``) → upright (``ocr_image.upright``) → ruled tables'
cells (``ocr_image.find_table_cells``) → each cell read (``ocr_cells.read_cell``) and
corrected (``ocr_vocabulary``) → one ``Grid`` per table; the text outside the tables
(title, goal lines, legend, footnotes) is read as lines, one ``Paragraph`` each; all in
reading order, boxes in PDF points. Every reading keeps its doubt (``OcrCell``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.read.ocr_cells import (
    CellReading,
    CellSettings,
    cleaned,
    read_cell,
    with_leading_mark,
)
from pipeline.read.ocr_engine import Engine
from pipeline.read.ocr_image import GridSettings, PixelBox, TableCells, find_table_cells, upright
from pipeline.read.ocr_marks import MarkReading
from pipeline.read.ocr_vocabulary import Correction, ReportWords, corrected
from pipeline.read.pdfium_source import PageImage
from pipeline.records import BBox, Block, Cell, Grid, Paragraph


@dataclass(frozen=True)
class OcrCell:
    """One OCR'd cell or line, where it came from and how sure the reading is: the
    doubt that a warning carries to the user. ``table`` is None for a line outside
    the tables (``row`` is then its line number on the page)."""

    page: int
    table: int | None  # 1-based, on its page
    row: int  # 1-based, in its table (or the line on the page)
    column: int | None  # 1-based
    read: str  # what the engine read
    text: str  # what it was taken to be
    confidence: float  # the engine's (or the mark's shape score), 0–100
    bbox: BBox | None = None  # in PDF points, on the page
    corrections: tuple[Correction, ...] = ()
    undecided: MarkReading | None = None  # a mark its shape did not decide


@dataclass
class OcrPage:
    """One page read by OCR: its blocks in reading order, each reading, the skew."""

    blocks: list[tuple[BBox, Block]]
    cells: list[OcrCell] = field(default_factory=list)
    skew_degrees: float = 0.0


def ocr_page(engine: Engine, image: PageImage, page_no: int, words: ReportWords | None = None,
             grid: GridSettings | None = None, cell: CellSettings | None = None) -> OcrPage:
    """Read one page image into grids and paragraphs; ``words``: the cells the report's
    earlier pages read with confidence (counted on here too)."""
    words = ReportWords() if words is None else words
    grid = grid or GridSettings(dpi=image.image.width * 72 / image.width_pt)
    cell = cell or CellSettings()
    cv2, np = engine.cv2, engine.np
    pixels, angle = upright(cv2, np, np.asarray(image.image), grid)
    scale = image.width_pt / pixels.shape[1]
    result = OcrPage(blocks=[], skew_degrees=angle)
    found = find_table_cells(cv2, np, pixels, grid)
    for number, table in enumerate(found.tables, start=1):
        rows = []
        for row_no, row in enumerate(table.rows, start=1):
            cells = []
            for column, box in enumerate(row, start=1):
                if box is None:
                    cells.append(Cell(text=None, page=page_no))
                    continue
                reading = read_cell(engine, found.text_image, box, cell)
                points = _points(box, scale)
                text, doubt = _taken(reading, page_no, number, row_no, column, points, words)
                cells.append(Cell(text=text, page=page_no, bbox=points))
                if doubt is not None:
                    result.cells.append(doubt)
            rows.append(tuple(cells))
        result.blocks.append((_points(table.bbox, scale), Grid(rows=tuple(rows), page=page_no)))
    lines = one_line_each(engine.lines(_without_tables(found.text_image, found.tables)))
    for line_no, (read, confidence, box) in enumerate(lines, start=1):
        text, doubt = _line_taken(engine, found.text_image, read, confidence, box,
                                  page_no, line_no, _points(box, scale))
        result.cells.append(doubt)
        result.blocks.append((_points(box, scale), Paragraph(text=text, page=page_no)))
    result.blocks.sort(key=lambda block: (block[0][1], block[0][0]))
    return result


def _taken(reading: CellReading, page: int, table: int, row: int, column: int,
           bbox: BBox, words: ReportWords) -> tuple[str, OcrCell | None]:
    """A cell's text as taken (corrected), and its reading's record (None: blank)."""
    if reading.reading is None and not reading.marks:
        return reading.text, None
    text, corrections = corrected(reading.text, reading.confidence)
    if all(correction.why == "a bracketed keyword is closed" for correction in corrections):
        words.add(text, reading.confidence)
    nearest = words.nearest(text, reading.confidence)
    if nearest is not None:
        text = nearest.taken
        corrections.append(nearest)
    read = reading.reading.text if reading.reading is not None else reading.text
    return text, OcrCell(page, table, row, column, read, text, reading.confidence, bbox,
                         tuple(corrections), reading.undecided)


def _line_taken(engine: Engine, image: Any, read: str, confidence: float,
                box: tuple[int, int, int, int], page: int, line_no: int, bbox: BBox
                ) -> tuple[str, OcrCell]:
    """A text line outside the tables as taken: a leading mark read by its shape (a
    legend's ◎・・・), then corrected."""
    text, undecided = cleaned(read), None
    x0, top, x1, bottom = box
    marked, mark = with_leading_mark(engine.cv2, engine.np, image[top:bottom, x0:x1], read)
    # A heading's number keeps its space (3 今後の予定): without it the heading reads as
    # the last footnote's next line.
    text = _NUMBERED.sub(r"\1 ", cleaned(marked))
    undecided = mark if mark is not None and mark.mark is None else None
    taken, corrections = corrected(text, confidence)
    return taken, OcrCell(page, None, line_no, None, read, taken, confidence, bbox,
                          tuple(corrections), undecided)


_NUMBERED = re.compile(r"^(\d{1,2})(?=[\u3040-\u30ff\u4e00-\u9fff])")


def one_line_each(lines: list[tuple[str, float, tuple[int, int, int, int]]]
                  ) -> list[tuple[str, float, tuple[int, int, int, int]]]:
    """Tesseract's lines with the pieces of one printed line joined, left to right: it
    splits a long line at a wide gap, and a legend entry must stay one line."""
    joined: list[tuple[str, float, tuple[int, int, int, int]]] = []
    for text, confidence, box in sorted(lines, key=lambda line: (line[2][1], line[2][0])):
        for index, (other, sure, (x0, top, x1, bottom)) in enumerate(joined):
            overlap = min(bottom, box[3]) - max(top, box[1])
            if overlap >= 0.6 * min(bottom - top, box[3] - box[1]) and box[0] >= x1:
                joined[index] = (other + " " + text, min(sure, confidence),
                                 (x0, min(top, box[1]), box[2], max(bottom, box[3])))
                break
        else:
            joined.append((text, confidence, box))
    return sorted(joined, key=lambda line: (line[2][1], line[2][0]))


def _without_tables(pixels: Any, tables: list[TableCells]) -> Any:
    blank = pixels.copy()
    for table in tables:
        x0, top, x1, bottom = table.bbox
        blank[max(0, top - 6):bottom + 6, max(0, x0 - 6):x1 + 6] = 255
    return blank


def _points(box: PixelBox | tuple[int, int, int, int], scale: float) -> BBox:
    x0, top, x1, bottom = (round(value * scale, 2) for value in box)
    return (x0, top, x1, bottom)
