"""Write the .xlsx renderings of the 群馬-like fixtures from their text.

    python tests/make_gunma_fixtures.py

tests/fixtures/gunma_like_fy2019.txt and _fy2020.txt are the source: a made-up
prefecture's (架空県) progress report, laid out as 群馬県's 情報化推進計画の進捗状況 is.
Each becomes one sheet as a prefecture's office keeps it: paragraphs in column A, the
tables ruled, and merged where such a sheet merges them — a 基本目標 heading over the
table's width, the header cells that have no year (項目, 指標, 指標の評価) over both header
rows, a policy row "(1) …" over the table's width, and a measure's 項目 cell down over
the rows of its further indicators. A value cell holding one number is stored as a
number with the format that shows it as printed (41.0% is 0.41 in "0.0%", 1,234件 is
1234 in '#,##0"件"'); a cell with a year or two values in it stays text. Reading a
workbook back gives the text's grids, a merged cell's covered parts None where the text
has "" (tests/tidy/test_profile_gunma.py checks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.read.cell_text import display_text
from pipeline.read.text import text_to_document
from pipeline.records import Grid, Paragraph

FIXTURES = Path(__file__).parent / "fixtures"
EDITIONS = ("gunma_like_fy2019", "gunma_like_fy2020")
SHEET = "進捗状況"
WIDTHS = (30.0, 36.0, 18.0, 14.0, 14.0, 14.0, 12.0)  # Excel widths of columns A–G
SAVED = datetime(2021, 6, 1, 9, 0)  # fixed, so that a rerun writes the same workbook
_RULE = Side(style="thin")
_BORDER = Border(left=_RULE, right=_RULE, top=_RULE, bottom=_RULE)
_GOAL_HEADING = re.compile(r"^基本目標\s*\d+")
_POLICY = re.compile(r"^[(（]\d+[)）]")
_PERCENT = re.compile(r"^(?P<number>\d+(?:\.(?P<decimals>\d+))?)%$")
_COUNT = re.compile(r"^(?P<number>\d{1,3}(?:,\d{3})*|\d+)(?P<unit>[^\d\s.,%()（）]+)$")


def stored_value(printed: str) -> tuple[object, str]:
    """The value and number format a sheet stores for a cell printed so."""
    percent = _PERCENT.match(printed)
    if percent:
        decimals = len(percent["decimals"] or "")
        number = float(Decimal(percent["number"]) / 100)
        return number, "0%" if not decimals else "0." + "0" * decimals + "%"
    count = _COUNT.match(printed)
    if count:
        return int(count["number"].replace(",", "")), f'#,##0"{count["unit"]}"'
    return printed, "General"


def write_cell(sheet: Worksheet, row: int, column: int, printed: str) -> None:
    value, number_format = stored_value(printed)
    if display_text(value, number_format) != printed:
        raise ValueError(f"{printed!r} would show as {display_text(value, number_format)!r}")
    cell = sheet.cell(row=row, column=column, value=value if printed else None)
    cell.number_format = number_format


def write_grid(sheet: Worksheet, top: int, grid: Grid) -> None:
    """The grid's rows from row ``top``, ruled, with a real sheet's merges."""
    texts = [[cell.text or "" for cell in row] for row in grid.rows]
    width = len(texts[0])
    for r, row in enumerate(texts):
        for c, printed in enumerate(row):
            write_cell(sheet, top + r, 1 + c, printed)
            sheet.cell(row=top + r, column=1 + c).border = _BORDER
            sheet.cell(row=top + r, column=1 + c).alignment = Alignment(wrap_text=True,
                                                                        vertical="center")
    is_indicator_table = len(texts) > 1 and texts[1][0] == "" and texts[1][2].startswith("(")
    if not is_indicator_table:
        return
    for c, second in enumerate(texts[1]):
        if second == "":  # a header without a year stands over both header rows
            sheet.merge_cells(start_row=top, end_row=top + 1, start_column=1 + c, end_column=1 + c)
    for r, row in enumerate(texts[2:], start=2):
        if _POLICY.match(row[0]) and not any(row[1:]):
            sheet.merge_cells(start_row=top + r, end_row=top + r, start_column=1, end_column=width)
    for r, row in enumerate(texts[2:], start=2):
        if row[0] and not _POLICY.match(row[0]):
            last = r
            while last + 1 < len(texts) and texts[last + 1][0] == "" and texts[last + 1][1]:
                last += 1
            if last > r:
                sheet.merge_cells(start_row=top + r, end_row=top + last, start_column=1,
                                  end_column=1)


def text_to_workbook(text: str, source: str) -> Workbook:
    """One sheet: every block of the text's document, a blank row between blocks."""
    return blocks_to_workbook(text, source, SHEET, WIDTHS, _GOAL_HEADING, write_grid, SAVED)


def blocks_to_workbook(text: str, source: str, title: str, widths: tuple[float, ...],
                       heading: re.Pattern[str],
                       write_grid: Callable[[Worksheet, int, Grid], None],
                       saved: datetime) -> Workbook:
    """One sheet named ``title``: every block of the text's document, a blank row between
    blocks; a ``heading`` line over a grid is merged across the grid's width."""
    blocks = text_to_document(text, source).blocks
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = 1
    for index, block in enumerate(blocks):
        if isinstance(block, Grid):
            write_grid(sheet, row, block)
            row += len(block.rows) + 1
            continue
        assert isinstance(block, Paragraph)
        sheet.cell(row=row, column=1, value=block.text)
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if heading.match(block.text) and isinstance(following, Grid):
            sheet.merge_cells(start_row=row, end_row=row, start_column=1,
                              end_column=len(following.rows[0]))
        row += 2
    book.properties.created = book.properties.modified = saved
    return book


def main() -> None:
    for edition in EDITIONS:
        source = FIXTURES / f"{edition}.txt"
        book = text_to_workbook(source.read_text(encoding="utf-8"), source.name)
        book.save(FIXTURES / f"{edition}.xlsx")


if __name__ == "__main__":
    main()
