"""Text and Markdown reports → ``Document``.

Text reports are what a PDF-to-text conversion gives: tab-separated table rows,
Markdown headings, blank lines between tables. Markdown reports carry the same
layout as pipe tables. Encodings: UTF-8 (with or without BOM), UTF-16 with BOM, and
Shift_JIS/cp932, told apart by strict decoding rather than by guessing.
"""

from __future__ import annotations

import re

from pipeline.errors import InputError
from pipeline.records import Cell, Document, Grid, Paragraph

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"), (b"\xff\xfe", "utf-16", "UTF-16"),
         (b"\xfe\xff", "utf-16", "UTF-16"))
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def decode_report_bytes(raw: bytes, source: str) -> str:
    """Decode a text report, or say in one sentence why it is not one."""
    if not raw.strip():
        raise InputError(f"{source}: the file is empty.")
    for bom, encoding, label in _BOMS:
        if raw.startswith(bom):
            return _decode(raw, encoding, label, source)
    if raw.startswith(b"%PDF-"):
        raise InputError(f"{source}: this is a PDF file; give it a .pdf name to read it as one.")
    if b"\x00" in raw:
        raise InputError(f"{source}: this is a binary file, not a text report.")
    # UTF-8 first: Shift_JIS text almost never decodes as strict UTF-8, while the
    # reverse happens often, so this order never mistakes one for the other.
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{source}: the text is neither UTF-8 nor Shift_JIS (cp932); "
                     "save it in one of those encodings.")


def _decode(raw: bytes, encoding: str, label: str, source: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{source}: the file starts with a {label} byte-order mark "
                         f"but is not valid {label}.") from None


def text_to_document(text: str, source: str, input_format: str = "text") -> Document:
    """Split report text into grids (runs of table rows) and paragraphs (other lines)."""
    blocks: list[Grid | Paragraph] = []
    table_rows: list[tuple[Cell, ...]] = []
    table_start = 0

    def close_table() -> None:
        if table_rows:
            blocks.append(Grid(rows=tuple(table_rows), line=table_start))
            table_rows.clear()

    for line_no, line in enumerate(text.splitlines(), start=1):
        cells = _table_cells(line, input_format)
        if cells is not None:
            if not table_rows:
                table_start = line_no
            if cells:  # a Markdown separator row gives []: part of the table, no cells
                table_rows.append(tuple(Cell(text=value, line=line_no) for value in cells))
            continue
        close_table()
        if line.strip():
            blocks.append(_paragraph(line, line_no))
    close_table()
    return Document(source=source, input_format=input_format, blocks=tuple(blocks))


def _table_cells(line: str, input_format: str) -> list[str] | None:
    """The cells of a table row, [] for a Markdown separator row, None for other lines."""
    if input_format == "markdown":
        stripped = line.strip()
        if not stripped.startswith("|"):
            return None
        if _PIPE_SEPARATOR.match(stripped):
            return []
        return _split_pipe_row(stripped)
    if "\t" in line:
        return line.rstrip("\r\n").split("\t")
    return None


def _split_pipe_row(row: str) -> list[str]:
    body = row[1:-1] if row.endswith("|") and len(row) > 1 else row[1:]
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.replace("\\|", "|").replace("<br>", "\n").strip() for cell in cells]


def _paragraph(line: str, line_no: int) -> Paragraph:
    heading = _HEADING.match(line.strip())
    if heading:
        return Paragraph(text=heading.group(2).strip(), line=line_no, level=len(heading.group(1)))
    # Markdown hard breaks ("  " at line end) and leading spaces carry no meaning here.
    return Paragraph(text=line.strip(), line=line_no)
