"""Which parser fills a pdfplumber page: pdfium where it can be trusted, else pdfminer.

pdfplumber keeps a page's parsed objects in ``Page._objects`` and parses the content
stream with pdfminer only when that is unset. Setting it to pdfium's objects, shaped as
pdfminer's (``pdfium_shape.py``), lets everything after it run unchanged. That attribute
is private, so pdfplumber's version is pinned in pyproject.toml and
tests/read/test_pdfium_backend.py checks that the pin and the attribute still hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BACKENDS = ("pdfium", "pdfminer")


@dataclass
class PageSources:
    """The backend each page was read with, and why pdfium was not trusted where not."""

    backend: str
    document: Any = None  # the pdfium document, one per reading thread
    pages: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)
    untrusted: str | None = None  # why pdfium is used for no page of this file

    def expect_pages(self, count: int) -> None:
        """pdfium's page ``n`` is pdfplumber's only where both count the same pages."""
        if self.document is None or self.untrusted is not None:
            return
        from pipeline.read.pdfium_source import page_count

        found = page_count(self.document)
        if found != count:
            self.untrusted = f"pdfium counts {found} pages where the page tree has {count}"

    def fill(self, pdf: Any, page: Any) -> None:
        """Give the page pdfium's objects, or leave it to pdfminer and say why."""
        number = page.page_number
        if self.backend == "pdfminer" or self.document is None or self.untrusted:
            if self.backend == "pdfium":
                self.reasons[number] = self.untrusted or "pdfium cannot open the file"
            self.pages[number] = "pdfminer"
            return
        from pipeline.read.pdf_content_text import ContentUnreadable, shown_texts
        from pipeline.read.pdf_fonts import page_fonts
        from pipeline.read.pdfium_shape import (
            NeedsContent,
            PageFrame,
            Untrusted,
            box_wanted,
            page_objects,
        )
        from pipeline.read.pdfium_source import read_page

        try:
            fonts, frame = page_fonts(pdf, page), PageFrame.of(page)
            read = read_page(self.document, number - 1, box_wanted(fonts))
            try:
                objects = page_objects(read, fonts, frame)
            except NeedsContent:  # what pdfium's text layer leaves out, from the stream
                objects = page_objects(read, fonts, frame, shown_texts(pdf, page))
        except ContentUnreadable as why:
            self.reasons[number] = f"the content stream cannot be followed ({why})"
        except Untrusted as why:
            self.reasons[number] = str(why)
        except Exception as error:  # a damaged page: pdfminer names it, or reads it
            self.reasons[number] = f"pdfium cannot read the page ({type(error).__name__})"
        else:
            if objects or not _has_content(page):
                page._objects = objects  # pdfplumber's cache of Page.objects (version pinned)
                self.pages[number] = "pdfium"
                return
            # pdfium drops a /Contents it cannot resolve (a damaged "19 0 R"), pdfminer reads it
            self.reasons[number] = "pdfium finds nothing on a page whose content stream is not empty"
        self.pages[number] = "pdfminer"

    def record(self) -> dict[str, Any]:
        """For report.json: the pages each backend read, and why pdfium was not used."""
        used = {name: [n for n, b in sorted(self.pages.items()) if b == name]
                for name in BACKENDS}
        return {**{name: pages for name, pages in used.items() if pages},
                **({"fallback_reasons": {str(n): why for n, why in sorted(self.reasons.items())}}
                   if self.reasons else {})}

    def page_list(self) -> list[dict[str, Any]]:
        """For report.json: every page by its page-tree position, and who read it."""
        return [{"page": number, "read_by": backend,
                 **({"reason": self.reasons[number]} if number in self.reasons else {})}
                for number, backend in sorted(self.pages.items())]

    def as_metadata(self) -> dict[str, str]:
        return {"pdf_backend_pages": json.dumps(self.record(), ensure_ascii=False),
                "pdf_pages": json.dumps(self.page_list(), ensure_ascii=False)}


def _has_content(page: Any) -> bool:
    """The page's content stream, as pdfminer resolves it, draws something."""
    from pdfminer.pdftypes import resolve1

    try:
        return any(resolve1(stream).get_data().strip() for stream in page.page_obj.contents)
    except Exception:  # a damaged stream: pdfminer's reading names it  # noqa: BLE001
        return True


@contextmanager
def page_sources(path: Path, backend: str) -> Iterator[PageSources]:
    """Page sources for one reading of ``path``; pdfium is opened only when asked for."""
    if backend != "pdfium":
        yield PageSources(backend)
        return
    from pipeline.read.pdfium_source import open_pdfium

    with open_pdfium(path) as document:
        yield PageSources(backend, document)
