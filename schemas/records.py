"""One frozen dataclass per published table: the record a stage builds for one row.

Fields are the table's columns, in its order (tests/base/test_registry.py holds them to the
pandera models). Records are built by keyword, so a misspelt or forgotten column is a
TypeError where the record is made, never a silently empty column.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemas.comparison_records import (
        HistoryItemRecord,
        IndicatorChangeRecord,
        IndicatorEvaluationChangeRecord,
        IndicatorEvaluationHistoryRecord,
        IndicatorHistoryRecord,
        ItemChangeRecord,
        ItemHistoryRecord,
    )

# The records of the tables `pipeline diff` and `pipeline history` write load with those
# commands, not with every run (each frozen dataclass costs about a millisecond to make).
_COMPARISON_RECORDS = ("ItemChangeRecord", "IndicatorChangeRecord", "ItemHistoryRecord",
                       "HistoryItemRecord", "IndicatorHistoryRecord",
                       "IndicatorEvaluationChangeRecord", "IndicatorEvaluationHistoryRecord")


@dataclass(frozen=True, slots=True)
class ItemRecord:
    report_id: str
    fiscal_year: int
    row_no: int
    measure_id: str
    measure_id_raw: str  # the id as printed; split ids: its parts joined with " "
    goal_no: int | None  # None: the profile's ids have no such level (ids.levels)
    policy_no: int | None
    measure_no: int
    measure_name: str | None  # None: printed by its id alone (measure_name_required = false)
    business: str
    business_raw: str
    gov_level: str
    starred: bool
    status_mark: str | None  # None only while unreadable or before 再掲 resolution
    grade_rank: int | None  # 1 = best in the report's scale; None: not assessed, or no grade
    status: str | None  # None where the profile maps the grade to no status
    change_reason: str | None
    result: str | None
    plan_next: str | None
    plan_next_tag: str | None
    plan_next_fy: int | None
    plan_next_fy_inferred: bool  # the plan header named no year: the report's year + 1
    plan_later: str | None
    plan_later_tag: str | None
    plan_later_from_fy: int | None
    departments: str | None
    is_relisted: bool
    relisted_from: str | None
    relisted_row_no: int | None
    extra: str | None  # JSON {header as printed: cell} of columns the profile does not know
    source_page: int | None
    source_line: int | None
    source_bbox: str | None
    source_file: str  # the file (a report of several files: the part) the row was read from
    source_ref: str | None  # where in it: 別紙!C12, table 4 row 17 column 3, page 3, line 64


@dataclass(frozen=True, slots=True)
class ItemDepartmentRecord:
    report_id: str
    row_no: int
    department: str


@dataclass(frozen=True, slots=True)
class IndicatorRecord:
    report_id: str
    goal_no: int
    goal: str
    measure_id: str | None
    measure_name: str | None
    indicator: str
    note_refs: str | None
    kind: str
    kind_label: str
    fiscal_year: int
    year_from: str
    qualifier: str | None
    value: float | None
    unit: str | None
    approx: bool
    denominator: float | None
    raw: str | None
    extra: str | None  # JSON {header as printed: cell} of the row's tables.indicators.columns.extra
    source_file: str  # the file (a report of several files: the part) the row was read from
    source_ref: str | None  # where in it: 別紙!C12, table 4 row 17 column 3, page 3, line 64


@dataclass(frozen=True, slots=True)
class IndicatorEvaluationRecord:
    report_id: str
    goal_no: int
    measure_id: str | None
    indicator: str
    evaluation_mark: str
    grade_rank: int | None
    status: str | None
    label: str | None
    raw: str
    source_file: str  # the file (a report of several files: the part) the cell was read from
    source_ref: str | None  # where in it: 別紙!C12, table 4 row 17 column 3, page 3, line 64


@dataclass(frozen=True, slots=True)
class StatusSummaryRecord:
    report_id: str
    status_mark: str
    grade_rank: int | None
    status: str | None
    label: str
    count: int
    fiscal_year: int | None  # a count column's year; None: the table has one, the report's
    source_file: str  # the file (a report of several files: the part) the row was read from
    source_ref: str | None  # where in it: 別紙!C12, table 4 row 17 column 3, page 3, line 64


@dataclass(frozen=True, slots=True)
class FootnoteRecord:
    report_id: str
    ref: str
    text: str
    source_file: str  # the file (a report of several files: the part) the row was read from
    source_ref: str | None  # where in it: 別紙!C12, table 4 row 17 column 3, page 3, line 64


@dataclass(frozen=True, slots=True)
class DateMentionRecord:
    report_id: str
    row_no: int
    field: str
    raw: str
    year: int | None
    month: int | None
    day: int | None
    fiscal_year: int | None
    inferred: bool


def __getattr__(name: str) -> Any:
    if name not in _COMPARISON_RECORDS:
        raise AttributeError(f"module 'schemas.records' has no attribute {name!r}")
    return getattr(importlib.import_module("schemas.comparison_records"), name)
