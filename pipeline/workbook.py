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
characters, and a literal ``_xHHHH_`` in the text (written ``_x005F_xHHHH_``). openpyxl,
reading the file, shows those escapes rather than decoding them.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from schemas.registry import Table

COLUMNS_SHEET = "columns"
_COLUMNS_HEADER = ("table", "column", "type", "may be empty", "values", "description")
_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BOLD = Font(bold=True)
_EPOCH = datetime(2000, 1, 1)  # documents dated by their content, not the clock
_WIDEST = 60  # characters; longer text wraps in Excel's cell on a double click


def write_workbook(path: Path, frames: Mapping[str, pd.DataFrame],
                   tables: Mapping[str, Table]) -> None:
    """``path`` (an .xlsx) with one sheet per frame, typed as ``tables`` declares them,
    and the sheet describing the columns."""
    book = Workbook(write_only=True)
    for name, frame in frames.items():
        _table_sheet(book, name, frame)
    _columns_sheet(book, {name: tables[name] for name in frames if name in tables})
    book.properties.creator = "pipeline"
    book.properties.created = book.properties.modified = _EPOCH
    unsealed = path.with_name(path.name + ".unsealed")
    try:
        book.save(unsealed)
        _without_timestamps(unsealed, path)
    finally:
        unsealed.unlink(missing_ok=True)


def _without_timestamps(source: Path, target: Path) -> None:
    """The same zip with every member dated 1980-01-01 and the document's own dates fixed:
    the same tables give the same bytes (the folder's seal and a rerun see no change)."""
    with zipfile.ZipFile(source) as packed, zipfile.ZipFile(
            target, "w", zipfile.ZIP_DEFLATED) as repacked:
        for member in packed.infolist():
            dated = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            dated.compress_type = zipfile.ZIP_DEFLATED
            dated.external_attr = 0o644 << 16
            content = packed.read(member.filename)
            if member.filename == "docProps/core.xml":  # openpyxl dates it at save time
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z",
                                 content)
            repacked.writestr(dated, content)


def _table_sheet(book: Workbook, name: str, frame: pd.DataFrame) -> None:
    sheet = book.create_sheet(name[:31])
    sheet.freeze_panes = "A2"
    columns = [(column, _kind(frame[column])) for column in frame.columns]
    for index, (column, _) in enumerate(columns, start=1):
        width = max([_width(column), *(_width(v) for v in frame[column].head(500)
                                       if isinstance(v, str))])
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _WIDEST)
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    sheet.append([_header(sheet, column) for column, _ in columns])
    values = [frame[column].tolist() for column, _ in columns]
    kinds = [kind for _, kind in columns]
    for row in zip(*values):
        sheet.append([_cell(sheet, value, kind) for value, kind in zip(row, kinds)])


def _header(sheet: Any, text: str) -> WriteOnlyCell:
    cell = _text_cell(sheet, text)
    cell.font = _BOLD
    return cell


def _kind(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    return "text"  # strings and categories: written as text, whatever they look like


def _cell(sheet: Any, value: Any, kind: str) -> WriteOnlyCell | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == "bool":
        return WriteOnlyCell(sheet, value=bool(value))
    if kind == "int":
        return WriteOnlyCell(sheet, value=int(value))
    if kind == "float":
        return WriteOnlyCell(sheet, value=float(value))
    return _text_cell(sheet, str(value))


def _text_cell(sheet: Any, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_escape(text))
    cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
    cell.number_format = "@"  # and Excel keeps an edited cell as text
    return cell


def _escape(text: str) -> str:
    text = _ESCAPED.sub(lambda found: "_x005F" + found.group(0), text)
    return _CONTROL.sub(lambda found: f"_x{ord(found.group(0)):04X}_", text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns_sheet(book: Workbook, tables: Mapping[str, Table]) -> None:
    sheet = book.create_sheet(COLUMNS_SHEET)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (18, 22, 10, 12, 30, 80)):
        sheet.column_dimensions[letter].width = width
    sheet.append([_header(sheet, text) for text in _COLUMNS_HEADER])
    for name, table in tables.items():
        for column, spec in table.model.to_schema().columns.items():
            dtype = spec.dtype.type
            values = (", ".join(str(c) for c in dtype.categories)
                      if isinstance(dtype, pd.CategoricalDtype) else "")
            row = (name, column, _type_word(dtype), "yes" if spec.nullable else "no", values,
                   spec.description or "")
            sheet.append([_text_cell(sheet, text) for text in row])


def _type_word(dtype: Any) -> str:
    text = str(dtype)
    if text == "Int64" or text.startswith("int"):
        return "integer"
    if text.startswith("float"):
        return "number"
    if text == "bool":
        return "TRUE/FALSE"
    return "text"
