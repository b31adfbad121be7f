"""report.xlsx (and the diff's and the history's workbooks): the tables for people who open
results in Excel or LibreOffice.

A CSV leaves the cells' types to the spreadsheet's guesses, and Excel guesses wrong for
as-printed report text (``6/15`` and ``9/1`` become dates, ``75.1%`` becomes 0.751). The
workbook states every cell's type instead: text columns as text cells (an ``=`` at the
start stays text, never a formula), numbers as numbers, fiscal years and counts as
integers, flags as TRUE/FALSE, empty values as empty cells. One sheet per table, in the
registry's order, its header row frozen and filtered; a last sheet describes every column
from the pandera schema.

Two things XML cannot hold as they are are written in the spreadsheet's own escape
(``_xHHHH_``, which Excel and LibreOffice read back as the character): control
characters, and a literal ``_xHHHH_`` in the text (written ``_x005F_xHHHH_``). XlsxWriter
escapes both; openpyxl, reading the file, shows those escapes rather than decoding them.

XlsxWriter (not openpyxl, which reads the reports) writes the file: it assembles the zip
in memory with fixed member dates, so an interrupted or killed worker leaves no temporary
sheet files behind, and it writes the sample's 5,100 cells 2.5x faster (docs/internals.md).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter import Workbook

from schemas.registry import Table

COLUMNS_SHEET = "columns"
_COLUMNS_HEADER = ("table", "column", "type", "may be empty", "values", "description")
_EPOCH = datetime(2000, 1, 1)  # documents dated by their content, not the clock
_WIDEST = 60  # characters; longer text wraps in Excel's cell on a double click
_OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False}


def write_workbook(path: Path, frames: Mapping[str, pd.DataFrame],
                   tables: Mapping[str, Table]) -> None:
    """``path`` (an .xlsx) with one sheet per frame, typed as ``tables`` declares them,
    and the sheet describing the columns."""
    book = Workbook(str(path), _OPTIONS)
    book.set_properties({"author": "pipeline", "created": _EPOCH})
    styles = {"text": book.add_format({"num_format": "@"}),  # an edited cell stays text
              "header": book.add_format({"num_format": "@", "bold": True})}
    for name, frame in frames.items():
        _table_sheet(book, styles, name, frame)
    _columns_sheet(book, styles, {name: tables[name] for name in frames if name in tables})
    book.close()  # the file is written here, whole, or not at all


def _table_sheet(book: Workbook, styles: dict[str, Any], name: str, frame: pd.DataFrame) -> None:
    sheet = book.add_worksheet(name[:31])
    sheet.freeze_panes(1, 0)
    columns = list(frame.columns)
    for index, column in enumerate(columns):
        width = max([_width(column), *(_width(v) for v in frame[column].head(500)
                                       if isinstance(v, str))])
        sheet.set_column(index, index, min(width + 2, _WIDEST))
    if columns:
        sheet.autofilter(0, 0, len(frame), len(columns) - 1)
    sheet.write_row(0, 0, columns, styles["header"])
    text = styles["text"]
    for index, column in enumerate(columns):
        write = _writer(sheet, frame[column], text)
        for row, value in enumerate(frame[column].tolist(), start=1):
            if not _missing(value):
                write(row, index, value)


def _writer(sheet: Any, series: pd.Series, text: Any) -> Any:
    """How a column's cells are written: text columns as text cells, whatever they look
    like (a leading "=" stays text, never a formula), numbers as numbers, flags as TRUE/FALSE."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return lambda row, col, value: sheet.write_boolean(row, col, bool(value))
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype):
        return lambda row, col, value: sheet.write_number(row, col, value)
    return lambda row, col, value: sheet.write_string(row, col, str(value), text)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns_sheet(book: Workbook, styles: dict[str, Any], tables: Mapping[str, Table]) -> None:
    sheet = book.add_worksheet(COLUMNS_SHEET)
    sheet.freeze_panes(1, 0)
    for index, width in enumerate((18, 22, 10, 12, 30, 80)):
        sheet.set_column(index, index, width)
    sheet.write_row(0, 0, _COLUMNS_HEADER, styles["header"])
    row_no = 1
    for name, table in tables.items():
        for column, spec in table.model.to_schema().columns.items():
            dtype = spec.dtype.type
            values = (", ".join(str(c) for c in dtype.categories)
                      if isinstance(dtype, pd.CategoricalDtype) else "")
            row = (name, column, _type_word(dtype), "yes" if spec.nullable else "no", values,
                   spec.description or "")
            for index, text in enumerate(row):
                if text:
                    sheet.write_string(row_no, index, text, styles["text"])
            row_no += 1


def _type_word(dtype: Any) -> str:
    text = str(dtype)
    if text == "Int64" or text.startswith("int"):
        return "integer"
    if text.startswith("float"):
        return "number"
    if text == "bool":
        return "TRUE/FALSE"
    return "text"
