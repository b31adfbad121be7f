"""The progress marks ◎ ○ △ × and the look-alike characters a report may print instead.

Word processors offer several circles and crosses that look the same on paper (〇 is the
kanji zero, ◯ a large circle); NFKC merges none of them, so the mapping is explicit.
"""

from __future__ import annotations

from schemas.vocabulary import MARK_ORDER, STATUS_BY_MARK, STATUS_ORDER

__all__ = ["MARK_ORDER", "STATUS_BY_MARK", "STATUS_ORDER", "is_status_mark", "normalize_mark"]

# Latin o/O/x/X are left out on purpose: in a cell they are as likely a typo or an
# abbreviation as a mark. ▲ is left out too: reports use it for "decrease", not △.
_LOOK_ALIKES = {
    "◎": "◎⊚",
    "○": "○〇◯⚪⭕",
    "△": "△▵",
    "×": "×✕✖╳☓✗✘⨯",
}
_CANONICAL = {char: mark for mark, chars in _LOOK_ALIKES.items() for char in chars}


def normalize_mark(s: str | None) -> str | None:
    """The canonical mark for a printed status cell; None for a blank cell.

    >>> normalize_mark("〇 ")
    '○'
    """
    if s is None or not s.strip():
        return None
    mark = _CANONICAL.get(s.strip())
    if mark is None:
        raise ValueError(f"not a status mark: {s!r}")
    return mark


def is_status_mark(s: str | None) -> bool:
    """True when the cell prints exactly one status mark (any look-alike)."""
    return s is not None and s.strip() in _CANONICAL
