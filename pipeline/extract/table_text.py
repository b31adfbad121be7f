"""The text of each cell of a pdfplumber table, as ``Table.extract`` gives it, faster.

``Table.extract`` tests every char of the page against every row's box: once pdfium
parses a page in a few milliseconds, that quadratic step costs as much as parsing. Here
the chars are sorted once by their vertical middle, each row takes its slice by bisection,
and every cell then applies pdfplumber's own test (middle inside the box, right and
bottom edges open) to the row's chars, in the page's order: the same chars reach
pdfplumber's ``extract_text`` in the same order, so the text is identical
(tests/test_pdfium_backend.py compares the two on every table of the sample).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from pdfplumber.utils import extract_text


def table_cell_texts(table: Any, **text_settings: Any) -> list[list[str | None]]:
    """``table.extract(**text_settings)``: a row of texts per row, None for no cell."""
    chars = table.page.chars
    # pdfplumber's own arithmetic, once per char: (across, down, char) middles.
    middles = [((char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2, char)
               for char in chars]
    order = sorted(range(len(chars)), key=lambda i: middles[i][1])
    downs = [middles[i][1] for i in order]
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        band = sorted(order[bisect_left(downs, top):bisect_left(downs, bottom)])
        row_chars = [middles[i] for i in band if x0 <= middles[i][0] < x1]
        rows.append([None if cell is None else _cell_text(row_chars, cell, text_settings)
                     for cell in row.cells])
    return rows


def _cell_text(row_chars: list[tuple[float, float, dict[str, Any]]], cell: tuple[float, ...],
               text_settings: dict[str, Any]) -> str:
    x0, top, x1, bottom = cell
    inside = [char for across, down, char in row_chars
              if x0 <= across < x1 and top <= down < bottom]
    return extract_text(inside, **text_settings) if inside else ""
