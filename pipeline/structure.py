"""Grids and paragraphs → the report's tables, still as printed cells.

This stage recognises each table by its header, aligns a row's cells to the logical
columns by what they contain (not by position alone), carries merged measure cells
down, stitches a measure that continues on the next page, and drops repeated header
rows. It never changes a cell's text: normalisation comes later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.errors import LayoutError
from pipeline.normalize.ids import GOAL_LINE, split_measure_cell
from pipeline.normalize.marks import is_status_mark
from pipeline.normalize.text import repair_text, unspace_letters
from pipeline.records import Cell, Document, Grid, Paragraph

ITEM_FIELDS = ("change_reason", "result", "plan_next", "plan_later", "departments")
# Header words of the columns after 進捗状況, tried in order (以降 before 予定: a later
# plan's header holds both).
_FIELD_WORDS = (("change_reason", ("変更理由", "理由")), ("result", ("取組結果", "実績", "結果")),
                ("plan_later", ("以降",)), ("plan_next", ("予定", "計画")),
                ("departments", ("所管", "担当")))
_BLANK = Cell(text=None)
_FOOTNOTE = re.compile(r"^※\s*\d+")
_SECTION = re.compile(r"^\d+\s*\S{1,30}$")


def compact(text: str | None) -> str:
    """A cell's text for recognising headers: repaired, with every space and wrap removed."""
    if not text:
        return ""
    return re.sub(r"\s+", "", unspace_letters(repair_text(text)))


@dataclass(frozen=True)
class ItemHeader:
    """Where the logical columns sit in one attachment page's header row."""

    status_col: int
    business_col: int
    result_label: Cell
    next_label: Cell
    later_label: Cell
    # The named columns after 進捗状況, in order: what each data cell after the mark is.
    after_fields: tuple[str, ...] = ITEM_FIELDS


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


@dataclass(frozen=True)
class RawIndicatorTable:
    goal: Paragraph | None
    kinds: tuple[Cell, ...]  # per value column: the 実績/目標 cell above it
    years: tuple[Cell, ...]  # per value column: the year cell
    rows: tuple[tuple[Cell, ...], ...]  # name cell, then one cell per value column


@dataclass(frozen=True)
class RawFootnote:
    ref: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class RawReport:
    source: str
    title: Paragraph | None
    status_rows: tuple[tuple[Cell, Cell], ...]
    indicator_tables: tuple[RawIndicatorTable, ...]
    footnotes: tuple[RawFootnote, ...]
    items: tuple[RawItem, ...]


def classify_grid(grid: Grid) -> str:
    """Which of the report's tables a grid is: by the words its first row holds."""
    for row in grid.rows[:2]:
        words = {compact(cell.text) for cell in row}
        joined = "".join(words)
        if "事業内容" in joined and "進捗状況" in joined:
            return "items"
        if "指標項目" in words:
            return "indicators"
        if "進捗状況の区分" in words or "取組の数" in words:
            return "status_summary"
    return "unrecognised"


def document_to_report(document: Document) -> RawReport:
    """Recognise every table of the document; a grid that fits none is a LayoutError."""
    status_rows: list[tuple[Cell, Cell]] = []
    indicators: list[RawIndicatorTable] = []
    item_grids: list[Grid] = []
    last_goal: Paragraph | None = None
    for block in document.blocks:
        kind = classify_grid(block) if isinstance(block, Grid) else "paragraph"
        if kind == "unrecognised" and item_grids and _looks_like_items(block):
            kind = "items"  # an attachment page printed without the header row repeated
        if kind == "unrecognised" and len(block.rows) == 1:
            # A one-row "table" is a ruled box around a line of text (a heading, a note,
            # a goal line): it is read as that line.
            block = Paragraph(" ".join(c.text.strip() for c in block.rows[0] if not c.is_blank),
                              block.page, block.line)
        if isinstance(block, Paragraph):
            if GOAL_LINE.match(compact(block.text)):
                last_goal = block
            elif last_goal is not None and block.level == 0 and block.page == last_goal.page:
                # A goal line that wraps in a PDF goes on until its table starts.
                last_goal = Paragraph(last_goal.text + "\n" + block.text, last_goal.page,
                                      last_goal.line, last_goal.level)
            continue
        if kind == "items":
            item_grids.append(block)
        elif kind == "indicators":
            indicators.append(grid_to_indicator_table(block, last_goal, document.source))
            last_goal = None
        elif kind == "status_summary":
            status_rows.extend(grid_to_status_rows(block, document.source))
        else:
            raise LayoutError(f"{document.source}: {block.rows[0][0].where} a table starting "
                              f"{_first_text(block)!r} is none of the report's tables "
                              "(status counts, indicators, attachment).")
    if not item_grids:
        raise LayoutError(f"{document.source}: no attachment table (事業内容/進捗状況 header) "
                          "was found; is this a progress report?")
    return RawReport(
        source=document.source,
        title=find_title(document),
        status_rows=tuple(status_rows),
        indicator_tables=tuple(indicators),
        footnotes=tuple(paragraphs_to_footnotes(document)),
        items=tuple(grids_to_items(item_grids, document.source)),
    )


def find_title(document: Document) -> Paragraph | None:
    """The report's title: the first line (or a line wrapped onto the next one or two)
    before any table that names what it reports on (…について)."""
    front: list[Paragraph] = []
    for block in document.blocks:
        if isinstance(block, Grid):
            break
        front.append(block)
    for end in range(1, len(front) + 1):
        for start in range(end - 1, max(end - 3, 0) - 1, -1):  # the shortest span first
            text = "\n".join(p.text for p in front[start:end])
            if compact(text).endswith("について"):
                first = front[start]
                return Paragraph(text, first.page, first.line, first.level)
    headings = [b for b in document.blocks if isinstance(b, Paragraph) and b.level]
    return headings[0] if headings else None


def grid_to_status_rows(grid: Grid, source: str) -> list[tuple[Cell, Cell]]:
    """Status-count rows: (mark and label, count); the header row is dropped."""
    rows = []
    for row in grid.rows:
        cells = [cell for cell in row if not cell.is_blank]
        if not cells or "取組の数" in {compact(c.text) for c in cells}:
            continue
        if len(cells) != 2:
            raise LayoutError(f"{source}: {cells[0].where} a status-count row should have "
                              f"a label and a count, found {len(cells)} cells.")
        rows.append((cells[0], cells[1]))
    return rows


def grid_to_indicator_table(grid: Grid, goal: Paragraph | None, source: str) -> RawIndicatorTable:
    """An indicator table with its two-row header: 実績/目標 over the years."""
    if len(grid.rows) < 3:
        raise LayoutError(f"{source}: {grid.rows[0][0].where} an indicator table needs two "
                          "header rows and at least one indicator.")
    width = max(len(row) for row in grid.rows[:2])
    for row in grid.rows[2:]:
        for cell in row[width:]:
            if not cell.is_blank:
                raise LayoutError(f"{source}: {cell.where} cannot place the cell {_text(cell)!r}: "
                                  "the indicator table's header has no column above it.")
    kind_row, year_row = (_pad(row, width) for row in grid.rows[:2])
    kinds: list[Cell] = []
    current = _BLANK
    for cell in kind_row[1:]:
        current = cell if not cell.is_blank else current  # a merged 実績/目標 spans right
        kinds.append(current)
    rows = tuple(_pad(row[:width], width) for row in grid.rows[2:] if any(not c.is_blank for c in row))
    return RawIndicatorTable(goal=goal, kinds=tuple(kinds), years=year_row[1:], rows=rows)


def paragraphs_to_footnotes(document: Document) -> list[RawFootnote]:
    """※N paragraphs outside tables, each with the paragraphs that continue it."""
    footnotes: list[RawFootnote] = []
    current: list[Paragraph] = []
    for block in document.blocks:
        text = compact(block.text) if isinstance(block, Paragraph) else ""
        starts = bool(_FOOTNOTE.match(text))
        ends = isinstance(block, Grid) or block.level > 0 or bool(_SECTION.match(text)) or starts
        if current and ends:
            footnotes.append(RawFootnote(ref=_footnote_ref(current[0]), paragraphs=tuple(current)))
            current = []
        if starts:
            current = [block]
        elif current:
            current.append(block)
    if current:
        footnotes.append(RawFootnote(ref=_footnote_ref(current[0]), paragraphs=tuple(current)))
    return footnotes


def _footnote_ref(paragraph: Paragraph) -> str:
    match = _FOOTNOTE.match(repair_text(paragraph.text).strip())
    assert match is not None
    return "※" + re.sub(r"\D", "", match.group(0))


def find_item_header(row: tuple[Cell, ...], source: str = "") -> ItemHeader | None:
    """The logical columns of an attachment header row, or None for a data row."""
    labels = [compact(cell.text) for cell in row]
    if "事業内容" not in labels or not any(label.startswith("進捗状況") for label in labels):
        return None
    status_col = next(i for i, label in enumerate(labels) if label.startswith("進捗状況"))
    named = [(cell, label) for cell, label in zip(row[status_col + 1:], labels[status_col + 1:]) if label]
    after_fields = tuple(_field_of(cell, label, source) for cell, label in named)
    if len(set(after_fields)) != len(after_fields):
        raise LayoutError(f"{source}: {row[0].where} the attachment header names a column twice "
                          f"({', '.join(label for _, label in named)}).")

    def column(field: str) -> Cell:
        return next((cell for (cell, _), f in zip(named, after_fields) if f == field), _BLANK)

    return ItemHeader(status_col=status_col, business_col=labels.index("事業内容"),
                      result_label=column("result"), next_label=column("plan_next"),
                      later_label=column("plan_later"), after_fields=after_fields)


def _field_of(cell: Cell, label: str, source: str) -> str:
    for field, words in _FIELD_WORDS:
        if any(word in label for word in words):
            return field
    raise LayoutError(f"{source}: {cell.where} the attachment has a column headed {label!r}, "
                      "which is none of 変更理由, 取組結果, 取組予定, 以降の取組予定, 所管課.")


def grids_to_items(grids: list[Grid], source: str) -> list[RawItem]:
    """Attachment pages → business rows, in document order, measures stitched across pages."""
    items: list[RawItem] = []
    measure: tuple[Cell, Cell] | None = None
    header: ItemHeader | None = None  # a page without its own header row goes on under the last
    for grid in grids:
        first_on_page = True
        for row in grid.rows:
            found = find_item_header(row, source)
            if found is not None:
                header = found
                continue
            if all(cell.is_blank for cell in row):
                continue
            if header is None:
                raise LayoutError(f"{source}: {row[0].where} an attachment row comes before "
                                  "any header row.")
            measure_cells, business, status, rest = align_item_row(row, header, source)
            carried = _carry_measure(measure_cells, measure, business, source, first_on_page)
            if measure is not None and carried[0] is measure[0] and carried[1] is not measure[1]:
                items = [replace(item, measure_name=carried[1]) if item.measure_id is measure[0]
                         else item for item in items]  # the name went on on this page
            measure, first_on_page = carried, False
            placed = dict(zip(header.after_fields, rest))
            items.append(RawItem(measure_id=measure[0], measure_name=measure[1],
                                 business=business, status=status, header=header,
                                 **{field: placed.get(field, _BLANK) for field in ITEM_FIELDS}))
    return items


def align_item_row(row: tuple[Cell, ...], header: ItemHeader, source: str
                   ) -> tuple[list[Cell], Cell, Cell, tuple[Cell, ...]]:
    """Place a data row's cells: (measure cells, business, status, the cells after status).

    The status mark anchors the row: the business is the cell just before it and the
    measure cells before that; after it come the header's columns (in the seed: reason,
    result, both plans and the departments). Surplus cells may only be blank (an extra empty column, a row shifted
    by one); a non-blank cell that fits nowhere is a LayoutError naming it.
    """
    status_col = _status_column(row, header)
    before, after = list(row[:status_col]), list(row[status_col + 1:])
    if not before:
        raise LayoutError(f"{source}: {row[0].where} the row has no 事業内容 cell before "
                          "its status mark.")
    business = before[-1]
    measure_cells = [cell for cell in before[:-1] if not cell.is_blank]
    width = len(header.after_fields)
    while len(after) > width and after[-1].is_blank:
        after.pop()
    if len(after) > width:
        last, middle = after[-1], after[:-1]
        while len(middle) > width - 1:
            blanks = [i for i, cell in enumerate(middle) if cell.is_blank]
            if not blanks:
                raise LayoutError(f"{source}: {middle[-1].where} cannot place the cell "
                                  f"{_text(middle[-1])!r}: the row has more filled cells than "
                                  "the attachment has columns.")
            middle.pop(blanks[-1])  # the stray empty column sits next to 所管課 in practice
        after = middle + [last]
    after += [_BLANK] * (width - len(after))
    status = row[status_col] if status_col < len(row) else _BLANK
    return measure_cells, business, status, tuple(after)


def _status_column(row: tuple[Cell, ...], header: ItemHeader) -> int:
    marks = [i for i, cell in enumerate(row) if is_status_mark(cell.text)]
    if len(marks) == 1:
        return marks[0]
    if header.status_col in marks:
        return header.status_col
    # No mark: a re-listed row has nothing after its business cell, which then sits
    # just before the status column, wherever the header or missing cells put it.
    filled = [i for i, cell in enumerate(row) if not cell.is_blank]
    if filled and filled[-1] <= header.status_col:
        return filled[-1] + 1
    return header.status_col


def _carry_measure(cells: list[Cell], current: tuple[Cell, Cell] | None, business: Cell,
                   source: str, first_on_page: bool = False) -> tuple[Cell, Cell]:
    """The measure a row belongs to: its own measure cells, or the one carried down."""
    if not cells:
        if current is None:
            raise LayoutError(f"{source}: {business.where} the first attachment row has no "
                              "measure id (実施内容).")
        return current
    measure_id, name_in_cell = split_measure_cell(cells[0].text or "")
    if measure_id is None:
        if current is not None and len(cells) == 1:
            shown, name = compact(cells[0].text), compact(current[1].text)
            if shown == name or (first_on_page and name.endswith(shown)):
                return current  # continued on a new page with its name but not its id
            if first_on_page:
                # A merged name cell cut by the page break: this page shows the rest of it.
                rest = Cell(f"{current[1].text}\n{cells[0].text}", current[1].page,
                            current[1].line, current[1].bbox)
                return current[0], rest
        raise LayoutError(f"{source}: {cells[0].where} cannot place the cell "
                          f"{_text(cells[0])!r}: a measure name without a measure id.")
    if name_in_cell is None:  # keep the printed cell: tidy_items reads the id from it
        id_cell, name_cell, extra = cells[0], (cells[1] if len(cells) > 1 else _BLANK), cells[2:]
    else:
        id_cell = Cell(measure_id, cells[0].page, cells[0].line, cells[0].bbox)
        name_cell, extra = Cell(name_in_cell, cells[0].page, cells[0].line, cells[0].bbox), cells[1:]
    if extra:
        raise LayoutError(f"{source}: {extra[0].where} cannot place the cell "
                          f"{_text(extra[0])!r} between the measure and the business.")
    if current is not None and split_measure_cell(current[0].text or "")[0] == measure_id:
        return current  # the same measure, its id repeated at the top of a new page
    return id_cell, name_cell


def _looks_like_items(grid: Grid) -> bool:
    """Rows with a status mark, or starting with a measure id: attachment rows."""
    for row in grid.rows:
        filled = [cell for cell in row if not cell.is_blank]
        if any(is_status_mark(cell.text) for cell in filled):
            return True
        if filled and split_measure_cell(filled[0].text or "")[0] is not None:
            return True
    return False


def _pad(row: tuple[Cell, ...], width: int) -> tuple[Cell, ...]:
    return row + (_BLANK,) * (width - len(row))


def _text(cell: Cell) -> str:
    return (cell.text or "").strip()


def _first_text(grid: Grid) -> str:
    for row in grid.rows:
        for cell in row:
            if not cell.is_blank:
                return _text(cell)[:30]
    return ""
