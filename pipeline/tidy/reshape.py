"""Key–value blocks and transposed grids → the list-shaped grids the other stages read.

Some reports print no list: 鳥取県's 工程表 gives one block of ``key | value`` rows per
政策内容, 川崎市's 評価票 one sheet per 事務事業 with the fiscal years as columns. This step,
run on the repaired Document before the tables are recognised, turns each such block into
an attachment grid (a header row, one row for the item) and, where the block holds
indicators, one role-shaped indicator grid per indicator. Every printed cell
keeps its own Cell (text, file, ref, page/line), so ``source_ref`` still points to where
it was printed; a header cell the step has to make up (a year for a date-shaped 時点, a
transposed grid's column headers) carries no ref. A cell the step cannot place is a
LayoutError naming it: nothing is dropped.

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
from typing import Any

from pipeline.tidy.attachment import compact, match_column
from pipeline.errors import LayoutError
from pipeline.normalize.era import find_date_mentions, fiscal_year_text, parse_fiscal_year
from pipeline.profiles import Profile
from pipeline.records import Block, Cell, Document, Grid, Paragraph
from pipeline.tidy.front_tables import VALUE_ROLES

__all__ = ["indicator_rows_to_role_grids", "key_value_to_grids", "prints_shaped_items",
           "reshape_document", "transposed_to_pairs", "when_to_year"]
_BLANK = Cell(text=None)
_NAME_HEADER = Cell(text=None)  # the made-up header of a name printed beside its id
_YEAR = "{year}"
Pair = tuple[Cell, Cell]  # (header cell, value cell)


@dataclass(frozen=True)
class _Block:
    grid: Grid
    shape: dict[str, Any]
    transposed: Grid | None = None


def reshape_document(document: Document, profile: Profile) -> Document:
    """The document with each key–value block (and the transposed grid after it)
    replaced by its indicator grid and attachment grid; unchanged without ``[shapes]``.

    An indicator grid is read under the goal line above it: where several blocks stand
    under one goal line, that line is repeated (the same Paragraph, its place kept) before
    each block's indicator grid after the first."""
    shapes = profile.section("shapes")
    if not shapes:
        return document
    goal_line = re.compile(profile.section("front", "goal") or "(?!)")
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
            shape = _key_value_shape(block, shapes.get("key_value", []), profile)
            if shape is not None:
                for part in _split_at_starts(block, shape, profile):
                    close(pending)
                    pending = _Block(part, shape)
                continue
            if (pending is not None and pending.transposed is None and shapes.get("transposed")
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


def prints_shaped_items(document: Document, profile: Profile) -> bool:
    """Whether the document prints an item the way the profile's ``[shapes]`` declare it:
    a key–value block (a grid whose first key is one of a shape's ``starts``) whose keys
    name every identifying column of the attachment (``tables.items.identify``), the row
    keys of the year grid right after it (``[[shapes.transposed]] rows``) counted with
    its own. A list whose header row merely starts with such a word names its columns
    across its first row, not down its first column, and does not fit."""
    shapes = profile.section("shapes")
    if not shapes:
        return False
    identify = set(profile.section("tables", "items", "identify"))
    year_rows = {compact(word, profile): column for shape in shapes.get("transposed", [])
                 for column, words in shape.get("rows", {}).items() for word in words}
    grids = [block for block in document.blocks if isinstance(block, Grid)]
    for number, grid in enumerate(grids):
        if _key_value_shape(grid, shapes.get("key_value", []), profile) is None:
            continue
        named = {column for row in grid.rows if row
                 for column in match_column(compact(row[0].text, profile), profile)}
        after = grids[number + 1] if number + 1 < len(grids) else None
        if year_rows and after is not None and _names_years(after):
            named |= {year_rows[key] for row in after.rows if row
                      if (key := compact(row[0].text, profile)) in year_rows}
        if identify <= named:
            return True
    return False


def _refuse_cut_rows(grid: Grid, block: _Block, profile: Profile, source: str) -> None:
    """A grid right after a block whose first key is one of the block's keys is the
    block's rows cut off (a blank line inside it): refused, where it would otherwise be
    read as a line of text (its value lost) or as a table of another kind."""
    first = next((row[0] for row in grid.rows if row and not row[0].is_blank), None)
    if first is None:
        return
    key = compact(first.text, profile)
    shape = block.shape
    indicator = shape.get("indicator", {})
    known = _words([*shape.get("extra", []), *shape.get("measure_name", []),
                    *(word for k in ("starts", "value", "when") for word in indicator.get(k, []))],
                   profile)
    if key in known or match_column(key, profile):
        raise LayoutError(f"{source}: {first.where} the row {_text(first)!r} reads as a row of "
                          f"the key–value block above (starting {_text(block.grid.rows[0][0])!r}) "
                          "but stands apart from it (a blank line or page break inside the "
                          "block?); join it to the block.")


def _split_at_starts(grid: Grid, shape: dict[str, Any], profile: Profile) -> list[Grid]:
    """One grid per block: a table holding several blocks (no blank line or sheet between
    them) is cut at each row that starts one."""
    starts = _words(shape.get("starts", []), profile)
    cuts = [i for i, row in enumerate(grid.rows) if row and compact(row[0].text, profile) in starts]
    cuts = [0] + cuts[1:] if cuts else [0]
    return [replace(grid, rows=grid.rows[start:end])
            for start, end in zip(cuts, cuts[1:] + [len(grid.rows)])]


def _names_years(grid: Grid) -> bool:
    """A year grid's first row names a fiscal year after its label cell; another table
    after a block (the next section's) is left to the stages."""
    head = next((row for row in grid.rows if not all(cell.is_blank for cell in row)), ())
    return any(parse_fiscal_year(_text(cell)) is not None for cell in head[1:])


def _key_value_shape(grid: Grid, shapes: list[dict[str, Any]], profile: Profile
                     ) -> dict[str, Any] | None:
    first = next((row[0] for row in grid.rows if row and not row[0].is_blank), None)
    key = compact(first.text, profile) if first is not None else ""
    return next((shape for shape in shapes
                 if key in {compact(word, profile) for word in shape.get("starts", [])}), None)


def _reshape(block: _Block, profile: Profile, source: str) -> list[Grid]:
    transposed = profile.section("shapes").get("transposed", [{}])[0]
    more = (transposed_to_pairs(block.transposed, transposed, profile, source)
            if block.transposed is not None else ([], []))
    return key_value_to_grids(block.grid, block.shape, profile, source, *more)


def key_value_to_grids(grid: Grid, shape: dict[str, Any], profile: Profile, source: str,
                       more: list[Pair] | None = None, more_extra: list[Pair] | None = None
                       ) -> list[Grid]:
    """One key–value block → [indicator grid,] attachment grid (header row, item row).

    ``more`` are (header, value) pairs of the item read elsewhere (a transposed grid),
    ``more_extra`` those kept in items.extra."""
    indicator = shape.get("indicator", {})
    starts = _words(indicator.get("starts", []), profile)
    rows = [row for row in grid.rows if not all(cell.is_blank for cell in row)]
    cut = next((i for i, row in enumerate(rows) if compact(row[0].text, profile) in starts),
               len(rows))
    id_and_name = {word for word in _words(shape.get("measure_name", []), profile)
                   if match_column(word, profile) == ["measure"]}
    pairs = [pair for row in rows[:cut]
             for pair in _key_value_pairs(row, id_and_name, profile, source)] + list(more or [])
    grids = (indicator_rows_to_role_grids(rows[cut:], indicator, profile, source)
             if cut < len(rows) else [])
    return grids + [pairs_to_item_grid(pairs, shape, profile, source, grid, more_extra or [])]


def _key_value_pairs(row: tuple[Cell, ...], id_and_name: set[str], profile: Profile,
                     source: str) -> list[Pair]:
    """A row's (key, value) pair; a key of ``id_and_name`` gives its id and, where the
    next cell is filled, the measure's name under a header of its own."""
    if compact(row[0].text, profile) in id_and_name and len(row) > 2 and not row[2].is_blank:
        return [_key_value_pair(row[:2] + row[3:], source), (_NAME_HEADER, row[2])]
    return [_key_value_pair(row, source)]


def _key_value_pair(row: tuple[Cell, ...], source: str) -> Pair:
    key, value, *rest = row + (_BLANK,) * max(0, 2 - len(row))
    for cell in rest:
        if not cell.is_blank:
            raise LayoutError(f"{source}: {cell.where} cannot place the cell {_text(cell)!r}: "
                              f"the key–value row {_text(key)!r} holds one value.")
    if key.is_blank:
        raise LayoutError(f"{source}: {value.where} cannot place the cell {_text(value)!r}: "
                          "a key–value row without its key.")
    return key, value


def pairs_to_item_grid(pairs: list[Pair], shape: dict[str, Any], profile: Profile,
                       source: str, grid: Grid, extra_pairs: list[Pair]) -> Grid:
    """The attachment grid of one item: the measure's, business and status cells first
    (where the attachment reader looks for them), then the other columns as printed."""
    extra = _words(shape.get("extra", []), profile)
    measure_name = _words(shape.get("measure_name", []), profile)
    by_column: dict[str, Pair] = {}
    others: list[Pair] = list(extra_pairs)
    for key, value in pairs:
        label = compact(key.text, profile)
        columns = ["measure_name"] if key is _NAME_HEADER else match_column(label, profile)
        if label in measure_name and not columns:
            columns = ["measure_name"]
        if label in extra:
            if columns:
                raise LayoutError(f"{source}: {key.where} the key {_text(key)!r} is one of "
                                  f"shapes.key_value extra but reads as the {columns[0]} "
                                  "column; keep it in one of the two.")
            others.append((key, value))
            continue
        if len(columns) != 1:
            raise LayoutError(f"{source}: {key.where} cannot place the key {_text(key)!r}: "
                              + ("it names no attachment column and is not one of "
                                 "shapes.key_value extra." if not columns else
                                 f"it names two columns, {columns[0]} and {columns[1]}."))
        if columns[0] in by_column:
            shown = (f"the key {_text(key)!r}" if key is not _NAME_HEADER else
                     f"the name {_text(value)!r} beside the id")
            raise LayoutError(f"{source}: {(key if key is not _NAME_HEADER else value).where} "
                              f"{shown} gives the {columns[0]} column a second time in one block.")
        by_column[columns[0]] = (key, value)
    for column in ("business", "status"):
        if column not in by_column:
            words = "/".join(profile.section("tables", "items", "columns").get(column, []))
            raise LayoutError(f"{source}: {grid.rows[0][0].where} the block starting "
                              f"{_text(grid.rows[0][0])!r} has no {column} key ({words}).")
    first = [by_column.pop(c) for c in ("measure", "measure_name", "business", "status")
             if c in by_column]
    ordered = first + list(by_column.values()) + others
    return Grid(rows=(tuple(k for k, _ in ordered), tuple(v for _, v in ordered)),
                page=grid.page, line=grid.line, ref=grid.ref, file=grid.file)


def indicator_rows_to_role_grids(rows: list[tuple[Cell, ...]], indicator: dict[str, Any],
                                 profile: Profile, source: str) -> list[Grid]:
    """The indicator rows of a block → one role-shaped grid per indicator, as the role
    reader reads it (``[tables.indicators.columns]``): the head row's key cell and column
    words, a row of years from the indicator's own 時点 cells, the name and its values."""
    starts, value_keys, when_keys = (_words(indicator.get(k, []), profile)
                                     for k in ("starts", "value", "when"))
    value_words = _words([word for role in VALUE_ROLES for word in
                          profile.section("tables", "indicators", "columns").get(role, [])],
                         profile)
    heads = [i for i, row in enumerate(rows) if compact(row[0].text, profile) in starts]
    grids = []
    for start, end in zip(heads, heads[1:] + [len(rows)]):
        head = rows[start]
        value_row, when_row = _value_and_when_rows(head, rows[start + 1:end], value_keys,
                                                   when_keys, profile, source)
        _refuse_filled((value_row, when_row), len(head), source, beyond=True)
        columns: list[tuple[Cell, Cell, Cell]] = []  # (word, year, value) per column
        seen: dict[tuple[str, int], Cell] = {}
        for index, word_cell in enumerate(head[2:], start=2):
            if word_cell.is_blank:
                _refuse_filled((value_row, when_row), index, source)
                continue
            word = compact(word_cell.text, profile)
            if word not in value_words:
                raise LayoutError(f"{source}: {word_cell.where} the indicator column "
                                  f"{_text(word_cell)!r} is none of the value columns of "
                                  "tables.indicators.columns (baseline, previous, actual, "
                                  "target).")
            when = _at(when_row, index)
            year = when_to_year(when, source)
            if (word, year) in seen:
                raise LayoutError(f"{source}: {when.where} the indicator {_text(head[1])!r} "
                                  f"has two {_text(word_cell)!r} values for fiscal year {year}.")
            seen[(word, year)] = when
            year_cell = when if parse_fiscal_year(when.text or "") == year else Cell(
                text=fiscal_year_text(year))
            columns.append((word_cell, year_cell, _at(value_row, index)))
        grids.append(Grid(rows=(head[:1] + tuple(word for word, _, _ in columns),
                                (_BLANK,) + tuple(year for _, year, _ in columns),
                                head[1:2] + tuple(value for _, _, value in columns))))
    return grids


def _value_and_when_rows(head: tuple[Cell, ...], body: list[tuple[Cell, ...]],
                         value_keys: set[str], when_keys: set[str], profile: Profile,
                         source: str) -> tuple[tuple[Cell, ...], tuple[Cell, ...]]:
    """The one value row and the one date row under an indicator's head row, in either
    order: every row up to the next head is one of them, or refused by name."""
    found: dict[str, tuple[Cell, ...]] = {}
    for row in body:
        label = compact(row[0].text, profile)
        role = "value" if label in value_keys else "date" if label in when_keys else None
        if role is None:
            raise LayoutError(f"{source}: {row[0].where} cannot place the row "
                              f"{_text(row[0])!r} among the indicator rows.")
        if role in found:
            raise LayoutError(f"{source}: {row[0].where} cannot place the row "
                              f"{_text(row[0])!r}: the indicator {_text(_at(head, 1))!r} has "
                              f"its {role} row already ({found[role][0].where.rstrip(',')}).")
        found[role] = row
    if len(head) < 2 or head[1].is_blank or len(found) < 2:
        raise LayoutError(f"{source}: {head[0].where} the indicator rows starting "
                          f"{_text(head[0])!r} need a name, then a value row and a date "
                          "row under its columns.")
    for row in found.values():
        if not _at(row, 1).is_blank:
            raise LayoutError(f"{source}: {row[1].where} cannot place the cell "
                              f"{_text(row[1])!r}: it stands under the indicator's name, "
                              "not under a column word.")
    return found["value"], found["date"]


def when_to_year(cell: Cell, source: str) -> int:
    """The fiscal year a 時点 cell names: R3年度末 → 2021, H22 → 2010, R4.4.1 → 2022."""
    text = _text(cell)
    year = parse_fiscal_year(text) if text else None
    if year is None:
        mentions, _ = find_date_mentions(text, None)
        years = {mention.fiscal_year for mention in mentions}
        year = years.pop() if len(years) == 1 else None
    if year is None:
        raise LayoutError(f"{source}: {cell.where} the date {text!r} of an indicator value "
                          "names no fiscal year.")
    return year


def transposed_to_pairs(grid: Grid, shape: dict[str, Any], profile: Profile, source: str
                        ) -> tuple[list[Pair], list[Pair]]:
    """A grid with the years as columns → the item's (header, value) pairs: each row's
    cell of the report's year (the next year's for plan_next) under its column's word,
    every other filled cell under ``"<row key> <year>"`` (the second list: items.extra)."""
    head, *rows = [row for row in grid.rows if not all(cell.is_blank for cell in row)]
    years = [parse_fiscal_year(_text(cell)) for cell in head[1:]]
    for cell, year in zip(head[1:], years):
        if year is None:
            raise LayoutError(f"{source}: {cell.where} the year column {_text(cell)!r} names "
                              "no fiscal year.")
    column_of = {compact(word, profile): column
                 for column, words in shape.get("rows", {}).items() for word in words}
    keyed: dict[str, tuple[Cell, ...]] = {}  # column → its row's cells, the key cell first
    for row in rows:
        column = column_of.get(compact(row[0].text, profile))
        if column is None or column in keyed:
            raise LayoutError(f"{source}: {row[0].where} cannot place the row "
                              f"{_text(row[0])!r}: it is none of shapes.transposed rows"
                              + (" (or a second one)." if column else "."))
        _refuse_filled((row,), len(head), source, beyond=True)
        keyed[column] = row + (_BLANK,) * (len(head) - len(row))
    if "status" not in keyed or all(cell.is_blank for cell in keyed["status"][1:]):
        raise LayoutError(f"{source}: {head[0].where} the year grid has no filled status "
                          "row, so the report's year cannot be told.")
    report = max(i for i, cell in enumerate(keyed["status"][1:]) if not cell.is_blank)
    pairs: list[Pair] = []
    extra: list[Pair] = []
    for column, (key, *cells) in keyed.items():
        at = report + 1 if column == "plan_next" else report
        for index, cell in enumerate(cells):
            if index == at:
                pairs.append((_year_header(column, head[index + 1], profile, source), cell))
            elif not cell.is_blank:
                extra.append((_extra_header(key, head[index + 1], profile, source), cell))
    return pairs, extra


def _year_header(column: str, year_cell: Cell, profile: Profile, source: str) -> Cell:
    word = profile.section("tables", "items", "columns").get(column, [column])[0]
    header = Cell(text=word.replace(_YEAR, _text(year_cell)))
    if match_column(compact(header.text, profile), profile) != [column]:
        raise LayoutError(f"{source}: {year_cell.where} the {column} header made for the "
                          f"year {_text(year_cell)!r}, {header.text!r}, does not read back "
                          f"as the {column} column; check tables.items.columns.{column}.")
    return header


def _extra_header(key: Cell, year_cell: Cell, profile: Profile, source: str) -> Cell:
    header = Cell(text=f"{_text(key)} {_text(year_cell)}")
    columns = match_column(compact(header.text, profile), profile)
    if columns:
        raise LayoutError(f"{source}: {key.where} the row {_text(key)!r} of "
                          f"{_text(year_cell)!r} would be kept as {header.text!r}, which reads "
                          f"as the {columns[0]} column; give that column's words a {_YEAR}.")
    return header


def _refuse_filled(rows: tuple[tuple[Cell, ...], ...], index: int, source: str,
                   beyond: bool = False) -> None:
    for row in rows:
        for cell in (row[index:] if beyond else row[index:index + 1]):
            if not cell.is_blank:
                raise LayoutError(f"{source}: {cell.where} cannot place the cell "
                                  f"{_text(cell)!r}: no column word is printed above it.")


def _at(row: tuple[Cell, ...], index: int) -> Cell:
    return row[index] if index < len(row) else _BLANK


def _words(words: list[str], profile: Profile) -> set[str]:
    return {compact(word, profile) for word in words}


def _text(cell: Cell) -> str:
    return (cell.text or "").strip()
