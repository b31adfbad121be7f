"""Reading a report's file(s) into one Document: the half of a conversion that needs no
pandas, pandera or pyarrow.

One module per input format (``pdf`` with its helpers, ``xlsx``, ``docx`` over
``ooxml``, ``text``), each turning a file into a ``Document`` of grids and paragraphs;
only this package knows file formats. ``bundle`` combines a folder's parts. Reading knows
no table: the parts are told apart by the ``classify`` its caller gives
(``tidy.structure.grid_classifier``). A worker reads a report in a process of its own
while its parent loads the stages' libraries (``batch/workers.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from pipeline.read.bundle import combine_parts
from pipeline.errors import InputError
from pipeline.read.text import decode_report_bytes, text_to_document
from pipeline.job import TEXT_SUFFIXES, ReportInput
from pipeline.records import Document, Grid

# xlrd reads .xls merges but is kept for .xls alone and no further; nothing well kept reads .doc.
_OLD_OFFICE = {
    ".xls": "Excel 97–2003 workbooks (.xls) are not read; open it in Excel or LibreOffice "
            "and save it as .xlsx, or print it to PDF.",
    ".doc": "Word 97–2003 documents (.doc) are not read; open it in Word or LibreOffice "
            "and save it as .docx, or print it to PDF.",
}


_READERS = {".pdf": "pipeline.read.pdf", ".xlsx": "pipeline.read.xlsx",
            ".docx": "pipeline.read.docx"}


def load_readers(reports: list[ReportInput]) -> None:
    """Import the readers (pdfplumber, pypdfium2, openpyxl, python-docx) these reports
    need, so that the reading children forked afterwards do not each import them."""
    suffixes = {path.suffix.lower() for report in reports for path in report.paths}
    for suffix in sorted(suffixes & set(_READERS)):
        importlib.import_module(_READERS[suffix])


def read_report(report: ReportInput, classify: Callable[[Grid], str],
                ocr: str = "auto") -> Document:
    """A report's Document: its one file's, or its folder's parts combined, told apart by
    ``classify`` (a grid → its table kind, as ``structure.grid_classifier`` gives).
    ``ocr``: which PDF pages are read by OCR (``RunSettings.ocr``)."""
    if not report.bundle:
        return read_document(report.paths[0], ocr)
    if not report.paths:
        raise InputError(f"{report.given}: the folder holds no report files.")
    parts = [read_document(path, ocr) for path in report.paths]
    return combine_parts(parts, classify, report.report_id)


def supported_formats() -> str:
    """The report files the readers take, for messages: '.pdf, .xlsx, … or .txt'."""
    names = [".pdf", ".xlsx", ".docx", *TEXT_SUFFIXES]
    return ", ".join(names[:-1]) + " or " + names[-1]


def read_document(path: Path, ocr: str = "auto") -> Document:
    """The reader for the file's format; a file that cannot be read is an InputError.
    ``ocr``: which PDF pages are read by OCR (auto: those without a text layer)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder.")
    if not path.is_file():
        raise InputError(f"{path}: not a file.")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pipeline.read.pdf import pdf_to_document  # pdfplumber only when needed

        return pdf_to_document(path, {"ocr": ocr})
    if suffix == ".xlsx":
        from pipeline.read.xlsx import xlsx_to_document

        return xlsx_to_document(path)
    if suffix == ".docx":
        from pipeline.read.docx import docx_to_document

        return docx_to_document(path)
    if suffix in _OLD_OFFICE:
        raise InputError(f"{path.name}: {_OLD_OFFICE[suffix]}")
    if suffix not in TEXT_SUFFIXES:
        raise InputError(f"{path.name}: not a supported format ({suffix or 'no extension'}); "
                         f"a report is a {supported_formats()} file.")
    text = decode_report_bytes(path.read_bytes(), path.name)
    return text_to_document(text, path.name, TEXT_SUFFIXES.get(path.suffix.lower(), "text"))
