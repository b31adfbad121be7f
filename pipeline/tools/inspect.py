"""See how a report is read: one PDF page drawn with its regions, or the grids and
paragraphs of an Excel, Word or text report, one line each.

For tuning ``PdfSettings`` on a new layout: the PNG shows pdfplumber's table finder
(edges, intersections, cells), each grid's box in red and each text line's box in
green; the lines name every region and the table each grid was recognised as.
The drawing itself is done in ``read/pdf.py``; pdfplumber is imported only inside
``pipeline/read/`` (``pdf.py``, ``pdf_open.py``, ``table_finder.py``, ``table_text.py``,
``doubled_glyphs.py``, ``ocr_image.py``), never here.
An Office or text file has no geometry to draw: its lines name each sheet range or Word table,
its size and what it was recognised as, so a user sees why a new file does not parse.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.read.pdf import PageRegion, PdfSettings, render_page_regions
from pipeline.profiles import Profile, given_profile
from pipeline.records import BBox, Document, Grid
from pipeline.tidy.structure import grid_classifier

_PREVIEW_CHARS = 40


def inspect_page(path: Path, page_no: int, out_png: Path,
                 settings: PdfSettings | dict[str, Any] | None = None,
                 resolution: int = 100, profile: Profile | Path | str | None = None) -> list[str]:
    """Render page ``page_no`` (1-based) with its regions to ``out_png``; describe each,
    with the table kind ``profile`` (default: the built-in one) takes it for.

    Example line: ``table 1 at (32.6, 39.5, 1157.7, 802.6): 28 rows × 9 columns → items``.
    """
    regions = render_page_regions(path, page_no, out_png, settings, resolution)
    return describe_regions(regions, grid_classifier(given_profile(profile)))


def inspect_document(path: Path, profile: Profile | Path | str | None = None) -> list[str]:
    """The grids and paragraphs of an .xlsx, .docx or text report, each with what it
    became under ``profile`` (a file that cannot be read is its one InputError sentence)."""
    from pipeline.read import read_document  # each reader loads its library when needed

    return describe_document(read_document(path), grid_classifier(given_profile(profile)))


def describe_regions(regions: tuple[PageRegion, ...], classify: Callable[[Grid], str]
                     ) -> list[str]:
    """One human line per region, tables and paragraphs numbered separately."""
    lines: list[str] = []
    tables = paragraphs = 0
    for region in regions:
        where = _format_box(region.bbox)
        if isinstance(region.block, Grid):
            tables += 1
            grid = region.block
            width = max((len(row) for row in grid.rows), default=0)
            found_by = " (text-aligned)" if region.text_aligned else ""
            lines.append(f"table {tables}{found_by} at {where}: {len(grid.rows)} rows × "
                         f"{width} columns → {classify(grid)}")
        else:
            paragraphs += 1
            lines.append(f"paragraph {paragraphs} at {where}: {_preview(region.block.text)}")
    return lines


def describe_document(document: Document, classify: Callable[[Grid], str]) -> list[str]:
    """One line per grid and paragraph of a Document read from an Office file.

    Example line: ``table 別紙!A9:I122: 114 rows × 9 columns → items``.
    """
    lines = []
    for block in document.blocks:
        if isinstance(block, Grid):
            width = max((len(row) for row in block.rows), default=0)
            lines.append(f"{_label('table', _where(block))}: {len(block.rows)} rows × {width} columns "
                         f"→ {classify(block)}")
        else:
            lines.append(f"{_label('paragraph', _where(block))}: {_preview(block.text)}")
    for what, count in document.skipped.items():
        lines.append(f"skipped: {count} {what.replace('_', ' ')} (not printed)")
    return lines


def _where(block: Grid | Any) -> str | None:
    """An Office block's ref, or a text report's first line ('line 12')."""
    return block.ref or (None if block.line is None else f"at line {block.line}")


def _label(kind: str, ref: str | None) -> str:
    """'table 別紙!A9:I122' for a sheet range; a Word ref ('table 2') names its kind already."""
    return ref if ref and ref.startswith(kind) else f"{kind} {ref}"


def _format_box(bbox: BBox) -> str:
    return "(" + ", ".join(f"{value:.1f}" for value in bbox) + ")"


def _preview(text: str) -> str:
    shown = text if len(text) <= _PREVIEW_CHARS else text[:_PREVIEW_CHARS] + "…"
    return repr(shown)
