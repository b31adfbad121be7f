"""What a damaged PDF loses without a word from pdfminer or pdfium, found and named.

pdfminer reads damaged files leniently: a page object it cannot parse is left out of
the page list (every later page is renumbered), a compressed stream it cannot inflate
becomes empty or is cut short with a log line that names no file, and a glyph without
Unicode reads as "(cid:N)". Each of these would end in a report whose values are lost or
wrong, so each is refused here with one sentence naming the file and the page. Page
numbers are positions in the PDF's page tree, never pdfminer's count of what it read.
"""

from __future__ import annotations

import logging
import re
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import LIT, PSLiteral

from pipeline.errors import InputError
from pipeline.records import Block, Grid

_PAGE, _FORM = LIT("Page"), LIT("Form")
_MAX_TREE_DEPTH = 64  # far deeper than any real page tree; a deeper one is a loop
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")


def page_tree_ids(document: Any, name: str) -> list[int | None]:
    """The object id of each leaf of the page tree, in page order; None for a leaf that
    is not a readable page object."""
    root = document.catalog.get("Pages")
    if root is None:
        raise InputError(f"{name}: the PDF is damaged: it has no page tree, so its pages "
                         "cannot be numbered.")
    leaves: list[int | None] = []
    _walk_tree(root, leaves, set(), 0, name)
    return leaves


def _walk_tree(ref: Any, leaves: list[int | None], seen: set[int], depth: int,
               name: str) -> None:
    objid = ref.objid if isinstance(ref, PDFObjRef) else None
    try:
        node = resolve1(ref)
    except Exception:  # pdfminer raises many kinds on a damaged object
        node = None
    if isinstance(node, dict) and "Kids" in node and node.get("Type") is not _PAGE:
        if objid in seen or depth > _MAX_TREE_DEPTH:
            raise InputError(f"{name}: the PDF is damaged: its page tree loops back on "
                             "itself, so its pages cannot be numbered.")
        if objid is not None:
            seen.add(objid)
        kids = resolve1(node["Kids"])
        if not isinstance(kids, list):
            raise InputError(f"{name}: the PDF is damaged: a node of its page tree has "
                             "no list of pages, so its pages cannot be numbered.")
        for kid in kids:
            _walk_tree(kid, leaves, seen, depth + 1, name)
        return
    readable = isinstance(node, dict) and node.get("Type") is _PAGE
    leaves.append(objid if readable and objid is not None else None)


def check_page_list(tree_ids: list[int | None], read_ids: list[object], name: str) -> None:
    """Refuse the file when pdfminer's pages are not the page tree's, one for one."""
    for position, objid in enumerate(tree_ids, start=1):
        if objid is None:
            raise InputError(f"{name}: page {position} is damaged: its page object cannot "
                             "be read, so the page would be lost and every later page "
                             "renumbered; the report is refused.")
    if list(tree_ids) != list(read_ids):
        raise InputError(f"{name}: the PDF is damaged: its page tree lists {len(tree_ids)} "
                         f"pages but {len(read_ids)} can be read in its order, so pages "
                         "would be lost or renumbered; the report is refused.")


# The keys of a page dictionary (PDF 2.0, table 31): any other key on a page without
# /Contents is most likely its /Contents misspelt by damage.
PAGE_KEYS = frozenset((
    "Type", "Parent", "LastModified", "Resources", "MediaBox", "CropBox", "BleedBox",
    "TrimBox", "ArtBox", "BoxColorInfo", "Contents", "Rotate", "Group", "Thumb", "B", "Dur",
    "Trans", "Annots", "AA", "Metadata", "PieceInfo", "StructParents", "ID", "PZ",
    "SeparationInfo", "Tabs", "TemplateInstantiated", "PresSteps", "UserUnit", "VP", "AF",
    "OutputIntents", "DPart"))


def check_content_streams(page: Any, name: str) -> None:
    """Refuse a page whose compressed content stream, form or font Unicode map does not
    inflate whole: pdfminer and pdfium would read what comes before the damage, or
    nothing, silently (an empty Unicode map reads as other characters or (cid:N))."""
    for stream, part in _page_streams(page, name):
        filters = stream.get_filters()
        if stream.rawdata is None or stream.decipher or not filters:
            continue  # already inflated by pdfminer (on an earlier page), or plain
        if filters[0][0] not in LITERALS_FLATE_DECODE:
            continue
        try:
            zlib.decompress(stream.rawdata)
        except zlib.error as error:
            raise InputError(f"{name}: page {page.page_number} is damaged: {part} cannot be "
                             f"inflated whole ({error}), so part of its text would be lost "
                             "or wrong; the report is refused.") from None


def _page_streams(page: Any, name: str) -> Iterator[tuple[PDFStream, str]]:
    """The page's compressed streams that hold its text, each with what it is."""
    attrs = page.page_obj.attrs
    if "Contents" not in attrs:  # a page without /Contents is blank, unless its dict is damaged
        unknown = sorted(str(key) for key in attrs if key not in PAGE_KEYS)
        if unknown:
            raise InputError(f"{name}: page {page.page_number} is damaged: its dictionary has "
                             f"no /Contents but a key no page has ({unknown[0]}), so the page "
                             "would read as blank; the report is refused.")
    else:  # one whose stream is gone is not blank either
        contents = resolve1(attrs["Contents"])
        for item in contents if isinstance(contents, list) else [contents]:
            stream = resolve1(item)
            if not isinstance(stream, PDFStream):
                raise InputError(f"{name}: page {page.page_number} is damaged: its content "
                                 "stream is missing from the file, so the page would read "
                                 "as blank; the report is refused.")
            yield stream, "its compressed content"
    resources = resolve1(attrs.get("Resources"))
    if not isinstance(resources, dict):
        return
    for key, ref in _entries(resources.get("XObject")):
        stream = resolve1(ref)
        if isinstance(stream, PDFStream) and stream.get("Subtype") is _FORM:
            yield stream, f"its form {key}"
    for key, ref in _entries(resources.get("Font")):
        font = resolve1(ref)
        cmap = resolve1(font.get("ToUnicode")) if isinstance(font, dict) else None
        if isinstance(cmap, PDFStream):
            yield cmap, f"the Unicode map (ToUnicode) of its font {key}"


def check_font_widths(page: Any, name: str) -> None:
    """Refuse a page whose font's widths table holds what is not a number, or not one
    width a character: a changed byte there moves every later glyph (pdfminer shifts
    the table), and the words and cells are then split in other places, silently."""
    attrs = page.page_obj.attrs
    resources = resolve1(attrs.get("Resources"))
    for key, ref in _entries(resources.get("Font") if isinstance(resources, dict) else None):
        font = resolve1(ref)
        problem = _widths_problem(font) if isinstance(font, dict) else None
        if problem is not None:
            raise InputError(f"{name}: page {page.page_number} is damaged: the widths table "
                             f"of its font {key} {problem}, so its text would be spaced and "
                             "split wrong; the report is refused.")


def _widths_problem(font: dict[str, Any]) -> str | None:
    if font.get("Subtype") is LIT("Type0"):
        descendants = resolve1(font.get("DescendantFonts"))
        descendant = (resolve1(descendants[0])
                      if isinstance(descendants, list) and descendants else None)
        table = resolve1(descendant.get("W")) if isinstance(descendant, dict) else None
        if table is None:
            return None
        entries = [resolve1(entry) for entry in table] if isinstance(table, list) else [table]
        values = [value for entry in entries
                  for value in (entry if isinstance(entry, list) else [entry])]
        return _not_a_number(values)
    if "Widths" not in font:
        return None
    widths = resolve1(font["Widths"])
    values = [resolve1(width) for width in widths] if isinstance(widths, list) else [widths]
    bad = _not_a_number(values)
    if bad is not None:
        return bad
    first, last = resolve1(font.get("FirstChar")), resolve1(font.get("LastChar"))
    if _is_number(first) and _is_number(last) and len(values) != last - first + 1:
        return f"lists {len(values)} widths for its {last - first + 1} characters"
    return None


def _not_a_number(values: list[Any]) -> str | None:
    for value in values:
        if not _is_number(value):
            return f"holds {_shown(value)}, not a number"
    return None


def _shown(value: Any) -> str:
    name = getattr(value, "name", None)  # a PSLiteral (/n590) or PSKeyword, as printed
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    return ("/" if isinstance(value, PSLiteral) else "") + name if isinstance(name, str) \
        else repr(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _entries(ref: Any) -> Iterator[tuple[str, Any]]:
    entries = resolve1(ref)
    return iter(entries.items()) if isinstance(entries, dict) else iter(())


def unmapped_glyph_error(blocks: list[Block], name: str, page_no: int) -> InputError | None:
    """An error naming the first cell or line of the page that holds a "(cid:N)"
    placeholder, a glyph whose font gives no Unicode; None where there is none."""
    count = sum(len(UNMAPPED_GLYPH.findall(text)) for text in _texts(blocks))
    if not count:
        return None
    where = next(_places(blocks))
    return InputError(f"{name}: page {page_no} has {count} character"
                      f"{'s' if count != 1 else ''} without Unicode (read as (cid:N), "
                      f"the first in {where}); the font has no Unicode map for "
                      f"{'them' if count != 1 else 'it'}, so the report is refused rather "
                      "than written with placeholders.")


def _texts(blocks: list[Block]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Grid):
            yield from (cell.text for row in block.rows for cell in row if cell.text)
        else:
            yield block.text


def _places(blocks: list[Block]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Grid):
            for r, row in enumerate(block.rows, start=1):
                for c, cell in enumerate(row, start=1):
                    if cell.text and UNMAPPED_GLYPH.search(cell.text):
                        yield f"the table cell at row {r}, column {c}: {cell.text!r}"
        elif UNMAPPED_GLYPH.search(block.text):
            yield f"the line {block.text!r}"


class _PdfminerLog(logging.Handler):
    """pdfminer's warnings, kept for the thread whose page is being read."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.active: dict[int, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        kept = self.active.get(threading.get_ident())
        if kept is None:  # another thread's reading outside a capture: pass it on
            logging.getLogger().handle(record)
        else:
            kept.append(record.getMessage())


_LOG = _PdfminerLog()
_LOG_LOCK = threading.Lock()


@contextmanager
def pdfminer_warnings() -> Iterator[list[str]]:
    """The messages pdfminer logs at WARNING or above in this thread, meanwhile; they
    are the caller's to name (with the file and page) and do not reach stderr unnamed."""
    logger = logging.getLogger("pdfminer")
    kept: list[str] = []
    with _LOG_LOCK:
        if not _LOG.active:
            logger.addHandler(_LOG)
            _saved.append((logger.level, logger.propagate))
            logger.setLevel(logging.WARNING)
            logger.propagate = False
        outer = _LOG.active.get(threading.get_ident())
        _LOG.active[threading.get_ident()] = kept
    try:
        yield kept
    finally:
        with _LOG_LOCK:
            if outer is not None:  # a capture inside another: the outer one sees these too
                outer.extend(kept)
                _LOG.active[threading.get_ident()] = outer
            else:
                del _LOG.active[threading.get_ident()]
            if not _LOG.active:
                logger.removeHandler(_LOG)
                logger.level, logger.propagate = _saved.pop()


_saved: list[tuple[int, bool]] = []


def warnings_error(warnings: list[str], name: str, page_no: int | None) -> InputError:
    """One sentence for what pdfminer logged while reading a page (or the file)."""
    shown = "; ".join(dict.fromkeys(warnings))
    where = f"page {page_no}" if page_no is not None else "the PDF"
    return InputError(f"{name}: {where} is damaged: pdfminer reports \u201c{shown}\u201d while "
                      "reading it, so part of its text may be lost; the report is refused.")
