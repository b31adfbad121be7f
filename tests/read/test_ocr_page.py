"""The OCR page source on the first page of the shared scan: grid shapes and text lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import UnreadablePageError
from pipeline.read.ocr_source import OcrSource
from pipeline.read.pdf import read_page_regions
from pipeline.records import Grid, Paragraph

SAMPLES = Path("/work/shared/samples")
SCAN = SAMPLES / "nakano_fy2023_sample_scan.pdf"
PRINTED = SAMPLES / "nakano_fy2023_sample.pdf"


@pytest.fixture(scope="module")
def first_page() -> list[Grid | Paragraph]:
    source = OcrSource(SCAN)
    try:
        return [block for _, block in source.read(1)]
    finally:
        source.close()


def test_scanned_first_page_has_the_printed_tables_shapes(first_page):
    printed = [region.block for region in read_page_regions(PRINTED, 1)]
    shapes = [[[cell.text is None for cell in row] for row in block.rows]
              for block in printed if isinstance(block, Grid)]
    assert [[[cell.text is None for cell in row] for row in block.rows]
            for block in first_page if isinstance(block, Grid)] == shapes


def test_scanned_first_page_reads_the_counts_and_the_text_lines(first_page):
    counts = next(block for block in first_page if isinstance(block, Grid))
    assert [row[1].text for row in counts.rows] == ["取組の数", "0", "105", "0", "0"]
    lines = [block.text for block in first_page if isinstance(block, Paragraph)]
    assert lines[:4] == ["令和6年(2024年)9月9日", "総務委員会資料", "企画部デジタル政策課",
                         "第2次中野区地域情報化推進計画改定版の進捗状況等について"]


def test_a_pdf_of_text_and_scanned_pages_reads_each_page_by_its_own_source(tmp_path):
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    from pipeline.read.pdf import pdf_to_document

    printed = pdfium.PdfDocument(str(PRINTED))
    scan = printed[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    printed.close()
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    path = tmp_path / "mixed.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("HeiseiKakuGo-W5", 12)
    canvas.drawString(72, 770, "第2次中野区地域情報化推進計画改定版の進捗状況等について")
    canvas.showPage()
    canvas.drawImage(ImageReader(scan), 0, 0, *A4)
    canvas.showPage()
    canvas.save()
    document = pdf_to_document(path)
    assert json.loads(document.metadata["ocr"])["pages"] == [2]
    first = [block for block in document.blocks if block.page == 1]
    assert [block.text for block in first] == [
        "第2次中野区地域情報化推進計画改定版の進捗状況等について"]
    counts = next(block for block in document.blocks if isinstance(block, Grid))
    assert counts.page == 2 and [row[1].text for row in counts.rows] == [
        "取組の数", "0", "105", "0", "0"]
    with pytest.raises(UnreadablePageError, match="mixed.pdf: page 2 has no readable text"):
        pdf_to_document(path, {"ocr": "never"})
