"""The OCR page source: a scanned page's image → the blocks the PDF reader gives a text page.

image (``pdfium_source.page_image``) → upright (``ocr_image.upright``) → ruled tables'
cells (``ocr_image.find_table_cells``) → each cell read (``ocr_cells.read_cell``) → one
``Grid`` per table; the text outside the tables (title, goal lines, legend, footnotes) is
read as lines, one ``Paragraph`` each; all in reading order, boxes in PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.read.ocr_cells import CellSettings, cleaned, read_cell
from pipeline.read.ocr_engine import Engine
from pipeline.read.ocr_image import GridSettings, PixelBox, TableCells, find_table_cells, upright
from pipeline.read.pdfium_source import PageImage
from pipeline.records import BBox, Block, Cell, Grid, Paragraph


@dataclass(frozen=True)
class OcrCell:
    """Where an OCR'd cell came from and how sure the engine was: the doubt that a
    warning carries to the user."""

    page: int
    table: int  # 1-based, on its page
    row: int  # 1-based, in its table
    column: int  # 1-based
    read: str  # what the engine read
    text: str  # what the cell was taken to be
    confidence: float


@dataclass
class OcrPage:
    """One page read by OCR: its blocks in reading order, each cell's reading, the skew."""

    blocks: list[tuple[BBox, Block]]
    cells: list[OcrCell] = field(default_factory=list)
    skew_degrees: float = 0.0


def ocr_page(engine: Engine, image: PageImage, page_no: int,
             grid: GridSettings | None = None, cell: CellSettings | None = None) -> OcrPage:
    """Read one page image into grids and paragraphs."""
    grid = grid or GridSettings(dpi=image.image.width * 72 / image.width_pt)
    cell = cell or CellSettings()
    cv2, np = engine.cv2, engine.np
    pixels, angle = upright(cv2, np, np.asarray(image.image), grid)
    scale = image.width_pt / pixels.shape[1]
    result = OcrPage(blocks=[], skew_degrees=angle)
    found = find_table_cells(cv2, np, pixels, grid)
    tables, text_image = found.tables, found.text_image
    for number, table in enumerate(tables, start=1):
        rows = []
        for row_no, row in enumerate(table.rows, start=1):
            cells = []
            for column, box in enumerate(row, start=1):
                if box is None:
                    cells.append(Cell(text=None, page=page_no))
                    continue
                reading = read_cell(engine, text_image, box, cell)
                cells.append(Cell(text=reading.text, page=page_no, bbox=_points(box, scale)))
                if reading.reading is not None:
                    result.cells.append(OcrCell(page_no, number, row_no, column,
                                                reading.reading.text, reading.text,
                                                reading.confidence))
            rows.append(tuple(cells))
        result.blocks.append((_points(table.bbox, scale), Grid(rows=tuple(rows), page=page_no)))
    for text, _confidence, box in engine.lines(_without_tables(text_image, tables)):
        result.blocks.append((_points(box, scale), Paragraph(text=cleaned(text), page=page_no)))
    result.blocks.sort(key=lambda block: (block[0][1], block[0][0]))
    return result


def _without_tables(pixels: Any, tables: list[TableCells]) -> Any:
    blank = pixels.copy()
    for table in tables:
        x0, top, x1, bottom = table.bbox
        blank[max(0, top - 6):bottom + 6, max(0, x0 - 6):x1 + 6] = 255
    return blank


def _points(box: PixelBox | tuple[int, int, int, int], scale: float) -> BBox:
    x0, top, x1, bottom = (round(value * scale, 2) for value in box)
    return (x0, top, x1, bottom)
