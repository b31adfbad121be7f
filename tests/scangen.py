"""Scans of PDFs as an office copier makes them, for testing the OCR page source.

A page is rendered by pdfium at the copier's dpi in grey, turned by its skew, blurred,
speckled with toner dust and paper grain and, as most copiers send it, JPEG-compressed;
the pages are then wrapped into an image-only PDF whose pages keep the original's size
(an A3 landscape page stays A3 landscape). Everything is decided by the copier's seed,
so the same call makes the same bytes.

    scan_pdf(Path("report.pdf"), tmp_path / "scan.pdf", Copier(dpi=200, skew=0.4))
    mixed_pdf(Path("report.pdf"), {3: 2.5}, tmp_path / "mixed.pdf")  # page 3 scanned, 2.5°
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from rawpdf import pdf_of_objects


@dataclass(frozen=True)
class Copier:
    """How a copier degrades a page: resolution, skew (degrees, counter-clockwise),
    Gaussian blur radius (pixels), share of pixels hit by dust specks, grain (standard
    deviation of the paper's grey noise, in levels of 255), JPEG quality (None: stored
    losslessly) and the seed every random choice is drawn from."""

    dpi: int = 300
    skew: float = 0.3
    blur: float = 0.7
    speckle: float = 0.0004
    grain: float = 3.0
    jpeg_quality: int | None = 80
    seed: int = 0

    def __post_init__(self) -> None:
        if not 50 <= self.dpi <= 600:
            raise ValueError(f"dpi must be within 50–600, not {self.dpi}")
        if not abs(self.skew) <= 10:
            raise ValueError(f"skew must be within ±10°, not {self.skew}")
        if self.blur < 0 or self.grain < 0 or not 0 <= self.speckle < 0.1:
            raise ValueError("blur, grain and speckle must be non-negative (speckle < 0.1)")
        if self.jpeg_quality is not None and not 1 <= self.jpeg_quality <= 95:
            raise ValueError(f"jpeg_quality must be within 1–95, not {self.jpeg_quality}")


@dataclass(frozen=True)
class ScannedPage:
    """One page as the copier returns it: the image and the page size it was printed at."""

    image: Image.Image  # mode "L"
    size: tuple[float, float]  # width, height in points, as displayed (after /Rotate)
    encoded: bytes  # the image stream's data: JPEG, or zlib-compressed grey samples
    jpeg: bool


def render_page(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    """The page as pdfium displays it, in grey at ``dpi``."""
    return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def degrade(image: Image.Image, copier: Copier, page_no: int) -> Image.Image:
    """The copier's damage to one clean page image: skew, blur, specks and grain, drawn
    from the copier's seed and the page number (so pages differ, runs do not)."""
    rng = np.random.default_rng([copier.seed, page_no])
    if copier.skew:
        image = image.rotate(copier.skew, resample=Image.Resampling.BICUBIC, expand=False,
                             fillcolor=255)
    if copier.blur:
        image = image.filter(ImageFilter.GaussianBlur(copier.blur))
    pixels = np.asarray(image, dtype=np.float32)
    if copier.grain:
        pixels = pixels + rng.normal(0.0, copier.grain, pixels.shape).astype(np.float32)
    specks = int(copier.speckle * pixels.size)
    if specks:
        rows = rng.integers(0, pixels.shape[0] - 1, specks)
        cols = rng.integers(0, pixels.shape[1] - 1, specks)
        shade = rng.integers(0, 110, specks).astype(np.float32)
        pixels[rows, cols] = shade
        big = rng.random(specks) < 0.3  # a third are 2×2 dust, the rest single dots
        pixels[rows[big] + 1, cols[big]] = shade[big]
        pixels[rows[big], cols[big] + 1] = shade[big]
        pixels[rows[big] + 1, cols[big] + 1] = shade[big]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def encode(image: Image.Image, copier: Copier) -> tuple[bytes, bool]:
    """The image stream's data and whether it is JPEG (else zlib-compressed samples)."""
    if copier.jpeg_quality is None:
        return zlib.compress(image.tobytes(), 6), False
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=copier.jpeg_quality, dpi=(copier.dpi, copier.dpi))
    return buffer.getvalue(), True


def scan_pages(source: Path, copier: Copier = Copier(), pages: Sequence[int] | None = None,
               skews: Mapping[int, float] | None = None) -> list[ScannedPage]:
    """Scans of the chosen pages (1-based; None: all) of ``source``; ``skews`` turns the
    pages it names by their own angle instead of the copier's."""
    document = pdfium.PdfDocument(source)
    try:
        numbers = list(pages) if pages is not None else list(range(1, len(document) + 1))
        scanned = []
        for page_no in numbers:
            page = document[page_no - 1]
            page_copier = copier if skews is None or page_no not in skews else replace(
                copier, skew=skews[page_no])
            image = degrade(render_page(page, copier.dpi), page_copier, page_no)
            data, jpeg = encode(image, copier)
            image = Image.open(io.BytesIO(data)).convert("L") if jpeg else image
            scanned.append(ScannedPage(image, page.get_size(), data, jpeg))
            page.close()
        return scanned
    finally:
        document.close()


def image_pdf(pages: Sequence[ScannedPage]) -> bytes:
    """An image-only PDF: each page one grey image filling a MediaBox of its size."""
    count = len(pages)
    kids = " ".join(f"{3 + 3 * index} 0 R" for index in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()]
    for index, page in enumerate(pages):
        first = 3 + 3 * index
        width, height = (_number(value) for value in page.size)
        content = f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q".encode()
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
                       f"/Resources << /XObject << /Im0 {first + 2} 0 R >> >> "
                       f"/Contents {first + 1} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content
                       + b"\nendstream")
        filter_name = "DCTDecode" if page.jpeg else "FlateDecode"
        objects.append(f"<< /Type /XObject /Subtype /Image /Width {page.image.width} "
                       f"/Height {page.image.height} /ColorSpace /DeviceGray "
                       f"/BitsPerComponent 8 /Filter /{filter_name} "
                       f"/Length {len(page.encoded)} >>\nstream\n".encode()
                       + page.encoded + b"\nendstream")
    return pdf_of_objects(objects)


def _number(value: float) -> str:
    """A page dimension as PDF writes it: pdfium's float32 size to 4 decimals."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def scan_pdf(source: Path, dest: Path, copier: Copier = Copier(),
             skews: Mapping[int, float] | None = None) -> Path:
    """Write ``dest``: every page of ``source`` scanned by ``copier``, image only."""
    dest.write_bytes(image_pdf(scan_pages(source, copier, skews=skews)))
    return dest


def mixed_pdf(text_pdf: Path, scanned_pages: Mapping[int, float] | Sequence[int], dest: Path,
              copier: Copier = Copier()) -> Path:
    """Write ``dest``: ``text_pdf`` with the chosen pages (1-based) replaced by their scans,
    the others kept as they are (their text layer untouched). A mapping gives each
    scanned page its own skew."""
    chosen = sorted(scanned_pages)
    skews = dict(scanned_pages) if isinstance(scanned_pages, Mapping) else None
    original = pdfium.PdfDocument(text_pdf)
    missing = [page_no for page_no in chosen if not 1 <= page_no <= len(original)]
    if missing:
        count = len(original)
        original.close()
        raise ValueError(f"{text_pdf.name} has {count} pages, so pages {missing} cannot be "
                         "scanned")
    scans = pdfium.PdfDocument(image_pdf(scan_pages(text_pdf, copier, chosen, skews)))
    mixed = pdfium.PdfDocument.new()
    try:
        for page_no in range(1, len(original) + 1):
            if page_no in chosen:
                mixed.import_pages(scans, [chosen.index(page_no)])
            else:
                mixed.import_pages(original, [page_no - 1])
        mixed.save(dest)
    finally:
        for document in (mixed, scans, original):
            document.close()
    return dest
