"""Printed cells as the table readers quote and match them: a cell's text, a row's text
for a message, a row padded to its header's width, a cell's words against the profile's."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.profiles import Profile
from pipeline.records import Cell

BLANK = Cell(text=None)


def cell_text(cell: Cell) -> str:
    """The cell's text as printed, without the spaces around it ("" for a blank cell)."""
    return (cell.text or "").strip()


def row_text(row: tuple[Cell, ...]) -> str:
    """A row's cells as a message quotes them: apart by " | ", cut to 60 characters."""
    return " | ".join(cell_text(cell) for cell in row)[:60]


def pad_row(row: tuple[Cell, ...], width: int) -> tuple[Cell, ...]:
    """The row with blank cells added on the right up to ``width`` cells."""
    return row + (BLANK,) * (width - len(row))


def matches_words(text: str, words: Sequence[str], profile: Profile) -> bool:
    """Whether compacted ``text`` is one of ``words`` (the profile's word patterns)."""
    return any(pattern.fullmatch(text) for pattern in profile.word_patterns(words))
