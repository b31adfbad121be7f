"""Score a scan's reading of a report against the reading of its text layer, cell by cell.

Both are ``pipeline.Report``s. Each published table (and the report's own facts: title,
municipality, fiscal year, legends) is compared row by row *by position*: row i of the
scan's table against row i of the reference's, every column but ``report_id`` and the
provenance columns (a scan's boxes and file name differ by nature). A row only one side
has is a missing or an extra row, and each of its cells a difference. Every different
cell is *warned* when a warning of the scan's report covers it, else *silent*; a silent
difference is the bug the OCR reader must not have.

When a warning covers a cell (the OCR reader's records were agreed with no one, so the
rule reads only what a ``Failure`` has):

1. **Page.** The warning names no page, or the cell's row names none, or they are equal.
   A row's page is ``source_page`` (items), the ``page N`` of ``source_ref`` (indicators,
   status summary, footnotes, indicator evaluations), or its item's page (departments,
   date mentions).
2. And either **it names the cell**: its table is the cell's, its ``row`` is the row's
   ``row_no`` (tables without ``row_no``: the row's position, from 1), and its column is
   None or one of the columns made from the same printed cell as the cell's
   (``COLUMN_GROUPS``: a doubtful status mark names ``status_mark``, ``grade_rank`` and
   ``status`` alike);
3. or **it names the value**: its ``value``, spaces removed, equals the text of one of
   the cell's group's columns in the scan's reading (the reference's for a missing row),
   or one of the two contains the other, the contained one at least 2 characters long
   and, on the cell's side, text (a number matches only whole);
4. or **its message quotes the cell as the scan shows it**: the text of one of the
   group's columns in quotes (``'○'``, as ``repr`` writes it), as a reader's warning
   does that says what it read (``value``) and what it took that for (the message).

Status cells (``STATUS_COLUMNS``) are counted again on their own: a status that differs
is *wrong* when the scan has a value there (a warning does not make a wrong mark right)
and *undecided* when it is null.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.api import Report
from pipeline.errors import Failure
from pipeline.records import BBox, Document, Grid

TABLES = ("items", "item_departments", "indicators", "indicator_evaluations",
          "status_summary", "footnotes", "date_mentions")
FACTS = ("title", "municipality", "fiscal_year", "legend", "indicator_legend")
IGNORED = ("report_id", "source_page", "source_line", "source_bbox", "source_file",
           "source_ref")
STATUS_COLUMNS: dict[str, tuple[str, ...]] = {
    "items": ("status_mark", "grade_rank", "status"),
    "status_summary": ("status_mark", "grade_rank", "status", "count"),
    "indicator_evaluations": ("evaluation_mark", "grade_rank", "status"),
}
# Columns made from one printed cell: a warning about one of them is about the others.
COLUMN_GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "items": (("measure_id", "measure_id_raw", "goal_no", "policy_no", "measure_no",
               "measure_name", "is_relisted", "relisted_from", "relisted_row_no"),
              ("business", "business_raw", "gov_level", "starred"),
              ("status_mark", "grade_rank", "status"),
              ("plan_next", "plan_next_tag", "plan_next_fy", "plan_next_fy_inferred"),
              ("plan_later", "plan_later_tag", "plan_later_from_fy")),
    "indicators": (("goal_no", "goal"), ("indicator", "note_refs"),
                   ("value", "unit", "approx", "denominator", "qualifier", "raw", "note_refs"),
                   ("kind", "kind_label", "fiscal_year", "year_from")),
    "indicator_evaluations": (("evaluation_mark", "grade_rank", "status", "label", "raw"),),
    "status_summary": (("status_mark", "grade_rank", "status", "label"),),
    "footnotes": (("ref", "text"),),
    "date_mentions": (("field", "raw", "year", "month", "day", "fiscal_year", "inferred"),),
}
_PAGE_REF = re.compile(r"\bpage (\d+)$")


@dataclass(frozen=True)
class Difference:
    """One cell the scan's reading does not give as the reference does."""

    table: str
    position: int  # the row's position in its table, from 1
    column: str
    expected: Any  # None where the row is extra
    read: Any  # None where the row is missing
    page: int | None
    warned: bool

    def describe(self) -> str:
        where = f"{self.table} row {self.position}" + (f" (page {self.page})" if self.page else "")
        return f"{where}, {self.column}: {self.read!r} for {self.expected!r}"


@dataclass
class TableScore:
    """The counts of one table (or of the report's facts, "report")."""

    table: str
    cells: int = 0  # cells compared: the reference's rows' and the extra rows'
    exact: int = 0
    exact_warned: int = 0  # exact, yet a warning covers it (a false alarm)
    warned: int = 0  # different, and a warning covers it
    silent: int = 0  # different, and no warning covers it
    missing_rows: int = 0
    extra_rows: int = 0
    status_cells: int = 0
    status_exact: int = 0
    status_wrong: int = 0  # the scan has another status value there
    status_undecided: int = 0  # the scan has none there
    differences: list[Difference] = field(default_factory=list)


@dataclass
class Score:
    """The whole comparison: each table's counts and their sums."""

    tables: dict[str, TableScore]
    warnings: int  # the scan's warnings
    unused_warnings: list[Failure]  # those that cover no cell compared

    def total(self, count: str) -> int:
        """The sum of one count over every table: ``score.total("silent")``."""
        return sum(getattr(table, count) for table in self.tables.values())

    @property
    def exact_share(self) -> float:
        cells = self.total("cells")
        return self.total("exact") / cells if cells else 1.0

    @property
    def silent(self) -> list[Difference]:
        return [d for table in self.tables.values() for d in table.differences if not d.warned]

    def summary(self) -> str:
        """A plain-text table of the counts, one line a table and the totals."""
        counts = ("cells", "exact", "warned", "silent", "missing_rows", "extra_rows",
                  "status_cells", "status_wrong", "status_undecided", "exact_warned")
        lines = [" ".join([f"{'table':>21}"] + [f"{name:>16}" for name in counts])]
        for table in self.tables.values():
            lines.append(" ".join([f"{table.table:>21}"]
                                  + [f"{getattr(table, name):>16}" for name in counts]))
        lines.append(" ".join([f"{'all':>21}"] + [f"{self.total(name):>16}" for name in counts]))
        lines.append(f"exact share {self.exact_share:.4%}; {self.warnings} warnings, "
                     f"{len(self.unused_warnings)} covering no cell compared")
        return "\n".join(lines)


def score_reports(scan: Report, reference: Report) -> Score:
    """Compare the scan's reading with the reference's, table by table (see the module)."""
    warnings = list(scan.warnings)
    used: set[int] = set()
    tables = {}
    pages = {"scan": _item_pages(scan), "reference": _item_pages(reference)}
    for name in TABLES:
        tables[name] = score_rows(name, _rows(scan.tables[name]), _rows(reference.tables[name]),
                                  warnings, used, pages)
    tables["report"] = score_rows("report", [_facts(scan.facts)], [_facts(reference.facts)],
                                  warnings, used, pages)
    unused = [warning for index, warning in enumerate(warnings) if index not in used]
    return Score(tables=tables, warnings=len(warnings), unused_warnings=unused)


def score_rows(table: str, scanned: Sequence[Mapping[str, Any]],
               expected: Sequence[Mapping[str, Any]], warnings: Sequence[Failure],
               used: set[int], pages: Mapping[str, Mapping[int, int]]) -> TableScore:
    """Count one table's cells, pairing rows by position; ``used`` collects the indexes
    of the warnings that covered a cell."""
    score = TableScore(table)
    status = STATUS_COLUMNS.get(table, ())
    for position in range(1, max(len(scanned), len(expected)) + 1):
        read = scanned[position - 1] if position <= len(scanned) else None
        wanted = expected[position - 1] if position <= len(expected) else None
        score.missing_rows += read is None
        score.extra_rows += wanted is None
        present = read if read is not None else wanted
        assert present is not None
        page = _row_page(table, present, pages["scan" if read is not None else "reference"])
        columns = [c for c in (wanted if wanted is not None else present) if c not in IGNORED]
        for column in columns:
            value = None if read is None else read.get(column)
            truth = None if wanted is None else wanted.get(column)
            covering = [index for index, warning in enumerate(warnings)
                        if covers(warning, table, position, column, present, page)]
            used.update(covering)
            same = read is not None and wanted is not None and same_value(value, truth)
            score.cells += 1
            if column in status:
                score.status_cells += 1
                score.status_exact += same
                score.status_wrong += not same and value is not None
                score.status_undecided += not same and value is None
            if same:
                score.exact += 1
                score.exact_warned += bool(covering)
                continue
            score.differences.append(Difference(table, position, column, truth, value, page,
                                                bool(covering)))
            if covering:
                score.warned += 1
            else:
                score.silent += 1
    return score


def covers(warning: Failure, table: str, position: int, column: str,
           row: Mapping[str, Any], page: int | None) -> bool:
    """Whether the warning is about this cell, by the module's rule."""
    if warning.page is not None and page is not None and warning.page != page:
        return False
    group = group_of(table, column)
    key = row.get("row_no", position) if table != "report" else position
    if warning.table == table and warning.row is not None and warning.row == key:
        if warning.column is None or warning.column in group:
            return True
    if any(_quoted(row.get(name), warning.message) for name in group):
        return True
    if warning.value is None:
        return False
    said = _squeeze(warning.value)
    return bool(said) and any(_value_matches(said, row.get(name)) for name in group)


def _quoted(value: Any, message: str) -> bool:
    return isinstance(value, str) and bool(value.strip()) and (
        repr(value) in message or f"'{value}'" in message)


def group_of(table: str, column: str) -> set[str]:
    """The columns made from the same printed cell as ``column`` (itself included)."""
    group = {column}
    for columns in COLUMN_GROUPS.get(table, ()):
        if column in columns:
            group.update(columns)
    return group


def same_value(read: Any, expected: Any) -> bool:
    """Equal as values: nulls of any kind alike, numbers of any type by value."""
    if read is None or expected is None:
        return read is None and expected is None
    if isinstance(read, float) and isinstance(expected, float):
        return read == expected or (math.isnan(read) and math.isnan(expected))
    return bool(read == expected)


def _value_matches(said: str, value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return False
    text = _squeeze(_as_text(value))
    if said == text:
        return True
    if not isinstance(value, str):
        return False
    return (len(said) >= 2 and said in text) or (len(text) >= 2 and text in said)


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as plain values: None for every kind of null, Python numbers."""
    return [{column: _plain(value) for column, value in row.items()}
            for row in frame.astype(object).to_dict("records")]


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The report's own facts that a reading decides, lists as JSON text."""
    return {key: json.dumps(facts.get(key), ensure_ascii=False)
            if isinstance(facts.get(key), (list, dict)) else facts.get(key) for key in FACTS}


def _item_pages(report: Report) -> dict[int, int]:
    items = report.tables["items"]
    return {int(row_no): int(page) for row_no, page
            in zip(items["row_no"], items["source_page"]) if not pd.isna(page)}


def _row_page(table: str, row: Mapping[str, Any], item_pages: Mapping[int, int]) -> int | None:
    if row.get("source_page") is not None:
        return int(row["source_page"])
    if table in ("item_departments", "date_mentions"):
        return item_pages.get(row["row_no"])
    found = _PAGE_REF.search(row.get("source_ref") or "")
    return int(found.group(1)) if found else None


def describe(differences: Iterable[Difference], limit: int = 20) -> str:
    """The first ``limit`` differences, one a line, for an assertion's message."""
    listed = list(differences)
    shown = [difference.describe() for difference in listed[:limit]]
    more = len(listed) - len(shown)
    return "\n".join(shown + ([f"… and {more} more"] if more > 0 else []))


# ----------------------------------------------------------------- the reading stage

@dataclass
class CellReadingScore:
    """Table cells of a scan's Document against its text twin's, before any stage: what
    a reading gets right even where the report is then refused.

    Each non-blank cell of the twin's grids is paired with the scan's cell on its page
    whose box overlaps it most (intersection over union at least ``min_overlap``); texts
    are compared with spaces and line breaks removed. ``char_errors`` is the edit
    distance summed over paired cells, ``chars`` the twin's characters in them. Boxes of
    a page deskewed by the reader may lie a few points off the twin's, more on a page
    turned by degrees: an unpaired cell there can be the pairing's, not the reading's.
    """

    cells: int = 0
    exact: int = 0
    unpaired: int = 0
    chars: int = 0
    char_errors: int = 0
    marks: int = 0  # cells whose text is one of the marks given
    marks_exact: int = 0
    misread: list[tuple[int, str, str]] = field(default_factory=list)  # page, twin's, scan's

    @property
    def exact_share(self) -> float:
        return self.exact / self.cells if self.cells else 1.0

    @property
    def char_error_rate(self) -> float:
        return self.char_errors / self.chars if self.chars else 0.0


def score_cells(scan: Document, twin: Document, marks: Iterable[str] = "◎○△×",
                min_overlap: float = 0.5) -> CellReadingScore:
    """Score the scan's table cells against the twin's (see ``CellReadingScore``)."""
    marks = set(marks)
    scanned: dict[int, list[tuple[BBox, str]]] = {}
    for page, box, text in _grid_cells(scan):
        scanned.setdefault(page, []).append((box, text))
    score = CellReadingScore()
    for page, box, text in _grid_cells(twin):
        score.cells += 1
        is_mark = text in marks
        score.marks += is_mark
        best = max(scanned.get(page, []), key=lambda cell: _overlap(box, cell[0]),
                   default=None)
        if best is None or _overlap(box, best[0]) < min_overlap:
            score.unpaired += 1
            score.misread.append((page, text, ""))
            continue
        score.chars += len(text)
        score.char_errors += edit_distance(text, best[1])
        if best[1] == text:
            score.exact += 1
            score.marks_exact += is_mark
        else:
            score.misread.append((page, text, best[1]))
    return score


def _grid_cells(document: Document) -> Iterable[tuple[int, BBox, str]]:
    for block in document.blocks:
        if not isinstance(block, Grid):
            continue
        for row in block.rows:
            for cell in row:
                if cell.bbox is not None and cell.page is not None and not cell.is_blank:
                    yield cell.page, cell.bbox, _squeeze(cell.text or "")


def _overlap(a: BBox, b: BBox) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    common = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - common
    return common / union


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: characters inserted, deleted or replaced to make b of a."""
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]
