"""A legend printed as a table (``[tables.legend]``) → its (mark, meaning) entries.

群馬県's report prints its legend as a table, 進捗動向 | 評価の表示方法 over rows
達成A | 目標値を達成; ``structure.py`` reads it, before any row needing its marks, into
the scale the profile says it defines (``scale``: items or indicators).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.tidy.attachment import compact
from pipeline.errors import LayoutError
from pipeline.normalize.text import join_wrapped
from pipeline.profiles import Profile
from pipeline.records import Cell, Grid
from pipeline.tidy.cells import cell_text, matches_words, row_text


def grid_to_legend_entries(grid: Grid, profile: Profile, source: str) -> list[tuple[str, str]]:
    """A legend printed as a table (``[tables.legend]``) → its (mark, meaning) rows.

    The header row is the one holding an identifying word; the mark and the meaning are
    the columns headed by their words (one header cell may head both, over two cells).
    A row with only a meaning continues the entry above (a wrapped line); any other
    filled cell, and a mark without a meaning, is a LayoutError naming it.
    """
    legend = profile.tables.legend
    header_at = next(i for i, row in enumerate(grid.rows[:2])
                     if any(matches_words(compact(c.text, profile), legend.identify, profile)
                            for c in row))
    header = grid.rows[header_at]
    mark_col, meaning_col = (_legend_column(header, words, role, profile, source)
                             for role, words in (("mark", legend.mark), ("meaning", legend.meaning)))
    if mark_col == meaning_col:  # one header cell over both: the mark first, as printed
        meaning_col = mark_col + 1
    entries: list[tuple[str, str]] = []
    for row in grid.rows[header_at + 1:]:
        mark, meaning = (cell_text(row[i]) if i < len(row) else "" for i in (mark_col, meaning_col))
        for index, cell in enumerate(row):
            if index not in (mark_col, meaning_col) and not cell.is_blank:
                raise LayoutError(f"{source}: {cell.where} cannot place the cell {cell_text(cell)!r}: "
                                  "the legend table has a mark and a meaning column only.")
        if mark and meaning:
            entries.append((mark, " ".join(meaning.split())))
        elif meaning and entries:
            entries[-1] = (entries[-1][0], entries[-1][1] + " " + " ".join(meaning.split()))
        elif mark or meaning:
            cell = row[mark_col if mark else meaning_col]
            what = "a mark without a meaning" if mark else "a meaning without a mark"
            raise LayoutError(f"{source}: {cell.where} the legend row {row_text(row)!r} has "
                              f"{what}.")
    return entries


def legend_lines(text: str, starts_line: Callable[[str], bool]) -> list[str]:
    """A legend paragraph's printed lines: a wrap inside it (a line separator in a text
    report, a line break in a cell) joins the piece after it to the line before, as
    ``join_wrapped`` joins a cell, unless that piece ``starts_line`` (an entry, a heading)
    of its own, as the entries of a legend printed as one paragraph do.

    >>> legend_lines("×・・・未\\n着手", lambda piece: "・・・" in piece)
    ['×・・・未着手']
    """
    lines: list[str] = []
    for piece in text.splitlines() or [""]:
        if lines and not starts_line(piece):
            lines[-1] = join_wrapped(lines[-1] + "\n" + piece)
        else:
            lines.append(piece)
    return lines


def _legend_column(header: tuple[Cell, ...], words: Sequence[str], role: str, profile: Profile,
                   source: str) -> int:
    for index, cell in enumerate(header):
        if matches_words(compact(cell.text, profile), words, profile):
            return index
    raise LayoutError(f"{source}: {header[0].where} the legend table's header "
                      f"{row_text(header)!r} has no {role} column ({'/'.join(words)}).")
