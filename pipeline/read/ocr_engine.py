"""The OCR engine: Tesseract's Japanese model in-process through tesserocr, loaded lazily.

numpy, OpenCV and tesserocr are an optional extra (``ward-report-pipeline[ocr]``) over
Debian's ``tesseract-ocr`` and ``tesseract-ocr-jpn``: they are imported here, on the first
scanned page, and when any is missing the page is refused with one sentence saying what
to install. One engine reads all the pages of one report (one worker process).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import UnreadablePageError

INSTALL = ("pip install 'ward-report-pipeline[ocr]' and apt-get install tesseract-ocr "
           "tesseract-ocr-jpn")
LANGUAGE = "jpn"
# Where Debian's, Homebrew's and the tesseract default builds keep their models.
_TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
             "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata")
_LOCK = threading.Lock()  # one Tesseract API is not to be used by two threads at once


@dataclass(frozen=True)
class Reading:
    """What the engine read in one image: the text and its confidence (0–100), and the
    confidence of each character (tesseract's symbol level), in reading order."""

    text: str
    confidence: float
    symbols: tuple[tuple[str, float], ...] = ()


class Engine:
    """Tesseract's API for one language, with the libraries it was loaded with."""

    def __init__(self, cv2: Any, np: Any, tesserocr: Any, tessdata: str):
        self.cv2, self.np, self.tesserocr = cv2, np, tesserocr
        self._api = tesserocr.PyTessBaseAPI(path=tessdata, lang=LANGUAGE,
                                            psm=tesserocr.PSM.SINGLE_BLOCK)
        # Cells are read for what they hold (ocr_cells.py), not as words of a dictionary.
        self._api.SetVariable("load_system_dawg", "0")
        self._api.SetVariable("load_freq_dawg", "0")
        self._api.SetVariable("preserve_interword_spaces", "0")

    @property
    def name(self) -> str:
        """'tesseract 5.5.4 (jpn), tesserocr 2.13.0', for report.json."""
        version = self.tesserocr.tesseract_version().split()[1]
        return f"tesseract {version} ({LANGUAGE}), tesserocr {self.tesserocr.__version__}"

    def read(self, image: Any, single_line: bool = False, raw_line: bool = False,
             whitelist: str = "") -> Reading:
        """Read a grey image (numpy, dark ink on white): a block of lines, one line, or
        one line without Tesseract's layout analysis (``raw_line``)."""
        pil = self.tesserocr_image(image)
        psm = self.tesserocr.PSM
        mode = psm.RAW_LINE if raw_line else psm.SINGLE_LINE if single_line else psm.SINGLE_BLOCK
        with _LOCK:
            self._api.SetPageSegMode(mode)
            self._api.SetVariable("tessedit_char_whitelist", whitelist)
            self._api.SetImage(pil)
            self._api.Recognize()
            text = self._api.GetUTF8Text() or ""
            symbols = tuple(self._symbols()) if text.strip() else ()
            confidence = float(self._api.MeanTextConf())
        return Reading(text=text.strip(), confidence=confidence, symbols=symbols)

    def lines(self, image: Any) -> list[tuple[str, float, tuple[int, int, int, int]]]:
        """The text lines of a page image laid out as a page: (text, confidence, box)."""
        level = self.tesserocr.RIL.TEXTLINE
        found: list[tuple[str, float, tuple[int, int, int, int]]] = []
        with _LOCK:
            self._api.SetPageSegMode(self.tesserocr.PSM.AUTO)
            self._api.SetVariable("tessedit_char_whitelist", "")
            self._api.SetImage(self.tesserocr_image(image))
            self._api.Recognize()
            if not (self._api.GetUTF8Text() or "").strip():
                return found
            iterator = self._api.GetIterator()
            while True:
                text = iterator.GetUTF8Text(level)
                box = iterator.BoundingBox(level)
                if text and text.strip() and box is not None:
                    found.append((text.strip(), float(iterator.Confidence(level)), box))
                if not iterator.Next(level):
                    break
        return found

    def tesserocr_image(self, image: Any) -> Any:
        from PIL import Image

        return Image.fromarray(image)

    def _symbols(self) -> Iterator[tuple[str, float]]:
        level = self.tesserocr.RIL.SYMBOL
        iterator = self._api.GetIterator()
        if iterator is None:
            return
        while True:
            text = iterator.GetUTF8Text(level)
            if text:
                yield text, float(iterator.Confidence(level))
            if not iterator.Next(level):
                return

    def close(self) -> None:
        """Free Tesseract's model."""
        self._api.End()


@contextmanager
def engine_for(source: str, page_no: int) -> Iterator[Engine]:
    """An engine, or UnreadablePageError naming the page and what to install."""
    engine = load(source, page_no)
    try:
        yield engine
    finally:
        engine.close()


def load(source: str, page_no: int) -> Engine:
    """Import the OCR libraries and start Tesseract, or say in one sentence what is missing."""
    where = f"{source}: page {page_no} has no readable text layer (it looks scanned)"
    try:
        import cv2
        import numpy as np
        import tesserocr
    except ImportError as error:
        raise UnreadablePageError(
            f"{where} and reading it by OCR needs {error.name}, which is not installed: "
            f"{INSTALL}.") from None
    tessdata = tessdata_folder()
    if tessdata is None:
        raise UnreadablePageError(
            f"{where} and reading it by OCR needs Tesseract's Japanese model "
            f"({LANGUAGE}.traineddata), which was not found: {INSTALL}.")
    return Engine(cv2, np, tesserocr, tessdata)


def tessdata_folder() -> str | None:
    """The folder holding jpn.traineddata: $TESSDATA_PREFIX, else the usual places."""
    given = os.environ.get("TESSDATA_PREFIX")
    for folder in ([given] if given else []) + list(_TESSDATA):
        if (Path(folder) / f"{LANGUAGE}.traineddata").is_file():
            return folder.rstrip("/") + "/"
    return None
