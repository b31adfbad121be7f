"""tests/scangen.py makes scans the way a copier does: image-only pages of the original's
size, the same bytes from the same seed, and mixed PDFs whose other pages keep their text."""

import hashlib
import math

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest
import scangen
from conftest import SAMPLE_PDF
from scangen import Copier

from pipeline.errors import UnreadablePageError
from pipeline.read.pdf import PdfSettings, check_text_layer

FAST = Copier(dpi=72)  # the structure of a scan, made quickly
CLEAN = Copier(dpi=72, skew=0, blur=0, speckle=0, grain=0, jpeg_quality=None)


def page_sizes(path):
    """Each page's width and height, in one list (pytest.approx takes no nesting)."""
    document = pdfium.PdfDocument(path)
    try:
        return [size for page in document for size in page.get_size()]
    finally:
        document.close()


def page_texts(path):
    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def text_layer_refusals(path):
    """Each page's refusal by the reader's text-layer check, None where it has text."""
    refusals = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            try:
                check_text_layer(page, path.name, PdfSettings())
                refusals.append(None)
            except UnreadablePageError as error:
                refusals.append(str(error))
    return refusals


def embedded_images(path):
    """Each page's objects: [(type, width, height, filters)] — a scan's page holds one image."""
    document = pdfium.PdfDocument(path)
    try:
        pages = []
        for page in document:
            objects = []
            for obj in page.get_objects():
                if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE:
                    meta = obj.get_metadata()
                    objects.append(("image", meta.width, meta.height, tuple(obj.get_filters())))
                else:
                    objects.append((obj.type, None, None, ()))
            pages.append(objects)
        return pages
    finally:
        document.close()


@pytest.fixture(scope="module")
def sample_scan(tmp_path_factory):
    return scangen.scan_pdf(SAMPLE_PDF, tmp_path_factory.mktemp("scan") / "scan.pdf", FAST)


def test_a_scan_has_the_pages_of_the_original_at_their_sizes(sample_scan):
    original, scanned = page_sizes(SAMPLE_PDF), page_sizes(sample_scan)
    assert len(scanned) == len(original) == 2 * 7
    # A4 portrait memo, A3 landscape attachment: each page keeps its own size
    assert [round(size) for size in scanned] == [595, 842] * 2 + [1191, 842] * 5
    assert scanned == pytest.approx(original, abs=0.001)


def test_each_scanned_page_is_one_jpeg_image_at_the_copiers_dpi(sample_scan):
    pages = embedded_images(sample_scan)
    sizes = page_sizes(SAMPLE_PDF)
    for width, height, objects in zip(sizes[::2], sizes[1::2], pages):
        # pdfium renders a page of 595.3 pt at 72 dpi 596 pixels wide
        assert objects == [("image", math.ceil(width), math.ceil(height), ("DCTDecode",))]
    assert page_texts(sample_scan) == [""] * 7


def test_the_readers_text_layer_check_takes_every_scanned_page_for_a_scan(sample_scan):
    assert text_layer_refusals(sample_scan) == [
        f"scan.pdf: page {page} has no readable text layer (no text at all, only images or "
        "drawings: it looks scanned and needs OCR)." for page in range(1, 8)]


def test_the_same_seed_makes_the_same_bytes_and_another_seed_others(tmp_path):
    first = scangen.scan_pdf(SAMPLE_PDF, tmp_path / "first.pdf", FAST)
    again = scangen.scan_pdf(SAMPLE_PDF, tmp_path / "again.pdf", FAST)
    other = scangen.scan_pdf(SAMPLE_PDF, tmp_path / "other.pdf", Copier(dpi=72, seed=1))
    digests = [hashlib.sha256(path.read_bytes()).hexdigest() for path in (first, again, other)]
    assert digests[0] == digests[1] != digests[2]


def test_an_undamaged_lossless_scan_is_pdfiums_rendering_of_the_page(tmp_path):
    scan = scangen.scan_pdf(SAMPLE_PDF, tmp_path / "clean.pdf", CLEAN)
    assert [objects[0][3] for objects in embedded_images(scan)] == [("FlateDecode",)] * 7
    original, scanned = pdfium.PdfDocument(SAMPLE_PDF), pdfium.PdfDocument(scan)
    try:
        for page_no in (1, 4):
            clean = np.asarray(scangen.render_page(original[page_no - 1], 72))
            image = next(obj for obj in scanned[page_no - 1].get_objects()
                         if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
            embedded = np.asarray(image.get_bitmap().to_pil().convert("L"))
            assert embedded.shape == clean.shape
            assert (embedded == clean).all()
    finally:
        original.close()
        scanned.close()


def test_the_damage_is_skew_blur_specks_and_grain():
    page = np.full((200, 300), 255, dtype=np.uint8)
    page[:, 148:152] = 0  # a vertical rule 4 px wide
    from PIL import Image
    clean = Image.fromarray(page, mode="L")
    turned = np.asarray(scangen.degrade(clean, Copier(skew=3, blur=0, speckle=0, grain=0), 1))
    # turned 3° counter-clockwise about the centre: the rule's top moves left, its foot right
    top, foot = (np.flatnonzero(turned[row] < 128).mean() for row in (10, 189))
    assert top - 150 == pytest.approx(-np.tan(np.radians(3)) * 90, abs=1)
    assert foot - 150 == pytest.approx(np.tan(np.radians(3)) * 89, abs=1)
    blurred = np.asarray(scangen.degrade(clean, Copier(skew=0, blur=1.5, speckle=0, grain=0), 1))
    assert 0 < blurred[100, 147] < 255 and blurred[100, 150] < 64
    specked = np.asarray(scangen.degrade(clean, Copier(skew=0, blur=0, speckle=0.01, grain=0), 1))
    dark = int((specked[:, :140] < 128).sum())
    assert 600 * 140 / 300 * 0.8 < dark < 600 * 140 / 300 * 2.5  # 1% of pixels, some 2×2
    grainy = np.asarray(scangen.degrade(clean, Copier(skew=0, blur=0, speckle=0, grain=4), 1))
    assert 1.5 < float(grainy[:, :140].std()) < 4.5  # clipped at white: half the noise shows


def test_a_mixed_pdf_keeps_the_text_pages_and_scans_the_chosen_ones(tmp_path):
    mixed = scangen.mixed_pdf(SAMPLE_PDF, {3: 2.5, 5: 0.3}, tmp_path / "mixed.pdf", FAST)
    texts, originals = page_texts(mixed), page_texts(SAMPLE_PDF)
    assert [bool(text) for text in texts] == [True, True, False, True, False, True, True]
    assert [texts[i] for i in (0, 1, 3, 5, 6)] == [originals[i] for i in (0, 1, 3, 5, 6)]
    assert page_sizes(mixed) == pytest.approx(page_sizes(SAMPLE_PDF), abs=0.001)
    kinds = embedded_images(mixed)
    assert kinds[2] == [("image", 1191, 842, ("DCTDecode",))] == kinds[4]
    refusals = text_layer_refusals(mixed)
    assert [page for page, refusal in enumerate(refusals, 1) if refusal] == [3, 5]
    assert refusals[2].startswith("mixed.pdf: page 3 has no readable text layer (")


def test_a_mixed_pdf_names_a_page_the_original_does_not_have(tmp_path):
    with pytest.raises(ValueError) as error:
        scangen.mixed_pdf(SAMPLE_PDF, [2, 8], tmp_path / "mixed.pdf", FAST)
    assert str(error.value) == ("nakano_fy2023_sample.pdf has 7 pages, so pages [8] cannot "
                                "be scanned")


@pytest.mark.parametrize("settings, message", [
    ({"dpi": 20}, "dpi must be within 50–600, not 20"),
    ({"skew": -12.0}, "skew must be within ±10°, not -12.0"),
    ({"speckle": 0.2}, "blur, grain and speckle must be non-negative (speckle < 0.1)"),
    ({"jpeg_quality": 100}, "jpeg_quality must be within 1–95, not 100"),
])
def test_a_copier_refuses_settings_no_copier_has(settings, message):
    with pytest.raises(ValueError) as error:
        Copier(**settings)
    assert str(error.value) == message
