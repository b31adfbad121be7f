"""One key–value block, and the year grid printed after it → the list-shaped grids it
stands for: [one role-shaped indicator grid per indicator,] an attachment grid (a header
row, one row for the item). ``reshape.py`` finds the blocks and documents the profile
keys (``[shapes]``) read here. Every printed cell keeps its own Cell; a header cell made
up here (a year for a date-shaped 時点, a year grid's column headers) carries no ref; a
cell that cannot be placed is a LayoutError naming it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.errors import LayoutError
from pipeline.normalize.era import find_date_mentions, fiscal_year_text, parse_fiscal_year
from pipeline.profiles import Profile
from pipeline.profiles.model import (IndicatorColumns, KeyValueIndicator, KeyValueShape,
                                     TransposedShape, Words)
from pipeline.records import Cell, Grid
from pipeline.tidy.attachment import compact, match_column
from pipeline.tidy.cells import BLANK, cell_text
from pipeline.tidy.front_tables import VALUE_ROLES

__all__ = ["Pair", "compact_words", "indicator_rows_to_role_grids", "key_value_to_grids",
           "pairs_to_item_grid", "transposed_to_pairs", "when_to_year"]
_NAME_HEADER = Cell(text=None)  # the made-up header of a name printed beside its id
_YEAR = "{year}"
Pair = tuple[Cell, Cell]  # (header cell, value cell)


def key_value_to_grids(grid: Grid, shape: KeyValueShape, profile: Profile, source: str,
                       more: list[Pair] | None = None, more_extra: list[Pair] | None = None
                       ) -> list[Grid]:
    """One key–value block → [indicator grid,] attachment grid (header row, item row).

    ``more`` are (header, value) pairs of the item read elsewhere (a transposed grid),
    ``more_extra`` those kept in items.extra."""
    indicator = shape.indicator or KeyValueIndicator()
    starts = compact_words(indicator.starts, profile)
    rows = [row for row in grid.rows if not all(cell.is_blank for cell in row)]
    cut = next((i for i, row in enumerate(rows) if compact(row[0].text, profile) in starts),
               len(rows))
    id_and_name = {word for word in compact_words(shape.measure_name, profile)
                   if match_column(word, profile) == ["measure"]}
    pairs = [pair for row in rows[:cut]
             for pair in _key_value_pairs(row, id_and_name, profile, source)] + list(more or [])
    grids = (indicator_rows_to_role_grids(rows[cut:], indicator, profile, source)
             if cut < len(rows) else [])
    return grids + [pairs_to_item_grid(pairs, profile, source, grid, more_extra or [],
                                       extra=shape.extra, measure_name=shape.measure_name)]


def _key_value_pairs(row: tuple[Cell, ...], id_and_name: set[str], profile: Profile,
                     source: str) -> list[Pair]:
    """A row's (key, value) pair; a key of ``id_and_name`` gives its id and, where the
    next cell is filled, the measure's name under a header of its own."""
    if compact(row[0].text, profile) in id_and_name and len(row) > 2 and not row[2].is_blank:
        return [_key_value_pair(row[:2] + row[3:], source), (_NAME_HEADER, row[2])]
    return [_key_value_pair(row, source)]


def _key_value_pair(row: tuple[Cell, ...], source: str) -> Pair:
    key, value, *rest = row + (BLANK,) * max(0, 2 - len(row))
    for cell in rest:
        if not cell.is_blank:
            raise LayoutError(f"{source}: {cell.where} cannot place the cell {cell_text(cell)!r}: "
                              f"the key–value row {cell_text(key)!r} holds one value.")
    if key.is_blank:
        raise LayoutError(f"{source}: {value.where} cannot place the cell {cell_text(value)!r}: "
                          "a key–value row without its key.")
    return key, value


def pairs_to_item_grid(pairs: list[Pair], profile: Profile, source: str, grid: Grid,
                       extra_pairs: list[Pair], *, extra: Words, measure_name: Words = ()
                       ) -> Grid:
    """The attachment grid of one item: the measure's, business and status cells first
    (where the attachment reader looks for them), then the other columns as printed. The
    keys of ``extra`` are kept as printed, those of ``measure_name`` are the measure's name
    (the shape's word lists)."""
    extra_keys, name_keys = compact_words(extra, profile), compact_words(measure_name, profile)
    by_column: dict[str, Pair] = {}
    others: list[Pair] = list(extra_pairs)
    for key, value in pairs:
        label = compact(key.text, profile)
        columns = ["measure_name"] if key is _NAME_HEADER else match_column(label, profile)
        if label in name_keys and not columns:
            columns = ["measure_name"]
        if label in extra_keys:
            if columns:
                raise LayoutError(f"{source}: {key.where} the key {cell_text(key)!r} is one of "
                                  f"shapes.key_value extra but reads as the {columns[0]} "
                                  "column; keep it in one of the two.")
            others.append((key, value))
            continue
        if len(columns) != 1:
            raise LayoutError(f"{source}: {key.where} cannot place the key {cell_text(key)!r}: "
                              + ("it names no attachment column and is not one of "
                                 "shapes.key_value extra." if not columns else
                                 f"it names two columns, {columns[0]} and {columns[1]}."))
        if columns[0] in by_column:
            shown = (f"the key {cell_text(key)!r}" if key is not _NAME_HEADER else
                     f"the name {cell_text(value)!r} beside the id")
            raise LayoutError(f"{source}: {(key if key is not _NAME_HEADER else value).where} "
                              f"{shown} gives the {columns[0]} column a second time in one block.")
        by_column[columns[0]] = (key, value)
    for column in ("business", "status"):
        if column not in by_column:
            words = "/".join(profile.tables.items.columns.words(column))
            raise LayoutError(f"{source}: {grid.rows[0][0].where} the block starting "
                              f"{cell_text(grid.rows[0][0])!r} has no {column} key ({words}).")
    first = [by_column.pop(c) for c in ("measure", "measure_name", "business", "status")
             if c in by_column]
    ordered = first + list(by_column.values()) + others
    return Grid(rows=(tuple(k for k, _ in ordered), tuple(v for _, v in ordered)),
                page=grid.page, line=grid.line, ref=grid.ref, file=grid.file)


def indicator_rows_to_role_grids(rows: list[tuple[Cell, ...]], indicator: KeyValueIndicator,
                                 profile: Profile, source: str) -> list[Grid]:
    """The indicator rows of a block → one role-shaped grid per indicator, as the role
    reader reads it (``[tables.indicators.columns]``): the head row's key cell and column
    words, a row of years from the indicator's own 時点 cells, the name and its values."""
    starts, value_keys, when_keys = (compact_words(words, profile)
                                     for words in (indicator.starts, indicator.value, indicator.when))
    roles = profile.tables.indicators.columns or IndicatorColumns()  # checked: a block's are given
    value_words = compact_words([word for role in VALUE_ROLES for word in
                          roles.words(role)],
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
                                  f"{cell_text(word_cell)!r} is none of the value columns of "
                                  "tables.indicators.columns (baseline, previous, actual, "
                                  "target).")
            when = _at(when_row, index)
            year = when_to_year(when, source)
            if (word, year) in seen:
                raise LayoutError(f"{source}: {when.where} the indicator {cell_text(head[1])!r} "
                                  f"has two {cell_text(word_cell)!r} values for fiscal year {year}.")
            seen[(word, year)] = when
            year_cell = when if parse_fiscal_year(when.text or "") == year else Cell(
                text=fiscal_year_text(year))
            columns.append((word_cell, year_cell, _at(value_row, index)))
        grids.append(Grid(rows=(head[:1] + tuple(word for word, _, _ in columns),
                                (BLANK,) + tuple(year for _, year, _ in columns),
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
                              f"{cell_text(row[0])!r} among the indicator rows.")
        if role in found:
            raise LayoutError(f"{source}: {row[0].where} cannot place the row "
                              f"{cell_text(row[0])!r}: the indicator {cell_text(_at(head, 1))!r} has "
                              f"its {role} row already ({found[role][0].where.rstrip(',')}).")
        found[role] = row
    if len(head) < 2 or head[1].is_blank or len(found) < 2:
        raise LayoutError(f"{source}: {head[0].where} the indicator rows starting "
                          f"{cell_text(head[0])!r} need a name, then a value row and a date "
                          "row under its columns.")
    for row in found.values():
        if not _at(row, 1).is_blank:
            raise LayoutError(f"{source}: {row[1].where} cannot place the cell "
                              f"{cell_text(row[1])!r}: it stands under the indicator's name, "
                              "not under a column word.")
    return found["value"], found["date"]


def when_to_year(cell: Cell, source: str) -> int:
    """The fiscal year a 時点 cell names: R3年度末 → 2021, H22 → 2010, R4.4.1 → 2022."""
    text = cell_text(cell)
    year = parse_fiscal_year(text) if text else None
    if year is None:
        mentions, _ = find_date_mentions(text, None)
        years = {mention.fiscal_year for mention in mentions}
        year = years.pop() if len(years) == 1 else None
    if year is None:
        raise LayoutError(f"{source}: {cell.where} the date {text!r} of an indicator value "
                          "names no fiscal year.")
    return year


def transposed_to_pairs(grid: Grid, shape: TransposedShape, profile: Profile, source: str
                        ) -> tuple[list[Pair], list[Pair]]:
    """A grid with the years as columns → the item's (header, value) pairs: each row's
    cell of the report's year (the next year's for plan_next) under its column's word,
    every other filled cell under ``"<row key> <year>"`` (the second list: items.extra)."""
    head, *rows = [row for row in grid.rows if not all(cell.is_blank for cell in row)]
    years = [parse_fiscal_year(cell_text(cell)) for cell in head[1:]]
    for cell, year in zip(head[1:], years):
        if year is None:
            raise LayoutError(f"{source}: {cell.where} the year column {cell_text(cell)!r} names "
                              "no fiscal year.")
    column_of = {compact(word, profile): column
                 for column, words in shape.rows.named().items() for word in words}
    keyed: dict[str, tuple[Cell, ...]] = {}  # column → its row's cells, the key cell first
    for row in rows:
        column = column_of.get(compact(row[0].text, profile))
        if column is None or column in keyed:
            raise LayoutError(f"{source}: {row[0].where} cannot place the row "
                              f"{cell_text(row[0])!r}: it is none of shapes.transposed rows"
                              + (" (or a second one)." if column else "."))
        _refuse_filled((row,), len(head), source, beyond=True)
        keyed[column] = row + (BLANK,) * (len(head) - len(row))
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
    word = (profile.tables.items.columns.words(column) or (column,))[0]
    header = Cell(text=word.replace(_YEAR, cell_text(year_cell)))
    if match_column(compact(header.text, profile), profile) != [column]:
        raise LayoutError(f"{source}: {year_cell.where} the {column} header made for the "
                          f"year {cell_text(year_cell)!r}, {header.text!r}, does not read back "
                          f"as the {column} column; check tables.items.columns.{column}.")
    return header


def _extra_header(key: Cell, year_cell: Cell, profile: Profile, source: str) -> Cell:
    header = Cell(text=f"{cell_text(key)} {cell_text(year_cell)}")
    columns = match_column(compact(header.text, profile), profile)
    if columns:
        raise LayoutError(f"{source}: {key.where} the row {cell_text(key)!r} of "
                          f"{cell_text(year_cell)!r} would be kept as {header.text!r}, which reads "
                          f"as the {columns[0]} column; give that column's words a {_YEAR}.")
    return header


def _refuse_filled(rows: tuple[tuple[Cell, ...], ...], index: int, source: str,
                   beyond: bool = False) -> None:
    for row in rows:
        for cell in (row[index:] if beyond else row[index:index + 1]):
            if not cell.is_blank:
                raise LayoutError(f"{source}: {cell.where} cannot place the cell "
                                  f"{cell_text(cell)!r}: no column word is printed above it.")


def _at(row: tuple[Cell, ...], index: int) -> Cell:
    return row[index] if index < len(row) else BLANK


def compact_words(words: Iterable[str], profile: Profile) -> set[str]:
    """The profile's words as compacted cells are matched against them."""
    return {compact(word, profile) for word in words}
