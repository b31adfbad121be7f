"""Plain, frozen records passed between the stages.

Every stage takes and returns these (or tuples of them); none of them knows which
file format a report came from. Provenance travels with each cell so that a failure
can name the page, line and box it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


@dataclass(frozen=True)
class Cell:
    """One cell of a grid as printed; ``text`` is None where a merged cell covers it."""

    text: str | None
    page: int | None = None  # 1-based PDF page; None for text inputs
    line: int | None = None  # 1-based line in a text input; None for PDFs
    bbox: BBox | None = None  # PDF cell box; None for text inputs
    # The text as printed, once the document is repaired (``text`` is then the repaired
    # one); None before repair. Kept for provenance, never compared.
    printed: str | None = field(default=None, compare=False)

    @property
    def is_blank(self) -> bool:
        return self.text is None or not self.text.strip()

    @property
    def where(self) -> str:
        """'page 3,' or 'line 64,' to start a message with; '' when unknown."""
        if self.page is not None:
            return f"page {self.page},"
        return f"line {self.line}," if self.line is not None else ""


@dataclass(frozen=True)
class Grid:
    """A table as printed: rows of cells, header rows included."""

    rows: tuple[tuple[Cell, ...], ...]
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Paragraph:
    """A run of text outside any table. ``level`` is 1–6 for a Markdown heading, else 0.

    Line wraps inside a paragraph are kept as ``\\n``; normalisation joins them.
    """

    text: str
    page: int | None = None
    line: int | None = None
    level: int = 0
    printed: str | None = field(default=None, compare=False)  # as for Cell.printed


Block = Grid | Paragraph


@dataclass(frozen=True)
class Document:
    """What a reader makes of one input file: its blocks in reading order."""

    source: str  # the file name, for messages and report.json
    input_format: str  # "text", "markdown" or "pdf"
    blocks: tuple[Block, ...]
    page_count: int | None = None
    metadata: dict[str, str] = field(default_factory=dict, compare=False)
    repaired: bool = False  # text repaired once (pipeline.repair); printed text kept
