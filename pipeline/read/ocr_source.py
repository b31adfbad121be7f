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

from pipeline.errors import Failure, UnreadablePageError
from pipeline.read.ocr_engine import Engine, load
from pipeline.read.ocr_page import OcrCell, OcrPage, ocr_page
from pipeline.read.ocr_vocabulary import ReportWords
from pipeline.records import BBox, Block, Grid


@dataclass
class OcrSource:
    """Reads pages of one PDF by OCR, and remembers what it read."""

    path: Path
    # A reading the engine is less sure of than this (0–100) is a warning.
    confidence_floor: float = 90.0
    pages: list[int] = field(default_factory=list)
    engine_name: str = ""  # the engine's name and version, once started
    words: ReportWords = field(default_factory=ReportWords)
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
            self.engine_name = self._engine.name
        if self._document is None:
            opened = open_pdfium(self.path)
            self._document = opened.__enter__()
            self._closers.append(opened)
        page: OcrPage = ocr_page(self._engine, page_image(self._document, page_no - 1), page_no,
                                 self.words)
        if not any(_has_text(block) for _, block in page.blocks):
            shown = f"{found}: " if found else ""
            raise UnreadablePageError(f"{self.path.name}: page {page_no} has no readable text "
                                      f"layer ({shown}it looks scanned, and OCR read no text "
                                      "on it).")
        self.pages.append(page_no)
        self.cells.extend(page.cells)
        return page.blocks

    def metadata(self) -> dict[str, str]:
        """What report.json says of the OCR: the pages it read, the engine, and how
        many of its readings are in doubt (each one a record of ``doubts``)."""
        if not self.pages:
            return {}
        doubtful = sum(1 for cell in self.cells if doubt_of(cell, self.confidence_floor))
        return {"ocr": json.dumps({"pages": self.pages, "engine": self.engine_name,
                                   "doubtful_cells": doubtful}, ensure_ascii=False)}

    def doubts(self) -> tuple[Failure, ...]:
        """A record of every reading in doubt: an undecided mark (an error: a status is
        never guessed), a correction, or a confidence under the floor (warnings)."""
        if not self.pages:
            return ()
        found = [_pages_read(self.path.name, self.pages, self.engine_name)]
        for cell in self.cells:
            why = doubt_of(cell, self.confidence_floor)
            if why is not None:
                found.append(_failure(self.path.name, cell, why))
        return tuple(found)

    def close(self) -> None:
        """Close the pdfium document and free Tesseract."""
        for opened in self._closers:
            opened.__exit__(None, None, None)
        self._closers.clear()
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def doubt_of(cell: OcrCell, floor: float) -> str | None:
    """Why a reading is in doubt, or None."""
    if cell.undecided is not None:
        return f"a grade mark whose shape is unclear ({cell.undecided.why})"
    if cell.corrections:
        return "; ".join(f"corrected: {c.why}" for c in cell.corrections)
    if cell.confidence < floor:
        return f"OCR confidence {cell.confidence:.0f} is under {floor:.0f}"
    return None


def _failure(source: str, cell: OcrCell, why: str) -> Failure:
    where = (f"page {cell.page} line {cell.row}" if cell.table is None
             else f"page {cell.page} table {cell.table} row {cell.row} column {cell.column}")
    if cell.bbox is not None:
        where += " (box {:g},{:g},{:g},{:g} pt)".format(*cell.bbox)
    if cell.undecided is not None:
        return Failure(code="ocr_mark_undecided", source=source, page=cell.page,
                       table=None if cell.table is None else f"page {cell.page} table {cell.table}",
                       row=cell.row, column=None if cell.column is None else str(cell.column),
                       value=cell.read,
                       message=f"{where}: read {cell.read!r} by OCR, {why}: the status is "
                               "not guessed; check the scan and correct the source")
    return Failure(code="ocr_doubtful", source=source, page=cell.page, severity="warning",
                   table=None if cell.table is None else f"page {cell.page} table {cell.table}",
                   row=cell.row, column=None if cell.column is None else str(cell.column),
                   value=cell.read,
                   message=f"{where}: read {cell.read!r} by OCR, taken as {cell.text!r} ({why})")


def _pages_read(source: str, pages: list[int], engine: str) -> Failure:
    """The report-level warning of an OCR'd report: a reading the engine is sure of may
    still be wrong (a kanji for a like one: 閉庁 for 開庁), so every cell of these pages
    is a reading, not a copy, and the user is told to check them."""
    shown = ", ".join(map(str, pages))
    return Failure(code="ocr_pages_read", source=source, severity="warning",
                   message=f"page(s) {shown} have no text layer and were read by OCR "
                           f"({engine}): every cell of them is a reading, and one the "
                           "engine was sure of may still be wrong (a like kanji); the "
                           "cells it doubted are listed as ocr_doubtful; check the "
                           "tables against the scan before relying on them")


def _has_text(block: Block) -> bool:
    if isinstance(block, Grid):
        return any(not cell.is_blank for row in block.rows for cell in row)
    return bool(block.text.strip())
