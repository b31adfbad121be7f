"""Quantities printed in indicator cells: "約 179 万件", "68.3% ※1", "0/15", "—".

A dash means "no figure" and reads as a missing value, never as 0: "0件" and "—" are
different facts in a progress report. A number a float cannot hold as printed (400
digits, which would be inf, or more significant digits than a float keeps) is refused
with ``NumberOutOfRange``, never stored rounded or infinite.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from pipeline.normalize.text import is_dash


@dataclass(frozen=True)
class Quantity:
    """A number as the report means it: 約 179 万件 is value 1790000.0, unit "件", approx."""

    value: float | None
    unit: str | None
    approx: bool
    denominator: float | None
    note_refs: tuple[str, ...]


class NumberOutOfRange(ValueError):
    """A printed number that no float value holds exactly as printed."""


_MULTIPLIERS = {"億": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "千": 1_000}
_COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_INT64_MAX = 2**63 - 1
_APPROX_PREFIXES = ("約", "およそ", "概ね", "おおむね")
_APPROX_SUFFIXES = ("程度",)

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A unit is what follows the number: "件", "%", "団体", "fm". It holds no digits or
# spaces, so "3 団体 5 件" fails instead of quietly becoming 3.
_UNIT = r"[^\d\s]{1,12}"
_AMOUNT = re.compile(
    rf"(?P<sign>[-−])?(?P<number>{_NUMBER})\s*"
    rf"(?P<multiplier>億|千万|百万|万|千)?\s*(?P<unit>{_UNIT})?"
)
_FRACTION = re.compile(
    rf"(?P<number>{_NUMBER})\s*/\s*(?P<denominator>{_NUMBER})\s*(?P<unit>{_UNIT})?"
)

# "※1", "※ 1", "＊1", "*2": a pointer to a footnote printed after a value or label.
_NOTE_REF = r"[※＊*]\s*[0-9０-９]+"
_TRAILING_NOTE_REFS = re.compile(rf"(?:\s*[,、]?\s*{_NOTE_REF})+\s*$")
_ONE_NOTE_REF = re.compile(_NOTE_REF)


def strip_note_refs(s: str) -> tuple[str, tuple[str, ...]]:
    """Split trailing footnote pointers off a label or value.

    >>> strip_note_refs("ICT資格の「ITパスポート試験」取得者数 ※3")
    ('ICT資格の「ITパスポート試験」取得者数', ('※3',))
    """
    match = _TRAILING_NOTE_REFS.search(s)
    if match is None:
        return s.strip(), ()
    refs = tuple(_canonical_ref(ref) for ref in _ONE_NOTE_REF.findall(match.group(0)))
    return s[: match.start()].strip(), refs


def _canonical_ref(ref: str) -> str:
    # One spelling per footnote, so "※ 1" on a value finds the note printed "※1".
    return unicodedata.normalize("NFKC", ref.replace(" ", "").replace("\u3000", ""))


def parse_quantity(s: str) -> Quantity:
    """Read one indicator cell; ValueError when it holds no number.

    >>> parse_quantity("約 179 万件")
    Quantity(value=1790000.0, unit='件', approx=True, denominator=None, note_refs=())
    """
    text, refs = strip_note_refs(s)
    if not text or is_dash(text):
        return Quantity(None, None, False, None, refs)
    normal = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    body, approx = _strip_approx(normal)
    fraction = _FRACTION.fullmatch(body)
    if fraction is not None:
        return Quantity(
            _to_float(fraction["number"]), fraction["unit"], approx,
            _to_float(fraction["denominator"]), refs,
        )
    amount = _AMOUNT.fullmatch(body)
    if amount is None:
        raise ValueError(f"cannot read a number from {s!r}")
    return Quantity(_amount_value(amount), amount["unit"], approx, None, refs)


def _strip_approx(text: str) -> tuple[str, bool]:
    for prefix in _APPROX_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix):].strip(), True
    for suffix in _APPROX_SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)].strip(), True
    return text, False


def _amount_value(amount: re.Match[str]) -> float:
    # Decimal keeps 1.5万 exactly 15000 before the one conversion to float.
    value = Decimal(amount["number"].replace(",", ""))
    if amount["multiplier"]:
        value *= _MULTIPLIERS[amount["multiplier"]]
    if amount["sign"]:
        value = -value
    return _exact_float(value, amount["number"])


def _to_float(number: str) -> float:
    return _exact_float(Decimal(number.replace(",", "")), number)


def _exact_float(value: Decimal, printed: str) -> float:
    """The float of ``value``, which must be finite and hold every printed digit."""
    number = float(value)
    shown = repr(printed) if len(printed) <= 30 else f"a number of {len(printed)} characters"
    if not math.isfinite(number):
        raise NumberOutOfRange(f"{shown} is too large for a value (at most about 1.8e308)")
    if Decimal(repr(number)) != value:
        raise NumberOutOfRange(f"{shown} has more significant digits than a value keeps "
                               f"(it would be stored as {number!r})")
    return number


def parse_count(s: str) -> int:
    """A count as printed ("105", "1,234"): ASCII digits after NFKC, within Int64; a
    ValueError for anything else, ``NumberOutOfRange`` for a count Int64 cannot hold.

    >>> parse_count("１０５")
    105
    """
    text = unicodedata.normalize("NFKC", s).strip()
    if not _COUNT.fullmatch(text):
        raise ValueError(f"{s!r} is not a count")
    count = int(text.replace(",", ""))
    if count > _INT64_MAX:
        raise NumberOutOfRange(f"{text!r} is too large for a count (at most {_INT64_MAX:,})")
    return count
