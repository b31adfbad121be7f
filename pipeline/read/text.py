"""Text and Markdown reports → ``Document``.

Text reports are what a PDF-to-text conversion gives: tab-separated table rows,
Markdown headings, blank lines between tables. Markdown reports carry the same
layout as pipe tables. Encodings: UTF-8 (with or without BOM), UTF-16 with BOM, and
Shift_JIS/cp932, told apart by strict decoding rather than by guessing.

A line ends at ``\n``, ``\r\n`` or a lone ``\r``, and nowhere else: that is what an
editor shows and what every ``source_line`` and decode error counts. ``str.splitlines``
also ends a line at \\f, \\v, \\x1c–\\x1e, \\x85, U+2028 and U+2029, which would shift
every later line number; here they stay inside their line and mean a wrap inside the
cell or paragraph (a form feed, which pdftotext prints at each page break, is a page
break: a wrap inside a cell, nothing at a cell's start or end).
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.errors import Failure, InputError, LayoutError
from pipeline.records import Cell, Document, Grid, Paragraph

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"), (b"\xff\xfe", "utf-16", "UTF-16"),
         (b"\xfe\xff", "utf-16", "UTF-16"))
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LINE_END = re.compile(r"\r\n|\r|\n")
_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")
# The separators str.splitlines knows beyond the three line ends: wraps inside a line.
_WRAPS_IN_LINE = str.maketrans(dict.fromkeys("\f\v\x1c\x1d\x1e\x85\u2028\u2029", "\n"))


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
        endian = _utf16_without_bom(raw)
        if endian is not None:
            raise InputError(f"{source}: this looks like UTF-16 ({endian}) text without a "
                             "byte-order mark; save it as UTF-8, or as UTF-16 with a BOM.")
        raise InputError(f"{source}: this is a binary file, not a text report.")
    # UTF-8 first: Shift_JIS text almost never decodes as strict UTF-8, while the
    # reverse happens often, so this order never mistakes one for the other.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    cut = _cut_utf8(raw, utf8_error)
    if cut is not None:
        # Checked before cp932: UTF-8 Japanese often decodes as (wrong) cp932 too.
        raise InputError(f"{source}: the file ends in the middle of a UTF-8 character "
                         f"(byte {cut}, line {_line_at(raw, cut)}); it looks cut short — "
                         "copy or download it again.")
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError as error:
        raise _undecodable(raw, utf8_error, error, source) from None


def _undecodable(raw: bytes, utf8_error: UnicodeDecodeError, cp932_error: UnicodeDecodeError,
                 source: str) -> InputError:
    """The sentence for a file that is neither encoding: cut short, damaged, or other."""
    if (cp932_error.reason == "incomplete multibyte sequence" and cp932_error.end == len(raw)
            and not raw[:cp932_error.start].isascii()):
        cut = cp932_error.start
        return InputError(f"{source}: the file ends in the middle of a Shift_JIS character "
                          f"(byte {cut}, line {_line_at(raw, cut)}); it looks cut short — "
                          "copy or download it again.")
    if _has_utf8_text(raw[:utf8_error.start]):
        offset = utf8_error.start
        return InputError(f"{source}: the text is UTF-8 up to byte {offset} (line "
                          f"{_line_at(raw, offset)}), where a byte that is not UTF-8 follows "
                          f"({raw[offset:offset + 4].hex(' ')}); the file is damaged there.")
    return InputError(f"{source}: the text is neither UTF-8 nor Shift_JIS (cp932); "
                      "save it in one of those encodings.")


def _cut_utf8(raw: bytes, error: UnicodeDecodeError) -> int | None:
    """The offset of a UTF-8 character the end of the file cuts off, if that is the only
    fault of a text that is UTF-8 (and not plain ASCII) before it; else None."""
    if error.reason != "unexpected end of data" or error.end != len(raw):
        return None
    return error.start if _has_utf8_text(raw[:error.start]) else None


def _has_utf8_text(prefix: bytes) -> bool:
    """Valid UTF-8 with at least one character beyond ASCII: evidence of the encoding."""
    try:
        prefix.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not prefix.isascii()


def _utf16_without_bom(raw: bytes) -> str | None:
    """"little-endian" or "big-endian" when the bytes read as UTF-16 text of that order.

    Text has line breaks and no NUL character; read in the wrong byte order (or from a
    binary file), the line breaks become unassigned characters and zeros become NULs.
    """
    for endian, codec in (("little-endian", "utf-16-le"), ("big-endian", "utf-16-be")):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\n" not in text or "\x00" in text:
            continue
        readable = sum(char.isprintable() or char in "\t\r\n" for char in text)
        if readable >= 0.99 * len(text):
            return endian
    return None


def report_lines(text: str) -> list[str]:
    """The report's lines, numbered from 1 by their index + 1, ends removed; the other
    separators str.splitlines knows become wraps (``\\n``) inside their line.

    >>> report_lines("a\\tb\\r\\n\\fc\\u2028d\\n")
    ['a\\tb', '\\nc\\nd']
    """
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the end of the last line, not a line of its own
    return [line.translate(_WRAPS_IN_LINE) for line in lines]


def _line_at(raw: bytes, offset: int) -> int:
    """The line (as ``report_lines`` counts them) holding byte ``offset``; the line ends
    are single bytes in every encoding read without a BOM (UTF-8, cp932)."""
    return len(_LINE_END_BYTES.findall(raw, 0, offset)) + 1


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

    lines = report_lines(text)
    rows = [_table_cells(line, input_format) for line in lines]
    for line_no, (line, cells) in enumerate(zip(lines, rows), start=1):
        if cells is not None:
            if not table_rows:
                table_start = line_no
            if cells:  # a Markdown separator row gives []: part of the table, no cells
                table_rows.append(tuple(Cell(text=value, line=line_no) for value in cells))
            continue
        if line.strip() and table_rows and line_no < len(rows) and rows[line_no] is not None:
            raise _split_row(line, line_no, source)
        close_table()
        if line.strip():
            blocks.append(_paragraph(line, line_no))
    close_table()
    return Document(source=source, input_format=input_format, blocks=tuple(blocks),
                    findings=_pipe_tables_in_text(lines, input_format, source))


def _pipe_tables_in_text(lines: list[str], input_format: str, source: str
                         ) -> tuple[Failure, ...]:
    """An error where a text file prints a Markdown table's rule (``| --- |``): its
    tables are tab-separated, so the pipe rows would be read as lines of text (a table
    lost, or its rows taken into a heading block's values); saved as .md, they are
    tables."""
    if input_format == "markdown":
        return ()
    line_no = next((n for n, line in enumerate(lines, start=1)
                    if line.strip().startswith("|") and _PIPE_SEPARATOR.match(line.strip())),
                   None)
    if line_no is None:
        return ()
    return (Failure(code="pipe_table_in_text", source=source, line=line_no,
                    value=lines[line_no - 1].strip()[:40],
                    message="the line is a Markdown table's rule, but a text file's tables "
                            "are tab-separated: its pipe rows are read as lines of text "
                            "(save the file as .md to read them as tables)"),)


def _split_row(line: str, line_no: int, source: str) -> LayoutError:
    """A line that is no table row, between two rows of one table: a line break inside a
    cell. Whether it ends the row above or starts the one below cannot be told, so the
    report is refused rather than the line read as a paragraph (and its row lost)."""
    return LayoutError(f"{source}: line {line_no}, the line {line.strip()[:40]!r} stands "
                       f"between two rows of a table (lines {line_no - 1} and {line_no + 1}) "
                       "but is not a row: a line break inside a cell has split a row; join "
                       "it to the line it belongs to.")


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
        return line.split("\t")
    return None


def _split_pipe_row(row: str) -> list[str]:
    body = row[1:-1] if row.endswith("|") and len(row) > 1 else row[1:]
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.replace("\\|", "|").replace("<br>", "\n").strip() for cell in cells]


def _paragraph(line: str, line_no: int) -> Paragraph:
    # A format character (a BOM, a zero-width space, a soft hyphen: category Cf) prints
    # nothing, so a line with one before or among its # marks is still a heading.
    heading = _HEADING.match("".join(c for c in line if unicodedata.category(c) != "Cf").strip())
    if heading:
        return Paragraph(text=heading.group(2).strip(), line=line_no, level=len(heading.group(1)))
    # Markdown hard breaks ("  " at line end) and leading spaces carry no meaning here.
    return Paragraph(text=line.strip(), line=line_no)
