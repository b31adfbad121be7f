"""The PDF reader: the ward's own PDF, generated layouts, and files that are no PDF."""

import re
from pathlib import Path

import pdfplumber.page
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from rawpdf import raw_pdf
from reportlab.pdfgen.canvas import Canvas

import pipeline.read.pdf as pdf_reader
from pipeline.errors import InputError, UnreadablePageError
from pipeline.read.doubled_glyphs import has_doubled_chars
from pipeline.read.pdf import PdfSettings, pdf_to_document, read_page_regions
from pipeline.tools.inspect import inspect_page
from pipeline.records import Grid, Paragraph
from conftest import ROOT

SAMPLE = ROOT / "raw" / "nakano_fy2023_sample.pdf"
FONT = "HeiseiKakuGo-W5"
ATTACHMENT_HEADER = ["実施内容", None, "事業内容", "進捗状\n況", "スケジュールの変更理\n由",
                     "取組結果 (令和5年度)", "令和6年度取組予定", "令和7年度以降取組予定", "所管課"]


@pytest.fixture(scope="module")
def sample():
    return pdf_to_document(SAMPLE)


def grids(document, page=None):
    return [b for b in document.blocks if isinstance(b, Grid) and page in (None, b.page)]


def texts(grid):
    return [[cell.text for cell in row] for row in grid.rows]


def all_cell_texts(document):
    return [cell.text for grid in grids(document) for row in grid.rows for cell in row]


# --------------------------------------------------------------------------- the sample


def test_sample_is_a_seven_page_pdf_document(sample):
    assert (sample.source, sample.input_format, sample.page_count) == (
        "nakano_fy2023_sample.pdf", "pdf", 7)
    assert sample.metadata["Title"] == "第2次中野区地域情報化推進計画改定版の進捗状況等について"
    assert sample.metadata["Producer"] == "LibreOffice 7.4 / pypdf"


def test_each_ruled_table_is_one_grid_with_its_rows(sample):
    # Page 2 holds footnotes only; each attachment page is one grid, header row included.
    assert [(grid.page, len(grid.rows)) for grid in grids(sample)] == [
        (1, 5), (1, 7), (1, 7), (3, 23), (4, 28), (5, 29), (6, 22), (7, 16)]


@pytest.mark.parametrize("page", [3, 4, 5, 6, 7])
def test_attachment_header_is_kept_on_every_page_as_printed(sample, page):
    (grid,) = grids(sample, page)
    assert texts(grid)[0] == ATTACHMENT_HEADER
    assert all(len(row) == 9 for row in grid.rows)


def test_front_tables_keep_merged_header_cells_as_none(sample):
    status, goal1, _ = grids(sample, 1)
    assert texts(status) == [
        ["進捗状況の区分", "取組の数"],
        # Word prints an ideographic space after each mark; cells keep blank characters
        ["◎\u3000目標を大きく上回る、スケジュールを前倒しするなど、予定を上回る取組と\nなった", "0"],
        ["○\u3000予定どおり取り組んだ", "105"],
        ["△\u3000予定よりも遅れて取り組んだ", "0"],
        ["×\u3000未着手", "0"],
    ]
    assert texts(goal1)[:3] == [
        ["指標項目", "実績", None, "目標", None],
        [None, "令和4年度", "令和5年度", "令和5年度", "令和7年度"],
        ["区内のマイナンバーカード交付率", "62.3%", "68.3% ※1", "100%", "100%"],
    ]


def test_a_merged_measure_cell_leaves_none_below_it(sample):
    grid = grids(sample, 3)[0]
    first, second = grid.rows[1], grid.rows[2]
    assert [cell.text for cell in first[:3]] == [
        "1-1-①", "マイナンバーカードの普及促進", "マイナンバーカード交付窓口の拡大や交付体\n制の強化"]
    assert [cell.text for cell in second[:3]] == [None, None, "コンビニ交付サービスの利用促進"]
    assert second[0].bbox is None and second[0].page == 3
    # The merged cell's box covers both business rows.
    assert first[0].bbox[3] == second[2].bbox[3]


@pytest.mark.parametrize("printed", [
    "ホームページ運用保守を行う。 (適宜、リビジョンアッ\nプ)",
    "国が指定し、該当する18業務システム 国のス\nケジュールに合わせて、段階的に移行",
    "デジタル政策課\n子育て支援課\n介護保険課",
    "約 179 万件",
])
def test_cells_keep_wraps_and_real_spaces(sample, printed):
    assert printed in all_cell_texts(sample)


def test_no_space_is_invented_inside_japanese_text(sample):
    # Word sets digits 0.2 em apart from kanji (令和 5 年度 on paper, 令和5年度 in text).
    cells = [text for text in all_cell_texts(sample) if text]
    assert not [text for text in cells if re.search(r"令和 \d|\d 年度", text)]
    assert Paragraph(text="2 成果指標の推移 ※令和5年度末時点", page=1) in sample.blocks


def test_footnote_is_a_paragraph_on_page_2(sample):
    assert Paragraph(text="※3 令和3年度以降の累計", page=2) in sample.blocks
    assert not grids(sample, 2)


def test_page_1_blocks_come_in_reading_order(sample):
    shown = [("grid", block.rows[0][0].text) if isinstance(block, Grid) else block.text
             for block in sample.blocks if block.page == 1]
    assert shown == [
        "令和6年(2024年)9月9日",
        "総務委員会資料",
        "企画部デジタル政策課",
        "第2次中野区地域情報化推進計画改定版の進捗状況等について",
        "区では、令和6年3月に策定した「第2次中野区地域情報化推進計画改定版」(以下「計画」とい",
        "う。)において、今後の情報化施策の基本的な方向性を示し、計画的にDXを推進している。",
        "この度、令和5年度までの情報化に向けた取組の進捗状況と成果指標の確認をあわせて行ったた",
        "め、以下のとおり報告する。",
        "1 各取組の進捗状況",
        "令和5年度においては、スケジュールどおり取り組んでいることを確認した。(詳細は別紙のと",
        "おり)",
        ("grid", "進捗状況の区分"),
        "2 成果指標の推移 ※令和5年度末時点",
        "目標1 ICTを活用した行政サービスの提供による区民の利便性向上と地域の活性化",
        ("grid", "指標項目"),
        "目標2 効率的で質の高い情報基盤の整備による区政運営の推進",
        ("grid", "指標項目"),
    ]


def test_attachment_pages_drop_text_clipped_above_the_page(sample):
    # Excel draws a page-straddling measure's name above the next page's top edge.
    paragraphs = [(b.page, b.text) for b in sample.blocks
                  if isinstance(b, Paragraph) and b.page >= 4]
    assert paragraphs == [(4, "2 / 5"), (5, "3 / 5"), (6, "4 / 5"), (7, "5 / 5")]
    assert texts(grids(sample, 5)[0])[1][:3] == ["", "", "職員向け研修の実施"]


def test_cells_carry_their_page_and_a_box_inside_their_grid():
    for region in read_page_regions(SAMPLE, 4):
        if isinstance(region.block, Grid):
            x0, top, x1, bottom = region.bbox
            for cell in (cell for row in region.block.rows for cell in row):
                assert cell.page == 4 and cell.line is None
                assert (cell.bbox is None) == (cell.text is None)
                if cell.bbox:
                    assert x0 <= cell.bbox[0] < cell.bbox[2] <= x1
                    assert top <= cell.bbox[1] < cell.bbox[3] <= bottom


def test_each_page_is_closed_before_the_next_is_read(monkeypatch):
    # Closing flushes a page's parsed objects: memory stays flat on a 100-page PDF.
    events = []
    page_class = pdfplumber.page.Page
    original_close, original_regions = page_class.close, pdf_reader.page_regions

    def closing(page):
        events.append(("close", page.page_number))
        original_close(page)

    def reading(page, source, settings):
        events.append(("read", page.page_number))
        return original_regions(page, source, settings)

    monkeypatch.setattr(page_class, "close", closing)
    monkeypatch.setattr(pdf_reader, "page_regions", reading)
    pdf_to_document(SAMPLE)
    assert events[:14] == [(event, n) for n in range(1, 8) for event in ("read", "close")]


# --------------------------------------------------------------------------- settings


def test_settings_resolve_from_none_dict_or_instance():
    assert PdfSettings.resolve(None) == PdfSettings()
    assert PdfSettings.resolve({"min_text_chars": 0}) == PdfSettings(min_text_chars=0)
    chosen = PdfSettings(dedupe_chars=False)
    assert PdfSettings.resolve(chosen) is chosen


@pytest.mark.parametrize("overrides", [
    {"snap_tolerance": -1}, {"x_tolerance_ratio": 0}, {"min_text_chars": -1},
    {"max_unmapped_share": 1.5}, {"column_gap_ratio": 0.3}, {"x_tolerance": 3},
])
def test_settings_refuse_impossible_values(overrides):
    with pytest.raises(ValueError):
        PdfSettings.resolve(overrides)


# --------------------------------------------------------------------------- files that are no PDF


def _encrypted(path):
    canvas = Canvas(str(path), encrypt=StandardEncryption("secret"))
    canvas.drawString(72, 720, "locked")
    canvas.save()


@pytest.mark.parametrize(("name", "make", "message"), [
    ("empty.pdf", lambda p: p.write_bytes(b""), "empty.pdf: the file is empty."),
    ("blank.pdf", lambda p: p.write_bytes(b" \n\n"), "blank.pdf: the file is empty."),
    ("report.pdf", lambda p: p.write_text("進捗状況の区分\t取組の数\n", encoding="utf-8"),
     "report.pdf: this is not a PDF file (it has no %PDF- header)."),
    ("truncated.pdf", lambda p: p.write_bytes(SAMPLE.read_bytes()[:200_000]),
     "truncated.pdf: the PDF is truncated (it ends before its last object); "
     "download or export it again."),
    ("garbled.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n" + b"not a pdf body\n" * 40),
     "garbled.pdf: the PDF is damaged and cannot be read (PDFSyntaxError)."),
    ("locked.pdf", _encrypted,
     "locked.pdf: the PDF is encrypted or password-protected; "
     "save an unprotected copy and try again."),
    ("missing.pdf", lambda p: None, "missing.pdf: the file does not exist."),
])
def test_bad_files_get_one_sentence_naming_the_file(tmp_path, name, make, message):
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as error:
        pdf_to_document(path)
    assert str(error.value) == message


# --------------------------------------------------------------------------- made-up pages


def _pdf(path, *pages, pagesize=A4):
    """A PDF whose pages are drawn by the given functions (canvas, page height)."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    canvas = Canvas(str(path), pagesize=pagesize, invariant=True)
    for draw in pages:
        canvas.setFont(FONT, 10.5)
        draw(canvas, pagesize[1])
        canvas.showPage()
    canvas.save()
    return path


def _text_page(canvas, height):
    canvas.drawString(72, height - 72, "1 各取組の進捗状況")


def _scanned_page(canvas, height):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    canvas.drawImage(ImageReader(Image.new("L", (200, 280), 128)), 0, 0, 595, height)


def _unruled_status_table(canvas, height):
    canvas.drawString(80, height - 60, "1 各取組の進捗状況")
    rows = [("進捗状況の区分", "取組の数"), ("◎ 目標を大きく上回る、予定を上回る取組と", "0"),
            ("なった", None), ("○ 予定どおり取り組んだ", "105"), ("× 未着手", "0")]
    for i, (label, count) in enumerate(rows):
        canvas.drawString(90, height - 100 - 16 * i, label)
        if count is not None:
            canvas.drawRightString(440, height - 100 - 16 * i, count)
    canvas.drawString(80, height - 200, "2 成果指標の推移")


def _two_unruled_tables(canvas, height):
    lines = [(90, "指標項目", "令和5年度"), (90, "業務改善数", "8件"), (80, "目標2 効率的な区政運営", None),
             (90, "指標項目", "令和5年度"), (90, "事故発生件数", "10件")]
    for i, (x, label, value) in enumerate(lines):
        canvas.drawString(x, height - 100 - 16 * i, label)
        if value:
            canvas.drawRightString(440, height - 100 - 16 * i, value)


def _framed_legend(canvas, height):
    canvas.rect(60, height - 130, 300, 70)
    for i, line in enumerate(["【進捗状況の凡例】", "○・・・予定どおり取り組んだ", "×・・・未着手"]):
        canvas.drawString(70, height - 80 - 18 * i, line)


def _stamped_scan(canvas, height):
    _scanned_page(canvas, height)
    canvas.drawCentredString(297, 30, "- 2 -")


@pytest.mark.parametrize(("scan", "found"), [
    (_scanned_page, "no text at all, only images or drawings"),
    (_stamped_scan, "only 3 characters of text beside images or drawings"),
])
def test_a_scanned_page_is_unreadable_and_named(tmp_path, scan, found):
    path = _pdf(tmp_path / "scan.pdf", _text_page, scan)
    with pytest.raises(UnreadablePageError) as error:
        pdf_to_document(path, {"ocr": "never"})
    assert str(error.value) == (f"scan.pdf: page 2 has no readable text layer ({found}: "
                                "it looks scanned and needs OCR).")
    with pytest.raises(UnreadablePageError) as error:
        pdf_to_document(path)  # read by OCR, which finds nothing on a grey page
    assert str(error.value) == (f"scan.pdf: page 2 has no readable text layer ({found}: "
                                "it looks scanned, and OCR read no text on it).")


def _table_open_at_the_bottom(canvas, height):
    # 1-1-② is merged over two rows and runs on to the next page, so it has no bottom
    # rule, as some exports print a merged cell cut by a page break.
    left, middle, right, top = 60, 160, 360, height - 100
    for y in (top, top - 20, top - 40):
        canvas.line(left, y, right, y)
    for y in (top - 60, top - 80):
        canvas.line(middle, y, right, y)
    for x in (left, middle, right):
        canvas.line(x, top, x, top - 80)
    for i, row in enumerate([("実施内容", "事業内容"), ("1-1-①", "ペーパーレスの推進"),
                             ("1-1-②", "押印等の見直し"), ("", "電子申請")]):
        canvas.drawString(left + 4, top - 20 * i - 14, row[0])
        canvas.drawString(middle + 4, top - 20 * i - 14, row[1])


def test_a_cell_left_open_at_the_table_bottom_keeps_its_text(tmp_path):
    document = pdf_to_document(_pdf(tmp_path / "open.pdf", _table_open_at_the_bottom))
    (grid,) = document.blocks
    assert texts(grid) == [["実施内容", "事業内容"], ["1-1-①", "ペーパーレスの推進"],
                           ["1-1-②", "押印等の見直し"], [None, "電子申請"]]


def test_a_blank_page_is_no_error_and_no_block(tmp_path):
    document = pdf_to_document(_pdf(tmp_path / "blank_page.pdf", lambda c, h: None))
    assert (document.page_count, document.blocks) == (1, ())


def _raw_pdf(content: bytes) -> bytes:
    """A one-page PDF whose font has no ToUnicode map: every glyph reads as (cid:N)."""
    return raw_pdf(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] >>", content,
        [b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap /FontDescriptor 7 0 R "
         b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
         b"<< /Type /FontDescriptor /FontName /NoMap /Flags 4 /FontBBox [0 -120 1000 880] "
         b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"])


def test_glyphs_without_unicode_make_the_page_unreadable(tmp_path):
    path = tmp_path / "cid.pdf"
    path.write_bytes(_raw_pdf(b"BT /F1 12 Tf 72 700 Td <0102030405060708090A0B0C> Tj ET"))
    with pytest.raises(UnreadablePageError) as error:
        pdf_to_document(path)
    assert str(error.value) == (
        "cid.pdf: page 1 has no readable text layer (6 of its 6 characters extract as "
        "(cid:NNN) because the font has no Unicode map; export the PDF again or run OCR).")


def test_an_unruled_table_is_read_by_text_alignment(tmp_path):
    document = pdf_to_document(_pdf(tmp_path / "unruled.pdf", _unruled_status_table))
    heading, grid, after = document.blocks
    assert (heading.text, after.text) == ("1 各取組の進捗状況", "2 成果指標の推移")
    assert texts(grid) == [
        ["進捗状況の区分", "取組の数"],
        ["◎ 目標を大きく上回る、予定を上回る取組と\nなった", "0"],  # the wrap joins its row
        ["○ 予定どおり取り組んだ", "105"],
        ["× 未着手", "0"],
    ]


def test_unruled_tables_stay_lines_when_detection_is_off(tmp_path):
    path = _pdf(tmp_path / "unruled.pdf", _unruled_status_table)
    document = pdf_to_document(path, {"detect_unruled_tables": False})
    assert not grids(document)
    assert Paragraph(text="○ 予定どおり取り組んだ 105", page=1) in document.blocks


def test_a_heading_between_unruled_tables_is_no_wrapped_cell(tmp_path):
    document = pdf_to_document(_pdf(tmp_path / "two.pdf", _two_unruled_tables))
    shown = [texts(b) if isinstance(b, Grid) else b.text for b in document.blocks]
    assert shown == [[["指標項目", "令和5年度"], ["業務改善数", "8件"]],
                     "目標2 効率的な区政運営",
                     [["指標項目", "令和5年度"], ["事故発生件数", "10件"]]]


def test_a_box_around_text_is_lines_not_a_grid(tmp_path):
    document = pdf_to_document(_pdf(tmp_path / "legend.pdf", _framed_legend))
    assert [block.text for block in document.blocks] == [
        "【進捗状況の凡例】", "○・・・予定どおり取り組んだ", "×・・・未着手"]


# --------------------------------------------------------------------------- generated layouts


@pytest.mark.parametrize(("name", "page", "reason"), [
    ("unreadable_page_3", 3, "characters extract as (cid:NNN)"),
    ("no_text_layer", 1, "no text at all, only images or drawings"),
])
def test_generated_unreadable_layouts_name_the_page(layout_pdf, name, page, reason):
    with pytest.raises(UnreadablePageError) as error:
        pdf_to_document(layout_pdf(name), {"ocr": "never"})  # OCR: test_ocr_*.py
    message = str(error.value)
    assert message.startswith(f"{name}.pdf: page {page} has no readable text layer (")
    assert reason in message


@pytest.mark.parametrize(("dedupe", "heading", "first_header_cell"), [
    (True, "１ 各 取 組 の 進 捗 状 況", "実 施 内 容"),
    # the doubled space chars are kept too: table cells keep blank characters
    (False, "１１ 各各 取取 組組 のの 進進 捗捗 状状 況況", "実実  施施  内内  容容"),
])
def test_fake_bold_doubled_characters_are_removed(layout_pdf, dedupe, heading, first_header_cell):
    # The layout also spaces bold letters and prints full-width digits; repairing those
    # is the normalisation stage's work, not the reader's.
    document = pdf_to_document(layout_pdf("damaged_text_layer"), {"dedupe_chars": dedupe})
    assert Paragraph(text=heading, page=1) in document.blocks
    assert grids(document, 3)[0].rows[0][0].text == first_header_cell


# --------------------------------------------------------------------------- inspect


def test_inspect_page_draws_a_png_and_names_each_region(tmp_path):
    out = tmp_path / "debug" / "page5.png"
    lines = inspect_page(SAMPLE, 5, out)
    assert lines == [
        "table 1 at (32.6, 39.5, 1157.7, 802.6): 29 rows × 9 columns → items",
        "paragraph 1 at (588.7, 814.5, 603.9, 821.3): '3 / 5'",
    ]
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # A3 landscape at the default 100 dpi.
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1654, 1170)


def test_inspect_page_labels_front_tables(tmp_path):
    lines = inspect_page(SAMPLE, 1, tmp_path / "page1.png")
    assert [line for line in lines if line.startswith("table")] == [
        "table 1 at (78.4, 318.4, 517.0, 403.6): 5 rows × 2 columns → status_summary",
        "table 2 at (78.4, 462.0, 517.0, 596.2): 7 rows × 5 columns → indicators",
        "table 3 at (78.4, 633.4, 517.0, 754.5): 7 rows × 5 columns → indicators",
    ]
    assert ("paragraph 13 at (67.5, 444.2, 462.3, 454.7): "
            "'目標1 ICTを活用した行政サービスの提供による区民の利便性向上と地域の活性化'") in lines
    assert ("paragraph 5 at (73.0, 163.5, 526.7, 174.0): "
            "'区では、令和6年3月に策定した「第2次中野区地域情報化推進計画改定版」(以下「計…'") in lines


@pytest.mark.parametrize("page", [0, 8])
def test_inspect_page_out_of_range_names_the_page_count(tmp_path, page):
    with pytest.raises(InputError) as error:
        inspect_page(SAMPLE, page, tmp_path / "x.png")
    assert str(error.value) == (f"nakano_fy2023_sample.pdf: there is no page {page}; "
                                "the PDF has 7 pages.")


def _glyph(text, x0, doctop, font="F1", size=10.0):
    return {"upright": True, "text": text, "fontname": font, "size": size, "x0": x0, "doctop": doctop}


@pytest.mark.parametrize(("chars", "doubled"), [
    ([_glyph("実", 10, 10), _glyph("施", 20, 10)], False),
    ([_glyph("実", 10, 10), _glyph("実", 10.3, 10.2)], True),  # fake bold: +0.3 pt
    ([_glyph("実", 10, 10), _glyph("実", 11.2, 10)], False),  # beyond the 1 pt tolerance
    ([_glyph("実", 9.99, 10), _glyph("実", 10.01, 10)], True),  # across a bucket edge
    ([_glyph("実", 10, 10), _glyph("実", 10, 10, font="F2")], False),  # another font
    ([_glyph("の", 10, 10), _glyph("の", 40, 10), _glyph("の", 10, 30)], False),  # same glyph apart
])
def test_doubled_glyphs_are_found_in_one_pass(chars, doubled):
    assert has_doubled_chars(chars, tolerance=1.0) is doubled
