"""A PDF report gives the tables its text twin gives, cell for cell (provenance aside).

The sample is a LibreOffice rendering like a ward office makes; the generated layouts
(tests/pdfgen.py) vary page size, orientation, font, rules, merged or unmerged measure
cells, measures split across pages with and without their id repeated, one joined
実施内容 column, and a damaged text layer.
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import NAKANO, ROOT, SEED
from pdfgen import LAYOUTS

from pipeline.cli import main
from pipeline.read import read_document
from pipeline.tidy.frames import document_to_frames

PROVENANCE = ["source_page", "source_line", "source_bbox", "source_file", "source_ref"]
SAMPLE = ROOT / "raw" / "nakano_fy2023_sample.pdf"
READABLE = [name for name, layout in LAYOUTS.items()
            if layout.unreadable_page is None and not layout.no_text_layer]


def tables_of(path: Path) -> dict[str, pd.DataFrame]:
    """The tables without provenance, and the report's title, municipality and year."""
    frames, meta, _ = document_to_frames(read_document(path), "nakano_fy2023", profile=NAKANO)
    tables = {name: frame.drop(columns=[c for c in PROVENANCE if c in frame.columns])
              for name, frame in frames.items()}
    return tables | {"meta": pd.DataFrame([meta])}


@pytest.fixture(scope="module")
def seed_tables() -> dict[str, pd.DataFrame]:
    return tables_of(SEED)


def assert_same_tables(produced, expected):
    assert list(produced) == list(expected)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(produced[name], frame, obj=name)


def test_the_sample_pdf_gives_the_seed_tables(seed_tables):
    assert_same_tables(tables_of(SAMPLE), seed_tables)


@pytest.mark.parametrize("layout", READABLE)
def test_generated_layouts_give_the_seed_tables(seed_tables, layout_pdf, layout):
    assert_same_tables(tables_of(layout_pdf(layout)), seed_tables)


def test_every_pdf_row_says_where_it_was_printed():
    frames, meta, _ = document_to_frames(read_document(SAMPLE), "sample", profile=NAKANO)
    items = frames["items"]
    assert items["source_line"].isna().all()
    assert items["source_page"].astype(int).tolist()[:3] == [3, 3, 3]
    assert items["source_page"].astype(int).min() == 3 and items["source_page"].astype(int).max() == 7
    boxes = items["source_bbox"].str.split(",", expand=True).astype(float)
    assert ((boxes[0] < boxes[2]) & (boxes[1] < boxes[3])).all()
    assert meta["fiscal_year"] == 2023


@pytest.mark.parametrize(("layout", "message"), [
    ("unreadable_page_3", "unreadable_page_3.pdf: page 3 has no readable text layer ("),
    ("no_text_layer", "no_text_layer.pdf: page 1 has no readable text layer ("),
])
def test_unreadable_pdfs_name_the_page_and_write_nothing(layout_pdf, tmp_path, layout, message):
    result = CliRunner().invoke(main, ["run", str(layout_pdf(layout)), "--out", str(tmp_path / "out"),
                                       "--ocr", "never"])  # OCR: tests/read/test_ocr_*.py
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {message}")
    assert result.output.endswith("Error: 1 of 1 input(s) failed; nothing was written for them.\n")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["failures.csv"]
