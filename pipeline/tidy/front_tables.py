"""The front part's tables as printed: the title, the legend lines, the status counts,
the indicator tables (実績/目標 over the years, or columns named by role) and the
footnotes. Each is read from the blocks ``structure.py`` claimed for it; no cell's text
is changed here, and a row that cannot be placed is a LayoutError naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from pipeline.errors import LayoutError
from pipeline.normalize.era import header_fiscal_year
from pipeline.profiles import Profile, expand_classes
from pipeline.profiles.model import IndicatorColumns
from pipeline.records import Cell, Document, Grid, Paragraph
from pipeline.tidy.attachment import compact
from pipeline.tidy.cells import BLANK, cell_text, matches_words, pad_row, row_text
from pipeline.tidy.legend_table import legend_lines

INDICATOR_ROLES = ("measure", "measure_name", "indicator", "baseline", "previous", "actual",
                   "target", "evaluation", "share", "extra")
VALUE_ROLES = ("baseline", "previous", "actual", "target")
# Roles whose cells belong to the row's measure, printed once over its indicators' rows.
_MEASURE_ROLES = ("measure", "measure_name")
# Roles any number of columns may have: kept as printed, each under its header.
_KEPT_ROLES = ("extra", "share")


@dataclass(frozen=True)
class RawIndicatorTable:
    goal: Paragraph | None
    kinds: tuple[Cell, ...]  # per value column: its header cell (実績/目標 over it, 現状値)
    years: tuple[Cell, ...]  # per value column: the year cell (blank: the header has none)
    rows: tuple[tuple[Cell, ...], ...]  # name cell, then one cell per value column
    # Per value column: its role (baseline … target) where the profile names the columns
    # by role ([tables.indicators.columns]); () : read each kind cell with front.actual /
    # front.target (Nakano's 実績/目標 over the years).
    roles: tuple[str, ...] = ()
    measures: tuple[tuple[Cell, ...], ...] = ()  # per row: the 項目 cells down to it
    evaluations: tuple[Cell, ...] = ()  # per row: its evaluation cell (an evaluation column)
    # Per row: its measure's name cell (a measure_name column: 事業名), carried down.
    measure_names: tuple[Cell, ...] = ()
    # Per row: (header as printed, cell) of each filled cell of an extra column (所管課)
    # or of the share column (達成率), which is kept so too.
    extras: tuple[tuple[tuple[str, Cell], ...], ...] = ()
    shares: tuple[Cell, ...] = ()  # per row: its share-of-target cell (a share column)


class StatusCount(NamedTuple):
    """One count of the status-count table: its row's label cell, the count's cell, and the
    header cell over the count where the table prints a count column per fiscal year
    (None: one count column); ``total`` for the row of the table's sum (tables.
    status_summary.total: 計), which is checked, not kept."""

    label: Cell
    cell: Cell  # the count as printed (not "count": a tuple's method)
    year: Cell | None = None
    total: bool = False
    share: Cell | None = None  # the row's share of the total (割合), where printed


@dataclass(frozen=True)
class RawFootnote:
    ref: str
    paragraphs: tuple[Paragraph, ...]



def find_legend(document: Document, profile: Profile) -> list[tuple[str, str]]:
    """The printed legend's (mark, meaning) lines, read under its heading."""
    headings = [compact(word, profile) for word in profile.legend.heading]
    entry = re.compile(profile.legend.entry or "(?!)")
    entries: list[tuple[str, str]] = []
    reading = False
    for block in document.blocks:
        if isinstance(block, Grid):
            if reading:
                break
            continue
        for line in legend_lines(block.text, lambda piece: bool(entry.match(piece.strip())) or any(
                heading and heading in compact(piece, profile) for heading in headings)):
            squeezed = compact(line, profile)
            if any(heading and heading in squeezed for heading in headings):
                reading = True
                continue
            match = entry.match(line.strip()) if reading else None
            if match:
                entries.append((match["mark"], " ".join(match["meaning"].split())))
            elif reading and squeezed:
                return entries
    return entries


def find_title(document: Document, profile: Profile) -> Paragraph | None:
    """The report's title: the first line (or a line wrapped onto the next one or two)
    before any table that ends with one of the profile's title endings (…について)."""
    endings = tuple(compact(word, profile) for word in profile.title.ends_with)
    front: list[Paragraph] = []
    for block in document.blocks:
        if isinstance(block, Grid):
            break
        front.append(block)
    for end in range(1, len(front) + 1):
        for start in range(end - 1, max(end - 3, 0) - 1, -1):  # the shortest span first
            text = "\n".join(p.text for p in front[start:end])
            if endings and compact(text, profile).endswith(endings):
                first = front[start]
                return replace(first, text=text)
    headings = [b for b in document.blocks if isinstance(b, Paragraph) and b.level]
    return headings[0] if headings else None


def find_year_line(document: Document, profile: Profile) -> str | None:
    """The fiscal year as the front part prints it on a line of its own, where the title
    names none (title.year_line, a pattern with a ``year`` group: 令和6年度末時点の…):
    the first line before any table that matches, else None."""
    pattern = profile.title.year_line
    if not pattern:
        return None
    for block in document.blocks:
        if isinstance(block, Grid):
            return None
        match = re.search(expand_classes(pattern), compact(block.text, profile))
        if match:
            return match["year"]
    return None


def grid_to_status_rows(grid: Grid, profile: Profile, source: str) -> list[StatusCount]:
    """Count-table rows: each (mark and label, count) of each count column; the header row
    is dropped. A header of several count columns, each naming a fiscal year (令和4年度 |
    令和5年度), gives a count per year; the row of the table's sum (``total``) is kept
    marked, to be checked. A share column (``share``: 割合) gives each count its printed
    share of the total, to be checked too; it counts nothing."""
    summary = profile.tables.status_summary
    header_words = summary.category + summary.count
    years: list[Cell | None] = [None]  # the header cell over each count column
    share_at: int | None = None  # the share column's place among a row's filled cells
    rows = []
    for row in grid.rows:
        cells = [cell for cell in row if not cell.is_blank]
        if not cells:
            continue
        if any(matches_words(compact(c.text, profile), header_words, profile) for c in cells):
            share_at = next((i for i, c in enumerate(cells) if i and matches_words(
                compact(c.text, profile), summary.share, profile)), None)
            counts = [c for i, c in enumerate(cells[1:], start=1) if i != share_at]
            if share_at is not None and len(counts) > 1:
                raise LayoutError(f"{source}: {cells[share_at].where} the status-count table "
                                  f"has several count columns and a share column "
                                  f"{cell_text(cells[share_at])!r}: whose share it is "
                                  "cannot be told.")
            years = _count_columns(counts, source) if len(counts) > 1 else [None]
            continue
        width = 1 + len(years) + (share_at is not None)
        if len(cells) != width:
            raise LayoutError(f"{source}: {cells[0].where} a status-count row should have "
                              f"a label and {len(years)} count(s)"
                              + (" and a share" if share_at is not None else "")
                              + f", found {len(cells)} cells.")
        share = cells.pop(share_at) if share_at is not None else None
        total = matches_words(compact(cells[0].text, profile), summary.total, profile)
        rows += [StatusCount(cells[0], count, year, total, share)
                 for count, year in zip(cells[1:], years)]
    return rows


def _count_columns(header: list[Cell], source: str) -> list[Cell | None]:
    """The header cells of a count table's several count columns, each naming its year."""
    for cell in header:
        if header_fiscal_year(cell, source, "the status-count column headed") is None:
            raise LayoutError(f"{source}: {cell.where} the status-count table has several "
                              f"count columns, but {cell_text(cell)!r} names no fiscal year.")
    return list(header)


def grid_to_indicator_table(grid: Grid, goal: Paragraph | None, source: str,
                            profile: Profile) -> RawIndicatorTable:
    """An indicator table with its header: 実績/目標 over the years (the default), or, where
    the profile names the columns by role, one or two header rows read by those words."""
    if profile.tables.indicators.columns is not None:
        return grid_to_role_table(grid, goal, source, profile)
    if len(grid.rows) < 3:
        raise LayoutError(f"{source}: {grid.rows[0][0].where} an indicator table needs two "
                          "header rows and at least one indicator.")
    width = max(len(row) for row in grid.rows[:2])
    for row in grid.rows[2:]:
        _refuse_unplaced(row, width, source)
    kind_row, year_row = (pad_row(row, width) for row in grid.rows[:2])
    kinds: list[Cell] = []
    current = BLANK
    for cell in kind_row[1:]:
        current = cell if not cell.is_blank else current  # a merged 実績/目標 spans right
        kinds.append(current)
    rows = _indicator_rows(grid.rows[2:], width, source)
    return RawIndicatorTable(goal=goal, kinds=tuple(kinds), years=year_row[1:], rows=rows)


def _indicator_rows(rows: tuple[tuple[Cell, ...], ...], width: int, source: str
                    ) -> tuple[tuple[Cell, ...], ...]:
    """The indicator rows, each a name cell and one cell per value column. A row with
    only a name followed by a row with only values is one indicator whose name stood on
    a line of its own: joined. Every other row with a filled cell is an indicator as
    printed, or a LayoutError naming it: no row is dropped, no value moved to another
    column."""
    indicators: list[tuple[Cell, ...]] = []
    name_only: tuple[Cell, ...] | None = None  # waiting for the row with its values
    for row in rows:
        if all(cell.is_blank for cell in row):
            continue
        first = next(cell for cell in row if not cell.is_blank)
        if len(row) < width:
            raise LayoutError(f"{source}: {first.where} the indicator row {row_text(row)!r} "
                              f"has {len(row)} cells where its header has {width}: a cell is "
                              "missing, and which year each value is for cannot be told.")
        row = row[:width]
        blank = [cell.is_blank for cell in row]
        if name_only is not None:
            if blank[0] and not any(blank[1:]):
                indicators.append(name_only[:1] + row[1:])
                name_only = None
                continue
            raise _without_values(name_only, source)
        if not blank[0] and all(blank[1:]):
            name_only = row
        elif blank[0]:
            raise LayoutError(f"{source}: {first.where} the indicator row {row_text(row)!r} "
                              "has values but no indicator name.")
        elif any(blank[1:]):
            column = blank.index(True, 1) + 1
            raise LayoutError(f"{source}: {first.where} the indicator row {cell_text(row[0])!r} has "
                              f"no value in column {column}; a report prints — for no figure.")
        else:
            indicators.append(row)
    if name_only is not None:
        raise _without_values(name_only, source)
    return tuple(indicators)


def _without_values(row: tuple[Cell, ...], source: str) -> LayoutError:
    return LayoutError(f"{source}: {row[0].where} the indicator row {cell_text(row[0])!r} has a "
                       "name but no values, and the next row does not hold its values alone; "
                       "a report prints — for no figure.")




def grid_to_role_table(grid: Grid, goal: Paragraph | None, source: str, profile: Profile
                       ) -> RawIndicatorTable:
    """An indicator table whose columns the profile names by role, in any order: one
    header row of role words, or two with the years under them."""
    header_rows = profile.tables.indicators.header_rows
    if len(grid.rows) <= header_rows:
        raise LayoutError(f"{source}: {grid.rows[0][0].where} an indicator table needs "
                          f"{header_rows} header row(s) and at least one indicator.")
    width = max(len(row) for row in grid.rows[:header_rows])
    header = pad_row(grid.rows[0], width)
    read = _RoleRows(header, _header_roles(header, source, profile))
    for row in grid.rows[header_rows:]:
        if not all(cell.is_blank for cell in row):
            _refuse_unplaced(row, width, source)
            read.add(pad_row(row, width), source)
    year_row = pad_row(grid.rows[1], width) if header_rows == 2 else (BLANK,) * width
    return read.table(goal, year_row)


@dataclass
class _RoleRows:
    """The rows of a table named by role as they are read: each indicator's cells, and
    what its measure printed over it (the 項目 cells so far, the name carried down)."""

    header: tuple[Cell, ...]
    roles: list[str]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    measures: list[tuple[Cell, ...]] = field(default_factory=list)
    evaluations: list[Cell] = field(default_factory=list)
    names: list[Cell] = field(default_factory=list)
    shares: list[Cell] = field(default_factory=list)
    extras: list[tuple[tuple[str, Cell], ...]] = field(default_factory=list)
    measure_cells: list[Cell] = field(default_factory=list)  # for the id reader
    name_cell: Cell = BLANK  # the measure name over the rows, carried down

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def add(self, row: tuple[Cell, ...], source: str) -> None:
        """One printed row: a measure's row of its own, or an indicator with its values."""
        measure, measure_name = self.column("measure"), self.column("measure_name")
        if measure_name is not None and not row[measure_name].is_blank:
            self.name_cell = row[measure_name]
        elif measure_name is not None and measure is not None and not row[measure].is_blank:
            self.name_cell = BLANK  # a new measure printed without a name
        if measure is not None and not row[measure].is_blank:
            self.measure_cells.append(row[measure])
        own = [j for j, role in enumerate(self.roles) if role in _MEASURE_ROLES]
        if any(not row[j].is_blank for j in own) and all(
                cell.is_blank for j, cell in enumerate(row) if j not in own):
            return  # a measure's (or policy's) row of its own, over its indicators
        first, name = next(cell for cell in row if not cell.is_blank), self.roles.index("indicator")
        if row[name].is_blank:
            raise LayoutError(f"{source}: {first.where} the indicator row {row_text(row)!r} "
                              "has values but no indicator name.")
        values = [j for j, role in enumerate(self.roles) if role in VALUE_ROLES]
        missing = [j for j in values if row[j].is_blank]
        if missing:
            raise LayoutError(f"{source}: {first.where} the indicator row {cell_text(row[name])!r} has "
                              f"no value in column {missing[0] + 1}; a report prints — for no "
                              "figure.")
        evaluation, share = self.column("evaluation"), self.column("share")
        self.rows.append((row[name], *(row[j] for j in values)))
        self.measures.append(tuple(self.measure_cells))
        self.evaluations.append(row[evaluation] if evaluation is not None else BLANK)
        self.names.append(self.name_cell)
        self.shares.append(row[share] if share is not None else BLANK)
        self.extras.append(tuple((cell_text(self.header[j]), row[j])
                                 for j, role in enumerate(self.roles)
                                 if role in _KEPT_ROLES and not row[j].is_blank))

    def table(self, goal: Paragraph | None, year_row: tuple[Cell, ...]) -> RawIndicatorTable:
        values = [j for j, role in enumerate(self.roles) if role in VALUE_ROLES]
        has = set(self.roles)
        return RawIndicatorTable(
            goal=goal, kinds=tuple(self.header[j] for j in values),
            years=tuple(year_row[j] for j in values), rows=tuple(self.rows),
            roles=tuple(self.roles[j] for j in values),
            measures=tuple(self.measures) if "measure" in has else (),
            evaluations=tuple(self.evaluations) if "evaluation" in has else (),
            measure_names=tuple(self.names) if "measure_name" in has else (),
            extras=tuple(self.extras) if has & set(_KEPT_ROLES) else (),
            shares=tuple(self.shares) if "share" in has else ())


def _header_roles(header: tuple[Cell, ...], source: str, profile: Profile) -> list[str]:
    """Each header cell's role by the profile's words; a blank cell right of a value
    column continues it (a merged cell). A cell of no role is a LayoutError naming it."""
    columns = (profile.tables.indicators.columns or IndicatorColumns()).named()
    roles: list[str] = []
    for cell in header:
        if cell.is_blank and roles and roles[-1] in VALUE_ROLES:
            roles.append(roles[-1])
            continue
        text = compact(cell.text, profile)
        role = next((role for role in INDICATOR_ROLES
                     if matches_words(text, columns.get(role, []), profile)), None)
        if role is None:
            known = ", ".join(f"{r} ({'/'.join(columns[r])})" for r in INDICATOR_ROLES if r in columns)
            raise LayoutError(f"{source}: {cell.where} the indicator header cell {cell_text(cell)!r} "
                              f"names none of the profile's columns: {known}.")
        if role not in VALUE_ROLES and role not in _KEPT_ROLES and role in roles:
            raise LayoutError(f"{source}: {cell.where} the indicator header names the {role} "
                              f"column twice ({cell_text(cell)!r}).")
        roles.append(role)
    if "indicator" not in roles or not any(role in VALUE_ROLES for role in roles):
        raise LayoutError(f"{source}: {header[0].where} the indicator header "
                          f"{row_text(header)!r} names no indicator column or no value column.")
    return roles


def _refuse_unplaced(row: tuple[Cell, ...], width: int, source: str) -> None:
    """A filled cell right of the header's last column is a LayoutError naming it."""
    for cell in row[width:]:
        if not cell.is_blank:
            raise LayoutError(f"{source}: {cell.where} cannot place the cell {cell_text(cell)!r}: "
                              "the indicator table's header has no column above it.")



def paragraphs_to_footnotes(document: Document, profile: Profile) -> list[RawFootnote]:
    """Footnote paragraphs (※N) outside tables, each with the paragraphs that continue it:
    a table, a heading, a numbered section, another footnote or the legend's heading ends
    it (the legend is read by ``find_legend``, never as a note's text)."""
    footnote = re.compile(profile.front.footnote)
    section = re.compile(profile.front.section or "(?!)")
    legend_headings = [compact(word, profile) for word in profile.legend.heading]
    footnotes: list[RawFootnote] = []
    current: list[Paragraph] = []

    def close() -> None:
        match = footnote.match(current[0].text.strip())
        assert match is not None
        ref = (profile.front.footnote_ref or "{number}").format(number=match["number"])
        footnotes.append(RawFootnote(ref=ref, paragraphs=tuple(current)))

    for block in document.blocks:
        text = compact(block.text, profile) if isinstance(block, Paragraph) else ""
        starts = bool(footnote.match(text))
        legend = any(heading and heading in text for heading in legend_headings)
        ends = (isinstance(block, Grid) or block.level > 0 or bool(section.match(text))
                or starts or legend)
        if current and ends:
            close()
            current = []
        if not isinstance(block, Paragraph):
            continue
        if starts:
            current = [block]
        elif current:
            current.append(block)
    if current:
        close()
    return footnotes

