"""Text outside a PDF page's visible box (issue 21). The reader does not read it: Excel
draws a merged cell that runs on from the previous page above the next page's top, a
repeat never printed. But a page box shrunk by damage drops printed text the same way,
and that was silent: now text of a table cut off refuses the report, naming the page and
the text, and any other text dropped is a warning naming them, except Excel's repeat."""

import re
import shutil
from dataclasses import replace

import pytest
import xlsxgen
from conftest import NAKANO, SAMPLE_PDF, SEED
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from pipeline.errors import Failure, InputError
from pipeline.read.bundle import combine_parts
from pipeline.read.pdf import pdf_to_document
from pipeline.read.pdf_backend import BACKENDS
from pipeline.read.text import text_to_document
from pipeline.records import Paragraph
from pipeline.tidy.frames import document_to_frames
from pipeline.tidy.structure import grid_classifier

FONT = "HeiseiKakuGo-W5"
WIDTH, HEIGHT = A4  # 595.2756 × 841.8898 pt


def two_pages(path, above_page_two: str = "", baseline: float = HEIGHT + 20):
    """Page 1: a heading and a ruled 2×2 table; page 2: the same table lower down, a
    footer at 30 pt from the bottom, and ``above_page_two`` drawn at ``baseline``, above
    its top edge."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    for page, top in ((1, 700), (2, 500)):
        canvas.setFont(FONT, 10.5)
        canvas.drawString(72, top + 60, f"進捗状況一覧 その{page}")
        for row in range(2):
            for col in range(2):
                x, y = 72 + col * 200, top - row * 30
                canvas.rect(x, y, 200, 30)
                canvas.drawString(x + 5, y + 10, f"1-7-① オープンデータ{page}{row}{col}")
        if page == 2:
            canvas.drawString(280, 30, "- 2 -")
            if above_page_two:
                canvas.drawString(72, baseline, above_page_two)
        canvas.showPage()
    canvas.save()
    return path


def with_page_box(data: bytes, page: int, box: str) -> bytes:
    """``data`` with page ``page``'s /MediaBox rewritten as ``box``, padded to the same
    length (the cross-reference table stays right): the damage of a flipped digit."""
    found = list(re.finditer(rb"/MediaBox \[ ([^\]]*) \]", data))[page - 1]
    old = found[1]
    assert len(box) <= len(old), (box, old)
    return data[:found.start(1)] + box.encode().ljust(len(old)) + data[found.end(1):]


def texts(document):
    """Each block's page and text: a paragraph's, or a grid's cells row by row."""
    return [(block.page, block.text if isinstance(block, Paragraph)
             else tuple(tuple(cell.text for cell in row) for row in block.rows))
            for block in document.blocks]


def paragraphs(document):
    return [(block.page, block.text) for block in document.blocks if isinstance(block, Paragraph)]


@pytest.fixture
def clean_pdf(tmp_path):
    return two_pages(tmp_path / "clean.pdf")


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_cut_off_below_a_shrunk_page_box_is_a_warning_naming_page_and_text(
        clean_pdf, tmp_path, backend):
    damaged = tmp_path / "box.pdf"
    damaged.write_bytes(with_page_box(clean_pdf.read_bytes(), 2, "0 50 595.276 841.8898"))
    clean = pdf_to_document(clean_pdf, {"backend": backend})
    document = pdf_to_document(damaged, {"backend": backend})
    assert document.findings == (Failure(
        code="text_outside_page", source="box.pdf", page=2, value="- 2 -", severity="warning",
        message="text drawn outside the page's visible box [0 50 595.276 841.89] is not "
                "printed and was not read; if the page box is damaged, export or download "
                "the PDF again"),)
    # the rest is read as before (boxes move with the page's box)
    assert texts(document) == [text for text in texts(clean) if text != (2, "- 2 -")]
    assert clean.findings == ()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("box", "cut"), [
    ("0 0 595.2756 512", "1-7-① オープンデータ200 1-7-① オープンデータ201"),  # the top row
    ("0 0 300 841.8898", "① オープンデータ201 ① オープンデータ211"),  # through the right column
])
def test_a_page_box_cutting_a_table_refuses_the_report_naming_page_and_text(
        clean_pdf, tmp_path, backend, box, cut):
    damaged = tmp_path / "box.pdf"
    damaged.write_bytes(with_page_box(clean_pdf.read_bytes(), 2, box))
    with pytest.raises(InputError) as refused:
        pdf_to_document(damaged, {"backend": backend})
    shown = " ".join(f"{float(value):g}" for value in box.split())
    assert str(refused.value) == (
        f"box.pdf: page 2: text of a table lies outside the page's visible box [{shown}] "
        f"and would be lost ({cut!r}); the page box is probably damaged: export or download "
        "the PDF again.")


@pytest.mark.parametrize("baseline", [
    HEIGHT + 20,
    HEIGHT - 2,  # the glyphs straddle the top edge, their centres above it (LibreOffice)
])
def test_excel_s_repeat_above_the_top_of_what_the_previous_page_prints_is_dropped(tmp_path,
                                                                                 baseline):
    document = pdf_to_document(two_pages(tmp_path / "repeat.pdf", "1-7-① オープンデータ100",
                                         baseline))
    assert document.findings == ()
    assert "1-7-① オープンデータ100" not in [text for page, text in paragraphs(document)
                                              if page == 2]


def test_text_above_the_top_that_the_previous_page_does_not_print_is_a_warning(tmp_path):
    document = pdf_to_document(two_pages(tmp_path / "above.pdf", "別の施策の名前"))
    assert [(w.code, w.page, w.value) for w in document.findings] == [
        ("text_outside_page", 2, "別の施策の名前")]


def test_the_sample_s_clipped_repeats_are_no_warning():
    # pages 5 and 7 draw 1-7-① and 2-3-① with their names above the top (Excel)
    assert pdf_to_document(SAMPLE_PDF).findings == ()


WARNING = Failure(code="text_outside_page", source="r.pdf", page=3, value="- 3 -",
                  severity="warning", message="text drawn outside the page's visible box …")


def test_the_reader_s_warnings_are_the_conversion_s():
    document = replace(text_to_document(SEED.read_text(encoding="utf-8"), "r.txt"),
                       findings=(WARNING,))
    _, _, warnings = document_to_frames(document, "r", profile=NAKANO)
    assert warnings == [WARNING]


def test_a_report_of_parts_keeps_each_part_s_warnings_front_part_first():
    text = SEED.read_text(encoding="utf-8")
    front, attachment = text[:text.index("\n別紙\n")], text[text.index("\n別紙\n"):]
    second = replace(WARNING, source="b.pdf", page=1)
    parts = [replace(text_to_document(attachment, "b.pdf"), findings=(second,)),
             replace(text_to_document(front, "a.pdf"), findings=(WARNING,))]
    combined = combine_parts(parts, grid_classifier(None), "r")
    assert combined.findings == (WARNING, second)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_s_repeat_of_a_merged_cell_across_the_top_is_no_warning(tmp_path):
    # a4_portrait's page 4 draws 1-3-③'s name again across its top edge
    workbook = xlsxgen.build_report_xlsx(tmp_path / "a4_portrait.xlsx",
                                         xlsxgen.VARIANTS["a4_portrait"])
    [pdf] = xlsxgen.convert_to_pdf([workbook], tmp_path, tmp_path / "profile")
    assert pdf_to_document(pdf).findings == ()
