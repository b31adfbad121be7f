"""Opening a PDF, and reading its pages, with the file's damage named in one sentence:
not a PDF, encrypted, truncated, a page tree pdfminer cannot walk, a page object it
cannot make, a content stream that does not inflate, or anything pdfminer logs meanwhile
(which would otherwise reach stderr naming no file). ``pdf.py`` reads the opened pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfpage import PDFPage
from pdfminer.psexceptions import PSEOF
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import InputError
from pipeline.read.pdf_backend import PageSources
from pipeline.read.pdf_damage import (
    check_content_streams,
    check_font_widths,
    check_page_list,
    page_tree_ids,
    pdfminer_warnings,
    warnings_error,
)

__all__ = ["filled_page", "open_pdf", "page_read"]


@contextmanager
def open_pdf(path: Path) -> Iterator[Any]:
    """Open a PDF, or say in one sentence why it cannot be read as one."""
    name = path.name
    _check_pdf_header(path)
    with pdfminer_warnings() as warnings:
        try:
            pdf = pdfplumber.open(path)
        except PdfminerException as error:
            raise _open_error(name, error) from error
    try:
        with pdfminer_warnings() as more:
            try:
                tree = page_tree_ids(pdf.doc, name)
                pdf.pages  # parses every page object (its boxes) in the page tree's order
            except InputError:
                raise
            except Exception as error:  # pdfminer raises many kinds on damaged files
                raise _page_list_error(pdf, name, error) from error
        # A page object pdfminer cannot read is left out of its list, silently: every
        # page is checked against the page tree, so none is lost or renumbered.
        check_page_list(tree, [page.page_obj.pageid for page in pdf.pages], name)
        if warnings or more:
            raise warnings_error(warnings + more, name, None)
        yield pdf
    finally:
        _close(pdf)


def _page_list_error(pdf: Any, name: str, error: Exception) -> InputError:
    """The first page pdfplumber cannot make of its page object, or the page list."""
    try:
        for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), start=1):
            try:
                Page(pdf, page_obj, page_number=number, initial_doctop=0)
            except Exception as page_error:  # pdfplumber's and pdfminer's many kinds
                return InputError(f"{name}: page {number} is damaged: its page object cannot "
                                  f"be read ({page_error}); the report is refused.")
    except Exception:  # the page tree itself: said below
        pass
    return InputError(f"{name}: the PDF is damaged: its list of pages cannot be read "
                      f"({type(error).__name__}).")


def _close(pdf: Any) -> None:
    with pdfminer_warnings():  # closing parses the pages again where they failed to parse
        try:
            pdf.close()
        except Exception:  # the pages could not be made: close the file alone
            pdf.stream.close()


def _check_pdf_header(path: Path) -> None:
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError:
        raise InputError(f"{name}: the file does not exist.") from None
    except OSError as error:
        raise InputError(f"{name}: the file cannot be opened ({error.strerror}).") from None
    if not head.strip():
        raise InputError(f"{name}: the file is empty.")
    # The PDF standard lets the header start anywhere in the first 1024 bytes.
    if b"%PDF-" not in head:
        raise InputError(f"{name}: this is not a PDF file (it has no %PDF- header).")


def _open_error(name: str, error: PdfminerException) -> InputError:
    cause = error.args[0] if error.args else error
    if isinstance(cause, PDFEncryptionError):
        return InputError(f"{name}: the PDF is encrypted or password-protected; "
                          "save an unprotected copy and try again.")
    if isinstance(cause, PSEOF):
        return InputError(f"{name}: the PDF is truncated (it ends before its last object); "
                          "download or export it again.")
    return InputError(f"{name}: the PDF is damaged and cannot be read "
                      f"({type(cause).__name__}).")


def _page(pdf: Any, page_no: int, name: str) -> Any:
    count = len(pdf.pages)
    if not 1 <= page_no <= count:
        raise InputError(f"{name}: there is no page {page_no}; the PDF has {count} "
                         f"page{'s' if count != 1 else ''}.")
    return pdf.pages[page_no - 1]


def filled_page(pdf: Any, page_no: int, name: str, sources: PageSources) -> Any:
    """Page ``page_no`` (1-based) with its objects parsed from the chosen source, its damage
    named; an InputError for a page the PDF does not have."""
    page = _page(pdf, page_no, name)
    sources.expect_pages(len(pdf.pages))
    with page_read(page, name):
        sources.fill(pdf, page)
        page.objects  # parsed while pdfminer's warnings are kept and named
    return page


@contextmanager
def page_read(page: Any, name: str) -> Iterator[None]:
    """Read a page with its damage named: a stream that does not inflate whole, or
    anything pdfminer logs meanwhile (which would otherwise reach stderr naming no file)."""
    with pdfminer_warnings() as warnings:
        try:
            check_content_streams(page, name)
            check_font_widths(page, name)
            yield
        except InputError as error:
            if warnings:  # what pdfminer logged is the cause of what went wrong after
                raise warnings_error(warnings, name, page.page_number) from error
            raise
    if warnings:
        raise warnings_error(warnings, name, page.page_number)
