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
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from pipeline.cli import main
from pipeline.extract.pdf import PdfSettings, pdf_to_document
from pipeline.extract.pdf_backend import PageSources

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
        from pipeline.extract.pdf_backend import page_sources

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
    canvas.rect(60, 600, 300, 70)
    canvas.drawString(70, 640, "【進捗状況の凡例】")
    canvas.endForm()
    canvas.doForm("legend")
    canvas.drawString(72, 560, "本文")


def test_a_form_xobject_reads_as_pdfminer_reads_it(tmp_path):
    path = _page_pdf(tmp_path / "form.pdf", _form_xobject)
    assert pdf_to_document(path) == pdf_to_document(path, {"backend": "pdfminer"})


@pytest.mark.parametrize("draw", [_lone_blanks, _fake_bold])
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


def _line_end_hyphen(canvas):
    canvas.drawString(72, 700, "Digital trans-")
    canvas.drawString(72, 686, "formation")


def _helvetica(canvas):
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 700, "Progress report")


@pytest.mark.parametrize(("draw", "reason"), [
    (_actual_text, "the page has marked content with /ActualText"),
    (_line_end_hyphen, "pdfium marks a line-end hyphen"),
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


