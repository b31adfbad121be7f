"""Attachment (別紙) pages → business rows, cells placed in logical columns by header.

Each header cell is matched against the profile's words for each column, so columns
may come in any order, under any of their names; a column the report lacks is blank,
a column the profile does not know is kept as an extra column under its header. A row
is aligned on its grade mark and the header together: the columns before the mark are
right-aligned to it (a row that lost its leading empty cells still places), those after
it left-aligned, and surplus cells may only be blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pipeline.errors import Failure, LayoutError
from pipeline.normalize.ids import (
    MeasureId,
    SplitIdReader,
    id_patterns,
    read_measure_cell,
    split_measure_cell,
)
from pipeline.normalize.marks import Grades, is_status_mark
from pipeline.normalize.text import unspace_letters
from pipeline.profiles import Profile
from pipeline.records import Cell, Grid, Paragraph
from pipeline.tidy.cells import BLANK, cell_text

ITEM_FIELDS = ("change_reason", "result", "plan_next", "plan_later", "departments")
_EXTRA = "extra:"  # the key of a column the profile does not know: extra:<header>


def compact(text: str | None, profile: Profile) -> str:
    """A cell's text for recognising headers: every space, wrap and ignored character removed."""
    return profile.compact(unspace_letters(text or ""))


@dataclass(frozen=True)
class ItemHeader:
    """Where the logical columns sit in one attachment page's header row."""

    status_col: int
    business_col: int
    columns: tuple[tuple[int, str], ...]  # (cell index, column key), left to right
    labels: dict[str, Cell] = field(default_factory=dict, compare=False)  # key → header cell

    def label(self, column: str) -> Cell:
        return self.labels.get(column, BLANK)

    @property
    def before(self) -> tuple[str, ...]:
        """The columns between the measure and the grade mark, left to right.

        Everything left of the business is the measure's: a header cell there that
        names no column is the measure header, overprinted by a merged cell (Excel
        draws a merged name over 実施内容 when a page cuts it).
        """
        return tuple(k for i, k in self.columns if i < self.status_col and k != "measure"
                     and (i >= self.business_col or not k.startswith(_EXTRA)))

    @property
    def after(self) -> tuple[str, ...]:
        return tuple(k for i, k in self.columns if i > self.status_col)

    @property
    def gaps_after(self) -> tuple[int, ...]:
        """Blank header cells between the grade mark and the last column after it, as
        offsets from the mark (1 is the cell right after it): a column the header names
        not (a header cell lost), whose cells are not the next column's."""
        named = {i for i, _ in self.columns if i > self.status_col}
        return tuple(i - self.status_col for i in range(self.status_col + 1, max(named, default=0))
                     if i not in named)


@dataclass(frozen=True)
class RawItem:
    """One business row of the attachment, its cells placed in logical columns."""

    measure_id: Cell
    measure_name: Cell
    business: Cell
    status: Cell
    change_reason: Cell
    result: Cell
    plan_next: Cell
    plan_later: Cell
    departments: Cell
    header: ItemHeader
    extra: tuple[tuple[str, Cell], ...] = ()  # (header as printed, cell) of unknown columns
    measure: MeasureId | None = None  # an id read from its parts (ids.goal_heading …)


def match_column(label: str, profile: Profile, exact_only: bool = False) -> list[str]:
    """The columns a compacted header cell names: equal to a word, else containing one."""
    patterns = profile.item_columns
    exact = [c for c, words in patterns.items() if any(w.fullmatch(label) for w in words)]
    if exact or exact_only:
        return exact
    return [c for c, words in patterns.items() if any(w.search(label) for w in words)]


def find_item_header(row: tuple[Cell, ...], profile: Profile, source: str = "") -> ItemHeader | None:
    """The logical columns of an attachment header row, or None for a data row.

    A row is a header when cells equal to the words of every identifying column
    (事業内容, 進捗状況) are in it; its other cells may also contain a column's words.
    """
    identify = profile.tables.items.identify
    if not identify:
        return None  # a profile of reports without an attachment names none of its columns
    labels = [compact(cell.text, profile) for cell in row]
    patterns = profile.item_columns
    if not all(any(w.fullmatch(label) for label in labels if label for w in patterns[column])
               for column in profile.tables.items.identify):
        return None  # a data row: most rows stop here, after two columns' words
    exact = {i: match_column(label, profile, exact_only=True) for i, label in enumerate(labels) if label}
    columns: list[tuple[int, str]] = []
    for index, label in enumerate(labels):
        if not label:
            continue
        matched = exact[index] or match_column(label, profile)
        if len(matched) > 1:
            raise LayoutError(f"{source}: {row[index].where} the attachment header {label!r} "
                              f"matches two columns, {matched[0]} and {matched[1]}.")
        if not matched:
            _refuse_unreadable_year(label, row[index], profile, source)
        columns.append((index, matched[0] if matched else _EXTRA + label))
    keys = [key for _, key in columns]
    twice = next((key for key in keys if keys.count(key) > 1), None)
    if twice is not None and twice.startswith(_EXTRA):
        raise LayoutError(f"{source}: {row[0].where} the attachment header prints "
                          f"{twice.removeprefix(_EXTRA)!r} twice, a column the profile does "
                          "not know; its cells could not be told apart.")
    if twice is not None:
        cells = [labels[index] for index, key in columns if key == twice]
        words = "/".join(profile.tables.items.columns.words(twice))
        raise LayoutError(f"{source}: {row[0].where} the attachment header names the "
                          f"{twice} column twice: "
                          f"{' and '.join(map(repr, cells))} both match its words ({words}); "
                          "a word matches a cell it equals or, failing that, one it is inside.")
    index_of = {key: index for index, key in columns}
    return ItemHeader(status_col=index_of["status"], business_col=index_of["business"],
                      columns=tuple(columns), labels={k: row[i] for i, k in columns})


def missing_column_warnings(header: ItemHeader, profile: Profile, source: str) -> list[Failure]:
    """A warning for each column of the profile's a header lacks while it prints one the
    profile does not know: the unknown one may be the lacking one misprinted or damaged (a
    cell swapped in from a row), and that column would be empty with its text in
    items.extra unseen. (An unknown cell left of the business is the measure's header
    overprinted, see ``ItemHeader.before``; the measure's own header may be so.)"""
    keys = {key for _, key in header.columns}
    unknown = [header.label(key) for index, key in header.columns
               if key.startswith(_EXTRA) and index >= header.business_col]
    if not unknown:
        return []
    printed = " and ".join(repr((cell.text or "").strip()) for cell in unknown)
    return [Failure(code="column_missing", severity="warning", source=source, table="items",
                    page=unknown[0].page, line=unknown[0].line, column=column,
                    value=(unknown[0].text or "").strip(),
                    message=f"the attachment header has no {column} column and prints "
                            f"{printed}, which the profile does not know: {column} is left "
                            "empty and those cells are kept in items.extra (if one is the "
                            f"{column} column, add it to tables.items.columns.{column})")
            for column in profile.item_columns if column not in keys and column != "measure"]


def _refuse_unreadable_year(label: str, cell: Cell, profile: Profile, source: str) -> None:
    """A header shaped like a column's words whose year is not a year (令和X年度の取組予定)
    would move that column's text to ``extra`` unseen: refused, naming the cell."""
    for column, shapes in profile.year_column_shapes.items():
        if any(shape.fullmatch(label) for shape in shapes):
            raise LayoutError(f"{source}: {cell.where} the attachment header "
                              f"{(cell.text or label).strip()!r} is shaped like the {column} column's but names no fiscal year "
                              "that can be read; the report is refused rather than the "
                              "column kept as an unknown one.")


def grids_to_items(grids: list[Grid], grades: Grades, profile: Profile, source: str,
                   goals: list[Paragraph | None] | None = None) -> list[RawItem]:
    """Attachment pages → business rows, in document order, measures stitched across pages.

    ``goals``: per grid, the goal heading line above it, for ids split over a heading and
    cells (``[ids] goal_heading``); a row of one cell may be that heading too.
    """
    items: list[RawItem] = []
    measure: tuple[Cell, Cell] | None = None
    header: ItemHeader | None = None  # a page without its own header row goes on under the last
    reader = SplitIdReader(profile)
    wrapped = profile.tables.items.continuation == "wrapped_line"
    for number, grid in enumerate(grids):
        first_on_page = True
        goal = goals[number] if goals and number < len(goals) else None
        if reader.splits and goal is not None:
            reader.goal(goal.text)
        for row in grid.rows:
            found = find_item_header(row, profile, source)
            if found is not None:
                header = found
                continue
            if all(cell.is_blank for cell in row):
                continue
            if reader.splits and _split_heading_row(row, reader, source):
                continue
            if header is None:
                raise LayoutError(f"{source}: {row[0].where} an attachment row comes before "
                                  "any header row.")
            if wrapped and is_continuation(row, header, grades, profile):
                items, measure = join_continuation(row, header, items, measure, source)
                continue
            measure_cells, placed = align_item_row(row, header, grades, source)
            if reader.splits:
                carried, read = _carry_split_measure(measure_cells, measure, placed["business"],
                                                     reader, profile, source)
            else:
                carried = _carry_measure(measure_cells, measure, placed["business"], profile,
                                         source, first_on_page)
                read = None
            if measure is not None and carried[0] is measure[0] and carried[1] is not measure[1]:
                items = [replace(item, measure_name=carried[1]) if item.measure_id is measure[0]
                         else item for item in items]  # the name went on on this page
            measure, first_on_page = carried, False
            extra = tuple((k[len(_EXTRA):], c) for k, c in placed.items()
                          if k.startswith(_EXTRA) and not c.is_blank)
            items.append(RawItem(measure_id=measure[0], measure_name=measure[1],
                                 business=placed["business"], status=placed["status"],
                                 header=header, extra=extra, measure=read,
                                 **{name: placed.get(name, BLANK) for name in ITEM_FIELDS}))
    return items


def is_continuation(row: tuple[Cell, ...], header: ItemHeader, grades: Grades,
                    profile: Profile) -> bool:
    """A business row's wrapped second line (``continuation = "wrapped_line"``): no status
    mark, no measure id, no re-listing marker, its filled cells under text columns only
    (the header's columns, the status excepted; at most one cell on the measure's side)."""
    filled = [(i, cell) for i, cell in enumerate(row) if not cell.is_blank]
    keys = dict(header.columns)
    relisted = id_patterns(profile).relisted
    for index, cell in filled:
        text = cell.text or ""
        if (is_status_mark(text, grades) or split_measure_cell(text, profile)[0] is not None
                or relisted.search(text)):
            return False
        if index >= header.business_col and keys.get(index) in (None, "status"):
            return False
    return sum(1 for i, _ in filled if i < header.business_col) <= 1


def join_continuation(row: tuple[Cell, ...], header: ItemHeader, items: list[RawItem],
                      measure: tuple[Cell, Cell] | None, source: str
                      ) -> tuple[list[RawItem], tuple[Cell, Cell] | None]:
    """Each cell of a wrapped line joined to the cell above in its column (a line break):
    the measure's name on the measure's side, the last row's cell elsewhere."""
    first = next(cell for cell in row if not cell.is_blank)
    if not items or measure is None:
        raise LayoutError(f"{source}: {first.where} the cell {cell_text(first)!r} continues a "
                          "line above it, but no attachment row stands above it.")
    keys = dict(header.columns)
    last = items[-1]
    changes: dict[str, Cell] = {}
    for index, cell in enumerate(row):
        if cell.is_blank:
            continue
        if index < header.business_col:
            name = _joined(measure[1] if measure[1].where else replace(measure[1], text=None), cell)
            items = [replace(item, measure_name=name) if item.measure_id is measure[0] else item
                     for item in items]
            measure, last = (measure[0], name), items[-1]
            continue
        key = keys[index]
        if key.startswith(_EXTRA):
            extra = dict(last.extra)
            extra[key[len(_EXTRA):]] = _joined(extra.get(key[len(_EXTRA):], BLANK), cell)
            changes["extra"] = tuple(extra.items())  # type: ignore[assignment]
        else:
            changes[key] = _joined(getattr(last, key), cell)
    items[-1] = replace(last, **changes)  # type: ignore[arg-type]  # cells and the extra tuple
    return items, measure


def _joined(above: Cell, cell: Cell) -> Cell:
    if above.is_blank:
        return cell
    return replace(above, text=f"{above.text}\n{cell.text}")


def _split_heading_row(row: tuple[Cell, ...], reader: SplitIdReader, source: str) -> bool:
    """A row of one filled cell that is a goal heading or a policy: read, and no item."""
    filled = [cell for cell in row if not cell.is_blank]
    if len(filled) != 1:
        return False
    if reader.goal(filled[0].text):
        return True
    if reader.is_policy(filled[0].text):
        reader.cell(filled[0].text)
        return True
    return False


def _carry_split_measure(cells: list[Cell], current: tuple[Cell, Cell] | None, business: Cell,
                         reader: SplitIdReader, profile: Profile, source: str
                         ) -> tuple[tuple[Cell, Cell], MeasureId | None]:
    """The measure of a row whose id is split: its policy and measure cells read in turn,
    or the measure carried down."""
    read: MeasureId | None = reader.current
    name_cell = current[1] if current is not None else BLANK
    id_cell = current[0] if current is not None else BLANK
    pending = list(cells)
    while pending:
        cell = pending.pop(0)
        try:
            found, name = reader.cell(cell.text)
        except ValueError as error:
            raise LayoutError(f"{source}: {cell.where} cannot place the cell {cell_text(cell)!r}: "
                              f"{error}.") from None
        if found is None:
            continue  # a policy cell: its measure follows
        if name is None and pending:
            name_cell = pending.pop(0)  # the numeral alone, its name in the next cell
        else:
            name_cell = replace(cell, text=name)
        id_cell, read = replace(cell, text=found.raw), found
        if pending:
            raise LayoutError(f"{source}: {pending[0].where} cannot place the cell "
                              f"{cell_text(pending[0])!r} between the measure and the business.")
    if read is None:
        raise LayoutError(f"{source}: {business.where} the attachment row stands under no "
                          "measure (ids.measure_cell).")
    if current is not None and current[0].text == id_cell.text and not cells:
        return current, read
    return (id_cell, name_cell), read


def align_item_row(row: tuple[Cell, ...], header: ItemHeader, grades: Grades, source: str
                   ) -> tuple[list[Cell], dict[str, Cell]]:
    """Place a data row's cells: (measure cells, column key → cell).

    The grade mark anchors the row: the header's columns before it are right-aligned to
    it (the business and whatever the layout prints between), the measure cells lie
    left of those, and after it come the header's columns in order. Surplus cells may
    only be blank (an extra empty column, a row shifted by one); a filled cell that fits
    nowhere is a LayoutError naming it.
    """
    status_col = _status_column(row, header, grades)
    before, after = list(row[:status_col]), list(row[status_col + 1:])
    names_before = header.before
    if not before or (len(before) < len(names_before) and all(c.is_blank for c in before)):
        raise LayoutError(f"{source}: {row[0].where} the row has no business cell before "
                          "its status mark.")
    before = [BLANK] * (len(names_before) - len(before)) + before
    split = len(before) - len(names_before)
    measure_cells = [cell for cell in before[:split] if not cell.is_blank]
    placed = dict(zip(names_before, before[split:]))
    placed["status"] = row[status_col] if status_col < len(row) else BLANK
    after = _without_gaps(after, header.gaps_after, source)
    placed.update(zip(header.after, _squeeze(after, len(header.after), source)))
    return measure_cells, placed


def _without_gaps(after: list[Cell], gaps: tuple[int, ...], source: str) -> list[Cell]:
    """The cells after the grade mark without those under the header's blank cells
    (``ItemHeader.gaps_after``), which may only be blank: the next columns' cells would
    otherwise be squeezed into the blank one's place."""
    kept = list(after)
    for offset in sorted(gaps, reverse=True):
        if offset > len(kept):
            continue
        cell = kept.pop(offset - 1)
        if not cell.is_blank:
            raise LayoutError(f"{source}: {cell.where} cannot place the cell {cell_text(cell)!r}: "
                              "the attachment header's cell for its column is blank.")
    return kept


def _squeeze(after: list[Cell], width: int, source: str) -> list[Cell]:
    while len(after) > width and after[-1].is_blank:
        after.pop()
    if len(after) > width:
        last, middle = after[-1], after[:-1]
        while len(middle) > width - 1:
            blanks = [i for i, cell in enumerate(middle) if cell.is_blank]
            if not blanks:
                raise LayoutError(f"{source}: {middle[-1].where} cannot place the cell "
                                  f"{cell_text(middle[-1])!r}: the row has more filled cells than "
                                  "the attachment has columns.")
            middle.pop(blanks[-1])  # the stray empty column sits next to the last one in practice
        after = middle + [last]
    return after + [BLANK] * (width - len(after))


def _status_column(row: tuple[Cell, ...], header: ItemHeader, grades: Grades) -> int:
    marks = [i for i, cell in enumerate(row) if is_status_mark(cell.text, grades)]
    if len(marks) == 1:
        return marks[0]
    if header.status_col in marks:
        return header.status_col
    # No mark: a re-listed row has nothing after its business cell, which then sits
    # where the business goes, wherever the header or missing cells put it.
    filled = [i for i, cell in enumerate(row) if not cell.is_blank]
    gap = header.status_col - header.business_col
    if filled and gap > 0 and filled[-1] < header.status_col + gap:
        return filled[-1] + gap
    return header.status_col


def _carry_measure(cells: list[Cell], current: tuple[Cell, Cell] | None, business: Cell,
                   profile: Profile, source: str, first_on_page: bool = False) -> tuple[Cell, Cell]:
    """The measure a row belongs to: its own measure cells, or the one carried down."""
    if not cells:
        if current is None:
            word = (profile.tables.items.columns.measure or ("?",))[0]
            raise LayoutError(f"{source}: {business.where} the first attachment row has no "
                              f"measure id ({word}).")
        return current
    measure_id, printed_id, name_in_cell = read_measure_cell(cells[0].text or "", profile)
    if measure_id is None:
        if current is not None and len(cells) == 1:
            shown, name = compact(cells[0].text, profile), compact(current[1].text, profile)
            if shown == name or (first_on_page and name.endswith(shown)):
                return current  # continued on a new page with its name but not its id
            if first_on_page:
                # A merged name cell cut by the page break: this page shows the rest of it.
                return current[0], _joined(current[1], cells[0])
        raise LayoutError(f"{source}: {cells[0].where} cannot place the cell "
                          f"{cell_text(cells[0])!r}: a measure name without a measure id.")
    if name_in_cell is None:  # keep the printed cell: tidy_items reads the id from it
        id_cell, name_cell, extra = cells[0], (cells[1] if len(cells) > 1 else BLANK), cells[2:]
    else:
        id_cell = replace(cells[0], text=printed_id)  # tidy_items reads the id from it
        name_cell, extra = replace(cells[0], text=name_in_cell), cells[1:]
    if extra:
        raise LayoutError(f"{source}: {extra[0].where} cannot place the cell "
                          f"{cell_text(extra[0])!r} between the measure and the business.")
    if current is not None and split_measure_cell(current[0].text or "", profile)[0] == measure_id:
        return current  # the same measure, its id repeated at the top of a new page
    return id_cell, name_cell


def looks_like_items(grid: Grid, grades: Grades, profile: Profile) -> bool:
    """Rows with a grade mark, or starting with a measure id: attachment rows."""
    for row in grid.rows:
        filled = [cell for cell in row if not cell.is_blank]
        if any(is_status_mark(cell.text, grades) for cell in filled):
            return True
        if filled and split_measure_cell(filled[0].text or "", profile)[0] is not None:
            return True
    return False
