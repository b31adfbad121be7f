"""Grids and paragraphs → the report's tables, still as printed cells.

This stage recognises each table by its header words — the profile's, after the text
was repaired and spaces removed — reads the printed legend, and hands the attachment
pages to ``attachment.py``, which places each cell in its logical column. It never
changes a cell's text: normalisation comes later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from pipeline.tidy.attachment import (
    ITEM_FIELDS,
    ItemHeader,
    RawItem,
    compact,
    find_item_header,
    grids_to_items,
    looks_like_items,
)
from pipeline.errors import LayoutError
from pipeline.tidy.legend_table import grid_to_legend_entries, legend_lines
from pipeline.normalize.era import parse_fiscal_year
from pipeline.normalize.marks import Grades, LegendEntry, legend_to_grades, split_grade_label
from pipeline.profiles import BUILTIN_NAMES, Profile, builtin_profile, resolve
from pipeline.records import Cell, Document, Grid, Paragraph
from pipeline.tidy.repair import repair_document, repair_grid
from pipeline.tidy.reshape import prints_shaped_items, reshape_document

__all__ = ["ITEM_FIELDS", "ItemHeader", "RawItem", "RawReport", "classify_grid",
           "document_to_report"]
_BLANK = Cell(text=None)


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


@dataclass(frozen=True)
class RawFootnote:
    ref: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class SkippedTable:
    """A table the profile says to pass over (``[[tables.skip]]``), and why."""

    source_ref: str | None  # where it starts: "page 3", "line 12", "別紙!A9"
    first_cell: str  # its first filled cell, as printed (cut to 30 characters)
    why: str


@dataclass(frozen=True)
class Claim:
    """One block of the document and the table kind that claimed it: items, indicators,
    status_summary, legend, skip, "paragraph" for text (a one-row box included), or
    "unrecognised", with ``problem`` the sentence that stops a conversion."""

    kind: str
    block: Grid | Paragraph
    why: str | None = None  # a skipped table's reason
    problem: str | None = None


@dataclass(frozen=True)
class Claims:
    """Every block claimed, and the legends read before the rows (which need them)."""

    blocks: tuple[Claim, ...]
    grades: Grades
    legend: tuple[LegendEntry, ...]
    indicator_grades: Grades
    indicator_legend: tuple[LegendEntry, ...]


@dataclass(frozen=True)
class RawReport:
    source: str
    title: Paragraph | None
    status_rows: tuple[StatusCount, ...]
    indicator_tables: tuple[RawIndicatorTable, ...]
    footnotes: tuple[RawFootnote, ...]
    items: tuple[RawItem, ...]
    grades: Grades  # printed form → grade: the profile's and the legend's
    profile: Profile
    legend: tuple[LegendEntry, ...] = ()  # the legend as printed, each entry as read
    # The indicators' own scale ([indicator_grades]) and the legend table defining it.
    indicator_legend: tuple[LegendEntry, ...] = ()
    indicator_grades: Grades | None = None
    skipped_tables: tuple[SkippedTable, ...] = ()


def _matches(text: str, words: list[str], profile: Profile) -> bool:
    return any(pattern.fullmatch(text) for pattern in profile.word_patterns(words))


def classify_grid(grid: Grid, profile: Profile, source: str = "") -> str:
    """Which of the report's tables a grid is: by the words its first rows hold. A table
    to skip is told first, so that it may name one that looks like another kind."""
    tables = profile.section("tables")
    for row in grid.rows[:2]:
        words = [compact(cell.text, profile) for cell in row]
        if _skip_reason(words, profile) is not None:
            return "skip"
        if find_item_header(row, profile, source) is not None:
            return "items"
        if any(_matches(w, tables["indicators"].get("identify", []), profile) for w in words):
            return "indicators"
        if _is_status_header(words, tables["status_summary"], profile):
            return "status_summary"
        if any(_matches(w, tables.get("legend", {}).get("identify", []), profile) for w in words):
            return "legend"
    return "unrecognised"


def _is_status_header(words: list[str], summary: dict, profile: Profile) -> bool:
    """A count table's header row: a category cell and, in another cell, a count cell (so
    a legend table headed 評価 | 評価の基準 is not taken for counts headed 評価 | 件数)."""
    categories = [i for i, w in enumerate(words) if _matches(w, summary.get("category", []), profile)]
    counts = [i for i, w in enumerate(words) if _matches(w, summary.get("count", []), profile)]
    return any(i != j for i in categories for j in counts)


def grid_classifier(profile: Profile | Path | str | None) -> Callable[[Grid], str]:
    """A grid → its table kind under ``profile``, or under the first built-in profile that
    knows it (None): how a folder's parts are told apart while reading."""
    candidates = ((resolve(profile),) if profile is not None
                  else tuple(builtin_profile(name) for name in BUILTIN_NAMES))

    def classify(grid: Grid) -> str:
        repaired = repair_grid(grid)
        kinds = (classify_grid(repaired, candidate) for candidate in candidates)
        return next((kind for kind in kinds if kind != "unrecognised"), "unrecognised")

    return classify


def _skip_reason(words: list[str], profile: Profile) -> str | None:
    for rule in profile.section("tables", "skip") or ():
        if any(_matches(word, rule["identify"], profile) for word in words):
            return str(rule["why"])
    return None


def table_kinds_sought(profile: Profile) -> list[str]:
    """Each table kind of the profile and the header words it looks for, for messages:
    'attachment (事業内容/事業名 and 進捗状況)'."""
    tables = profile.section("tables")
    columns = tables["items"].get("columns", {})
    kinds = [("status counts", tables["status_summary"].get("category", [])
              + tables["status_summary"].get("count", [])),
             ("indicators", tables["indicators"].get("identify", []))]
    sought = [f"{name} ({'/'.join(words)})" for name, words in kinds if words]
    if tables["items"].get("identify"):
        sought.append("attachment (" + " and ".join("/".join(columns[c]) for c in
                                                  tables["items"]["identify"]) + ")")
    if "legend" in tables:
        sought.append(f"legend ({'/'.join(tables['legend']['identify'])})")
    sought += [f"skip ({'/'.join(rule['identify'])})" for rule in tables.get("skip", [])]
    return sought


def document_to_claims(document: Document, profile: Profile) -> Claims:
    """Which table kind claims each block, with the printed legends read first: the
    legend lines and the legend tables of each scale. A grid no kind claims is kept
    with the sentence that stops a conversion on it (``Claim.problem``)."""
    return _claims(prepare_document(document, profile), profile)


def prepare_document(document: Document, profile: Profile) -> Document:
    """The document as the tables are recognised in it: text repaired, key–value blocks
    and transposed grids reshaped into lists (``reshape.py``)."""
    return reshape_document(repair_document(document), profile)


def _claims(document: Document, profile: Profile) -> Claims:
    source = document.source
    kinds = [classify_grid(block, profile, source) if isinstance(block, Grid) else "paragraph"
             for block in document.blocks]
    printed: dict[str, list[tuple[str, str]]] = {"items": find_legend(document, profile),
                                                  "indicators": []}
    scale = profile.section("tables", "legend").get("scale", "items")
    for block, kind in zip(document.blocks, kinds):
        if kind == "legend" and isinstance(block, Grid):
            printed[scale].extend(grid_to_legend_entries(block, profile, source))
    grades, legend = legend_to_grades(printed["items"], profile)
    indicator_grades, indicator_legend = legend_to_grades(printed["indicators"], profile,
                                                          "indicators")
    claims: list[Claim] = []
    above: Claim | None = None  # the last table claimed
    for block, kind in zip(document.blocks, kinds):
        claim = Claim(kind, block)
        if isinstance(block, Grid) and kind == "skip":
            claim = replace(claim, why=_skip_reason(
                [compact(c.text, profile) for row in block.rows[:2] for c in row], profile))
        if kind == "unrecognised" and isinstance(block, Grid):
            claim = _unclaimed_grid(block, above, claims, grades, profile, source)
        claims.append(claim)
        if isinstance(claim.block, Grid):
            above = claim
    return Claims(tuple(claims), grades, legend, indicator_grades, indicator_legend)


def _unclaimed_grid(grid: Grid, above: Claim | None, claims: list[Claim], grades: Grades,
                    profile: Profile, source: str) -> Claim:
    if any(c.kind == "items" for c in claims) and looks_like_items(grid, grades, profile):
        return Claim("items", grid)  # an attachment page printed without its header row
    problem = _cut_rows(grid, above, grades, profile, source) if above is not None else None
    if problem is None and len(grid.rows) == 1:
        # A one-row "table" is a ruled box around a line of text (a heading, a note,
        # a goal line): it is read as that line, its cells apart by a tab as printed.
        first = grid.rows[0][0]
        return Claim("paragraph", Paragraph(
            "\t".join((c.text or "").strip() for c in grid.rows[0] if not c.is_blank),
            grid.page, grid.line, ref=first.ref, file=first.file))
    if problem is None:
        problem = (f"{source}: {grid.rows[0][0].where} a table starting {_first_text(grid)!r} "
                   "is none of the report's tables; the profile looks for "
                   + ", ".join(table_kinds_sought(profile)) + ".")
    return Claim("unrecognised", grid, problem=problem)


def document_to_report(document: Document, profile: Profile) -> RawReport:
    """Recognise every table of the document; a grid that fits none is a LayoutError."""
    document = prepare_document(document, profile)
    claims = _claims(document, profile)
    status_rows: list[StatusCount] = []
    indicators: list[RawIndicatorTable] = []
    item_grids: list[Grid] = []
    skipped: list[SkippedTable] = []
    last_goal: Paragraph | None = None
    goal = re.compile(profile.section("front", "goal"))
    read_blocks: list[Grid | Paragraph] = []  # the blocks as read: a one-row box as a line
    for claim in claims.blocks:
        if claim.problem is not None:
            raise LayoutError(claim.problem)
        block, kind = claim.block, claim.kind
        read_blocks.append(block)
        if isinstance(block, Paragraph):
            if goal.match(compact(block.text, profile)):
                last_goal = block
            elif last_goal is not None and block.level == 0 and block.page == last_goal.page:
                # A goal line that wraps in a PDF goes on until its table starts.
                last_goal = replace(last_goal, text=last_goal.text + "\n" + block.text)
            continue
        if kind == "items":
            item_grids.append(block)
        elif kind == "indicators":
            indicators.append(grid_to_indicator_table(block, last_goal, document.source, profile))
            last_goal = None
        elif kind == "status_summary":
            status_rows.extend(grid_to_status_rows(block, profile, document.source))
        elif kind == "skip":
            skipped.append(SkippedTable(block.rows[0][0].source_ref, _first_text(block),
                                        claim.why or ""))
    if not item_grids and profile.table_required("items"):
        columns = profile.section("tables", "items", "columns")
        words = "/".join(columns[c][0] for c in profile.section("tables", "items", "identify"))
        raise LayoutError(f"{document.source}: no attachment table ({words} header) "
                          "was found; is this a progress report?")
    return RawReport(
        source=document.source,
        title=find_title(document, profile),
        status_rows=tuple(status_rows),
        indicator_tables=tuple(indicators),
        footnotes=tuple(paragraphs_to_footnotes(replace(document, blocks=tuple(read_blocks)),
                                                profile)),
        items=tuple(grids_to_items(item_grids, claims.grades, profile, document.source)),
        legend=claims.legend, grades=claims.grades, profile=profile,
        indicator_legend=claims.indicator_legend, indicator_grades=claims.indicator_grades,
        skipped_tables=tuple(skipped),
    )


def _cut_rows(grid: Grid, above: Claim, grades: Grades, profile: Profile, source: str
              ) -> str | None:
    """Rows of no table of their own that look like the rows of the table just above are
    its rows cut off (a blank line or page break inside it): the sentence refusing them,
    where they would otherwise be read as a line of text (and lost) or as an unknown
    table.

    Like an indicator table's rows: read after its rows (a row short of the header's
    width padded with blanks), the table gains an indicator — judged by the table's own
    reader, so one or two header rows, columns by role and a reshaped grid are judged
    alike; a box around a line of text (a name without values, a policy line) is not.
    Like status counts: every row a grade and its label, then one more cell."""
    first = grid.rows[0][0]
    if above.kind == "indicators" and isinstance(above.block, Grid):
        width = max(len(row) for row in above.block.rows)
        table = grid_to_indicator_table(above.block, None, source, profile)
        joined = replace(above.block, rows=above.block.rows + tuple(
            _pad(row, width) if len(row) < width else row for row in grid.rows))
        try:
            gained = len(grid_to_indicator_table(joined, None, source, profile).rows) > len(table.rows)
        except LayoutError:
            gained = False
        if gained and max(len(row) for row in grid.rows) == width:
            return (f"{source}: {first.where} the row {_row_text(grid.rows[0])!r} has "
                    f"the {width} columns of the indicator table above but stands "
                    "apart from it (a blank line or page break inside the table?); "
                    "join it to the table.")
        if gained:
            return (f"{source}: {first.where} the row {_row_text(grid.rows[0])!r} reads as "
                    "a row of the indicator table above but stands apart from it (a blank "
                    "line or page break inside the table?); join it to the table.")
    elif above.kind == "status_summary" and all(_is_status_row(row, grades) for row in grid.rows):
        return (f"{source}: {first.where} the row {_row_text(grid.rows[0])!r} reads as "
                "a status count but stands apart from the status-count table above "
                "(a blank line or page break inside the table?); join it to the "
                "table.")
    return None


def _is_status_row(row: tuple[Cell, ...], grades: Grades) -> bool:
    cells = [cell for cell in row if not cell.is_blank]
    if len(cells) != 2:
        return False
    try:
        split_grade_label(_text(cells[0]), grades)
    except ValueError:
        return False
    return True


def choose_profile(document: Document, candidates: tuple[Profile, ...] | None = None) -> Profile:
    """The one profile whose attachment header the document prints, or whose item shape
    (``[shapes]``: a key–value block, with its year grid) it prints; a LayoutError that
    names every profile tried, and why it did not fit, when not exactly one does."""
    candidates = tuple(builtin_profile(n) for n in BUILTIN_NAMES) if candidates is None else candidates
    document = repair_document(document)
    fits, reasons = [], []
    for profile in candidates:
        grids = [b for b in document.blocks if isinstance(b, Grid)]
        if any(find_item_header(row, profile, document.source) is not None
               for grid in grids for row in grid.rows[:2]) or prints_shaped_items(document, profile):
            fits.append(profile)
        else:
            columns = profile.section("tables", "items", "columns")
            words = " and ".join("/".join(columns[c]) for c in
                                 profile.section("tables", "items", "identify"))
            starts = "/".join(word for shape in profile.section("shapes").get("key_value", [])
                              for word in shape.get("starts", []))
            reasons.append(f"{profile.name} (no attachment header naming {words}"
                           + (f", nor a key–value block starting {starts} with keys naming them)"
                              if starts else ")"))
    if len(fits) == 1:
        return fits[0]
    if fits:
        raise LayoutError(f"{document.source}: several profiles fit ({', '.join(p.name for p in fits)}); "
                          "choose one with --profile.")
    raise LayoutError(f"{document.source}: no layout profile fits; is this a progress report? "
                      "Tried " + "; ".join(reasons) + ". For another layout, write a profile "
                      "and pass it with --profile (see `pipeline profile show`).")


def find_legend(document: Document, profile: Profile) -> list[tuple[str, str]]:
    """The printed legend's (mark, meaning) lines, read under its heading."""
    headings = [compact(word, profile) for word in profile.section("legend", "heading") or ()]
    entry = re.compile(profile.section("legend", "entry") or "(?!)")
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
    endings = tuple(compact(word, profile) for word in profile.section("title", "ends_with") or ())
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


def grid_to_status_rows(grid: Grid, profile: Profile, source: str) -> list[StatusCount]:
    """Count-table rows: each (mark and label, count) of each count column; the header row
    is dropped. A header of several count columns, each naming a fiscal year (令和4年度 |
    令和5年度), gives a count per year; the row of the table's sum (``total``) is kept
    marked, to be checked."""
    summary = profile.section("tables", "status_summary")
    header_words = summary.get("category", []) + summary.get("count", [])
    years: list[Cell | None] = [None]  # the header cell over each count column
    rows = []
    for row in grid.rows:
        cells = [cell for cell in row if not cell.is_blank]
        if not cells:
            continue
        if any(_matches(compact(c.text, profile), header_words, profile) for c in cells):
            years = _count_columns(cells[1:], source) if len(cells) > 2 else [None]
            continue
        if len(cells) != 1 + len(years):
            raise LayoutError(f"{source}: {cells[0].where} a status-count row should have "
                              f"a label and {len(years)} count(s), found {len(cells)} cells.")
        total = _matches(compact(cells[0].text, profile), summary.get("total", []), profile)
        rows += [StatusCount(cells[0], count, year, total) for count, year in zip(cells[1:], years)]
    return rows


def _count_columns(header: list[Cell], source: str) -> list[Cell | None]:
    """The header cells of a count table's several count columns, each naming its year."""
    for cell in header:
        if header_fiscal_year(cell, source, "the status-count column headed") is None:
            raise LayoutError(f"{source}: {cell.where} the status-count table has several "
                              f"count columns, but {_text(cell)!r} names no fiscal year.")
    return list(header)


def grid_to_indicator_table(grid: Grid, goal: Paragraph | None, source: str,
                            profile: Profile) -> RawIndicatorTable:
    """An indicator table with its header: 実績/目標 over the years (the default), or, where
    the profile names the columns by role, one or two header rows read by those words."""
    if profile.section("tables", "indicators", "columns"):
        return grid_to_role_table(grid, goal, source, profile)
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
            raise LayoutError(f"{source}: {first.where} the indicator row {_row_text(row)!r} "
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
            raise LayoutError(f"{source}: {first.where} the indicator row {_row_text(row)!r} "
                              "has values but no indicator name.")
        elif any(blank[1:]):
            column = blank.index(True, 1) + 1
            raise LayoutError(f"{source}: {first.where} the indicator row {_text(row[0])!r} has "
                              f"no value in column {column}; a report prints — for no figure.")
        else:
            indicators.append(row)
    if name_only is not None:
        raise _without_values(name_only, source)
    return tuple(indicators)


def _without_values(row: tuple[Cell, ...], source: str) -> LayoutError:
    return LayoutError(f"{source}: {row[0].where} the indicator row {_text(row[0])!r} has a "
                       "name but no values, and the next row does not hold its values alone; "
                       "a report prints — for no figure.")


INDICATOR_ROLES = ("measure", "measure_name", "indicator", "baseline", "previous", "actual",
                   "target", "evaluation", "share", "extra")
# Roles whose cells belong to the row's measure, printed once over its indicators' rows.
_MEASURE_ROLES = ("measure", "measure_name")
VALUE_ROLES = ("baseline", "previous", "actual", "target")


def grid_to_role_table(grid: Grid, goal: Paragraph | None, source: str, profile: Profile
                       ) -> RawIndicatorTable:
    """An indicator table whose columns the profile names by role, in any order: one
    header row of role words, or two with the years under them."""
    header_rows = profile.section("tables", "indicators").get("header_rows", 2)
    if len(grid.rows) <= header_rows:
        raise LayoutError(f"{source}: {grid.rows[0][0].where} an indicator table needs "
                          f"{header_rows} header row(s) and at least one indicator.")
    width = max(len(row) for row in grid.rows[:header_rows])
    header = _pad(grid.rows[0], width)
    roles = _header_roles(header, source, profile)
    year_row = _pad(grid.rows[1], width) if header_rows == 2 else (_BLANK,) * width
    values = [j for j, role in enumerate(roles) if role in VALUE_ROLES]
    name = roles.index("indicator")
    measure = roles.index("measure") if "measure" in roles else None
    measure_name = roles.index("measure_name") if "measure_name" in roles else None
    evaluation = roles.index("evaluation") if "evaluation" in roles else None
    extra = [j for j, role in enumerate(roles) if role in ("extra", "share")]
    share = roles.index("share") if "share" in roles else None
    rows: list[tuple[Cell, ...]] = []
    measures: list[tuple[Cell, ...]] = []
    evaluations: list[Cell] = []
    names: list[Cell] = []
    shares: list[Cell] = []
    extras: list[tuple[tuple[str, Cell], ...]] = []
    measure_cells: list[Cell] = []  # the 項目 cells read so far, for the id reader
    name_cell = _BLANK  # the measure name over the rows, carried down
    own = [j for j, role in enumerate(roles) if role in _MEASURE_ROLES]
    for row in grid.rows[header_rows:]:
        if all(cell.is_blank for cell in row):
            continue
        first = next(cell for cell in row if not cell.is_blank)
        _refuse_unplaced(row, width, source)
        row = _pad(row, width)
        if measure_name is not None and not row[measure_name].is_blank:
            name_cell = row[measure_name]
        elif measure_name is not None and measure is not None and not row[measure].is_blank:
            name_cell = _BLANK  # a new measure printed without a name
        if measure is not None and not row[measure].is_blank:
            measure_cells.append(row[measure])
        if own and any(not row[j].is_blank for j in own):
            if all(cell.is_blank for j, cell in enumerate(row) if j not in own):
                continue  # a measure's (or policy's) row of its own, over its indicators
        if row[name].is_blank:
            raise LayoutError(f"{source}: {first.where} the indicator row {_row_text(row)!r} "
                              "has values but no indicator name.")
        missing = [j for j in values if row[j].is_blank]
        if missing:
            raise LayoutError(f"{source}: {first.where} the indicator row {_text(row[name])!r} has "
                              f"no value in column {missing[0] + 1}; a report prints — for no "
                              "figure.")
        rows.append((row[name], *(row[j] for j in values)))
        measures.append(tuple(measure_cells))
        evaluations.append(row[evaluation] if evaluation is not None else _BLANK)
        names.append(name_cell)
        shares.append(row[share] if share is not None else _BLANK)
        extras.append(tuple((_text(header[j]), row[j]) for j in extra
                            if not row[j].is_blank))
    return RawIndicatorTable(
        goal=goal, kinds=tuple(grid.rows[0][j] if j < len(grid.rows[0]) else _BLANK
                               for j in values),
        years=tuple(year_row[j] for j in values), rows=tuple(rows),
        roles=tuple(roles[j] for j in values),
        measures=tuple(measures) if measure is not None else (),
        evaluations=tuple(evaluations) if evaluation is not None else (),
        measure_names=tuple(names) if measure_name is not None else (),
        extras=tuple(extras) if extra else (),
        shares=tuple(shares) if share is not None else ())


def _header_roles(header: tuple[Cell, ...], source: str, profile: Profile) -> list[str]:
    """Each header cell's role by the profile's words; a blank cell right of a value
    column continues it (a merged cell). A cell of no role is a LayoutError naming it."""
    columns = profile.section("tables", "indicators", "columns")
    roles: list[str] = []
    for cell in header:
        if cell.is_blank and roles and roles[-1] in VALUE_ROLES:
            roles.append(roles[-1])
            continue
        text = compact(cell.text, profile)
        role = next((role for role in INDICATOR_ROLES
                     if _matches(text, columns.get(role, []), profile)), None)
        if role is None:
            known = ", ".join(f"{r} ({'/'.join(columns[r])})" for r in INDICATOR_ROLES if r in columns)
            raise LayoutError(f"{source}: {cell.where} the indicator header cell {_text(cell)!r} "
                              f"names none of the profile's columns: {known}.")
        if role not in VALUE_ROLES and role != "extra" and role in roles:
            raise LayoutError(f"{source}: {cell.where} the indicator header names the {role} "
                              f"column twice ({_text(cell)!r}).")
        roles.append(role)
    if "indicator" not in roles or not any(role in VALUE_ROLES for role in roles):
        raise LayoutError(f"{source}: {header[0].where} the indicator header "
                          f"{_row_text(header)!r} names no indicator column or no value column.")
    return roles


def _refuse_unplaced(row: tuple[Cell, ...], width: int, source: str) -> None:
    for cell in row[width:]:
        if not cell.is_blank:
            raise LayoutError(f"{source}: {cell.where} cannot place the cell {_text(cell)!r}: "
                              "the indicator table's header has no column above it.")


def _row_text(row: tuple[Cell, ...]) -> str:
    return " | ".join(_text(cell) for cell in row)[:60]


def paragraphs_to_footnotes(document: Document, profile: Profile) -> list[RawFootnote]:
    """Footnote paragraphs (※N) outside tables, each with the paragraphs that continue it."""
    footnote = re.compile(profile.section("front", "footnote") or "(?!)")
    section = re.compile(profile.section("front", "section") or "(?!)")
    footnotes: list[RawFootnote] = []
    current: list[Paragraph] = []

    def close() -> None:
        match = footnote.match(current[0].text.strip())
        assert match is not None
        ref = (profile.section("front", "footnote_ref") or "{number}").format(number=match["number"])
        footnotes.append(RawFootnote(ref=ref, paragraphs=tuple(current)))

    for block in document.blocks:
        text = compact(block.text, profile) if isinstance(block, Paragraph) else ""
        starts = bool(footnote.match(text))
        ends = isinstance(block, Grid) or block.level > 0 or bool(section.match(text)) or starts
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


def header_fiscal_year(cell: Cell, source: str, what: str) -> int | None:
    """The fiscal year a header cell names (None: none); an impossible one (令和0年度) is a
    LayoutError naming the cell as ``what`` ("the attachment header")."""
    try:
        return parse_fiscal_year(cell.text or "")
    except ValueError as error:
        raise LayoutError(f"{source}: {cell.where} {what} {(cell.text or '').strip()!r} names "
                          f"an impossible fiscal year ({error}).") from None


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
