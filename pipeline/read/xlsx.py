"""Excel workbooks (.xlsx) → ``Document``: the only module that imports openpyxl.

Every visible sheet, in workbook order, gives its blocks top to bottom: a ``Grid`` for
each run of table rows (a row with a ruled cell, or with two or more filled cells, or
one filled cell between two such rows) and a ``Paragraph`` for each other filled row
(title, legend, the 別紙 label). Hidden
sheets, rows and columns are not printed, so they are not read, and the Document counts
them. A merged range keeps its value in its first visible cell and ``None`` in the
cells it covers, as the PDF reader does; line breaks typed in a cell (Alt+Enter) stay
``\\n``; numbers and dates read back as the text the sheet shows (see cell_text.py).
Each cell carries its reference, ``別紙!C12``.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.errors import InputError
from pipeline.read.cell_text import UnreadableCell, number_text
from pipeline.read.ooxml import LIBRARY_DAMAGE, OfficeSettings, check_office_file, damage_error
from pipeline.records import Block, Cell, Document, Grid, Paragraph

KIND = "Excel workbook (.xlsx)"
_BAD_DATE = re.compile(r"Cell (\S+) is marked as a date but the serial value (\S+) is outside")


def xlsx_to_document(path: Path, settings: OfficeSettings | dict[str, Any] | None = None
                     ) -> Document:
    """Read every visible sheet of the workbook at ``path``."""
    check_office_file(path, KIND, settings)
    workbook = _load_workbook(path)
    blocks: list[Block] = []
    skipped = {"hidden_sheets": 0, "hidden_rows": 0, "hidden_columns": 0}
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            skipped["hidden_sheets"] += 1
            continue
        rows, columns = _visible_rows(sheet), _visible_columns(sheet)
        skipped["hidden_rows"] += sheet.max_row - len(rows)
        skipped["hidden_columns"] += sheet.max_column - len(columns)
        try:
            blocks.extend(sheet_to_blocks(sheet, rows, columns))
        except UnreadableCell as error:
            raise InputError(f"{path.name}: {error}") from None
    workbook.close()
    if not blocks:
        raise InputError(f"{path.name}: the workbook has no visible cells with text.")
    return Document(source=path.name, input_format="xlsx", blocks=tuple(blocks),
                    skipped={k: v for k, v in skipped.items() if v})


class _PartLog:
    """openpyxl's zip archive, noting the last part it opened: the one a failure is in."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.last: str | None = None

    def open(self, name: Any, *args: Any, **kwargs: Any) -> Any:
        self.last = getattr(name, "filename", name)
        return self.archive.open(name, *args, **kwargs)

    def read(self, name: Any, *args: Any, **kwargs: Any) -> bytes:
        self.last = getattr(name, "filename", name)
        return self.archive.read(name, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.archive, name)


def _load_workbook(path: Path) -> Workbook:
    """openpyxl's load_workbook, noting the part it reads, so that a damaged one is
    named, and a date it could not read (which it keeps as "#VALUE!") is refused."""
    parts: _PartLog | None = None
    bad_dates: list[tuple[str, str | None]] = []  # openpyxl's warning, the part it was reading
    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation, print settings and the like it drops;
            # but a date serial out of range it stores as "#VALUE!", a value lost.
            warnings.simplefilter("ignore")
            warnings.filterwarnings("always", message=_BAD_DATE.pattern)
            warnings.showwarning = lambda message, *_, **__: bad_dates.append(
                (str(message), parts.last if parts is not None else None))
            reader = ExcelReader(path, data_only=True, rich_text=False)
            parts = reader.archive = _PartLog(reader.archive)
            reader.read()
            sheets = list(reader.parser.find_sheets())
    except (InvalidFileException, *LIBRARY_DAMAGE) as error:
        part = parts.last if parts is not None else None
        reason = ("a cell refers to a shared string or a style the workbook does not hold"
                  if isinstance(error, IndexError) and part and "worksheets/" in part
                  else "it holds a value or structure the format does not allow")
        raise damage_error(path, KIND, error, part, reason) from None
    names = {relationship.target: sheet.name for sheet, relationship in sheets}
    for message, part in bad_dates:
        found = _BAD_DATE.match(message)
        cell, serial = (found.group(1), found.group(2)) if found else ("?", "?")
        raise InputError(f"{path.name}: the cell {names.get(part or '', part)}!{cell} holds the "
                         f"date serial {serial}, outside the dates a sheet can show; the file "
                         "was not read.")
    return reader.wb


def _visible_rows(sheet: Worksheet) -> list[int]:
    dims = sheet.row_dimensions
    return [r for r in range(1, sheet.max_row + 1) if not (r in dims and dims[r].hidden)]


def _visible_columns(sheet: Worksheet) -> list[int]:
    hidden: set[int] = set()
    for dim in sheet.column_dimensions.values():
        if dim.hidden and dim.min is not None:
            hidden.update(range(dim.min, (dim.max or dim.min) + 1))  # one entry may span columns
    return [c for c in range(1, sheet.max_column + 1) if c not in hidden]


def sheet_to_blocks(sheet: Worksheet, rows: list[int], columns: list[int]) -> list[Block]:
    """One sheet's grids and paragraphs, top to bottom."""
    texts, ruled = _sheet_cells(sheet, rows, columns)
    in_table = table_rows(texts, ruled)
    blocks: list[Block] = []
    run: list[int] = []  # indexes (into rows) of the current table's rows

    def close_table() -> None:
        # Ruled rows without a character (an empty bordered area) hold nothing to place.
        if any(text is not None and text.strip() for i in run for text in texts[i]):
            blocks.append(_grid(sheet.title, [rows[i] for i in run], columns,
                                [texts[i] for i in run]))
        run.clear()

    for index, row in enumerate(texts):
        if in_table[index]:
            run.append(index)
            continue
        close_table()
        filled = [j for j, text in enumerate(row) if text is not None and text.strip()]
        if filled:
            where = f"{get_column_letter(columns[filled[0]])}{rows[index]}"
            blocks.append(Paragraph(text=row[filled[0]] or "", ref=f"{sheet.title}!{where}"))
    close_table()
    return blocks


def table_rows(texts: list[list[str | None]], ruled: list[bool]) -> list[bool]:
    """Which rows are table rows: a ruled cell, or two or more filled cells; also a row
    of one filled cell between two table rows (a 再掲 row with only its business name,
    in a sheet drawn without rules), so that it is not lost as a paragraph."""
    filled = [sum(1 for text in row if text is not None and text.strip()) for row in texts]
    table = [is_ruled or count >= 2 for is_ruled, count in zip(ruled, filled)]
    return [table[i] or (filled[i] == 1 and 0 < i < len(table) - 1 and table[i - 1]
                         and table[i + 1]) for i in range(len(table))]


def _sheet_cells(sheet: Worksheet, rows: list[int], columns: list[int]
                 ) -> tuple[list[list[str | None]], list[bool]]:
    """The visible cells' text (None where a merged range covers a cell), and per row
    whether any of its visible cells is ruled."""
    merged = _merged_sources(sheet, set(rows), set(columns))
    cells = sheet._cells  # (row, column) → cell; reading it creates no empty cells
    texts: list[list[str | None]] = []
    ruled: list[bool] = []
    for r in rows:
        row_texts: list[str | None] = []
        row_ruled = False
        for c in columns:
            source = merged.get((r, c), (r, c))
            cell = cells.get(source) if source is not None else None
            # None only where a merge covers the cell; an empty cell is "", as in text inputs
            text = None if source is None else (number_text(cell) if cell is not None else None)
            row_texts.append(text if text is not None or source is None else "")
            row_ruled = row_ruled or _is_ruled(cells.get((r, c)))
        texts.append(row_texts)
        ruled.append(row_ruled)
    return texts, ruled


def _merged_sources(sheet: Worksheet, rows: set[int], columns: set[int]
                    ) -> dict[tuple[int, int], tuple[int, int] | None]:
    """Per visible cell of a merged range: where its text comes from (the range's
    top-left cell, for the first visible cell) or None (covered)."""
    sources: dict[tuple[int, int], tuple[int, int] | None] = {}
    for merged in sheet.merged_cells.ranges:
        visible = [(r, c) for r in range(merged.min_row, merged.max_row + 1) if r in rows
                   for c in range(merged.min_col, merged.max_col + 1) if c in columns]
        for cell in visible[1:]:
            sources[cell] = None
        if visible:  # the value lives in the top-left cell, even when that one is hidden
            sources[visible[0]] = (merged.min_row, merged.min_col)
    return sources


def _is_ruled(cell: Any) -> bool:
    if cell is None or not cell.has_style:
        return False
    border = cell.border
    return any(side is not None and side.style is not None
               for side in (border.left, border.right, border.top, border.bottom))


def _grid(sheet: str, row_numbers: list[int], columns: list[int],
          texts: list[list[str | None]]) -> Grid:
    """The run's rows, cut to the columns that hold text (a table indented by an empty
    column, as a front sheet often is, starts at its first filled column)."""
    filled = [j for row in texts for j, t in enumerate(row) if t is not None and t.strip()]
    first, end = min(filled), max(filled) + 1
    letters = [get_column_letter(c) for c in columns[first:end]]
    grid_rows = tuple(tuple(Cell(text=text, ref=f"{sheet}!{letter}{r}")
                            for text, letter in zip(row[first:end], letters))
                      for r, row in zip(row_numbers, texts))
    ref = f"{sheet}!{letters[0]}{row_numbers[0]}:{letters[-1]}{row_numbers[-1]}"
    return Grid(rows=grid_rows, ref=ref)
