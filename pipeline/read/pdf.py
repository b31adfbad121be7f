"""PDF reports → ``Document``, with pdfplumber (``table_text.py`` uses its text step too)
over the pages ``pdf_open.py`` opens, their damage named.

Each page gives, top to bottom, one ``Grid`` per ruled table and one ``Paragraph`` per
text line outside the tables, so that the later, format-blind stages see what the text
reader would give them. Cells are kept as printed: wrapped lines stay as ``\\n``, a cell
covered by a merged cell is ``None``, repeated header rows stay. A page without ruled
tables may hold a table laid out by alignment alone; that is read as a grid too.

Damaged glyphs (Kangxi radicals, full-width digits) are left for the shared
normalisation stage; only fake-bold doubled characters are removed here, because they
are a drawing artefact that exists in PDFs alone. Text drawn outside the page (clipped,
never printed) is not read, and said (``unprinted_text``); text inside a table but in none
of its cells becomes lines, so that nothing printed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdfplumber.utils import extract_text, extract_words

from pipeline.errors import Failure, InputError, UnreadablePageError
from pipeline.read.doubled_glyphs import without_doubled_chars
from pipeline.read.pdf_backend import BACKENDS, PageSources, page_sources
from pipeline.read.pdf_damage import unmapped_glyph_error
from pipeline.read.pdf_open import filled_page, open_pdf, page_read
from pipeline.read.settings import resolve_settings
from pipeline.read.table_finder import find_tables
from pipeline.read.table_text import table_cell_texts
from pipeline.job import OCR_MODES
from pipeline.read.ocr_source import OcrSource
from pipeline.read.unruled import (
    column_gap_runs,
    has_column_gap,
    join_wrapped_rows,
    union,
)
from pipeline.records import BBox, Block, Cell, Document, Grid, Paragraph

_UNMAPPED_GLYPH = re.compile(r"^\(cid:\d+\)$")


class ScannedPageError(UnreadablePageError):
    """A page with images or drawings and (almost) no text: read by OCR unless ``never``.
    ``found``: what the page holds instead, for the message when OCR reads nothing."""

    def __init__(self, message: str, found: str):
        super().__init__(message)
        self.found = found


@dataclass(frozen=True)
class PdfSettings:
    """How ruled tables, text lines and text layers are read from a PDF page."""

    # Word draws rules half a point apart and shades header cells with overlapping
    # rects; Excel draws each cell's rule as its own segment. 3 pt snaps and joins
    # them, well under the 10+ pt height of a row (the sample reads alike from 0.5 to 6).
    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    intersection_tolerance: float = 3.0
    edge_min_length: float = 3.0
    # Gaps wider than this share of the font size start a new word (a space). Word's
    # autospace between kana/kanji and Latin letters or digits is 0.2 em (令和 5 年度),
    # and Japanese has no spaces between words, so the threshold sits above that; real
    # spaces are characters in the text layer and are kept whatever the threshold.
    x_tolerance_ratio: float = 0.4
    # Lines inside a cell are ~1.3 em apart; 3 pt keeps a line's glyphs together
    # (mixed fonts sit a point apart) without merging two lines.
    y_tolerance: float = 3.0
    dedupe_chars: bool = True  # fake bold: each glyph drawn twice, a fraction of a point apart
    dedupe_tolerance: float = 1.0
    # Fewer readable characters than this beside images or drawings means a scanned
    # page; a scan may carry a stamped page number ("- 3 -"), a real page holds hundreds.
    min_text_chars: int = 5
    # A larger share of "(cid:NNN)" glyphs means the font has no Unicode map: the page is
    # refused as having no text layer (export again or OCR). Fewer are refused too, each
    # named by its cell or line (pdf_damage.py): a placeholder is never written as text.
    max_unmapped_share: float = 0.05
    # On a page without ruled tables, lines with column gaps are read as a table with
    # pdfplumber's "text" strategy.
    detect_unruled_tables: bool = True
    column_gap_ratio: float = 2.0  # a gap of this many em between glyphs is a column gap
    # Who parses the pages: pdfium (C, several times faster; a page it cannot match
    # pdfminer on is read by pdfminer) or pdfminer alone (pdfplumber's own parser).
    backend: str = "pdfium"
    # Pages read by OCR: those without a usable text layer ("auto"), every page
    # ("always"), or none, a scanned page being refused ("never").
    ocr: str = "auto"

    def __post_init__(self) -> None:
        for name in ("snap_tolerance", "join_tolerance", "intersection_tolerance",
                     "edge_min_length", "y_tolerance", "dedupe_tolerance", "min_text_chars"):
            if getattr(self, name) < 0:
                raise ValueError(f"PdfSettings.{name} must not be negative.")
        if self.x_tolerance_ratio <= 0:
            raise ValueError("PdfSettings.x_tolerance_ratio must be positive.")
        if not 0 <= self.max_unmapped_share <= 1:
            raise ValueError("PdfSettings.max_unmapped_share must be between 0 and 1.")
        if self.backend not in BACKENDS:
            raise ValueError(f"PdfSettings.backend must be one of {', '.join(BACKENDS)}, "
                             f"not {self.backend!r}.")
        if self.ocr not in OCR_MODES:
            raise ValueError(f"PdfSettings.ocr must be one of {', '.join(OCR_MODES)}, "
                             f"not {self.ocr!r}.")
        if self.column_gap_ratio <= self.x_tolerance_ratio:
            raise ValueError("PdfSettings.column_gap_ratio must exceed x_tolerance_ratio: "
                             "a column gap is wider than a word gap.")

    @classmethod
    def resolve(cls, settings: None | dict[str, Any] | PdfSettings) -> PdfSettings:
        """Settings from None (the defaults), a dict of overrides, or an instance."""
        return resolve_settings(cls, settings)

    def text_settings(self) -> dict[str, Any]:
        """Keyword arguments for pdfplumber's text and word extraction."""
        return {"x_tolerance_ratio": self.x_tolerance_ratio, "y_tolerance": self.y_tolerance}

    def cell_text_settings(self) -> dict[str, Any]:
        """Text settings for table cells: blank characters are kept, so that a printed
        space where a cell wraps survives as "… \n…" and join_wrapped keeps it."""
        return {**self.text_settings(), "keep_blank_chars": True}

    def ruled_table_settings(self) -> dict[str, Any]:
        """pdfplumber table settings for tables drawn with rules."""
        return {
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": self.snap_tolerance,
            "join_tolerance": self.join_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
            "edge_min_length": self.edge_min_length,
            **{f"text_{key}": value for key, value in self.text_settings().items()},
        }

    def aligned_table_settings(self) -> dict[str, Any]:
        """pdfplumber table settings for tables laid out by text alignment alone."""
        # Two aligned words make a column edge, so a two-row table is found too.
        return {**self.ruled_table_settings(), "vertical_strategy": "text",
                "horizontal_strategy": "text", "min_words_vertical": 2}


@dataclass(frozen=True)
class PageRegion:
    """A block with the box it was read from, for reading order and visual debugging."""

    bbox: BBox
    block: Block
    text_aligned: bool = False  # a grid found by text alignment rather than by rules


def pdf_to_document(path: Path, settings: PdfSettings | dict[str, Any] | None = None) -> Document:
    """Read a PDF report into grids and paragraphs, page by page, in reading order."""
    settings = PdfSettings.resolve(settings)
    blocks: list[Block] = []
    findings: list[Failure] = []
    previous_text = ""
    ocr = OcrSource(path)
    with open_pdf(path) as pdf, page_sources(path, settings.backend) as sources:
        sources.expect_pages(len(pdf.pages))
        try:
            for page in pdf.pages:
                try:
                    page_blocks, outside = _page_blocks(pdf, page, path.name, settings,
                                                        sources, ocr, previous_text)
                    blocks.extend(page_blocks)
                    findings += outside
                    previous_text = "".join(char["text"] for char in page.chars)
                finally:
                    page.close()  # drops the page's parsed objects: memory stays flat
        finally:
            ocr.close()
        return Document(source=path.name, input_format="pdf", blocks=tuple(blocks),
                        page_count=len(pdf.pages),
                        metadata=_metadata(pdf.metadata) | sources.as_metadata()
                        | ocr.metadata(), findings=tuple(findings) + ocr.doubts())


def _page_blocks(pdf: Any, page: Any, name: str, settings: PdfSettings, sources: PageSources,
                 ocr: OcrSource, previous_text: str) -> tuple[list[Block], list[Failure]]:
    """A page's blocks from its text layer, or by OCR where it has none (or always), and
    the warnings of text drawn outside its box (``unprinted_text``)."""
    if settings.ocr == "always":
        return [block for _, block in ocr.read(page.page_number, None)], []
    try:
        with page_read(page, name):
            sources.fill(pdf, page)
            regions = page_regions(page, name, settings)
            outside = unprinted_text(page, previous_text, name, settings)
    except ScannedPageError as scanned:
        if settings.ocr == "never":
            raise
        return [block for _, block in ocr.read(page.page_number, scanned.found)], []
    return [region.block for region in regions], outside


def read_page_regions(path: Path, page_no: int,
                      settings: PdfSettings | dict[str, Any] | None = None
                      ) -> tuple[PageRegion, ...]:
    """The regions of one page (1-based), with their boxes."""
    settings = PdfSettings.resolve(settings)
    with open_pdf(path) as pdf, page_sources(path, settings.backend) as sources:
        return tuple(page_regions(filled_page(pdf, page_no, path.name, sources), path.name,
                                  settings))


def render_page_regions(path: Path, page_no: int, out_png: Path,
                        settings: PdfSettings | dict[str, Any] | None = None,
                        resolution: int = 100) -> tuple[PageRegion, ...]:
    """Draw pdfplumber's table finder and each region's box over the page, to a PNG."""
    settings = PdfSettings.resolve(settings)
    with open_pdf(path) as pdf, page_sources(path, settings.backend) as sources:
        page = filled_page(pdf, page_no, path.name, sources)
        regions = tuple(page_regions(page, path.name, settings))
        try:
            image = page.to_image(resolution=resolution)
        except Exception as error:  # pypdfium2 has its own error types for damaged pages
            raise InputError(f"{path.name}: page {page_no} cannot be rendered "
                             f"({type(error).__name__}).") from error
        image.debug_tablefinder(settings.ruled_table_settings())
        for region in regions:
            if isinstance(region.block, Grid):
                cells = [cell.bbox for row in region.block.rows for cell in row if cell.bbox]
                image.draw_rects(cells, fill=(0, 0, 255, 20), stroke=(0, 0, 255, 120),
                                 stroke_width=1)
                image.draw_rect(region.bbox, fill=(0, 0, 0, 0), stroke=(220, 0, 0),
                                stroke_width=3)
            else:
                image.draw_rect(region.bbox, fill=(0, 160, 0, 30), stroke=(0, 140, 0),
                                stroke_width=1)
        out_png.parent.mkdir(parents=True, exist_ok=True)
        image.save(out_png, format="PNG")
        return regions


def _metadata(info: dict[str, Any]) -> dict[str, str]:
    # pdfplumber has decoded the text strings; dates stay as printed (D:2024…).
    return {key: value.strip() for key, value in info.items()
            if isinstance(value, str) and value.strip()}


def page_regions(page: Any, source: str, settings: PdfSettings) -> list[PageRegion]:
    """One page's grids and text lines with their boxes, top to bottom."""
    page_no = page.page_number
    try:
        page.objects  # parses the content stream: the only step that reads the file
    except (MemoryError, SystemError):
        raise  # the report's memory limit (or the interpreter's own error), not a damaged page
    except Exception as error:  # pdfminer raises many kinds on damaged streams
        raise InputError(f"{source}: page {page_no} is damaged and cannot be read "
                         f"({type(error).__name__}).") from error
    # Excel centres a merged cell's text over its whole range, so a measure that runs
    # on from the previous page leaves its name above this page's top edge: clipped,
    # never printed, and not part of the page as read.
    visible = page.cropbox
    if not all(_centre_in(char, visible) for char in page.chars):  # filtering copies the page
        page = page.filter(lambda obj: obj.get("object_type") != "char"
                           or _centre_in(obj, visible))
    if settings.dedupe_chars:
        page = without_doubled_chars(page, settings.dedupe_tolerance)
    check_text_layer(page, source, settings)
    tables = find_ruled_tables(page, settings)
    regions = [PageRegion(_box(table.bbox), table_to_grid(table, page_no, settings))
               for table in tables]
    lines = text_lines_outside(page, tables, settings)
    if not tables and settings.detect_unruled_tables:
        aligned, lines = aligned_tables(page, lines, settings)
        regions.extend(aligned)
    regions.extend(PageRegion(_box((line["x0"], line["top"], line["x1"], line["bottom"])),
                              Paragraph(text=line["text"], page=page_no)) for line in lines)
    regions.sort(key=lambda region: (region.bbox[1], region.bbox[0]))
    unmapped = unmapped_glyph_error([region.block for region in regions], source, page_no)
    if unmapped is not None:
        raise unmapped
    return regions


def unprinted_text(page: Any, previous_text: str, source: str, settings: PdfSettings
                   ) -> list[Failure]:
    """A warning naming the page and the text drawn outside its visible box (its
    /CropBox, else /MediaBox), which ``page_regions`` does not read. None for Excel's
    clipped repeat: a merged cell running on from the previous page draws its text
    above this page's top, lines the previous page prints (``previous_text``: its
    chars). Such text inside a ruled table is an InputError: the table's cells would
    lose it, as they do when a damaged page box cuts through the table."""
    visible = page.cropbox
    dropped = [char for char in page.chars if not _centre_in(char, visible)]
    if not dropped:
        return []
    box = " ".join(f"{value:g}" for value in page.page_obj.cropbox)  # as the PDF writes it
    tables = [table.bbox for table in find_ruled_tables(page, settings)]
    in_tables = [char for char in dropped if _centre_in_any(char, tables)]
    if in_tables:
        raise InputError(f"{source}: page {page.page_number}: text of a table lies outside "
                         f"the page's visible box [{box}] and would be lost "
                         f"({_shown(in_tables, settings, 60)!r}); the page box is probably "
                         "damaged: export or download the PDF again.")
    seen = "".join(previous_text.split())
    above = [char for char in dropped if (char["top"] + char["bottom"]) / 2 < visible[1]]
    if len(above) == len(dropped) and all(
            "".join(word["text"].split()) in seen
            for word in extract_words(above, **settings.text_settings())):
        return []
    return [Failure(code="text_outside_page", source=source, page=page.page_number,
                    value=_shown(dropped, settings, 300), severity="warning",
                    message=f"text drawn outside the page's visible box [{box}] is not "
                            "printed and was not read; if the page box is damaged, export "
                            "or download the PDF again")]


def _shown(chars: list[dict[str, Any]], settings: PdfSettings, limit: int) -> str:
    """The chars' text lines, spaces squeezed, cut to ``limit`` characters."""
    text = " ".join(extract_text(chars, **settings.text_settings()).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def check_text_layer(page: Any, source: str, settings: PdfSettings) -> None:
    """Raise UnreadablePageError for a scanned page or one whose glyphs have no Unicode."""
    glyphs = [char["text"] for char in page.chars if not char["text"].isspace()]
    unmapped = sum(1 for glyph in glyphs if _UNMAPPED_GLYPH.match(glyph))
    where = f"{source}: page {page.page_number} has no readable text layer"
    if glyphs and unmapped / len(glyphs) > settings.max_unmapped_share:
        raise UnreadablePageError(
            f"{where} ({unmapped} of its {len(glyphs)} characters extract as (cid:NNN) "
            "because the font has no Unicode map; export the PDF again or run OCR).")
    readable = len(glyphs) - unmapped
    has_graphics = bool(page.images or page.rects or page.lines or page.curves)
    if readable < settings.min_text_chars and has_graphics:
        found = (f"only {readable} characters of text beside images or drawings" if readable
                 else "no text at all, only images or drawings")
        raise ScannedPageError(f"{where} ({found}: it looks scanned and needs OCR).", found)


def table_to_grid(table: Any, page_no: int, settings: PdfSettings,
                  drop_empty_rows: bool = False) -> Grid:
    """A pdfplumber table as printed cells; None where a merged cell covers a position."""
    rows = []
    for texts, row in zip(table_cell_texts(table, **settings.cell_text_settings()), table.rows):
        if drop_empty_rows and not any(text and text.strip() for text in texts):
            continue
        rows.append(tuple(Cell(text=text, page=page_no,
                               bbox=_box(box) if box is not None else None)
                          for text, box in zip(texts, row.cells)))
    return Grid(rows=tuple(rows), page=page_no)


def find_ruled_tables(page: Any, settings: PdfSettings) -> list[Any]:
    """The page's ruled tables; a table with an open outer border is found again, closed."""
    # pdfplumber drops one-cell "tables" itself, so a box drawn around a legend stays
    # text, as it is in the text reader.
    tables = find_tables(page, settings.ruled_table_settings())
    if not any(_has_holes(table) for table in tables):
        return tables
    # A merged cell running on to the next page may be printed without its bottom rule;
    # pdfplumber then finds no cell there and its text would be lost. Drawing each
    # table's own outline closes such cells.
    borders = [_outline_edges(table.bbox) for table in tables]
    return find_tables(page, {
        **settings.ruled_table_settings(),
        "explicit_horizontal_lines": [edge for h, _ in borders for edge in h],
        "explicit_vertical_lines": [edge for _, v in borders for edge in v],
    })


def _has_holes(table: Any) -> bool:
    # Cells never overlap, so they tile the table's box exactly unless one is missing.
    x0, top, x1, bottom = table.bbox
    covered = sum((c[2] - c[0]) * (c[3] - c[1]) for c in table.cells)
    return (x1 - x0) * (bottom - top) - covered > 1.0


def _outline_edges(bbox: tuple[float, ...]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    x0, top, x1, bottom = bbox
    horizontal = [{"object_type": "outline_edge", "orientation": "h", "x0": x0, "x1": x1,
                   "top": y, "bottom": y, "width": x1 - x0, "height": 0} for y in (top, bottom)]
    vertical = [{"object_type": "outline_edge", "orientation": "v", "x0": x, "x1": x,
                 "top": top, "bottom": bottom, "width": 0, "height": bottom - top}
                for x in (x0, x1)]
    return horizontal, vertical


def text_lines_outside(page: Any, tables: list[Any], settings: PdfSettings
                       ) -> list[dict[str, Any]]:
    """Text lines of the characters in no table cell, with their chars and boxes."""
    if tables:
        # A table without holes is tested by its box alone, which is much cheaper; in
        # one with holes, text outside every cell is read as lines rather than lost.
        boxes = [table.bbox for table in tables if not _has_holes(table)]
        boxes += [cell for table in tables if _has_holes(table) for cell in table.cells]
        inside = {id(char) for char in page.chars if _centre_in_any(char, boxes)}
        page = page.filter(lambda obj: id(obj) not in inside)
    lines = page.extract_text_lines(strip=True, return_chars=True, **settings.text_settings())
    return [line for line in lines if line["text"]]


def _centre_in_any(obj: dict[str, Any], boxes: list[Any]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    for x0, top, x1, bottom in boxes:
        if x0 <= x < x1 and top <= y < bottom:
            return True
    return False


def _centre_in(obj: dict[str, Any], box: BBox) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def aligned_tables(page: Any, lines: list[dict[str, Any]], settings: PdfSettings
                   ) -> tuple[list[PageRegion], list[dict[str, Any]]]:
    """Tables laid out without rules, and the lines that are not part of one."""
    regions: list[PageRegion] = []
    used: set[int] = set()
    for run in column_gap_runs(lines, settings.column_gap_ratio):
        members = [lines[i] for i in run]
        box = _clamp((min(m["x0"] for m in members) - 1, min(m["top"] for m in members) - 1,
                      max(m["x1"] for m in members) + 1, max(m["bottom"] for m in members) + 1),
                     page.bbox)
        wrapped_tops = [m["top"] for m in members
                        if not has_column_gap(m, settings.column_gap_ratio)]
        # Cropping to the run keeps the text strategy away from ordinary paragraphs,
        # where it would see columns in any left-aligned text.
        tables = find_tables(page.crop(box), settings.aligned_table_settings())
        grids = [join_wrapped_rows(table_to_grid(table, page.page_number, settings,
                                                 drop_empty_rows=True),
                                   wrapped_tops, settings.y_tolerance)
                 for table in tables]
        grids = [grid for grid in grids
                 if len(grid.rows) >= 2 and max(len(row) for row in grid.rows) >= 2]
        regions.extend(PageRegion(union(cell.bbox for row in grid.rows for cell in row),
                                  grid, text_aligned=True) for grid in grids)
        if grids:
            used.update(run)
    return regions, [line for i, line in enumerate(lines) if i not in used]


def _box(bbox: tuple[float, ...]) -> BBox:
    # Two decimals: stable across pdfplumber versions, finer than any rule's width.
    x0, top, x1, bottom = (round(float(value), 2) for value in bbox)
    return (x0, top, x1, bottom)


def _clamp(box: BBox, page_box: tuple[float, ...]) -> BBox:
    return (max(box[0], page_box[0]), max(box[1], page_box[1]),
            min(box[2], page_box[2]), min(box[3], page_box[3]))

