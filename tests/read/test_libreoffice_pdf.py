"""PDFs printed the way wards print them give the seed's tables: the seed report written
into an Excel workbook (tests/xlsxgen.py) and exported by headless LibreOffice, which
paginates the attachment by itself and so cuts merged measure cells at its page breaks.
"""

import shutil
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest
import xlsxgen
from conftest import NAKANO, SEED
from test_pdf_equivalence import PROVENANCE, assert_same_tables, tables_of

from pipeline.errors import LayoutError
from pipeline.read import read_document
from pipeline.tidy.frames import document_to_frames

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui "
           "fonts-ipafont-gothic), so Excel-exported PDFs are not tested")

PAGE_SIZES = {"A4": (595, 842), "A3": (842, 1191), "B4": (729, 1032)}  # portrait, points

# LibreOffice draws a merged cell's whole text on every page the cell reaches, clipped to
# the part on that page; pdfplumber ignores the clip. 2-4-②'s name needs three lines but
# only its first row fits on page 6: page 6's name cell reads "システムや機器、運用\n管理に
# ついて統合等の" (the third line's glyph centres lie 0.1 pt below the table, so it becomes a
# paragraph), and page 7 draws the text again 15.7 pt higher: its first data row's name
# cell reads "見直し" under a blank id cell, and the id and the first two lines fall into
# the repeated header's 実施内容 cell ("2-4-② シ実ス施テ内ム容や機器…").
VARIANTS = xlsxgen.VARIANTS


@pytest.fixture(scope="session")
def libreoffice_pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every variant's workbook printed to PDF by one LibreOffice run (about 2 s), with a
    profile of its own: soffice on a profile another run is using converts nothing."""
    folder = tmp_path_factory.mktemp("libreoffice")
    workbooks = [xlsxgen.build_report_xlsx(folder / f"{name}.xlsx", variant)
                 for name, variant in xlsxgen.VARIANTS.items()]
    pdfs = xlsxgen.convert_to_pdf(workbooks, folder, folder / "profile")
    return {pdf.stem: pdf for pdf in pdfs}


@pytest.fixture(scope="session")
def libreoffice_frames(libreoffice_pdfs):
    """A variant's tables and report metadata, read once: libreoffice_frames("a3_landscape")."""
    read: dict[str, tuple[dict[str, pd.DataFrame], dict]] = {}

    def frames(variant: str) -> tuple[dict[str, pd.DataFrame], dict]:
        if variant not in read:
            tables, meta, _ = document_to_frames(read_document(libreoffice_pdfs[variant]),
                                                 "nakano_fy2023", profile=NAKANO)
            read[variant] = tables, meta
        return read[variant]

    return frames


@pytest.fixture(scope="module")
def seed_tables():
    return tables_of(SEED)


@pytest.mark.parametrize("variant", VARIANTS)
def test_libreoffice_pdfs_give_the_seed_tables(seed_tables, libreoffice_frames, variant):
    frames, meta = libreoffice_frames(variant)
    tables = {name: frame.drop(columns=[c for c in PROVENANCE if c in frame.columns])
              for name, frame in frames.items()}
    assert_same_tables(tables | {"meta": pd.DataFrame([meta])}, seed_tables)


@pytest.mark.parametrize("variant", list(xlsxgen.VARIANTS))
def test_each_workbook_prints_its_front_sheet_then_its_attachment(libreoffice_pdfs, variant):
    paper = xlsxgen.VARIANTS[variant]
    width, height = PAGE_SIZES[paper.paper]
    attachment_size = (height, width) if paper.orientation == "landscape" else (width, height)
    with pdfplumber.open(libreoffice_pdfs[variant]) as pdf:
        sizes = [(round(page.width), round(page.height)) for page in pdf.pages]
        starts = [page.search("進捗状況一覧") != [] for page in pdf.pages]
        fonts = {char["fontname"].split("+")[1] for page in pdf.pages for char in page.chars}
        producer = pdf.metadata["Producer"]
    first = starts.index(True)
    assert sizes == [PAGE_SIZES["A4"]] * first + [attachment_size] * (len(sizes) - first)
    assert first == 2 and len(sizes) >= 6
    assert producer.startswith("LibreOffice")
    assert fonts == {paper.font}, f"is Debian's fonts-ipafont-{paper.font[3:].lower()} installed?"


@pytest.mark.parametrize("variant", ["a3_landscape", "a4_portrait", "b4_landscape_mincho"])
def test_libreoffice_cuts_merged_measure_cells_at_its_page_breaks(libreoffice_frames, variant):
    frames, _ = libreoffice_frames(variant)
    pages_per_measure = frames["items"].groupby("measure_id")["source_page"].nunique()
    assert (pages_per_measure > 1).any()


@pytest.mark.parametrize(("text", "width", "lines"), [
    # The ASCII word takes "し、" down with it: "…区役所本庁舎にて開催\nし、ICTスキルの定着を図っ\nた。"
    (("東京都のスマートフォン体験会・相談会を各高齢者会館で開催した。また定期相談会を"
      "区役所本庁舎にて開催し、ICTスキルの定着を図った。"), 148.5, 6),
    # An opening bracket goes down with what follows: "共通化\n(クラウドサービス)「ガ"
    ("(2-2-⑤再掲)(国)共通化(クラウドサービス)「ガバメントクラウド」の提供", 126.0, 4),
    # Words wrap whole at their space: "環境\n(Free\nWi-Fi)の\n整備"
    ("新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備", 50.0, 8),
    ("Google広告に加え、YouTubeでの広告表示を開始した。", 148.5, 2),
])
def test_rows_are_as_tall_as_libreoffice_wraps_their_text(text, width, lines):
    """Line counts measured in LibreOffice 7.4 exports at 11 pt."""
    assert xlsxgen.line_count(text, width, 11.0) == lines
