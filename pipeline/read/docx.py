"""Word documents (.docx) → ``Document``: the only module that imports python-docx.

python-docx opens the package (with lxml, entities never resolved) and this module
walks the body's XML itself, because python-docx's ``row.cells`` repeats a merged
cell's text in every cell it spans, which would hide the merges. Body paragraphs and
tables come in document order, including those inside content controls (``w:sdt``):

- a table's cells are placed on the table's column grid: a horizontal span
  (``w:gridSpan``) keeps its text in its first column and ``None`` in the others, a
  vertical merge's continuation (``w:vMerge`` without ``restart``) is ``None``, as
  the PDF reader gives them; a header row repeated on each printed page
  (``w:tblHeader``) is stored once, so a table over many pages is one grid;
- the paragraphs of a cell are joined with line breaks, and so are a nested table's;
- deleted revisions, hidden text (``w:vanish``), text boxes, headers and footers are
  not the report's text and are left out.

Each cell carries ``table 4 row 17 column 3``; each paragraph ``paragraph 12``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from pipeline.errors import InputError
from pipeline.read.ooxml import LIBRARY_DAMAGE, OfficeSettings, check_office_file, damage_error
from pipeline.records import Block, Cell, Document, Grid, Paragraph

KIND = "Word document (.docx)"
_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_SDT, _SDT_CONTENT, _CUSTOM = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_NOT_TEXT = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), qn("w:rPr"), qn("w:pPr"),
             qn("w:instrText"), qn("w:delText"),
             "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_VAL = qn("w:val")
_DAMAGE: tuple[type[Exception], ...] = (PackageNotFoundError, *LIBRARY_DAMAGE)


def docx_to_document(path: Path, settings: OfficeSettings | dict[str, Any] | None = None
                     ) -> Document:
    """Read the body of the Word document at ``path``."""
    check_office_file(path, KIND, settings)
    try:
        document = docx.Document(str(path))
        body = document.element.body
        part = str(document.part.partname).lstrip("/")
    except _DAMAGE as error:
        raise damage_error(path, KIND, error) from None
    if body is None:
        raise InputError(f"{path.name}: the part {part} has no body (w:body); it was not read.")
    blocks = body_to_blocks(body)
    if not blocks:
        raise InputError(f"{path.name}: the document has no text.")
    return Document(source=path.name, input_format="docx", blocks=tuple(blocks))


def body_to_blocks(body: Any) -> list[Block]:
    """Paragraphs (non-empty) and tables of a body element, in document order."""
    blocks: list[Block] = []
    counters = {"paragraph": 0, "table": 0}
    for element in _block_elements(body):
        if element.tag == _P:
            counters["paragraph"] += 1
            text = paragraph_text(element)
            if text.strip():
                blocks.append(Paragraph(text=text, ref=f"paragraph {counters['paragraph']}"))
        else:
            counters["table"] += 1
            grid = table_to_grid(element, counters["table"])
            if grid.rows:
                blocks.append(grid)
    return blocks


def _block_elements(parent: Any) -> list[Any]:
    """w:p and w:tbl children, looking through content controls and custom XML."""
    found = []
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            found.append(child)
        elif child.tag in (_SDT, _CUSTOM, _SDT_CONTENT):
            found.extend(_block_elements(child))
    return found


def paragraph_text(paragraph: Any) -> str:
    """The visible text of a w:p: runs in order, tabs as spaces, breaks as line breaks."""
    parts: list[str] = []
    _collect_text(paragraph, parts)
    return "".join(parts)


def _collect_text(element: Any, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag in _NOT_TEXT or not isinstance(tag, str):
            continue
        if tag == _R and _is_hidden(child):
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append(" ")
        elif tag in (_BR, _CR):
            parts.append("\n")
        else:
            _collect_text(child, parts)


def _is_hidden(run: Any) -> bool:
    vanish = run.find(f"{qn('w:rPr')}/{qn('w:vanish')}")
    return vanish is not None and vanish.get(_VAL) not in ("0", "false")


def table_to_grid(table: Any, table_no: int) -> Grid:
    """A w:tbl on its column grid, merges as None (see the module docstring)."""
    rows: list[list[Cell]] = []
    for row_no, row in enumerate(table.iterchildren(_TR), start=1):
        column = _int_prop(row, "w:trPr/w:gridBefore", 0)
        cells: list[Cell] = [Cell(text=None, ref=_ref(table_no, row_no, c + 1))
                             for c in range(column)]
        for tc in row.iterchildren(_TC):
            span = max(_int_prop(tc, "w:tcPr/w:gridSpan", 1), 1)
            text = None if _continues_merge(tc) else _cell_text(tc)
            cells.append(Cell(text=text, ref=_ref(table_no, row_no, column + 1)))
            cells.extend(Cell(text=None, ref=_ref(table_no, row_no, column + 1 + extra))
                         for extra in range(1, span))
            column += span
        rows.append(cells)
    width = max((len(row) for row in rows), default=0)
    padded = tuple(tuple(row) + tuple(Cell(text=None, ref=_ref(table_no, r, c + 1))
                                      for c in range(len(row), width))
                   for r, row in enumerate(rows, start=1))
    return Grid(rows=padded, ref=f"table {table_no}")


def _ref(table_no: int, row_no: int, column: int) -> str:
    return f"table {table_no} row {row_no} column {column}"


def _int_prop(element: Any, path: str, default: int) -> int:
    found = element.find("/".join(qn(part) for part in path.split("/")))
    if found is None:
        return default
    try:
        return int(found.get(_VAL, default))
    except ValueError:
        return default


def _continues_merge(tc: Any) -> bool:
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(_VAL, "continue") != "restart"


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs (and a nested table's rows) joined with line breaks."""
    lines: list[str] = []
    for element in _block_elements(tc):
        if element.tag == _P:
            lines.append(paragraph_text(element))
        else:
            for row in element.iterchildren(_TR):
                lines.append(" ".join(_cell_text(cell) for cell in row.iterchildren(_TC)))
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)
