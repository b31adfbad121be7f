"""Plain, frozen records passed between the stages.

Every stage takes and returns these (or tuples of them); none of them knows which
file format a report came from. Provenance travels with each cell so that a failure
can name the page, line and box it came from, or the sheet cell or Word table row
(``ref``), and the file of a report made of several (``file``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.errors import Failure

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


@dataclass(frozen=True)
class Cell:
    """One cell of a grid as printed; ``text`` is None where a merged cell covers it."""

    text: str | None
    page: int | None = None  # 1-based PDF page; None for text inputs
    line: int | None = None  # 1-based line in a text input; None for PDFs
    bbox: BBox | None = None  # PDF cell box; None for text inputs
    ref: str | None = None  # Office inputs: "別紙!C12" (sheet!cell), "table 4 row 17 column 3"
    file: str | None = None  # the part's file name, in a report of several files
    # The text as printed, once the document is repaired (``text`` is then the repaired
    # one); None before repair. Kept for provenance, never compared.
    printed: str | None = field(default=None, compare=False)

    @property
    def is_blank(self) -> bool:
        return self.text is None or not self.text.strip()

    @property
    def source_ref(self) -> str | None:
        """Where a reader finds the cell: '別紙!C12', 'table 4 row 17 column 3', 'page 3', 'line 64'."""
        return _source_ref(self.ref, self.page, self.line)

    @property
    def where(self) -> str:
        """'page 3,', 'line 64,' or 'memo.docx table 2 row 3 column 1,' to start a
        message with; '' when unknown."""
        return _where(self.file, self.source_ref)


@dataclass(frozen=True)
class Grid:
    """A table as printed: rows of cells, header rows included."""

    rows: tuple[tuple[Cell, ...], ...]
    page: int | None = None
    line: int | None = None
    ref: str | None = None  # Office inputs: "別紙!A9:I122", "table 4"
    file: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A run of text outside any table. ``level`` is 1–6 for a Markdown heading, else 0.

    Line wraps inside a paragraph are kept as ``\\n``; normalisation joins them.
    """

    text: str
    page: int | None = None
    line: int | None = None
    level: int = 0
    ref: str | None = None  # Office inputs: "別紙!A2", "paragraph 12"
    file: str | None = None
    printed: str | None = field(default=None, compare=False)  # as for Cell.printed

    @property
    def source_ref(self) -> str | None:
        return _source_ref(self.ref, self.page, self.line)

    @property
    def where(self) -> str:
        return _where(self.file, self.source_ref)


Block = Grid | Paragraph


@dataclass(frozen=True)
class Document:
    """What a reader makes of one input file: its blocks in reading order."""

    source: str  # the file name (a report of several files: its folder's), for messages
    input_format: str  # "text", "markdown", "pdf", "xlsx", "docx"; joined by "+" for parts
    blocks: tuple[Block, ...]
    page_count: int | None = None
    metadata: dict[str, str] = field(default_factory=dict, compare=False)
    # What the reader left out because it is not printed: hidden_sheets, hidden_rows, …
    skipped: dict[str, int] = field(default_factory=dict, compare=False)
    # The part's role in a report of several files, set when parts are combined:
    # ("front",), ("attachment",) or both; () for a single-file report.
    parts: tuple[str, ...] = ()
    repaired: bool = False  # text repaired once (pipeline.tidy.repair); printed text kept
    # What the reader found wrong or doubtful, naming page and cell: warnings (text drawn
    # outside a PDF page's box, an OCR reading it is unsure of or corrected) and errors (an
    # OCR mark it could not decide); the conversion's failures and warnings put them first.
    findings: tuple[Failure, ...] = field(default=(), compare=False)


def _source_ref(ref: str | None, page: int | None, line: int | None) -> str | None:
    if ref is not None:
        return ref
    if page is not None:
        return f"page {page}"
    return f"line {line}" if line is not None else None


def _where(file: str | None, source_ref: str | None) -> str:
    shown = " ".join(part for part in (file, source_ref) if part)
    return f"{shown}," if shown else ""
