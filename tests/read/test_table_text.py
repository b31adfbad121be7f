"""The page-reading shortcuts give exactly what pdfplumber's own code gives.

Cell text (``table_text.py``) against ``Table.extract``, and the fake-bold check
(``doubled_glyphs.py``) against pdfplumber's ``dedupe_chars``, on every table and page
of the sample and of every generated layout, and on hand-made chars for the corners.
"""

import pdfgen
import pdfplumber
import pytest
from conftest import SAMPLE_PDF
from pdfplumber.utils import extract_text

from pipeline.read.doubled_glyphs import has_doubled_chars
from pipeline.read.pdf import PdfSettings
from pipeline.read.table_finder import find_tables
from pipeline.read.table_text import table_cell_texts, upright_text

SETTINGS = PdfSettings()
CELL = SETTINGS.cell_text_settings()


def _pdfs(layout_pdf):
    return [SAMPLE_PDF, *(layout_pdf(name) for name in pdfgen.LAYOUTS)]


def test_cell_texts_are_table_extracts_on_every_table_of_every_pdf(layout_pdf):
    tables = 0
    for path in _pdfs(layout_pdf):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for table in page.find_tables(SETTINGS.ruled_table_settings()):
                    assert table_cell_texts(table, **CELL) == table.extract(**CELL), \
                        f"{path.name} page {page.page_number}"
                    tables += 1
    assert tables > 60


def _char(text, x0, top, size=10.0, upright=True, width=None):
    width = size if width is None else width
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size,
            "doctop": top, "size": size, "upright": upright, "fontname": "F",
            "height": size, "width": width}


CASES = {
    "one word": [_char("事", 0, 0), _char("業", 10, 0)],
    "a gap past the ratio": [_char("a", 0, 0), _char("b", 15, 0)],
    "a gap just within the ratio": [_char("a", 0, 0), _char("b", 14, 0)],
    "back to the left": [_char("a", 20, 0), _char("b", 0, 0.5)],
    "tops chained within the tolerance": [_char("上", 0, 0), _char("中", 10, 2.5),
                                          _char("下", 20, 5.0)],
    "two lines": [_char("一", 0, 0), _char("二", 0, 12)],
    "kept blanks": [_char("a", 0, 0), _char(" ", 10, 0), _char("b", 20, 0)],
    "an ideographic space": [_char("中", 0, 0), _char("\u3000", 10, 0), _char("野", 20, 0)],
    "an empty char": [_char("a", 0, 0), _char("", 10, 0), _char("b", 20, 0)],
    "a ligature": [_char("\ufb01", 0, 0), _char("x", 10, 0)],
    "out of order": [_char("c", 20, 0), _char("a", 0, 0), _char("b", 10, 0.2)],
    "same x, other lines": [_char("b", 0, 24), _char("a", 0, 0), _char("m", 0, 12)],
    "small and large": [_char("小", 0, 3, size=4), _char("大", 5, 0, size=12)],
    "rotated chars": [_char("縦", 0, 0, upright=False), _char("書", 0, 10, upright=False)],
    "mixed": [_char("横", 0, 0), _char("縦", 30, 0, upright=False)],
}


@pytest.mark.parametrize("chars", CASES.values(), ids=CASES.keys())
def test_upright_text_is_pdfplumbers_extract_text(chars):
    assert upright_text(chars, SETTINGS.x_tolerance_ratio, SETTINGS.y_tolerance) \
        == extract_text(chars, **CELL)


def test_doubled_glyphs_are_found_where_pdfplumber_dedupes_on_every_page(layout_pdf):
    found = []
    for path in _pdfs(layout_pdf):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tolerance = SETTINGS.dedupe_tolerance
                doubled = len(page.dedupe_chars(tolerance=tolerance).chars) < len(page.chars)
                assert has_doubled_chars(page.chars, tolerance) == doubled, \
                    f"{path.name} page {page.page_number}"
                found.append(doubled)
    assert any(found) and not all(found)  # the damaged layout's fake bold, and the rest


@pytest.mark.parametrize(("second", "doubled"), [
    (_char("○", 100.9, 50.9), True),  # within 1 pt both ways
    (_char("○", 101.1, 50.0), False),  # too far across
    (_char("○", 100.0, 51.1), False),  # too far down
    (_char("◎", 100.5, 50.5), False),  # another glyph
    (_char("○", 100.5, 50.5, size=9), False),  # another size
    (_char("○", 99.2, 49.3), True),  # before the first, both ways
])
def test_a_double_is_the_same_glyph_within_the_tolerance_both_ways(second, doubled):
    first = _char("○", 100, 50)
    between = [_char("○", 300, 50.2), _char("△", 100.2, 50.1)]  # same line, other glyphs
    assert has_doubled_chars([first, *between, second], 1.0) is doubled


@pytest.mark.parametrize("strategy", ["ruled", "aligned"])
def test_the_table_finder_finds_pdfplumbers_cells_and_tables_on_every_page(layout_pdf, strategy):
    chosen = (SETTINGS.ruled_table_settings() if strategy == "ruled"
              else SETTINGS.aligned_table_settings())
    cells = 0
    for path in _pdfs(layout_pdf):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                ours = [table.cells for table in find_tables(page, chosen)]
                assert ours == [table.cells for table in page.find_tables(chosen)], \
                    f"{path.name} page {page.page_number}"
                cells += sum(map(len, ours))
    assert cells > 1000
