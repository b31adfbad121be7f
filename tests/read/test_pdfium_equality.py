"""The pdfium backend reads every PDF the tests have into the same Document as pdfminer.

Each PDF is read twice, with ``backend="pdfminer"`` (pdfplumber's own parser) and with
``backend="pdfium"``; the Documents (every grid, cell text, cell box to 0.01 pt and
paragraph) must be equal, or both readings must fail with the same sentence. Pages
pdfium cannot be trusted on are read by pdfminer inside the pdfium reading, so this
also checks that the fallback changes nothing.
"""

import json
import shutil

import pdfgen
import pytest
from conftest import ROOT, SAMPLE_PDF
from reportlab.lib.pagesizes import A4, landscape
from test_extract_pdf import (
    _framed_legend,
    _pdf,
    _raw_pdf,
    _table_open_at_the_bottom,
    _two_unruled_tables,
    _unruled_status_table,
)

from pipeline.errors import PipelineError
from pipeline.read.pdf import pdf_to_document

# The team's shared/ sits beside the checkout (CI, /work/main) or one level up (a worktree).
SHARED_SAMPLE = next((folder / "shared" / "samples" / "nakano_fy2023_sample.pdf"
                      for folder in (ROOT.parent, ROOT.parent.parent)
                      if (folder / "shared" / "samples").is_dir()), ROOT.parent / "shared")


def read_both(path):
    """(pdfminer's reading, pdfium's reading): a Document or the error's sentence."""
    readings = []
    for backend in ("pdfminer", "pdfium"):
        try:
            readings.append(pdf_to_document(path, {"backend": backend}))
        except PipelineError as error:
            readings.append(f"{type(error).__name__}: {error}")
    return tuple(readings)


def assert_same_reading(path):
    """The two readings are equal; returns the pages pdfium left to pdfminer, with why."""
    by_pdfminer, by_pdfium = read_both(path)
    assert by_pdfium == by_pdfminer
    if isinstance(by_pdfium, str):
        return None
    assert by_pdfium.page_count == by_pdfminer.page_count
    return json.loads(by_pdfium.metadata["pdf_backend_pages"]).get("fallback_reasons", {})


@pytest.mark.parametrize("path", [SAMPLE_PDF, SHARED_SAMPLE], ids=["raw", "shared"])
def test_the_sample_reads_alike(path):
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    assert_same_reading(path)


@pytest.mark.parametrize("layout", list(pdfgen.LAYOUTS))
def test_every_generated_layout_reads_alike(layout_pdf, layout):
    # Every page is pdfium's own, the dashes reportlab draws in a non-embedded CID font
    # (which pdfium's text layer leaves out) included; a layout with a page in a font
    # without a Unicode map ("(cid:N)" text) or without text is refused alike.
    fallbacks = assert_same_reading(layout_pdf(layout))
    refused = pdfgen.LAYOUTS[layout].unreadable_page or pdfgen.LAYOUTS[layout].no_text_layer
    assert fallbacks == (None if refused else {})


def _rotated_table(canvas, height):
    _table_open_at_the_bottom(canvas, height)
    canvas.drawString(60, 60, "進捗状況 ○ 予定どおり取り組んだ")


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_rotated_page_reads_alike(tmp_path, rotation):
    def draw(canvas, height):
        canvas.setPageRotation(rotation)
        _rotated_table(canvas, height)

    assert_same_reading(_pdf(tmp_path / f"rotate_{rotation}.pdf", draw,
                             pagesize=landscape(A4)))


@pytest.mark.parametrize("draw", [_table_open_at_the_bottom, _unruled_status_table,
                                  _two_unruled_tables, _framed_legend])
def test_made_up_pages_read_alike(tmp_path, draw):
    assert_same_reading(_pdf(tmp_path / f"{draw.__name__}.pdf", draw))


@pytest.mark.parametrize(("name", "content"), [
    ("truncated.pdf", SAMPLE_PDF.read_bytes()[:200_000]),
    ("garbled.pdf", b"%PDF-1.4\n" + b"not a pdf body\n" * 40),
    ("cid.pdf", _raw_pdf(b"BT /F1 12 Tf 72 700 Td <0102030405060708090A0B0C> Tj ET")),
    ("bad_stream.pdf", _raw_pdf(b"BT /F1 12 Tf 72 700 Td <0102> Tj ET q 1 0 0 rg (x")),
])
def test_damaged_files_fail_alike(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    by_pdfminer, by_pdfium = read_both(path)
    assert by_pdfium == by_pdfminer


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice is not installed, so there are no Excel exports")
def test_libreoffice_exports_read_alike(libreoffice_pdfs):
    # pdfium marks their line-end hyphens as U+0002; the content stream gives them back.
    for path in libreoffice_pdfs.values():
        assert assert_same_reading(path) == {}, path.name


from test_libreoffice_pdf import libreoffice_pdfs  # noqa: E402,F401  (the session fixture)
