"""pdfplumber's table finder, with its cell step made linear in the rules' crossings.

pdfplumber's ``intersections_to_cells`` scans every later crossing for each crossing
and rebuilds the sets of edges through a crossing at every comparison: on a ruled
attachment page that is a third of the page's reading once pdfium parses it. Here the
edge sets are built once and the crossings below and to the right of each are looked up
by column and by row; the search and its order are pdfplumber's, so the cells — and the
tables built from them by pdfplumber's own ``cells_to_tables`` — are identical
(tests/read/test_table_text.py compares them on every page of every PDF the tests have).
pdfplumber's version is pinned (pyproject.toml), as ``TableFinder.__init__`` is
followed step for step.
"""

from __future__ import annotations

from typing import Any

from pdfplumber.table import (
    Table,
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
)
from pdfplumber.utils import obj_to_bbox

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def find_tables(page: Any, settings: dict[str, Any]) -> list[Table]:
    """``page.find_tables(settings)``."""
    return _Finder(page, TableSettings.resolve(settings)).tables


class _Finder(TableFinder):
    def __init__(self, page: Any, settings: TableSettings) -> None:
        # TableFinder.__init__, but for the cell step
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance,
            self.settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def intersections_to_cells(intersections: dict[Point, dict[str, list[dict[str, Any]]]]
                           ) -> list[Box]:
    """pdfplumber's cells: for each crossing in sorted order, the first crossing below it
    and the first to its right (nearest first) that it shares a rule with and that close
    a rectangle with a fourth crossing joined to both."""
    vertical = {p: {obj_to_bbox(edge) for edge in edges["v"]} for p, edges in intersections.items()}
    horizontal = {p: {obj_to_bbox(edge) for edge in edges["h"]}
                  for p, edges in intersections.items()}

    def connects(p1: Point, p2: Point) -> bool:
        return ((p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]))
                or (p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2])))

    points = sorted(intersections)
    columns: dict[float, list[Point]] = {}
    rows: dict[float, list[Point]] = {}
    for point in points:  # each list in sorted order: down a column, along a row
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    place_in_column = {p: i for column in columns.values() for i, p in enumerate(column)}
    place_in_row = {p: i for row in rows.values() for i, p in enumerate(row)}
    cells: list[Box] = []
    for point in points:
        below = columns[point[0]][place_in_column[point] + 1:]
        right = rows[point[1]][place_in_row[point] + 1:]
        cell = _smallest_cell(point, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point: Point, below: list[Point], right: list[Point],
                   intersections: dict[Point, Any], connects: Any) -> Box | None:
    for below_point in below:
        if not connects(point, below_point):
            continue
        for right_point in right:
            if not connects(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if (corner in intersections and connects(corner, right_point)
                    and connects(corner, below_point)):
                return (point[0], point[1], corner[0], corner[1])
    return None
