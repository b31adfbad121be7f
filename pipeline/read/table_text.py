"""The text of each cell of a pdfplumber table, as ``Table.extract`` gives it, faster.

``Table.extract`` tests every char of the page against every row's box: once pdfium
parses a page in a few milliseconds, that quadratic step costs as much as parsing. Here
the chars are sorted once by their vertical middle, each row takes its slice by bisection,
and every cell then applies pdfplumber's own test (middle inside the box, right and
bottom edges open) to the row's chars, in the page's order: the same chars reach the
text step in the same order.

The text step is pdfplumber's ``extract_text`` for the settings cells are read with
(``x_tolerance_ratio``, ``y_tolerance``, blanks kept) on upright text, written out for
that one case: its lines, words and their joining are pdfplumber's, step for step, without
its general machinery of directions and options (a third of a page's reading).
Any other settings, or a cell with rotated chars, go to pdfplumber's own.
tests/read/test_pdfium_backend.py compares the texts with ``Table.extract`` on every table of
every PDF the tests have.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from pdfplumber.utils import extract_text
from pdfplumber.utils.text import LIGATURES

_FAST_SETTINGS = {"x_tolerance_ratio", "y_tolerance", "keep_blank_chars"}


def table_cell_texts(table: Any, **text_settings: Any) -> list[list[str | None]]:
    """``table.extract(**text_settings)``: a row of texts per row, None for no cell."""
    chars = table.page.chars
    # pdfplumber's own arithmetic, once per char: (across, down, char) middles.
    middles = [((char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2, char)
               for char in chars]
    order = sorted(range(len(chars)), key=lambda i: middles[i][1])
    downs = [middles[i][1] for i in order]
    text_of = _text_step(text_settings)
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        band = sorted(order[bisect_left(downs, top):bisect_left(downs, bottom)])
        row_chars = [middles[i] for i in band if x0 <= middles[i][0] < x1]
        rows.append([None if cell is None else text_of(_inside(row_chars, cell))
                     for cell in row.cells])
    return rows


def _inside(row_chars: list[tuple[float, float, dict[str, Any]]], cell: tuple[float, ...]
            ) -> list[dict[str, Any]]:
    x0, top, x1, bottom = cell
    return [char for across, down, char in row_chars
            if x0 <= across < x1 and top <= down < bottom]


def _text_step(text_settings: dict[str, Any]) -> Any:
    if (set(text_settings) == _FAST_SETTINGS and text_settings["keep_blank_chars"] is True
            and text_settings["x_tolerance_ratio"] is not None):
        ratio, tolerance = text_settings["x_tolerance_ratio"], text_settings["y_tolerance"]
        return lambda chars: upright_text(chars, ratio, tolerance, text_settings)
    return lambda chars: extract_text(chars, **text_settings) if chars else ""


def upright_text(chars: list[dict[str, Any]], x_tolerance_ratio: float, y_tolerance: float,
                 text_settings: dict[str, Any] | None = None) -> str:
    """pdfplumber's ``extract_text(chars, x_tolerance_ratio=…, y_tolerance=…,
    keep_blank_chars=True)``; chars that are not all upright go to pdfplumber itself."""
    if not chars:
        return ""
    if not all(char["upright"] for char in chars):
        settings = text_settings or {"x_tolerance_ratio": x_tolerance_ratio,
                                     "y_tolerance": y_tolerance, "keep_blank_chars": True}
        return extract_text(chars, **settings)
    words: list[tuple[float, str]] = []  # (top, text), in pdfplumber's order
    for line in _clusters(chars, [char["top"] for char in chars], y_tolerance):
        line.sort(key=lambda char: char["x0"])  # pdfplumber's key (x0, x0), stable
        words.extend(_words(line, x_tolerance_ratio, y_tolerance))
    lines = _clusters(words, [top for top, _ in words], y_tolerance)
    return "\n".join(" ".join(text for _, text in line) for line in lines)


def _clusters(objects: list[Any], keys: list[float], tolerance: float) -> list[list[Any]]:
    """pdfplumber's ``cluster_objects``: keys chained within ``tolerance`` make one
    cluster; clusters in key order, objects in their given order within each."""
    index: dict[float, int] = {}
    last: float | None = None
    for key in sorted(set(keys)):
        if last is not None and key > last + tolerance:
            cluster = index[last] + 1
        else:
            cluster = index[last] if last is not None else 0
        index[key] = cluster
        last = key
    clusters: list[list[Any]] = [[] for _ in range(index[last] + 1)] if last is not None else []
    for obj, key in zip(objects, keys):
        clusters[index[key]].append(obj)
    return clusters


def _words(line: list[dict[str, Any]], x_tolerance_ratio: float, y_tolerance: float
           ) -> list[tuple[float, str]]:
    """pdfplumber's words of one line (blanks kept, no punctuation split): a word ends
    where the next char starts left of the last one, past its end by more than the
    ratio × its size, or more than ``y_tolerance`` above or below it."""
    words: list[tuple[float, str]] = []
    current: list[dict[str, Any]] = []
    for char in line:
        if char["text"] == "":  # pdfplumber: "" is in its (empty) punctuation string
            if current:
                words.append(_word(current))
            words.append(_word([char]))
            current = []
            continue
        if current:
            last = current[-1]
            x0 = char["x0"]
            if (x0 < last["x0"] or x0 > last["x1"] + x_tolerance_ratio * last["size"]
                    or abs(char["top"] - last["top"]) > y_tolerance):
                words.append(_word(current))
                current = []
        current.append(char)
    if current:
        words.append(_word(current))
    return words


def _word(chars: list[dict[str, Any]]) -> tuple[float, str]:
    return (min(char["top"] for char in chars),
            "".join(LIGATURES.get(char["text"], char["text"] or "") for char in chars))
