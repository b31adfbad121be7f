"""Heading blocks → the attachment grid each stands for (one header row, one item row).

A web page copied to text prints an item as headings and the lines under them, not as a
table (浜松市's KPI page: ``目標1_… › 実績 › 進捗 › 担当課``, each heading's lines its value).
``reshape.py`` runs this first and documents the profile keys (``[[shapes.headings]]``):
a line matching ``starts`` opens a block and is its measure cell; each later line equal
to an attachment column's word (or one of ``extra``) is a key, and the lines under it up
to the next key are its value. Tables inside a block stay where they are (a KPI table is
read as the indicator table it is; with ``measure_column``, as the block's measure's). Every printed line keeps its own Cell (text, file,
ref, page/line); the measure's header cell is made up (no ref). A line that cannot be
placed is a LayoutError naming it: nothing is read as text unseen.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pipeline.errors import LayoutError
from pipeline.normalize.ids import SplitIdReader
from pipeline.profiles import Profile, expand_classes
from pipeline.profiles.model import HeadingsShape, IndicatorColumns
from pipeline.records import Block, Cell, Document, Grid, Paragraph
from pipeline.tidy.attachment import compact
from pipeline.tidy.cells import matches_words
from pipeline.tidy.key_value import Pair, pairs_to_item_grid

__all__ = ["heading_blocks_to_grids"]


def heading_blocks_to_grids(document: Document, shape: HeadingsShape, profile: Profile
                            ) -> Document:
    """The document with each heading block's lines replaced by its attachment grid,
    placed where the block ends; every other block as it was."""
    opening = re.compile(expand_classes(shape.starts))
    goal_line = re.compile(profile.front.goal)
    ids = SplitIdReader(profile)  # where ids split over a goal heading and the opening line
    blocks: list[Block] = []
    lines: list[Paragraph] = []  # the open block's lines, its opening line first
    goal: Paragraph | None = None  # the goal heading the blocks stand under

    def close() -> None:
        if lines:
            grid = _block_to_grid(lines, shape, profile, document.source)
            if goal is not None:  # the attachment reads a row of one cell as the heading
                grid = replace(grid, rows=grid.rows[:1] + ((_cell(goal),),) + grid.rows[1:])
            blocks.append(grid)
            lines.clear()

    for block in document.blocks:
        if isinstance(block, Grid):  # a table inside a block is read as a table
            blocks.append(_with_measure(block, lines[0], profile)
                          if lines and shape.measure_column else block)
            continue
        text = compact(block.text, profile)
        if opening.search(text):
            close()
            lines.append(block)
        elif (goal_line.match(text) or (ids.splits and ids.goal(block.text))
              or (lines and 0 < block.level <= lines[0].level
                  and _key(block, shape, profile) is None)):
            close()  # a goal line, or a heading as high as the opening one, ends the block
            if ids.splits and ids.goal(block.text):
                goal = block
            blocks.append(block)
        elif lines:
            lines.append(block)
        else:
            blocks.append(block)
    close()
    return replace(document, blocks=tuple(blocks))


def _with_measure(grid: Grid, opening: Paragraph, profile: Profile) -> Grid:
    """An indicator table inside a block (its first row holds an identify word), with the
    block's opening line as its measure column (``measure_column``): a KPI table under
    目標1_… is that measure's. Its header cell is made up (the indicator measure column's
    first word), placed where the opening line is printed; another table is kept as is."""
    indicators = profile.tables.indicators
    if not any(matches_words(compact(cell.text, profile), indicators.identify, profile)
               for cell in grid.rows[0]):
        return grid
    header_rows = indicators.header_rows
    # checked: measure_column needs the measure column's words
    word = (indicators.columns or IndicatorColumns()).words("measure")[0]
    measure = _cell(opening)
    made = [replace(measure, text=word, printed=None)] + [Cell(text=None)] * (header_rows - 1)
    return replace(grid, rows=tuple(((made[n] if n < header_rows else measure),) + row
                                    for n, row in enumerate(grid.rows)))


def _block_to_grid(lines: list[Paragraph], shape: HeadingsShape, profile: Profile,
                   source: str) -> Grid:
    """One block's lines → (key, value) pairs → the item's attachment grid."""
    opening, *rest = lines
    words = profile.tables.items.columns.words("measure")
    if not words:
        raise LayoutError(f"{source}: {_cell(opening).where} the heading "
                          f"{opening.text.strip()[:40]!r} opens a block (shapes.headings), "
                          "whose opening line is the measure cell, but the profile has no "
                          "tables.items.columns.measure.")
    # The measure's header is made up, placed where the opening line is printed.
    pairs: list[Pair] = [(replace(_cell(opening), text=words[0], printed=None), _cell(opening))]
    key: Paragraph | None = None
    values: list[Paragraph] = []
    for line in rest:
        if _key(line, shape, profile) is not None:
            if key is not None:
                pairs.append(_pair(key, values))
            key, values = line, []
        elif key is None:
            raise LayoutError(f"{source}: {_cell(line).where} cannot place the line "
                              f"{line.text.strip()[:40]!r}: it stands under the heading "
                              f"{opening.text.strip()[:40]!r} before any key "
                              "(shapes.headings: an attachment column's word or one of extra).")
        else:
            values.append(line)
    if key is not None:
        pairs.append(_pair(key, values))
    grid = Grid(rows=((_cell(opening),),), page=opening.page,
                line=opening.line, ref=opening.ref, file=opening.file)
    return pairs_to_item_grid(pairs, profile, source, grid, [], extra=shape.extra)


def _key(line: Paragraph, shape: HeadingsShape, profile: Profile) -> str | None:
    """The column (or "extra") a line is the key of: equal to one of its words, never
    merely containing one (a value line may hold a column's word)."""
    text = compact(line.text, profile)
    if matches_words(text, shape.extra, profile):
        return "extra"
    columns = profile.tables.items.columns.named()
    return next((column for column, words in columns.items()
                 if column != "measure" and matches_words(text, words, profile)), None)


def _pair(key: Paragraph, values: list[Paragraph]) -> Pair:
    """A key line and the lines under it, joined as one cell's wrapped lines."""
    if not values:
        return _cell(key), replace(_cell(key), text=None, printed=None)
    first = _cell(values[0])
    return _cell(key), replace(first, text="\n".join(v.text for v in values),
                               printed="\n".join(v.printed or v.text for v in values))


def _cell(line: Paragraph) -> Cell:
    return Cell(text=line.text, page=line.page, line=line.line, ref=line.ref, file=line.file,
                printed=line.printed)
