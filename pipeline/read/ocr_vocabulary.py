"""OCR text corrected by what a report's cells can be, each correction said aloud.

Tesseract's slips on these reports are regular: 令和 read as 信和, 多和, 金和 (no such era);
AI as Al; a thousands comma as a point (44.025件); the hyphens of a measure id lost or
read as points (1.4-①); a cell of one long dash as ーー; a department one stroke off
(戸緒住民課). Each is put right only where the printed form is certain from the words
around it or from the built-in profiles' department names, and every change is kept as
a note ("read X, taken as Y"), which becomes a warning: a correction is a doubt too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections import Counter
from dataclasses import astuple, dataclass, field
from functools import cache

from pipeline.profiles import BUILTIN_NAMES, builtin_profile

# A Japanese era year: 令和 is the only era ending in 和 after 昭和 (1926–1989).
_ERA = re.compile(r"[^\s令昭\d](?=和\n?(?:元|\d{1,2})\n?年)")
_AI = re.compile(r"(?<![A-Za-z])Al(?![a-z])")
# A point between up to three digits and exactly three more, then no digit: a comma
# (Japanese reports print counts as 44,025; a decimal has one or two places).
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})\.(\d{3})(?=[件名人円枚台回万f])")
_MEASURE_ID = re.compile(r"^(\d{1,2})\s*[-.‐ー一・]?\s*(\d{1,2})\s*[-.‐ー一・]?\s*([①-⑳])$")
_DASH_ONLY = re.compile(r"^[ー一—―－-]{1,3}$")
# A wrapped sentence's last line of only its 。, which Tesseract reads as a letter o.
_LONE_STOP = re.compile(r"(?<=\n)[oO0°]$")
# A keyword in brackets, (推進), whose closing bracket the engine lost.
_OPEN_TAG = re.compile(r"^\(([^()\n]{1,6})$")
# A re-listing's bracket, (1-1-③再掲), closing bracket lost before the business name.
_OPEN_RELISTED = re.compile(r"^(\(\d{1,2}-\d{1,2}-[①-⑳]再掲)(?![)）])")
# Character pairs that are no word, read for the word these reports print.
_NO_WORDS = {"店舎": "庁舎", "見衣し": "見直し", "見盲し": "見直し"}


@dataclass(frozen=True)
class Correction:
    """One change to a cell's or line's OCR text, and why it was made."""

    read: str
    taken: str
    why: str


def corrected(text: str, confidence: float = 100.0) -> tuple[str, list[Correction]]:
    """The text with every known OCR slip put right, and the corrections made;
    ``confidence``: the engine's for the text (a short word is only put right when the
    engine doubted it)."""
    notes: list[Correction] = []
    for fix in _FIXES:
        fixed, why = fix(text)
        if fixed != text:
            notes.append(Correction(read=text, taken=fixed, why=why))
            text = fixed
    header = _header_word(text, confidence)
    if header is not None:
        notes.append(Correction(read=text, taken=header,
                                why="one character off a header word of the profile"))
        text = header
    return text, notes


def _era(text: str) -> tuple[str, str]:
    return _ERA.sub("令", text), "no era but 令和 reads so"


def _ai(text: str) -> tuple[str, str]:
    return _AI.sub("AI", text), "Al is AI in these reports"


def _thousands(text: str) -> tuple[str, str]:
    return _THOUSANDS.sub(r"\1,\2", text), "a point before three digits is a thousands comma"


def _measure_id(text: str) -> tuple[str, str]:
    return _MEASURE_ID.sub(r"\1-\2-\3", text), "a measure id is number-number-circled number"


def _dash(text: str) -> tuple[str, str]:
    return ("—" if _DASH_ONLY.match(text) and text != "—" else text,
            "a cell of only a dash is a dash")


def _lone_stop(text: str) -> tuple[str, str]:
    return _LONE_STOP.sub("。", text), "a last line of one small ring is a 。"


def _open_tag(text: str) -> tuple[str, str]:
    return _OPEN_TAG.sub(r"(\1)", text), "a bracketed keyword is closed"


def _open_relisted(text: str) -> tuple[str, str]:
    return _OPEN_RELISTED.sub(r"\1)", text), "a re-listing's bracket is closed"


def _no_word(text: str) -> tuple[str, str]:
    for wrong, right in _NO_WORDS.items():
        text = text.replace(wrong, right)
    return text, "no such word; the reports print the word it looks like"


def _department(text: str) -> tuple[str, str]:
    lines = [_known_department(line) or line for line in text.split("\n")]
    return "\n".join(lines), "one character off a department the profile knows"


_FIXES: tuple[Callable[[str], tuple[str, str]], ...] = (
    _era, _ai, _thousands, _measure_id, _dash, _lone_stop, _open_tag, _open_relisted, _no_word,
    _department)


def _known_department(line: str) -> str | None:
    """The one known department a line is one character off (wrong, missing or extra)."""
    known = departments()
    if line in known or not 3 <= len(line) <= 16:
        return None
    near = [name for name in known if _one_off(line, name)]
    return near[0] if len(near) == 1 else None


def _one_off(a: str, b: str, shortest: int = 4) -> bool:
    """Whether a and b differ by one character (wrong, missing or extra); b is at
    least ``shortest`` long, and a wrong character only where both are as long."""
    if abs(len(a) - len(b)) > 1 or len(b) < shortest or (len(b) < 4 and len(a) != len(b)):
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _header_word(text: str, confidence: float) -> str | None:
    """The one header word of the profiles a whole cell is one character off: any word
    of four or more characters; a shorter one only when the engine doubted it (under
    70), as two-character words differ by one character from many others."""
    joined = text.replace("\n", "")
    words = header_words()
    if joined in words or not 2 <= len(joined) <= 16:
        return None
    near = [word for word in words
            if _one_off(joined, word, 4 if confidence >= 70 else 2)]
    return near[0] if len(near) == 1 else None


@cache
def header_words() -> frozenset[str]:
    """The Japanese words of the built-in profiles' table headers and year texts."""
    words: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, str):
            words.update(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]{2,}", node))
        elif isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                collect(value)

    for name in BUILTIN_NAMES:
        profile = builtin_profile(name)
        collect(astuple(profile.tables))
        collect(astuple(profile.text_rules))
    return frozenset(words)


@cache
def departments() -> frozenset[str]:
    """The department names of every built-in profile."""
    return frozenset(name for profile in BUILTIN_NAMES
                     for name in builtin_profile(profile).departments.known)


@dataclass
class ReportWords:
    """The whole cells a report's OCR read with confidence, counted: a cell the engine
    doubted that is one character off one of them, printed twice or more, is taken as
    it ((続) → (継続) where (継続) is read elsewhere)."""

    sure: float = 75.0  # a reading this confident is a word of the report
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, text: str, confidence: float) -> None:
        """Count a cell's text as read."""
        if confidence >= self.sure and 3 <= len(text) <= 24 and "\n" not in text:
            self.counts[text] += 1

    def nearest(self, text: str, confidence: float) -> Correction | None:
        """The correction to the one word of the report the text is one character off."""
        if confidence >= 90 or text in self.counts or "\n" in text:
            return None
        near = [word for word, count in self.counts.items()
                if count >= 2 and _one_off(text, word, 3)]
        if len(near) != 1:
            return None
        return Correction(read=text, taken=near[0],
                          why="one character off a cell read elsewhere in the report")
