"""What pdfium reads differently from pdfminer, each put back or sent to the fallback.

A page read by pdfium must give pdfplumber the chars pdfminer gives (to 0.002 pt: pdfium
computes in float32), or be read by pdfminer with the reason in report.json.
"""

import json
import re
from importlib.metadata import version

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE_PDF
from rawpdf import raw_pdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from pipeline.cli import main
from pipeline.read.table_text import table_cell_texts
from pipeline.read.pdf import PdfSettings, pdf_to_document
from pipeline.read.pdf_backend import PageSources

FONT = "HeiseiKakuGo-W5"


def _page_pdf(path, draw, font=FONT):
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    canvas.setFont(font, 10.5)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return path


def _chars(page):
    return [(c["text"], c["fontname"], c["upright"],
             *(round(c[k], 2) for k in ("x0", "top", "x1", "bottom", "size")))
            for c in page.chars]


def read_page_both(path):
    """(pdfminer's chars, pdfium's chars or None, the fallback reason or None)."""
    with pdfplumber.open(path) as pdf:
        by_pdfminer = _chars(pdf.pages[0])
    with pdfplumber.open(path) as pdf:
        from pipeline.read.pdf_backend import page_sources

        with page_sources(path, "pdfium") as sources:
            sources.fill(pdf, pdf.pages[0])
            by_pdfium = _chars(pdf.pages[0]) if sources.pages[1] == "pdfium" else None
            return by_pdfminer, by_pdfium, sources.reasons.get(1)


def _lone_blanks(canvas):
    # Word and LibreOffice draw a space or an ideographic space between two runs as a
    # text object of its own; pdfium's text layer leaves such objects out.
    x = 72
    for run in ("取組", " ", "結果", "\u3000", "令和5年度"):
        canvas.drawString(x, 700, run)
        x += pdfmetrics.stringWidth(run, FONT, 10.5)


def _fake_bold(canvas):
    canvas.drawString(72, 700, "進捗状況")
    canvas.drawString(72.3, 700, "進捗状況")
    canvas.drawString(72, 680, "予定どおり")


def _form_xobject(canvas):
    canvas.beginForm("legend")
    canvas.setFont(FONT, 10.5)  # a form starts from reportlab's default font
    canvas.rect(60, 600, 300, 70)
    canvas.drawString(70, 640, "【進捗状況の凡例】")
    canvas.endForm()
    canvas.doForm("legend")
    canvas.drawString(72, 560, "本文")


@pytest.mark.parametrize("draw", [_lone_blanks, _fake_bold, _form_xobject])
def test_pdfium_chars_are_pdfminers(tmp_path, draw):
    by_pdfminer, by_pdfium, reason = read_page_both(_page_pdf(tmp_path / "p.pdf", draw))
    assert reason is None
    assert len(by_pdfium) == len(by_pdfminer)
    for mine, theirs in zip(by_pdfium, by_pdfminer):
        assert mine[:3] == theirs[:3]
        assert all(abs(a - b) <= 0.02 for a, b in zip(mine[3:], theirs[3:])), (mine, theirs)


def test_blank_objects_are_put_back_with_their_character(tmp_path):
    _, by_pdfium, _ = read_page_both(_page_pdf(tmp_path / "p.pdf", _lone_blanks))
    assert "".join(c[0] for c in by_pdfium) == "取組 結果\u3000令和5年度"


def test_fake_bold_doubles_are_put_back_and_then_removed(tmp_path):
    path = _page_pdf(tmp_path / "bold.pdf", _fake_bold)
    _, by_pdfium, _ = read_page_both(path)
    assert "".join(c[0] for c in by_pdfium) == "進捗状況進捗状況予定どおり"
    document = pdf_to_document(path)
    assert [block.text for block in document.blocks] == ["進捗状況", "予定どおり"]


def _actual_text(canvas):
    canvas._code.append("/Span <</ActualText (X)>> BDC")
    canvas.drawString(72, 700, "取組結果")
    canvas._code.append("EMC")


def _helvetica(canvas):
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 700, "Progress report")


@pytest.mark.parametrize(("draw", "reason"), [
    (_actual_text, "the page has marked content with /ActualText"),
    (_helvetica, "the font 'Helvetica' is a font without /Widths"),
])
def test_what_pdfium_reads_otherwise_falls_back_to_pdfminer(tmp_path, draw, reason):
    path = _page_pdf(tmp_path / "p.pdf", draw)
    assert read_page_both(path)[2] == reason
    by_pdfminer = pdf_to_document(path, {"backend": "pdfminer"})
    by_pdfium = pdf_to_document(path)
    assert by_pdfium == by_pdfminer
    assert json.loads(by_pdfium.metadata["pdf_backend_pages"]) == {
        "pdfminer": [1], "fallback_reasons": {"1": reason}}


def _scaled(canvas):
    text = canvas.beginText(72, 700)
    text.setFont(FONT, 10.5)
    text.setHorizScale(80)
    text.textOut("取組結果 ABC")
    canvas.drawText(text)


def _spaced(canvas):
    text = canvas.beginText(72, 700)
    text.setFont(FONT, 10.5)
    text.setCharSpace(1.5)
    text.setWordSpace(3)
    text.setRise(3)
    text.textOut("取組 結果 注1")
    canvas.drawText(text)


def _turned(canvas):
    canvas.saveState()
    canvas.translate(300, 400)
    canvas.rotate(90)
    canvas.drawString(0, 0, "縦の表題")
    canvas.restoreState()


@pytest.mark.parametrize("draw", [_scaled, _spaced, _turned])
def test_scaled_spaced_raised_and_turned_text_reads_as_pdfminers(tmp_path, draw):
    # pdfminer's box spans the advance with Tz, Tc, Tw and Ts applied, in the text's
    # direction; pdfium's origins and the font's widths give the same box.
    by_pdfminer, by_pdfium, reason = read_page_both(_page_pdf(tmp_path / "p.pdf", draw))
    assert reason is None
    assert by_pdfium == by_pdfminer


def test_vertical_writing_falls_back(tmp_path):
    vertical = UnicodeCIDFont("HeiseiMin-W3", isVertical=True)
    vertical.fontName = vertical.name = "HeiseiMin-W3-V"  # beside the horizontal face
    pdfmetrics.registerFont(vertical)

    def draw(canvas):
        canvas.setFont(vertical.name, 10.5)
        canvas.drawString(300, 700, "縦書き")

    assert read_page_both(_page_pdf(tmp_path / "v.pdf", draw))[2] == (
        "the font 'HeiseiMin-W3' is vertical writing")


def stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


TYPE3_FONT = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] "
              b"/FontMatrix [0.001 0 0 0.001 0 0] "
              b"/CharProcs << /a 6 0 R >> /Encoding << /Type /Encoding /Differences [97 /a] >> "
              b"/FirstChar 97 /LastChar 97 /Widths [600] /Resources << >> >>")
TYPE3_GLYPH = stream(b"600 0 0 0 600 700 d1 0 0 600 700 re f")
LIGATURE_FONT = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 65 /LastChar 66 "
                 b"/Widths [556 667] /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>")
LIGATURE_MAP = stream(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
                      b"/CMapName /L def 1 begincodespacerange <00> <FF> endcodespacerange "
                      b"2 beginbfchar <41> <00660069> <42> <0042> endbfchar endcmap "
                      b"CMapName currentdict /CMap defineresource pop end end")


def test_a_type3_font_falls_back(tmp_path):
    path = tmp_path / "type3.pdf"
    path.write_bytes(raw_pdf(TYPE3_FONT, b"BT /F1 12 Tf 72 700 Td (aaa) Tj ET", [TYPE3_GLYPH]))
    assert read_page_both(path)[2] == "the font 'unknown' is a Type3 font"
    assert pdf_to_document(path) == pdf_to_document(path, {"backend": "pdfminer"})


def test_a_ligature_pdfium_splits_is_one_char_again(tmp_path):
    # A glyph whose ToUnicode says "fi": pdfium gives two chars at one origin.
    path = tmp_path / "ligature.pdf"
    font = LIGATURE_FONT.replace(b"/Helvetica", b"/ABCDEF+LigSans")
    path.write_bytes(raw_pdf(font, b"BT /F1 12 Tf 72 700 Td (ABAB) Tj ET", [LIGATURE_MAP]))
    by_pdfminer, by_pdfium, reason = read_page_both(path)
    assert (reason, [c[0] for c in by_pdfium]) == (None, ["fi", "B", "fi", "B"])
    assert by_pdfium == by_pdfminer


def test_a_standard_font_falls_back_as_pdfminer_measures_it_otherwise(tmp_path):
    # pdfminer ignores a standard font's /Widths for Adobe's metrics; pdfium does not.
    path = tmp_path / "standard.pdf"
    path.write_bytes(raw_pdf(LIGATURE_FONT, b"BT /F1 12 Tf 72 700 Td (ABAB) Tj ET",
                             [LIGATURE_MAP]))
    assert read_page_both(path)[2] == (
        "the font 'Helvetica' is a standard font that pdfminer measures by its own metrics")


def test_report_json_says_which_backend_read_each_page(tmp_path):
    result = CliRunner().invoke(main, ["run", str(SAMPLE_PDF), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / SAMPLE_PDF.stem / "report.json").read_text("utf-8"))
    assert report["pdf_backend_pages"] == {"pdfium": [1, 2, 3, 4, 5, 6, 7]}


def test_the_pdfminer_backend_reads_every_page_itself(tmp_path):
    document = pdf_to_document(SAMPLE_PDF, {"backend": "pdfminer"})
    assert json.loads(document.metadata["pdf_backend_pages"]) == {
        "pdfminer": [1, 2, 3, 4, 5, 6, 7]}


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError) as error:
        PdfSettings(backend="poppler")
    assert str(error.value) == ("PdfSettings.backend must be one of pdfium, pdfminer, "
                                "not 'poppler'.")


def _pin(name):
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    low, high = re.search(rf'"{name}>=([\d.]+),<([\d.]+)"', text).groups()
    return tuple(map(int, low.split("."))), tuple(map(int, high.split(".")))


@pytest.mark.parametrize("name", ["pdfplumber", "pypdfium2"])
def test_the_installed_parsers_are_the_pinned_ones(name):
    low, high = _pin(name)
    installed = tuple(int(part) for part in version(name).split(".")[:3])
    assert low <= installed < high


def test_pdfplumber_still_reads_page_objects_from_its_private_cache():
    # The pdfium backend relies on this: Page.objects returns Page._objects when set.
    with pdfplumber.open(SAMPLE_PDF) as pdf:
        page = pdf.pages[0]
        page._objects = {"char": [], "rect": []}
        assert (page.chars, page.rects, page.extract_text()) == ([], [], "")
        sources = PageSources("pdfium")
        sources.fill(pdf, pdf.pages[1])  # no pdfium document: pdfminer reads it
        assert sources.record() == {"pdfminer": [2],
                                    "fallback_reasons": {"2": "pdfium cannot open the file"}}


def test_no_module_but_pdfium_source_imports_pypdfium2():
    importers = [path.name for path in (ROOT / "pipeline").rglob("*.py")
                 if re.search(r"^\s*(import|from) pypdfium2", path.read_text("utf-8"), re.M)]
    assert importers == ["pdfium_source.py"]




@pytest.mark.parametrize("layout", ["a3_landscape_merged", "a4_portrait_unmerged_small_font"])
def test_cell_texts_are_pdfplumbers_on_every_table(layout_pdf, layout):
    settings = PdfSettings()
    for path in (SAMPLE_PDF, layout_pdf(layout)):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for table in page.find_tables(settings.ruled_table_settings()):
                    assert (table_cell_texts(table, **settings.cell_text_settings())
                            == table.extract(**settings.cell_text_settings()))


def test_two_threads_read_alike_each_with_its_own_pdfium_document():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(pdf_to_document, [SAMPLE_PDF, SAMPLE_PDF])
    assert first == second == pdf_to_document(SAMPLE_PDF, {"backend": "pdfminer"})
    assert json.loads(first.metadata["pdf_backend_pages"]) == {"pdfium": [1, 2, 3, 4, 5, 6, 7]}
