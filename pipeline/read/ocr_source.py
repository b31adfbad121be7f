"""The PDF reader's OCR page source: one per reading, opened on the first page it reads.

The PDF reader hands it the pages without a usable text layer (or every page, with
``ocr="always"``); it starts Tesseract and opens the file with pdfium only then, so a text
PDF never loads the OCR libraries. What it read — the pages, the engine, each cell's
confidence — is kept for the Document's metadata and the warnings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import UnreadablePageError
from pipeline.read.ocr_engine import Engine, load
from pipeline.read.ocr_page import OcrCell, OcrPage, ocr_page
from pipeline.records import BBox, Block, Grid


@dataclass
class OcrSource:
    """Reads pages of one PDF by OCR, and remembers what it read."""

    path: Path
    pages: list[int] = field(default_factory=list)
    cells: list[OcrCell] = field(default_factory=list)
    _engine: Engine | None = None
    _document: Any = None
    _closers: list[Any] = field(default_factory=list)

    def read(self, page_no: int, found: str | None = None) -> list[tuple[BBox, Block]]:
        """Page ``page_no`` (1-based) as blocks with their boxes, in reading order.
        ``found``: what the text reader found on it instead of text, for the message
        when OCR reads nothing there either."""
        from pipeline.read.pdfium_source import open_pdfium, page_image

        if self._engine is None:
            self._engine = load(self.path.name, page_no)
        if self._document is None:
            opened = open_pdfium(self.path)
            self._document = opened.__enter__()
            self._closers.append(opened)
        page: OcrPage = ocr_page(self._engine, page_image(self._document, page_no - 1), page_no)
        if not any(_has_text(block) for _, block in page.blocks):
            shown = f"{found}: " if found else ""
            raise UnreadablePageError(f"{self.path.name}: page {page_no} has no readable text "
                                      f"layer ({shown}it looks scanned, and OCR read no text "
                                      "on it).")
        self.pages.append(page_no)
        self.cells.extend(page.cells)
        return page.blocks

    def metadata(self) -> dict[str, str]:
        """What report.json says of the OCR: the pages it read and the engine."""
        if not self.pages or self._engine is None:
            return {}
        return {"ocr": json.dumps({"pages": self.pages, "engine": self._engine.name},
                                  ensure_ascii=False)}

    def close(self) -> None:
        """Close the pdfium document and free Tesseract."""
        for opened in self._closers:
            opened.__exit__(None, None, None)
        self._closers.clear()
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def _has_text(block: Block) -> bool:
    if isinstance(block, Grid):
        return any(not cell.is_blank for row in block.rows for cell in row)
    return bool(block.text.strip())
