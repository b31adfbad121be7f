"""pandera models of the output tables. Attribute names are the column names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.dtypes import Text
from schemas.vocabulary import (
    DATE_FIELDS,
    GOV_LEVELS,
    KINDS,
    MEASURE_ID_PATTERN,
    STATUS_ORDER,
    YEAR_FROM,
)

_FY: dict[str, Any] = {"ge": 1900, "le": 2200}

# C0 and C1 control characters, and the format characters that print nothing (soft
# hyphen, zero-width space and joiners, direction marks, word joiners, BOM), with the
# line and paragraph separators: no value of a front-part text column holds one.
CONTROL_OR_FORMAT = (r"[\x00-\x1f\x7f-\x9f\xad\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                     r"\ufeff]")


def printable_text(series: pd.Series) -> pd.Series:
    """True where a text value holds no control or format character (or is missing)."""
    return ~series.str.contains(CONTROL_OR_FORMAT, regex=True).fillna(False).astype(bool)


def finite(series: pd.Series) -> pd.Series:
    """True where a float value is finite (or missing): inf is never a figure."""
    return series.isna() | np.isfinite(series)


def ordered_categories(categories: Sequence[str]) -> dict[str, Any]:
    """pa.Field keywords of an ordered categorical column."""
    return {"dtype_kwargs": {"categories": list(categories), "ordered": True}}


def categories(categories: Sequence[str]) -> dict[str, Any]:
    """pa.Field keywords of an unordered categorical column."""
    return {"dtype_kwargs": {"categories": list(categories), "ordered": False}}


class _Strict(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = False


class Items(_Strict):
    """One row per business item (事業内容) of the attachment, in document order."""

    report_id: Series[Text] = pa.Field(description="The input file's stem.")
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(**_FY, description="The fiscal year reported on (取組結果 column).")
    row_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Document order, from 1.")
    measure_id: Series[Text] = pa.Field(str_matches=MEASURE_ID_PATTERN, description="実施内容 id in its normal form: the numbers of the profile's id levels, the measure circled (goal-policy-measure 1-1-①; two levels, ids.levels, 1-②).")
    measure_id_raw: Series[Text] = pa.Field(description="The measure id as printed (1-1-①, 1-(1)-ア); an id split over a heading and cells: its parts joined with a space (基本目標1 (1) ア).")
    goal_no: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="Goal (目標) number: first part of measure_id; empty where the profile's ids have no goal (ids.levels).")
    policy_no: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="Policy number: the part of measure_id before the measure's; empty where the profile's ids have no policy (ids.levels).")
    measure_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Measure number: the circled number as an integer.")
    measure_name: Series[Text] = pa.Field(nullable=True, description="Measure name without the 再掲 marker; empty where the report prints the measure by its id alone (a profile with tables.items.measure_name_required = false).")
    business: Series[Text] = pa.Field(description="事業内容 without 再掲 marker, ☆, (国), (都).")
    business_raw: Series[Text] = pa.Field(description="事業内容 as printed (line wraps joined, damaged characters repaired).")
    gov_level: Series[pd.CategoricalDtype] = pa.Field(**categories(GOV_LEVELS), description="The level of government whose programme the business is: the report's own (the profile's ids.own_level: ward for a 区, municipal for a 市町村, prefectural for a 道府県, metropolitan for the 都) unless its name is tagged with another, e.g. national (国), metropolitan (都).")
    starred: Series[bool] = pa.Field(description="The business name carries ☆.")
    status_mark: Series[Text] = pa.Field(description="The grade as printed (進捗状況: ◎○△× in Nakano's profile; another layout's A–D, 1–5…), in its canonical form; re-listed rows: the original's.")
    grade_rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="The grade's rank in the report's own scale, 1 = best; empty for a grade outside the order (not assessed).")
    status: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **ordered_categories(STATUS_ORDER), description="The grade's canonical status, where the profile maps it; empty otherwise.")
    change_reason: Series[Text] = pa.Field(nullable=True, description="スケジュールの変更理由.")
    result: Series[Text] = pa.Field(nullable=True, description="取組結果 of fiscal_year.")
    plan_next: Series[Text] = pa.Field(nullable=True, description="Plan for plan_next_fy.")
    plan_next_tag: Series[Text] = pa.Field(nullable=True, description="Keyword when plan_next is only (keyword), e.g. 推進.")
    plan_next_fy: Series[pd.Int64Dtype] = pa.Field(nullable=True, **_FY, description="Fiscal year of plan_next (empty if the report has no such column).")
    plan_next_fy_inferred: Series[bool] = pa.Field(description="The plan_next header named no year (今後の方向性): plan_next_fy is the report's fiscal year + 1.")
    plan_later: Series[Text] = pa.Field(nullable=True, description="Plan from plan_later_from_fy on.")
    plan_later_tag: Series[Text] = pa.Field(nullable=True, description="Keyword when plan_later is only (keyword).")
    plan_later_from_fy: Series[pd.Int64Dtype] = pa.Field(nullable=True, **_FY, description="First fiscal year of plan_later (empty if the report has no such column).")
    departments: Series[Text] = pa.Field(description="所管課, space-separated (see item_departments).")
    is_relisted: Series[bool] = pa.Field(description="The row re-lists (再掲) a row of another measure.")
    relisted_from: Series[Text] = pa.Field(nullable=True, str_matches=MEASURE_ID_PATTERN, description="Measure id the row re-lists.")
    relisted_row_no: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="row_no of the original row.")
    extra: Series[Text] = pa.Field(nullable=True, description="Cells of attachment columns the profile does not know, as a JSON object {header as printed: cell}.")
    source_page: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="PDF page of the business cell.")
    source_line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="Text line of the business cell.")
    source_bbox: Series[Text] = pa.Field(nullable=True, description="PDF box of the business cell: x0,top,x1,bottom in points.")
    source_file: Series[Text] = pa.Field(description="The business cell: the file it was read from (a report of several files: the part's).")
    source_ref: Series[Text] = pa.Field(nullable=True, description="The business cell: where to find it in that file: 別紙!C12 (sheet!cell), table 4 row 17 column 3 (Word), page 3 (PDF), line 64 (text).")

    class Config:
        unique = ["report_id", "row_no"]


class ItemDepartments(_Strict):
    """One row per (item, department in charge)."""

    report_id: Series[Text] = pa.Field(description="The input file's stem.")
    row_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="items.row_no.")
    department: Series[Text] = pa.Field(description="One 所管課.")

    class Config:
        unique = ["report_id", "row_no", "department"]


class Indicators(_Strict):
    """成果指標, long: one row per indicator, kind, fiscal year and qualifier."""

    report_id: Series[Text] = pa.Field(description="The input file's stem.")
    goal_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="目標 number the indicator belongs to.")
    goal: Series[Text] = pa.Field(description="The goal's text.")
    measure_id: Series[Text] = pa.Field(nullable=True, description="The id of the row's measure (項目) where the table has a measure column; empty otherwise.")
    measure_name: Series[Text] = pa.Field(nullable=True, description="The measure's name where the table prints it in a column of its own (tables.indicators.columns.measure_name: 事業名), carried down to the rows of its further indicators; empty otherwise.")
    indicator: Series[Text] = pa.Field(description="指標項目 without footnote marks.")
    note_refs: Series[Text] = pa.Field(nullable=True, description="Footnote refs of the name or value, e.g. ※1.")
    kind: Series[pd.CategoricalDtype] = pa.Field(**categories(KINDS), description="The value's role, by its column: baseline (策定時, 基準値), previous (前年度), actual (実績, 現状値) or target (目標).")
    kind_label: Series[Text] = pa.Field(description="The column's header word as printed: 実績, 策定時, 現状値.")
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(**_FY, description="Fiscal year of the value.")
    year_from: Series[pd.CategoricalDtype] = pa.Field(**categories(YEAR_FROM), description="Where fiscal_year was read: header (the column's year), cell (the value cell's own (平成28年度); a warning indicator_year_from_cell when it differs from the header's), report (a column headed without a year: an actual taken as of the report's fiscal year, with a warning indicator_year_from_report).")
    qualifier: Series[Text] = pa.Field(nullable=True, description="The word after one of several values in a cell: 97.0%(小) 98.2%(中) → 小, 中; empty for a cell of one value.")
    value: Series[float] = pa.Field(nullable=True, description="The number, units multiplied out (万 → 10,000); null for —.")
    unit: Series[Text] = pa.Field(nullable=True, description="Unit as printed: %, 件, 団体, fm, 名…")
    approx: Series[bool] = pa.Field(description="Printed with 約 (about).")
    denominator: Series[float] = pa.Field(nullable=True, description="For n/m values: m.")
    raw: Series[Text] = pa.Field(nullable=True, description="The printed cell.")
    extra: Series[Text] = pa.Field(nullable=True, description="The row's cells of the columns the profile keeps as they are (tables.indicators.columns.extra: 所管課, 達成率), as a JSON object {header as printed: cell}; empty where there are none or all are blank.")
    source_file: Series[Text] = pa.Field(description="The value cell: the file it was read from (a report of several files: the part's).")
    source_ref: Series[Text] = pa.Field(nullable=True, description="The value cell: where to find it in that file: 別紙!C12 (sheet!cell), table 4 row 17 column 3 (Word), page 3 (PDF), line 64 (text).")

    class Config:
        unique = ["report_id", "goal_no", "indicator", "kind", "fiscal_year", "qualifier"]

    @pa.check("goal", "indicator", "kind_label", "qualifier", "note_refs", "unit", "raw",
              name="no_control_characters")
    def _printable(cls, series: pd.Series) -> pd.Series:
        return printable_text(series)

    @pa.check("value", "denominator", name="finite")
    def _finite(cls, series: pd.Series) -> pd.Series:
        return finite(series)


class IndicatorEvaluations(_Strict):
    """指標の評価: one row per indicator the report grades on its own scale (達成A, 前進B…:
    the profile's [indicator_grades]); none for a report without an evaluation column."""

    report_id: Series[Text] = pa.Field(description="The input file's stem.")
    goal_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="目標 number the indicator belongs to.")
    measure_id: Series[Text] = pa.Field(nullable=True, description="indicators.measure_id of the indicator.")
    indicator: Series[Text] = pa.Field(description="indicators.indicator: the name without footnote marks.")
    evaluation_mark: Series[Text] = pa.Field(description="The grade in its canonical form (the profile's mark: A for 達成A).")
    grade_rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="The grade's rank in the indicators' own scale, 1 = best; empty for not assessed.")
    status: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **ordered_categories(STATUS_ORDER), description="The grade's canonical status, where the profile maps it.")
    label: Series[Text] = pa.Field(nullable=True, description="The grade's meaning: the printed legend's where it gives one, else the profile's first meaning word.")
    raw: Series[Text] = pa.Field(description="The printed cell.")
    source_file: Series[Text] = pa.Field(description="The evaluation cell: the file it was read from (a report of several files: the part's).")
    source_ref: Series[Text] = pa.Field(nullable=True, description="The evaluation cell: where to find it in that file: 別紙!C12 (sheet!cell), table 4 row 17 column 3 (Word), page 3 (PDF), line 64 (text).")

    class Config:
        unique = ["report_id", "goal_no", "indicator"]

    @pa.check("indicator", "evaluation_mark", "label", "raw", name="no_control_characters")
    def _printable(cls, series: pd.Series) -> pd.Series:
        return printable_text(series)


class StatusSummary(_Strict):
    """The front part's count of measures per status."""

    report_id: Series[Text] = pa.Field(description="The input file's stem.")
    status_mark: Series[Text] = pa.Field(description="The grade (◎○△× in Nakano's profile).")
    grade_rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="The grade's rank in the report's own scale, 1 = best; empty for not assessed.")
    status: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **ordered_categories(STATUS_ORDER), description="The grade's canonical status, where the profile maps it.")
    label: Series[Text] = pa.Field(description="The printed meaning of the mark.")
    count: Series[pd.Int64Dtype] = pa.Field(ge=0, description="取組の数.")
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, **_FY, description="The fiscal year of the count's column, where the table prints a count column per year (令和4年度 | 令和5年度); empty for a table of one count column (the report's year).")
    source_file: Series[Text] = pa.Field(description="The label cell: the file it was read from (a report of several files: the part's).")
    source_ref: Series[Text] = pa.Field(nullable=True, description="The label cell: where to find it in that file: 別紙!C12 (sheet!cell), table 4 row 17 column 3 (Word), page 3 (PDF), line 64 (text).")

    class Config:
        unique = ["report_id", "status_mark", "fiscal_year"]

    @pa.check("status_mark", "label", name="no_control_characters")
    def _printable(cls, series: pd.Series) -> pd.Series:
        return printable_text(series)


class Footnotes(_Strict):
    """※ notes under the indicator tables."""

    report_id: Series[Text] = pa.Field(description="The input file's stem.")
    ref: Series[Text] = pa.Field(str_matches=r"^\S*\d+$", description="※1, ※2… (the profile's front.footnote_ref).")
    text: Series[Text] = pa.Field(description="The note, continuation paragraphs included.")
    source_file: Series[Text] = pa.Field(description="The note's first paragraph: the file it was read from (a report of several files: the part's).")
    source_ref: Series[Text] = pa.Field(nullable=True, description="The note's first paragraph: where to find it in that file: 別紙!C12 (sheet!cell), table 4 row 17 column 3 (Word), page 3 (PDF), line 64 (text).")

    class Config:
        unique = ["report_id", "ref"]

    @pa.check("ref", "text", name="no_control_characters")
    def _printable(cls, series: pd.Series) -> pd.Series:
        return printable_text(series)


class DateMentions(_Strict):
    """Dates and fiscal years mentioned inside item cells."""

    report_id: Series[Text] = pa.Field(description="The input file's stem.")
    row_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="items.row_no.")
    field: Series[pd.CategoricalDtype] = pa.Field(**categories(DATE_FIELDS), description="The items column mentioning it.")
    raw: Series[Text] = pa.Field(description="As printed, e.g. 令和6年3月, R6.5, 9/1.")
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, **_FY, description="Calendar year.")
    month: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=12, description="Month.")
    day: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=31, description="Day.")
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, **_FY, description="Fiscal year (from 1 April).")
    inferred: Series[bool] = pa.Field(description="The year was not printed: taken from the fiscal year the cell speaks of.")
