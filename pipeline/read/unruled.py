"""Tables laid out without rules: which text lines form one, and how wrapped lines fold.

Pure geometry on pdfplumber's line dicts and on Grids; ``read/pdf.py`` crops the
page to each run of lines found here and reads it with pdfplumber's "text" strategy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.records import BBox, Cell, Grid


def join_wrapped_rows(grid: Grid, wrapped_tops: list[float], tolerance: float) -> Grid:
    """Fold each row that holds a wrapped line into the row above, as a ruled cell has it."""
    rows: list[tuple[Cell, ...]] = []
    for row in grid.rows:
        top = min((cell.bbox[1] for cell in row if cell.bbox), default=None)
        if rows and top is not None and any(abs(top - t) <= tolerance for t in wrapped_tops):
            rows[-1] = tuple(_join_cells(above, below) for above, below in zip(rows[-1], row))
        else:
            rows.append(row)
    return Grid(rows=tuple(rows), page=grid.page)


def _join_cells(above: Cell, below: Cell) -> Cell:
    if below.is_blank or below.bbox is None:
        return above
    text = f"{above.text}\n{below.text}" if not above.is_blank else below.text
    return Cell(text=text, page=above.page, bbox=union((above.bbox, below.bbox)))


def union(boxes: Iterable[BBox | None]) -> BBox:
    present = [box for box in boxes if box is not None]
    return (min(b[0] for b in present), min(b[1] for b in present),
            max(b[2] for b in present), max(b[3] for b in present))


def column_gap_runs(lines: list[dict[str, Any]], gap_ratio: float) -> list[list[int]]:
    """Indexes of runs of two or more consecutive lines with a column gap."""
    gapped = [has_column_gap(line, gap_ratio) for line in lines]
    runs: list[list[int]] = []
    current: list[int] = []
    for i, has_gap in enumerate(gapped):
        # A line without a gap between two with one is a wrapped cell's second line,
        # unless it starts left of the table: then it is a heading between two tables.
        wrapped = (bool(current) and 0 < i < len(lines) - 1 and gapped[i - 1]
                   and gapped[i + 1] and lines[i]["x0"] >= min(lines[j]["x0"] for j in current) - 1)
        if has_gap or wrapped:
            current.append(i)
            continue
        if len(current) >= 2:
            runs.append(current)
        current = []
    if len(current) >= 2:
        runs.append(current)
    return runs


def has_column_gap(line: dict[str, Any], gap_ratio: float) -> bool:
    glyphs = [char for char in line["chars"] if not char["text"].isspace()]
    return any(after["x0"] - before["x1"] > gap_ratio * before["size"]
               for before, after in zip(glyphs, glyphs[1:]))
