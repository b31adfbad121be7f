"""The records of the tables `pipeline diff` and `pipeline history` write, one frozen
dataclass per table (fields: the table's columns, in its order). ``schemas.records``
names them too; they live here so that a run, which writes neither, does not make them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ItemChangeRecord:
    change: str
    measure_id: str
    business: str
    business_old: str | None
    field: str | None
    old: str | None
    new: str | None
    direction: str | None
    row_no_old: int | None
    row_no_new: int | None


@dataclass(frozen=True, slots=True)
class IndicatorChangeRecord:
    goal_no: int
    measure_id: str | None
    indicator: str
    qualifier: str | None
    kind: str
    old_kind: str | None
    fiscal_year: int
    change: str
    old_value: float | None
    new_value: float | None
    unit: str | None
    old_raw: str | None
    new_raw: str | None
    previous_actual: float | None
    target_value: float | None
    target_fiscal_year: int | None
    better: str | None
    met_target: bool | None


@dataclass(frozen=True, slots=True)
class IndicatorEvaluationChangeRecord:
    goal_no: int
    indicator: str
    change: str
    old_mark: str | None
    new_mark: str | None
    old_rank: int | None
    new_rank: int | None
    direction: str | None
    old_raw: str | None
    new_raw: str | None


@dataclass(frozen=True, slots=True)
class IndicatorEvaluationHistoryRecord:
    goal_no: int
    indicator: str
    fiscal_year: int
    report_id: str
    evaluation_mark: str
    grade_rank: int | None
    status: str | None
    raw: str
    previous_mark: str | None
    direction: str | None


@dataclass(frozen=True, slots=True)
class ItemHistoryRecord:
    item_key: str
    fiscal_year: int
    report_id: str
    row_no: int
    measure_id: str
    business: str
    status_mark: str
    status: str | None
    departments: str
    change: str
    previous_measure_id: str | None
    previous_business: str | None
    previous_status_mark: str | None
    status_change: str | None


@dataclass(frozen=True, slots=True)
class HistoryItemRecord:
    item_key: str
    first_fiscal_year: int
    last_fiscal_year: int
    years_listed: int
    measure_id: str
    business: str
    names: str
    measure_ids: str
    latest_status_mark: str
    latest_status: str | None
    years_exceeded: int
    years_on_schedule: int
    years_delayed: int
    years_not_started: int
    disappeared: bool


@dataclass(frozen=True, slots=True)
class IndicatorHistoryRecord:
    goal_no: int
    indicator: str
    qualifier: str | None
    kind: str
    value_kind: str
    value_fiscal_year: int
    fiscal_year: int
    report_id: str
    value: float | None
    unit: str | None
    approx: bool
    denominator: float | None
    raw: str | None
    latest: bool
    revised: bool
    previous_value: float | None
