"""Grids and paragraphs → the report's tables, still as printed cells.

This stage claims each block for a table kind by its header words — the profile's,
after the text was repaired and spaces removed — reads the printed legends first, then
hands each claimed grid to its reader: the front part's tables to ``front_tables.py``,
the attachment pages to ``attachment.py``, which places each cell in its logical column.
It never changes a cell's text: normalisation comes later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline.errors import LayoutError
from pipeline.normalize.marks import Grades, LegendEntry, legend_to_grades, split_grade_label
from pipeline.profiles import BUILTIN_NAMES, Profile, builtin_profile
from pipeline.profiles.model import StatusSummary
from pipeline.records import Cell, Document, Grid, Paragraph
from pipeline.tidy.attachment import (
    RawItem,
    compact,
    find_item_header,
    grids_to_items,
    looks_like_items,
)
from pipeline.tidy.cells import cell_text, matches_words, pad_row, row_text
from pipeline.tidy.front_tables import (
    RawFootnote,
    RawIndicatorTable,
    StatusCount,
    find_legend,
    find_title,
    find_year_line,
    grid_to_indicator_table,
    grid_to_status_rows,
    paragraphs_to_footnotes,
)
from pipeline.tidy.legend_table import grid_to_legend_entries
from pipeline.tidy.repair import repair_document, repair_grid
from pipeline.tidy.reshape import reshape_document

__all__ = ["Claim", "Claims", "RawReport", "SkippedTable", "classify_grid", "document_to_claims",
           "document_to_report", "grid_classifier", "prepare_document", "table_kinds_sought"]


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
    year_line: str | None = None  # the year a front line prints (title.year_line)


def classify_grid(grid: Grid, profile: Profile, source: str = "") -> str:
    """Which of the report's tables a grid is: by the words its first rows hold. A table
    to skip is told first, so that it may name one that looks like another kind."""
    tables = profile.tables
    for row in grid.rows[:2]:
        words = [compact(cell.text, profile) for cell in row]
        if _skip_reason(words, profile) is not None:
            return "skip"
        if find_item_header(row, profile, source) is not None:
            return "items"
        if any(matches_words(w, tables.indicators.identify, profile) for w in words):
            return "indicators"
        if _is_status_header(words, tables.status_summary, profile):
            return "status_summary"
        if any(matches_words(w, tables.legend.identify, profile) for w in words):
            return "legend"
    return "unrecognised"


def _is_status_header(words: list[str], summary: StatusSummary, profile: Profile) -> bool:
    """A count table's header row: a category cell and, in another cell, a count cell (so
    a legend table headed 評価 | 評価の基準 is not taken for counts headed 評価 | 件数)."""
    categories = [i for i, w in enumerate(words) if matches_words(w, summary.category, profile)]
    counts = [i for i, w in enumerate(words) if matches_words(w, summary.count, profile)]
    return any(i != j for i in categories for j in counts)


def grid_classifier(profile: Profile | None) -> Callable[[Grid], str]:
    """A grid → its table kind under ``profile``, or under the first built-in profile that
    knows it (None): how a folder's parts are told apart while reading."""
    candidates = ((profile,) if profile is not None
                  else tuple(builtin_profile(name) for name in BUILTIN_NAMES))

    def classify(grid: Grid) -> str:
        repaired = repair_grid(grid)
        kinds = (classify_grid(repaired, candidate) for candidate in candidates)
        return next((kind for kind in kinds if kind != "unrecognised"), "unrecognised")

    return classify


def _skip_reason(words: list[str], profile: Profile) -> str | None:
    for rule in profile.tables.skip:
        if any(matches_words(word, rule.identify, profile) for word in words):
            return rule.why
    return None


def table_kinds_sought(profile: Profile) -> list[str]:
    """Each table kind of the profile and the header words it looks for, for messages:
    'attachment (事業内容/事業名 and 進捗状況)'."""
    tables = profile.tables
    columns = tables.items.columns
    kinds = [("status counts", tables.status_summary.category + tables.status_summary.count),
             ("indicators", tables.indicators.identify)]
    sought = [f"{name} ({'/'.join(words)})" for name, words in kinds if words]
    if tables.items.identify:
        sought.append("attachment (" + " and ".join("/".join(columns.words(c)) for c in
                                                  tables.items.identify) + ")")
    if tables.legend.identify:  # a legend table's words, where the profile has one
        sought.append(f"legend ({'/'.join(tables.legend.identify)})")
    sought += [f"skip ({'/'.join(rule.identify)})" for rule in tables.skip]
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
    scale = profile.tables.legend.scale
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
    # tables.indicators.goal_line = "carried": a goal line stands over every indicator
    # table up to the next one (浜松市's 取組項目 heading over a KPI table per 目標); by
    # default ("each_table") each table has a goal line of its own.
    carried = profile.tables.indicators.goal_line == "carried"
    goal_over: Paragraph | None = None  # the goal line a further table is read under
    goal = re.compile(profile.front.goal)
    read_blocks: list[Grid | Paragraph] = []  # the blocks as read: a one-row box as a line
    for claim in claims.blocks:
        if claim.problem is not None:
            raise LayoutError(claim.problem)
        block, kind = claim.block, claim.kind
        read_blocks.append(block)
        if isinstance(block, Paragraph):
            if goal.match(compact(block.text, profile)):
                last_goal = goal_over = block
            elif (last_goal is not None and block.level == 0 and last_goal.page is not None
                  and block.page == last_goal.page):
                # A goal line that wraps in a PDF goes on until its table starts (a
                # workbook's or a text's lines are lines as printed: a heading under it).
                last_goal = replace(last_goal, text=last_goal.text + "\n" + block.text)
            continue
        if kind == "items":
            item_grids.append(block)
        elif kind == "indicators":
            indicators.append(grid_to_indicator_table(
                block, last_goal or (goal_over if carried else None), document.source, profile))
            last_goal = None
        elif kind == "status_summary":
            status_rows.extend(grid_to_status_rows(block, profile, document.source))
        elif kind == "skip":
            skipped.append(SkippedTable(block.rows[0][0].source_ref, _first_text(block),
                                        claim.why or ""))
    if not item_grids and profile.table_required("items"):
        columns = profile.tables.items.columns
        words = "/".join(columns.words(c)[0] for c in profile.tables.items.identify)
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
        skipped_tables=tuple(skipped), year_line=find_year_line(document, profile),
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
            pad_row(row, width) if len(row) < width else row for row in grid.rows))
        try:
            gained = len(grid_to_indicator_table(joined, None, source, profile).rows) > len(table.rows)
        except LayoutError:
            gained = False
        if gained and max(len(row) for row in grid.rows) == width:
            return (f"{source}: {first.where} the row {row_text(grid.rows[0])!r} has "
                    f"the {width} columns of the indicator table above but stands "
                    "apart from it (a blank line or page break inside the table?); "
                    "join it to the table.")
        if gained:
            return (f"{source}: {first.where} the row {row_text(grid.rows[0])!r} reads as "
                    "a row of the indicator table above but stands apart from it (a blank "
                    "line or page break inside the table?); join it to the table.")
    elif above.kind == "status_summary" and all(_is_status_row(row, grades) for row in grid.rows):
        return (f"{source}: {first.where} the row {row_text(grid.rows[0])!r} reads as "
                "a status count but stands apart from the status-count table above "
                "(a blank line or page break inside the table?); join it to the "
                "table.")
    return None


def _is_status_row(row: tuple[Cell, ...], grades: Grades) -> bool:
    cells = [cell for cell in row if not cell.is_blank]
    if len(cells) != 2:
        return False
    try:
        split_grade_label(cell_text(cells[0]), grades)
    except ValueError:
        return False
    return True


def _first_text(grid: Grid) -> str:
    for row in grid.rows:
        for cell in row:
            if not cell.is_blank:
                return cell_text(cell)[:30]
    return ""
