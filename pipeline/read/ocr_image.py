"""A scanned page's image → upright, binarised, and its ruled tables' cells (OCR's first step).

The grid is found the way pdfplumber finds it on a text page, from the rules alone: long
horizontal and vertical runs of ink are opened out of the binarised image (morphology),
each run becomes an edge, and pdfplumber's own edge, crossing and cell steps make the
cells, a merged cell wherever a rule is missing. Everything here is in image pixels;
``ocr_page.py`` turns boxes into PDF points. numpy and OpenCV are imported by the caller
(``ocr_engine.load``), never at import time of the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pdfplumber.table import cells_to_tables, edges_to_intersections, merge_edges

from pipeline.read.table_finder import intersections_to_cells

PixelBox = tuple[int, int, int, int]  # x0, top, x1, bottom in image pixels


@dataclass(frozen=True)
class GridSettings:
    """How rules are told from text on a page image of ``dpi`` dots per inch."""

    dpi: float = 300.0
    # A rule is a run of ink longer than this (inches): longer than any stroke of text
    # at report sizes (a 12 pt glyph is 0.17 in), shorter than the shortest cell side.
    min_rule: float = 0.2
    # Rules this close (inches) are one rule, as pdfplumber's 3 pt snap on a text page.
    snap: float = 3 / 72
    max_skew_degrees: float = 3.0  # a page turned further is not straightened by guesswork

    def px(self, inches: float) -> int:
        """Inches → whole pixels at this resolution (at least 1)."""
        return max(1, round(inches * self.dpi))


@dataclass(frozen=True)
class TableCells:
    """One ruled table found on the image: its box and rows of cell boxes (None where a
    merged cell covers a position, as pdfplumber's ``Table.rows`` gives them)."""

    bbox: PixelBox
    rows: tuple[tuple[PixelBox | None, ...], ...]


def binarised(cv2: Any, np: Any, grey: Any) -> Any:
    """Ink as 255, paper as 0: Otsu's threshold after a median filter takes the speckle."""
    smooth = cv2.medianBlur(grey, 3)
    _, ink = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    result: Any = ink.astype(np.uint8)
    return result


def rule_masks(cv2: Any, ink: Any, settings: GridSettings) -> tuple[Any, Any]:
    """(horizontal, vertical) masks of the ink runs longer than ``min_rule``."""
    length = settings.px(settings.min_rule)
    # Closing first bridges the gaps blur and speckle leave in a thin rule.
    across = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    horizontal = cv2.morphologyEx(across, cv2.MORPH_OPEN,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(down, cv2.MORPH_OPEN,
                                cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return horizontal, vertical


def skew_degrees(cv2: Any, np: Any, grey: Any, settings: GridSettings) -> float:
    """The page's turn in degrees (positive: counter-clockwise), from its long horizontal
    rules, or from its text lines where it has none; 0 when it cannot be told."""
    ink = binarised(cv2, np, grey)
    horizontal, _ = rule_masks(cv2, ink, settings)
    angles: list[tuple[float, float]] = []  # (angle, weight)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    for label in range(1, count):
        x, y, w, h = stats[label][:4]
        if w < settings.px(1.0):
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == label)
        slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
        angles.append((float(np.degrees(np.arctan(slope))), float(w)))
    if not angles:
        return 0.0
    values = np.array([a for a, _ in angles])
    weights = np.array([w for _, w in angles])
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    median = float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return median if abs(median) <= settings.max_skew_degrees else 0.0


def upright(cv2: Any, np: Any, grey: Any, settings: GridSettings) -> tuple[Any, float]:
    """The page turned straight, white where the turn brings in paper; and the angle."""
    angle = skew_degrees(cv2, np, grey, settings)
    if abs(angle) < 0.02:  # under a pixel across an A3 page
        return grey, angle
    height, width = grey.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(grey, matrix, (width, height), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return turned, angle


def rule_edges(cv2: Any, mask: Any, orientation: str) -> list[dict[str, Any]]:
    """Each run of a rule mask as a pdfplumber edge (pixel coordinates)."""
    edges: list[dict[str, Any]] = []
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label][:4])
        if orientation == "h":
            middle = y + h / 2
            edges.append({"orientation": "h", "x0": float(x), "x1": float(x + w),
                          "top": middle, "bottom": middle, "width": float(w), "height": 0.0})
        else:
            middle = x + w / 2
            edges.append({"orientation": "v", "x0": middle, "x1": middle, "top": float(y),
                          "bottom": float(y + h), "width": 0.0, "height": float(h)})
    return edges


def find_table_cells(cv2: Any, np: Any, grey: Any, settings: GridSettings
                     ) -> list[TableCells]:
    """The ruled tables of an upright page image, each as rows of cell boxes."""
    horizontal, vertical = rule_masks(cv2, binarised(cv2, np, grey), settings)
    snap = settings.px(settings.snap)
    edges = merge_edges(rule_edges(cv2, horizontal, "h") + rule_edges(cv2, vertical, "v"),
                        snap, snap, snap, snap)
    intersections = edges_to_intersections(edges, snap, snap)
    cells = intersections_to_cells(intersections)
    tables = []
    for group in cells_to_tables(cells):
        boxes = [_pixel_box(box) for box in group]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))
        tables.append(TableCells(bbox=bbox, rows=cell_rows(boxes)))
    return tables


def cell_rows(boxes: list[PixelBox]) -> tuple[tuple[PixelBox | None, ...], ...]:
    """Cells as rows, as pdfplumber's ``Table.rows``: a row per distinct top, a column
    per distinct left edge, None where no cell starts there (a merged cell covers it)."""
    lefts = sorted({box[0] for box in boxes})
    rows: dict[int, dict[int, PixelBox]] = {}
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        rows.setdefault(box[1], {})[box[0]] = box
    return tuple(tuple(row.get(left) for left in lefts) for _, row in sorted(rows.items()))


def _pixel_box(box: tuple[float, ...]) -> PixelBox:
    x0, top, x1, bottom = (round(float(value)) for value in box)
    return (x0, top, x1, bottom)
