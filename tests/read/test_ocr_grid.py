"""The OCR grid on made-up page images: ruling lines found at each scan resolution."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.read.ocr_image import GridSettings, find_table_cells


def _ruled_page(dpi: int, rows: int, columns: int, rule_px: int) -> np.ndarray:
    """A page image of one table, rows × columns of 0.4 × 1.5 inch cells, its rules
    ``rule_px`` pixels thick, a word's worth of ink in each cell (so that Otsu's
    threshold falls between ink and paper, not between paper and a rule's halo), blurred
    as a copier blurs it (σ 0.5 px)."""
    inch = dpi
    page = np.full((int(2.5 * inch + rows * 0.4 * inch), int(2 * inch + columns * 1.5 * inch)),
                   252, np.uint8)
    left, top = inch, inch
    right, bottom = left + int(columns * 1.5 * inch), top + int(rows * 0.4 * inch)
    for row in range(rows + 1):
        y = top + int(row * 0.4 * inch)
        cv2.line(page, (left, y), (right, y), 40, rule_px)
    for column in range(columns + 1):
        x = left + int(column * 1.5 * inch)
        cv2.line(page, (x, top), (x, bottom), 40, rule_px)
    for row in range(rows):
        for column in range(columns):
            x, y = left + int((column + 0.2) * 1.5 * inch), top + int((row + 0.3) * 0.4 * inch)
            cv2.rectangle(page, (x, y), (x + int(0.6 * inch), y + int(0.15 * inch)), 40, -1)
    return cv2.GaussianBlur(page, (0, 0), 0.5)


@pytest.mark.parametrize(("dpi", "rule_px"), [(300, 2), (200, 1), (150, 1)])
def test_a_thin_rule_is_found_at_each_resolution(dpi, rule_px):
    # A 0.25 pt rule is one pixel at 200 dpi: a median filter before the threshold
    # turns it into paper, and two rows read as one cell.
    found = find_table_cells(cv2, np, _ruled_page(dpi, 4, 3, rule_px), GridSettings(dpi=dpi))
    assert [(len(table.rows), len(table.rows[0])) for table in found.tables] == [(4, 3)]


def test_two_kanji_strokes_one_above_the_other_do_not_split_a_cell():
    # LibreOffice's tight lines put 開 over 件: their strokes make a run as long as a
    # rule, a few pixels short of the cell's rules at either end.
    dpi = 300
    page = _ruled_page(dpi, 2, 2, 2)
    x, top, bottom = dpi + int(0.5 * dpi), dpi + int(0.4 * dpi), dpi + int(0.8 * dpi)
    cv2.line(page, (x, top + 9), (x, bottom - 9), 40, 3)
    found = find_table_cells(cv2, np, page, GridSettings(dpi=dpi))
    assert [(len(table.rows), len(table.rows[0])) for table in found.tables] == [(2, 2)]
