"""The OCR page source on the first page of the shared scan: grid shapes and text lines."""

from __future__ import annotations

from pathlib import Path

import pytest

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
