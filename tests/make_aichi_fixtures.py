"""Write the .xlsx renderings of the 愛知-like fixtures from their text.

    python tests/make_aichi_fixtures.py

tests/fixtures/aichi_like_fy2023.txt and _fy2024.txt are the source: a made-up
prefecture's (東海県) IT-plan follow-up, laid out as 愛知県's あいちITプラン フォローアップ
is. Each becomes one sheet as a prefecture's office keeps it: paragraphs in column A, the
tables ruled, a 柱 heading merged over the width of the table under it, and a 事業's 番号,
事業名 and 所管課 cells merged down over the rows of its further 評価指標. A value cell of
one number is stored as a number with the format that shows it as printed (the cell
writer of tests/make_gunma_fixtures.py: 105.0% is 1.05 in "0.0%", 1,310人 is 1310 in
'#,##0"人"'). Reading a workbook back gives the text's grids, a merged cell's covered
parts None where the text has "" (tests/tidy/test_profile_aichi.py checks it).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from make_gunma_fixtures import blocks_to_workbook, write_cell
from pipeline.read.text import text_to_document
from pipeline.records import Grid, Paragraph

FIXTURES = Path(__file__).parent / "fixtures"
EDITIONS = ("aichi_like_fy2023", "aichi_like_fy2024")
SHEET = "フォローアップ"
WIDTHS = (8.0, 26.0, 18.0, 36.0, 16.0, 16.0, 10.0, 8.0)  # Excel widths of columns A–H
SAVED = datetime(2024, 7, 1, 9, 0)  # fixed, so that a rerun writes the same workbook
MERGED_DOWN = 3  # 番号, 事業名, 所管課: the 事業's cells over its indicators' rows
_RULE = Side(style="thin")
_BORDER = Border(left=_RULE, right=_RULE, top=_RULE, bottom=_RULE)
_PILLAR = re.compile(r"^柱\s*\d+")


def write_grid(sheet: Worksheet, top: int, grid: Grid) -> None:
    """The grid's rows from row ``top``, ruled, with a real sheet's merges."""
    texts = [[cell.text or "" for cell in row] for row in grid.rows]
    for r, row in enumerate(texts):
        for c, printed in enumerate(row):
            write_cell(sheet, top + r, 1 + c, printed)
            sheet.cell(row=top + r, column=1 + c).border = _BORDER
            sheet.cell(row=top + r, column=1 + c).alignment = Alignment(wrap_text=True,
                                                                        vertical="center")
    if texts[0][0] != "番号":
        return
    for r in range(1, len(texts)):
        if not texts[r][0]:
            continue
        last = r
        while last + 1 < len(texts) and not any(texts[last + 1][:MERGED_DOWN]):
            last += 1
        for c in range(MERGED_DOWN) if last > r else ():
            sheet.merge_cells(start_row=top + r, end_row=top + last, start_column=1 + c,
                              end_column=1 + c)


def text_to_workbook(text: str, source: str) -> Workbook:
    """One sheet: every block of the text's document, a blank row between blocks."""
    return blocks_to_workbook(text, source, SHEET, WIDTHS, _PILLAR, write_grid, SAVED)


def main() -> None:
    for edition in EDITIONS:
        source = FIXTURES / f"{edition}.txt"
        book = text_to_workbook(source.read_text(encoding="utf-8"), source.name)
        book.save(FIXTURES / f"{edition}.xlsx")


if __name__ == "__main__":
    main()
