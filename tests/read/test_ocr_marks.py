"""Marks and circled numbers read by their shape, on made-up lines as a scan prints them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.ocr_cells import CellSettings, _nearer_in_length, glyph_count, read_line_by_parts
from pipeline.read.ocr_engine import load
from pipeline.read.ocr_marks import classify_mark, rings_around_ink
from pipeline.read.ocr_vocabulary import corrected

FONT = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="the IPA Gothic font is not installed")


def _line(text: str, size: int = 34, fill: int = 30, blur: float = 0.7) -> np.ndarray:
    """One line of text as a 300 dpi scan prints it, cut to its ink as a cell's line is."""
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", (size * (len(text) + 2), size * 2), 255)
    ImageDraw.Draw(image).text((size // 2, size // 2), text, font=font, fill=fill)
    pixels = cv2.GaussianBlur(np.asarray(image), (0, 0), blur)
    rows, columns = np.nonzero(pixels < 160)
    return pixels[rows.min():rows.max() + 1, columns.min():columns.max() + 1].copy()


@pytest.fixture(scope="module")
def engine():
    started = load("test", 1)
    yield started
    started.close()


def _faint_ring(line: np.ndarray, x0: int, x1: int, grey: int) -> np.ndarray:
    """The line with the ring of the glyph in columns x0–x1 printed lighter (a thin ring
    scanned faint), its digit as dark as before."""
    faint = line.copy()
    glyph = faint[:, x0:x1]
    centre = (np.array(glyph.shape[::-1]) - 1) / 2
    ys, xs = np.mgrid[0:glyph.shape[0], 0:glyph.shape[1]]
    rim = np.hypot(xs - centre[0], ys - centre[1]) > 0.8 * max(glyph.shape) / 2
    glyph[rim] = np.maximum(glyph[rim], grey + (glyph[rim].astype(int) - 30) * (255 - grey)
                            // 225)
    return faint


@pytest.mark.parametrize(("text", "damage", "expected"), [
    ("1-1-②", "speck", "1-1-②"),  # Tesseract: 1-1-@
    ("(2-2-⑤再掲)", "faint", "(2-2-⑤再掲)"),  # Tesseract: (2-2-ぐ⑤再掲)
    ("1-3-⑪", None, "1-3-⑪"),
    ("施設の整備", None, "施設の整備"),  # の is no ring around a digit
])
def test_a_circled_number_is_read_by_its_ring(engine, text, damage, expected):
    line = _line(text)
    rings = rings_around_ink(cv2, np, line)
    if damage == "speck":  # a speck of toner on the ring's top, as on the reportlab scan
        ring = rings[0]
        middle = (ring.x0 + ring.x1) // 2
        line = cv2.copyMakeBorder(line, 3, 0, 0, 0, cv2.BORDER_CONSTANT, value=255)
        line[0:5, middle - 1:middle + 1] = 60
    elif damage == "faint":
        line = _faint_ring(line, rings[0].x0, rings[0].x1, 150)
    reading = read_line_by_parts(engine, line, CellSettings())
    assert reading.text.replace(" ", "") == expected


@pytest.mark.parametrize("text", ["◎", "○", "回", "国", "の", "@", "Google"])
def test_no_ring_without_a_number_in_it_is_a_circled_number(engine, text):
    line = _line(text)
    numbers = [ring for ring in rings_around_ink(cv2, np, line)
               if engine.read(ring.inside, single_line=True, whitelist="0123456789").text]
    assert numbers == []


def test_a_faint_inner_ring_is_still_a_double_ring():
    # ◎ at 200 dpi, as on the sample scanned so: its rings one pixel thin, the outer
    # one dark, the inner one light grey (about 150 at its darkest, once blurred)
    glyph = np.full((31, 31), 255, np.uint8)
    cv2.circle(glyph, (15, 15), 12, 40, 1)
    cv2.circle(glyph, (15, 15), 7, 110, 1)
    glyph = cv2.GaussianBlur(glyph, (0, 0), 0.5)
    assert classify_mark(cv2, np, glyph).mark == "◎"


def test_a_relisting_whose_closing_bracket_was_lost_is_closed_and_said():
    # read in parts beside its ring, 再掲's bracket may be lost: the 再掲 is then no
    # re-listing, and the row's status would be left empty
    text, corrections = corrected("(1-1-③再掲ペーパーレスの推進")
    assert text == "(1-1-③再掲)ペーパーレスの推進"
    assert [c.why for c in corrections] == ["a re-listing's bracket is closed"]
    assert corrected("(1-1-③再掲)ペーパーレスの推進") == ("(1-1-③再掲)ペーパーレスの推進", [])


@pytest.mark.parametrize(("text", "whole", "alone", "taken"), [
    ("(2-2-", "(2-2-ぐ", "(2-2-", "(2-2-"),  # the ring spilled into an extra glyph
    ("1-3-", "1-3-", "-3-", "1-3-"),  # read alone, the short piece lost its 1
    ("再掲)(国)", "再掲)(国)", "再掲(国)", "再掲)(国)"),
])
def test_a_piece_beside_a_ring_is_taken_from_the_reading_as_long_as_its_glyphs(
        text, whole, alone, taken):
    piece = _line(text)
    assert _nearer_in_length(whole, alone, glyph_count(np, piece)) == taken
