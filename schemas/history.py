"""pandera models of the tables `pipeline history` writes. Attribute names are the column names."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.dtypes import Text
from schemas.diff import DIRECTIONS
from schemas.tables import KINDS, MEASURE_ID_PATTERN, STATUS_ORDER, categories, ordered_categories

# first: in the history's earliest report; new: not in the report before; same: matched by
# (measure_id, name); renamed / moved / renamed_moved: matched by a similar name, or the
# same name under another measure id.
ITEM_CHANGES = ["first", "new", "same", "renamed", "moved", "renamed_moved"]
# <first fiscal year>-<measure id>-<place among the measure's items that year>
# first fiscal year, measure id (vocabulary.MEASURE_ID_PATTERN: two or three levels), place
ITEM_KEY_PATTERN = r"^\d{4}-(?:\d+-)?\d+-[①-⑳㉑-㊿]-\d{2,}$"
_FY: dict[str, Any] = {"ge": 1900, "le": 2200}


class _Strict(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = False


class ItemHistory(_Strict):
    """One row per item and fiscal year in which it appears; re-listed (再掲) rows left out."""

    item_key: Series[Text] = pa.Field(str_matches=ITEM_KEY_PATTERN, description="The item's key, the same in every year: first fiscal year, measure id and place in that measure when first seen, e.g. 2023-1-1-②-05 (a two-level id: 2023-1-②-05).")
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(**_FY, description="The fiscal year reported on.")
    report_id: Series[Text] = pa.Field(description="The report the row comes from (its report_id).")
    row_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="items.row_no in that report.")
    measure_id: Series[Text] = pa.Field(str_matches=MEASURE_ID_PATTERN, description="実施内容 id that year.")
    business: Series[Text] = pa.Field(description="事業内容 that year.")
    status_mark: Series[Text] = pa.Field(description="The grade printed that year (進捗状況: ◎○△× in Nakano's profile).")
    status: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **ordered_categories(STATUS_ORDER), description="The grade's canonical status, where the profile maps it.")
    departments: Series[Text] = pa.Field(description="所管課 that year, space-separated.")
    change: Series[pd.CategoricalDtype] = pa.Field(**categories(ITEM_CHANGES), description="first (in the earliest report), new (not in the report before), same, renamed (name reworded), moved (measure id changed), renamed_moved (both).")
    previous_measure_id: Series[Text] = pa.Field(nullable=True, str_matches=MEASURE_ID_PATTERN, description="Moved items: the measure id in the report before.")
    previous_business: Series[Text] = pa.Field(nullable=True, description="Renamed items: the name in the report before.")
    previous_status_mark: Series[Text] = pa.Field(nullable=True, description="The grade in the report before; empty for first and new rows.")
    status_change: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **categories(DIRECTIONS), description="improved or worsened since the report before, by the grades' rank (× < △ < ○ < ◎); empty where either grade is unranked.")

    class Config:
        unique = ["item_key", "fiscal_year"]


class HistoryItems(_Strict):
    """One row per item_key: its years, names, measures and statuses over the history."""

    item_key: Series[Text] = pa.Field(str_matches=ITEM_KEY_PATTERN, description="item_history.item_key.")
    first_fiscal_year: Series[pd.Int64Dtype] = pa.Field(**_FY, description="First fiscal year the item is reported on.")
    last_fiscal_year: Series[pd.Int64Dtype] = pa.Field(**_FY, description="Last fiscal year the item is reported on.")
    years_listed: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Reports that list it.")
    measure_id: Series[Text] = pa.Field(str_matches=MEASURE_ID_PATTERN, description="Its measure id in its last year.")
    business: Series[Text] = pa.Field(description="Its name in its last year.")
    names: Series[Text] = pa.Field(description="Every name it has had, oldest first, joined by ' → '.")
    measure_ids: Series[Text] = pa.Field(description="Every measure id it has had, oldest first, joined by ' → '.")
    latest_status_mark: Series[Text] = pa.Field(description="Its grade in its last year.")
    latest_status: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **ordered_categories(STATUS_ORDER), description="The canonical status of latest_status_mark.")
    years_exceeded: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Years with status exceeded (◎).")
    years_on_schedule: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Years with status on_schedule (○).")
    years_delayed: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Years with status delayed (△).")
    years_not_started: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Years with status not_started (×).")
    disappeared: Series[bool] = pa.Field(description="Not in the history's latest report.")

    class Config:
        unique = ["item_key"]


class IndicatorHistory(_Strict):
    """One row per indicator, kind, value year and the report that printed it; the prints of
    one value (by measure, indicator, qualifier, value_kind and year) follow each other."""

    goal_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="目標 number the indicator belongs to.")
    indicator: Series[Text] = pa.Field(description="指標項目 as that report prints it, without its qualifier.")
    qualifier: Series[Text] = pa.Field(nullable=True, description="indicators.qualifier: which of a cell's values the row follows (小, 中); empty for a cell of one value.")
    kind: Series[pd.CategoricalDtype] = pa.Field(**categories(KINDS), description="The value's role as that report prints it: baseline, previous, actual or target.")
    value_kind: Series[pd.CategoricalDtype] = pa.Field(**categories(KINDS), description="The role the value is followed under across the reports: actual for a previous (前年度) print, the actual of its year printed again; else kind.")
    value_fiscal_year: Series[pd.Int64Dtype] = pa.Field(**_FY, description="Fiscal year of the value.")
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(**_FY, description="Fiscal year of the report that printed it.")
    report_id: Series[Text] = pa.Field(description="The report that printed it.")
    value: Series[float] = pa.Field(nullable=True, description="The number, units multiplied out; null for —.")
    unit: Series[Text] = pa.Field(nullable=True, description="Unit as printed.")
    approx: Series[bool] = pa.Field(description="Printed with 約 (about).")
    denominator: Series[float] = pa.Field(nullable=True, description="For n/m values: m.")
    raw: Series[Text] = pa.Field(nullable=True, description="The printed cell.")
    latest: Series[bool] = pa.Field(description="The latest report's print of this value (a later — does not replace a number).")
    revised: Series[bool] = pa.Field(description="The value differs from the one an earlier report printed for the same year.")
    previous_value: Series[float] = pa.Field(nullable=True, description="Revised values: the earlier report's value.")

    class Config:
        unique = ["report_id", "goal_no", "indicator", "qualifier", "kind", "value_fiscal_year"]


class IndicatorEvaluationHistory(_Strict):
    """指標の評価 year by year: one row per graded indicator and report, oldest report first,
    with the move from the grade the report before printed. Its own table, not columns of
    indicator_history: an evaluation is one per indicator and report, a value one per kind
    and year."""

    goal_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="目標 number the indicator belongs to.")
    indicator: Series[Text] = pa.Field(description="The indicator as that report prints it.")
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(**_FY, description="Fiscal year of the report that graded it.")
    report_id: Series[Text] = pa.Field(description="The report that graded it.")
    evaluation_mark: Series[Text] = pa.Field(description="The grade in its canonical form (A for 達成A).")
    grade_rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="The grade's rank in the indicators' own scale, 1 = best; empty for not assessed.")
    status: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **ordered_categories(STATUS_ORDER), description="The grade's canonical status, where the profile maps it.")
    raw: Series[Text] = pa.Field(description="The printed cell.")
    previous_mark: Series[Text] = pa.Field(nullable=True, description="The grade the latest earlier report printed for it; empty in the first report that grades it.")
    direction: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **categories(DIRECTIONS), description="improved or worsened from previous_mark, by rank; empty where unchanged, first graded, or outside the order.")

    class Config:
        unique = ["report_id", "goal_no", "indicator"]
