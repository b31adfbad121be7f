"""Key–value blocks and transposed grids → the list-shaped grids the other stages read.

Some reports print no list: 鳥取県's 工程表 gives one block of ``key | value`` rows per
政策内容, 川崎市's 評価票 one sheet per 事務事業 with the fiscal years as columns. This step,
run on the repaired Document before the tables are recognised, finds each such block
and puts in its place (``key_value.py`` reads one) an attachment grid (a header row, one
row for the item) and, where the block holds indicators, one role-shaped indicator grid
per indicator. Every printed cell keeps its own Cell (text, file, ref, page/line), so
``source_ref`` still points to where it was printed; a header cell the step has to make
up (a year for a date-shaped 時点, a transposed grid's column headers) carries no ref. A
cell the step cannot place is a LayoutError naming it: nothing is dropped.

Profile keys (``[shapes]``; a profile without them is read as before):

``[[shapes.key_value]]`` — a block of ``key | value`` rows per item.
  ``starts``: the keys of the row that starts a block (its first cell); the block runs
  to the end of its grid (a sheet's table, the rows under a text heading).
  Every other key is an attachment column's word (``[tables.items.columns]``: the key
  cell becomes that column's header cell) or one of ``extra``: keys kept as they are, in
  ``items.extra`` under the key as printed (a 中間評価 beside the 最終評価 of ``status``).
  ``measure_name``: the keys whose value is the measure's name (printed beside its id).
  A key that is also the measure column's word holds the id and, in the next cell, the
  name (``番号 | 1-1-1 | 行政手続のオンライン化``); a row of it with the id alone has no name.
  Any other key is refused by name.
``[shapes.key_value.indicator]`` — the block's indicator rows:
  ``starts``: the key of the row ``key | indicator name | column word …``;
  ``value`` / ``when``: the keys of the rows holding the figures (数値) and their dates
  (時点) under those columns, one of each (in either order) up to the next ``starts`` row,
  none of their cells under the name. The column words are read by role, with the
  words of ``[tables.indicators.columns]`` (基準値 → baseline, 年度当初値 → previous,
  今年度実績値 → actual, 今年度目標値 and 長期的目標値 → target), which the profile then
  needs: each indicator becomes a grid of two header rows (its key and column words; its
  own 時点 cells as the years) and its row of values, so ``kind_label`` is the word as
  printed. A 時点 gives the value's fiscal year: ``R3年度末`` → 2021, ``H22`` → 2010, a
  date ``R4.4.1`` → the fiscal year it falls in (2022; the year cell is then made up,
  without a ref). Two values under one word for one year are refused.
``[[shapes.transposed]]`` — a grid with fiscal years as columns, printed right after a
  key–value block (on the block's sheet, or under its text heading) and belonging to its
  item: the next grid whose first row names a fiscal year after its label cell.
  ``years = "header"``: its first row holds the years (its first cell a label or blank).
  ``rows``: per attachment column, the keys of its row (``result = ["実績"]``). A row
  gives its column the cell of the report's year — the latest year whose ``status`` row
  cell is filled — or, for ``plan_next``, of the year after it; its header cell is the
  column's first word with ``{year}`` written as the year cell prints it. Every other
  filled cell (earlier years' 実績 and 達成度, this year's 事業目標) is kept in
  ``items.extra`` under ``"<row key> <year>"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.errors import LayoutError
from pipeline.normalize.era import parse_fiscal_year
from pipeline.profiles import Profile
from pipeline.profiles.model import KeyValueIndicator, KeyValueShape
from pipeline.records import Block, Document, Grid, Paragraph
from pipeline.tidy.attachment import compact, match_column
from pipeline.tidy.cells import cell_text
from pipeline.tidy.headings import heading_blocks_to_grids
from pipeline.tidy.key_value import compact_words, key_value_to_grids, transposed_to_pairs

__all__ = ["reshape_document"]


@dataclass(frozen=True)
class _Block:
    grid: Grid
    shape: KeyValueShape
    transposed: Grid | None = None


def reshape_document(document: Document, profile: Profile) -> Document:
    """The document with each key–value block (and the transposed grid after it)
    replaced by its indicator grid and attachment grid; unchanged without ``[shapes]``.

    An indicator grid is read under the goal line above it: where several blocks stand
    under one goal line, that line is repeated (the same Paragraph, its place kept) before
    each block's indicator grid after the first."""
    shapes = profile.shapes
    for heading_shape in shapes.headings:
        document = heading_blocks_to_grids(document, heading_shape, profile)
    if not (shapes.key_value or shapes.transposed):
        return document
    goal_line = re.compile(profile.front.goal)
    blocks: list[Block] = []
    goal: Paragraph | None = None  # the goal line above
    goal_read = False  # by an indicator grid already

    def close(block: _Block | None) -> None:
        nonlocal goal_read
        if block is None:
            return
        *indicator_grids, items = _reshape(block, profile, document.source)
        for grid in indicator_grids:
            if goal is not None and goal_read:
                blocks.append(goal)
            goal_read = True
            blocks.append(grid)
        blocks.append(items)

    pending: _Block | None = None
    for block in document.blocks:
        if isinstance(block, Grid):
            shape = _key_value_shape(block, shapes.key_value, profile)
            if shape is not None:
                for part in _split_at_starts(block, shape, profile):
                    close(pending)
                    pending = _Block(part, shape)
                continue
            if (pending is not None and pending.transposed is None and shapes.transposed
                    and _names_years(block)):
                pending = replace(pending, transposed=block)
                continue
            if pending is not None:
                _refuse_cut_rows(block, pending, profile, document.source)
        close(pending)
        pending = None
        if isinstance(block, Paragraph) and goal_line.match(compact(block.text, profile)):
            goal, goal_read = block, False
        blocks.append(block)
    close(pending)
    return replace(document, blocks=tuple(blocks))


def _refuse_cut_rows(grid: Grid, block: _Block, profile: Profile, source: str) -> None:
    """A grid right after a block whose first key is one of the block's keys is the
    block's rows cut off (a blank line inside it): refused, where it would otherwise be
    read as a line of text (its value lost) or as a table of another kind."""
    first = next((row[0] for row in grid.rows if row and not row[0].is_blank), None)
    if first is None:
        return
    key = compact(first.text, profile)
    shape = block.shape
    indicator = shape.indicator or KeyValueIndicator()
    known = compact_words([*shape.extra, *shape.measure_name,
                    *indicator.starts, *indicator.value, *indicator.when],
                   profile)
    if key in known or match_column(key, profile):
        raise LayoutError(f"{source}: {first.where} the row {cell_text(first)!r} reads as a row of "
                          f"the key–value block above (starting {cell_text(block.grid.rows[0][0])!r}) "
                          "but stands apart from it (a blank line or page break inside the "
                          "block?); join it to the block.")


def _split_at_starts(grid: Grid, shape: KeyValueShape, profile: Profile) -> list[Grid]:
    """One grid per block: a table holding several blocks (no blank line or sheet between
    them) is cut at each row that starts one."""
    starts = compact_words(shape.starts, profile)
    cuts = [i for i, row in enumerate(grid.rows) if row and compact(row[0].text, profile) in starts]
    cuts = [0] + cuts[1:] if cuts else [0]
    return [replace(grid, rows=grid.rows[start:end])
            for start, end in zip(cuts, cuts[1:] + [len(grid.rows)])]


def _names_years(grid: Grid) -> bool:
    """A year grid's first row names a fiscal year after its label cell; another table
    after a block (the next section's) is left to the stages."""
    head = next((row for row in grid.rows if not all(cell.is_blank for cell in row)), ())
    return any(parse_fiscal_year(cell_text(cell)) is not None for cell in head[1:])


def _key_value_shape(grid: Grid, shapes: tuple[KeyValueShape, ...], profile: Profile
                     ) -> KeyValueShape | None:
    first = next((row[0] for row in grid.rows if row and not row[0].is_blank), None)
    key = compact(first.text, profile) if first is not None else ""
    return next((shape for shape in shapes
                 if key in compact_words(shape.starts, profile)), None)


def _reshape(block: _Block, profile: Profile, source: str) -> list[Grid]:
    more = (transposed_to_pairs(block.transposed, profile.shapes.transposed[0], profile, source)
            if block.transposed is not None else ([], []))
    return key_value_to_grids(block.grid, block.shape, profile, source, *more)
