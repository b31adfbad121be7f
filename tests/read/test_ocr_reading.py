"""The OCR reader's parts on made-up input: marks by shape, corrections, the setting,
and the message when the OCR libraries are missing."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.errors import UnreadablePageError
from pipeline.job import KeySettings, RunSettings, SealFormatError
from pipeline.read.ocr_engine import load
from pipeline.read.ocr_marks import classify_mark
from pipeline.read.ocr_vocabulary import ReportWords, corrected

FONT = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")


def _glyph(char: str, size: int, blur: float) -> np.ndarray:
    """A glyph as a 300 dpi scan prints it: grey, blurred, at a report's font size."""
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", (size * 2, size * 2), 255)
    ImageDraw.Draw(image).text((size // 2, size // 2), char, font=font, fill=30)
    pixels = cv2.GaussianBlur(np.asarray(image), (0, 0), blur)
    rows, columns = np.nonzero(pixels < 160)
    return cv2.copyMakeBorder(pixels[rows.min():rows.max() + 1, columns.min():columns.max() + 1],
                              4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255)


@pytest.mark.skipif(not FONT.exists(), reason="the IPA Gothic font is not installed")
@pytest.mark.parametrize("size", [28, 34, 42])  # 7, 8 and 10 pt at 300 dpi
@pytest.mark.parametrize("blur", [0.6, 1.0])
@pytest.mark.parametrize(("char", "mark"), [
    ("◎", "◎"), ("○", "○"), ("〇", "○"), ("△", "△"), ("×", "×"), ("☆", "☆"),
    # what must never be taken for a mark
    ("回", None), ("口", None), ("文", None), ("取", None), ("人", None), ("※", None),
])
def test_a_mark_is_read_by_its_shape_and_text_is_no_mark(char, mark, size, blur):
    reading = classify_mark(cv2, np, _glyph(char, size, blur))
    if char == "☆" and size == 28 and blur == 1.0:  # its points blur into a disc
        assert reading.mark is None
    else:
        assert reading.mark == mark


def test_a_ring_in_a_ring_half_closed_is_undecided_never_a_guess():
    glyph = np.full((40, 40), 255, np.uint8)
    cv2.circle(glyph, (20, 20), 16, 40, 2)
    cv2.ellipse(glyph, (20, 20), (9, 9), 0, 0, 150, 40, 2)  # an inner ring, mostly lost
    reading = classify_mark(cv2, np, glyph)
    assert reading.mark is None and "between ○ and ◎" in reading.why


@pytest.mark.parametrize(("read", "taken"), [
    ("取組結果(信和5年度)", "取組結果(令和5年度)"),
    ("(久和\n5年度交付数", "(令和\n5年度交付数"),
    ("昭和60年", "昭和60年"),
    ("Al・RPAの活用", "AI・RPAの活用"),
    ("Alice", "Alice"),
    ("約5.900fm", "約5,900fm"),
    ("(令和5年度交付数\n44.025件)", "(令和5年度交付数\n44,025件)"),
    ("3.125", "3.125"),
    ("62.3%", "62.3%"),
    ("1.4-①", "1-4-①"),
    ("1-7②", "1-7-②"),
    ("ーー", "—"),
    ("行った\no", "行った\n。"),
    ("(推進", "(推進)"),
    ("新店舎の窓口", "新庁舎の窓口"),
    ("戸緒住民課\n税務課", "戸籍住民課\n税務課"),
    ("事業内谷", "事業内容"),
    ("実施", "実施"),  # two characters: one off many words, taken only when doubted
])
def test_known_slips_are_corrected_and_said(read, taken):
    text, corrections = corrected(read)
    assert text == taken
    assert bool(corrections) == (read != taken)


def test_a_doubted_cell_one_off_a_word_read_twice_elsewhere_is_taken_as_it():
    words = ReportWords()
    words.add("(継続)", 95)
    assert words.nearest("(続)", 40) is None  # read once: no word of the report yet
    words.add("(継続)", 93)
    words.add("(推進)", 50)  # doubted: no word
    assert words.nearest("(続)", 40).taken == "(継続)"
    assert words.nearest("(続)", 95) is None  # a sure reading is not changed


def test_the_ocr_setting_is_part_of_the_key_and_old_seals_read_as_auto(tmp_path):
    assert RunSettings(ocr="never").key_settings() == KeySettings(csv_bom=True, ocr="never")
    assert KeySettings(csv_bom=True).to_json() == {"csv_bom": True}
    assert KeySettings.from_json({"csv_bom": True}, "key.settings").ocr == "auto"
    key = KeySettings(csv_bom=False, ocr="always")
    assert KeySettings.from_json(key.to_json(), "key.settings") == key
    with pytest.raises(SealFormatError, match="key.settings.ocr is \"sometimes\""):
        KeySettings.from_json({"csv_bom": True, "ocr": "sometimes"}, "key.settings")
    with pytest.raises(ValueError, match="ocr must be one of auto, always, never"):
        RunSettings(ocr="sometimes")


def test_a_scanned_page_without_the_ocr_libraries_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "tesserocr", None)  # import tesserocr fails
    with pytest.raises(UnreadablePageError) as error:
        load("scan.pdf", 2)
    assert str(error.value) == (
        "scan.pdf: page 2 has no readable text layer (it looks scanned) and reading it by "
        "OCR needs tesserocr, which is not installed: pip install "
        "'ward-report-pipeline[ocr]' and apt-get install tesseract-ocr tesseract-ocr-jpn.")


def test_a_missing_japanese_model_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    monkeypatch.setattr("pipeline.read.ocr_engine._TESSDATA", ())
    with pytest.raises(UnreadablePageError) as error:
        load("scan.pdf", 1)
    assert str(error.value) == (
        "scan.pdf: page 1 has no readable text layer (it looks scanned) and reading it by "
        "OCR needs Tesseract's Japanese model (jpn.traineddata), which was not found: pip "
        "install 'ward-report-pipeline[ocr]' and apt-get install tesseract-ocr "
        "tesseract-ocr-jpn.")
