"""Pages whose text pdfium's text layer leaves out or rewrites, read from the content stream.

pdfium skips a text object narrower than 0.01 pt (core/fpdftext/cpdf_textpage.cpp,
ProcessTextObject: a glyph the substitute of a non-embedded font has no ink for) and
one it takes for a fake-bold double, and writes U+0002 for a line-end hyphen. Such a
page's content stream is read (pdf_content_text.py) and trusted only where it agrees
with every text object pdfium did read; else the page is pdfminer's, with the reason.
"""

import pdfgen
import pytest
from reportlab.pdfbase import pdfmetrics
from rawpdf import raw_pdf
from test_pdfium_backend import FONT, _page_pdf, read_page_both

import pdfplumber
from pipeline.read.pdf import pdf_to_document
from pipeline.read.pdf_content_text import shown_texts


def _dashes(canvas):
    # As tests/pdfgen.py draws "—": by CID in the non-embedded HeiseiKakuGo-W5, with a
    # ToUnicode; the glyph has no ink in pdfium's substitute, so its text layer skips it.
    mapped = pdfgen.register_fonts(FONT).mapped
    canvas.setFont(mapped, 10.5)
    canvas.drawString(72, 700, "—")
    text = canvas.beginText(72, 660)
    text.setFont(mapped, 10.5)
    text.setCharSpace(1.2)
    text.setWordSpace(2)
    text.setHorizScale(80)
    text.setRise(2)
    text.textOut("———")
    canvas.drawText(text)
    name = canvas._doc.getInternalFontName(mapped)
    canvas._code.append(f"BT {name} 10.5 Tf 1 0 0 1 72 640 Tm [-120 (\\000\\212) -250 "
                        "(\\000\\212)] TJ ET")
    canvas.setFont(FONT, 10.5)
    canvas.drawString(120, 700, "取組")


def _line_end_hyphen(canvas):
    canvas.drawString(72, 700, "Digital trans-")
    canvas.drawString(72, 686, "formation")


def _partial_bold(canvas):
    # The second "B" is a double of the first one pdfium drops char by char.
    canvas.drawString(72, 700, "AB")
    canvas.drawString(72 + pdfmetrics.stringWidth("A", FONT, 10.5) + 0.3, 700, "B")


def _bold_and_dash(canvas):
    for x in (72, 72.3):  # fake bold: each run drawn twice, 0.3 pt apart
        canvas.setFont(FONT, 10.5)
        canvas.drawString(x, 700, "進捗状況")
        canvas.setFont(pdfgen.register_fonts(FONT).mapped, 10.5)
        canvas.drawString(x + 42, 700, "—")
    canvas.setFont(FONT, 10.5)
    canvas.drawString(72, 680, "予定どおり")


@pytest.mark.parametrize("draw", [_dashes, _line_end_hyphen, _partial_bold, _bold_and_dash])
def test_what_pdfiums_text_layer_leaves_out_comes_from_the_content_stream(tmp_path, draw):
    by_pdfminer, by_pdfium, reason = read_page_both(_page_pdf(tmp_path / "p.pdf", draw))
    assert reason is None
    assert [c[0] for c in by_pdfium] == [c[0] for c in by_pdfminer]
    for mine, theirs in zip(by_pdfium, by_pdfminer):
        assert mine[:3] == theirs[:3]
        assert all(abs(a - b) <= 0.02 for a, b in zip(mine[3:], theirs[3:])), (mine, theirs)


def _hyphen_then_space(canvas):
    # pdfium drops the space after a line-end hyphen from its text layer.
    canvas.drawString(72, 700, "Digital trans- ")
    canvas.drawString(72, 686, "formation")


def _unmapped_dash(canvas):
    # Without a ToUnicode pdfium reads this CID as "—", pdfminer as U+0336.
    canvas.drawString(120, 700, "取組—結果")


def _spacing_carried(canvas):
    # pdfium moves the text position Tc on after a Tj's last char, pdfminer does not: the
    # second run's chars would be 1.2 pt apart in the two readings. (The lone dash sends
    # the page to its content stream; without one, see the README's limitations.)
    canvas.setFont(pdfgen.register_fonts(FONT).mapped, 10.5)
    canvas.drawString(72, 700, "—")
    text = canvas.beginText(72, 660)
    text.setFont(pdfgen.register_fonts(FONT).mapped, 10.5)
    text.setCharSpace(1.2)
    text.textOut("——")
    text.textOut("——")
    canvas.drawText(text)


@pytest.mark.parametrize(("draw", "reason"), [
    (_hyphen_then_space,
     "pdfium's text layer reads a text object otherwise than its content stream"),
    (_unmapped_dash,
     "pdfium's text layer reads a text object otherwise than its content stream"),
    (_spacing_carried,
     "the content stream cannot be followed (char or word spacing moves pdfium's text "
     "position off pdfminer's between two text-showing operators)"),
])
def test_a_text_object_pdfium_reads_otherwise_falls_back(tmp_path, draw, reason):
    path = _page_pdf(tmp_path / "p.pdf", draw)
    assert read_page_both(path)[2] == reason
    assert pdf_to_document(path) == pdf_to_document(path, {"backend": "pdfminer"})


SANS = (b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Sans /FirstChar 32 "
        b"/LastChar 126 /Widths [" + b" ".join([b"500"] * 95) + b"] "
        b"/Encoding /WinAnsiEncoding >>")


def _shown(tmp_path, content):
    path = tmp_path / "c.pdf"
    path.write_bytes(raw_pdf(SANS, content))
    with pdfplumber.open(path) as pdf:
        return [(s.base_font, s.size, [(c.text, round(c.offset, 3)) for c in s.chars])
                for s in shown_texts(pdf, pdf.pages[0])]


FORM = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Length 30 >>\nstream\n"
        b"BT /F1 8 Tf (in) Tj ET        \nendstream")


@pytest.mark.parametrize(("content", "expected"), [
    (b"BT /F1 10 Tf (ab) Tj ET", [[("a", 0.0), ("b", 5.0)]]),
    (b"BT /F1 10 Tf 2 Tc 3 Tw (a b) Tj ET", [[("a", 0.0), (" ", 7.0), ("b", 17.0)]]),
    (b"BT /F1 10 Tf [-100 (a) 200 (b)] TJ ET", [[("a", 0.0), ("b", 3.0)]]),
    (b"BT /F1 10 Tf 1 Tc [-100 () (a)] TJ ET", [[("a", 1.0)]]),
    (b"BT /F1 10 Tf (a\\(b\\)\\101\\\nc) Tj <6 1 62 7> Tj ET",
     [[("a", 0.0), ("(", 5.0), ("b", 10.0), (")", 15.0), ("A", 20.0), ("c", 25.0)],
      [("a", 0.0), ("b", 5.0), ("p", 10.0)]]),
    (b"BT /F1 10 Tf (a(b)c) Tj () Tj [] TJ [5] TJ ET",
     [[("a", 0.0), ("(", 5.0), ("b", 10.0), (")", 15.0), ("c", 20.0)]]),
    (b"BT /F#31 10 Tf 1 2 (x) \" q /F1 4 Tf Q (y) ' ET", [[("x", 0.0)], [("y", 0.0)]]),
    (b"/P <</MCID 0>> BDC BI /W 2 /H 1 /BPC 8 /CS /G ID \x00(\xff EI EMC "
     b"BT /F1 10 Tf (a) Tj ET % (not shown) Tj\n", [[("a", 0.0)]]),
    (b"(no font) Tj BT (nor here) Tj ET", []),
])
def test_the_content_stream_shows_what_pdfminer_reads(tmp_path, content, expected):
    assert _shown(tmp_path, content) == [("ABCDEF+Sans", 10.0, chars) for chars in expected]


def test_a_form_starts_from_a_fresh_text_state_as_in_pdfminer(tmp_path):
    page = raw_pdf(SANS, b"BT /F1 10 Tf (a) Tj ET /X1 Do BT (b) Tj ET", [FORM])
    page = page.replace(b"/Font << /F1 4 0 R >>",
                        b"/Font << /F1 4 0 R >> /XObject << /X1 6 0 R >>")
    path = tmp_path / "f.pdf"
    path.write_bytes(page)
    with pdfplumber.open(path) as pdf:
        shown = shown_texts(pdf, pdf.pages[0])
    assert [(s.size, "".join(c.text for c in s.chars)) for s in shown] == [
        (10.0, "a"), (8.0, "in"), (10.0, "b")]
