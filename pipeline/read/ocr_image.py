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
    # A rule is a run of ink longer than this (inches). Down: longer than any stroke of
    # text at report sizes (a 12 pt glyph is 0.17 in) and shorter than a one-line row.
    # Across: longer than the strokes of three glyphs side by side, which blur joins
    # (業務改善), and shorter than the narrowest cell (a status column, 0.38 in).
    min_rule_down: float = 0.2
    min_rule_across: float = 0.34
    # Rules this close (inches) are one rule: the two sides of one blurred rule. Small:
    # pdfplumber's snap chains edges, and text strokes near a rule would drag it.
    snap: float = 0.02
    # A speck may cut a rule: pieces this close (inches) in line are one rule.
    join: float = 0.07
    # A rule's end meets the rule it runs into within this (inches): measured, within a
    # pixel on every scan here. Small, as the strokes of two kanji one above the other
    # in a cell (開 over 件, LibreOffice's tight lines) make a run as long as a rule,
    # ending a few pixels short of the cell's rules: it must not split the cell.
    meet: float = 0.02
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
    """Ink as 255, paper as 0, by Otsu's threshold. No median filter before it: at 200 dpi
    a thin rule is one dark pixel between lighter ones, which a 3×3 median turns into
    paper; the specks it would take out are no long run, so the rules' opening drops them."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    result: Any = ink.astype(np.uint8)
    return result


def without_specks(cv2: Any, np: Any, grey: Any, largest_speck: int = 6) -> Any:
    """A mask of the ink and its blurred edge, scanner specks left out: every pixel
    darker than half-way from Otsu's threshold to white, in a blob bigger than a speck.
    (Otsu's threshold itself breaks a thin, blurred ring such as ○ into arcs.)"""
    threshold, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    faint = ((grey < (threshold + 255) / 2) * 255).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(faint, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] > largest_speck
    keep[0] = False
    mask: Any = keep[labels]
    return cv2.dilate(mask.astype(np.uint8) * 255,
                      cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def rule_masks(cv2: Any, ink: Any, settings: GridSettings) -> tuple[Any, Any]:
    """(horizontal, vertical) masks of the ink runs longer than a rule's minimum."""
    # A small closing bridges the gaps speckle and blur leave in a thin rule, not the
    # gaps between glyphs.
    across = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    horizontal = cv2.morphologyEx(across, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (settings.px(settings.min_rule_across), 1)))
    vertical = cv2.morphologyEx(down, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (1, settings.px(settings.min_rule_down))))
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


@dataclass(frozen=True)
class PageTables:
    """The ruled tables found on an upright page image, and the image without its rules
    (what the cells and the lines outside the tables are read from)."""

    tables: list[TableCells]
    text_image: Any


def find_table_cells(cv2: Any, np: Any, grey: Any, settings: GridSettings) -> PageTables:
    """The ruled tables of an upright page image, each as rows of cell boxes."""
    ink = binarised(cv2, np, grey)
    horizontal, vertical = rule_masks(cv2, ink, settings)
    snap, join = settings.px(settings.snap), settings.px(settings.join)
    meet = settings.px(settings.meet)
    edges = merge_edges(rule_edges(cv2, horizontal, "h") + rule_edges(cv2, vertical, "v"),
                        snap, snap, join, join)
    groups = _cell_groups(edges, meet)
    # A merged cell running on to the next page may be printed without its bottom rule
    # (as the PDF reader's find_ruled_tables knows): each table's outline closes it.
    if any(_has_holes(group) for group in groups):
        outlines = [edge for group in groups for edge in _outline_edges(group)]
        groups = _cell_groups(merge_edges(edges + outlines, snap, snap, join, join), meet)
    tables = []
    for group in groups:
        boxes = [_pixel_box(box) for box in group]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))
        tables.append(TableCells(bbox=bbox, rows=cell_rows(boxes)))
    # A rule's blurred fringe is wider than its mask: whiten a little around it. Only
    # along the cells' sides: a bold heading's strokes can pass for a short rule.
    rules = cv2.dilate(cv2.bitwise_or(horizontal, vertical),
                       cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    sides = np.zeros_like(rules)
    for table in tables:
        for row in table.rows:
            for box in row:
                if box is not None:
                    cv2.rectangle(sides, box[:2], box[2:], 255, thickness=2 * snap + 1)
    rules = cv2.bitwise_and(rules, sides)
    text_image = grey.copy()
    near_ink = without_specks(cv2, np, grey)
    text_image[(rules > 0) | (near_ink == 0)] = 255
    return PageTables(tables=tables, text_image=text_image)


def _cell_groups(edges: list[dict[str, Any]], tolerance: int) -> list[list[tuple[float, ...]]]:
    intersections = edges_to_intersections(edges, tolerance, tolerance)
    return [[tuple(cell) for cell in group]
            for group in cells_to_tables(intersections_to_cells(intersections))]


def _bounds(group: list[tuple[float, ...]]) -> tuple[float, float, float, float]:
    return (min(c[0] for c in group), min(c[1] for c in group),
            max(c[2] for c in group), max(c[3] for c in group))


def _has_holes(group: list[tuple[float, ...]]) -> bool:
    # Cells never overlap, so they tile the table's box unless one is missing.
    x0, top, x1, bottom = _bounds(group)
    covered = sum((c[2] - c[0]) * (c[3] - c[1]) for c in group)
    return (x1 - x0) * (bottom - top) - covered > 1.0


def _outline_edges(group: list[tuple[float, ...]]) -> list[dict[str, Any]]:
    x0, top, x1, bottom = _bounds(group)
    return ([{"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y,
              "width": x1 - x0, "height": 0.0} for y in (top, bottom)]
            + [{"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
                "width": 0.0, "height": bottom - top} for x in (x0, x1)])


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
