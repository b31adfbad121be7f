"""pandera models of the tables `pipeline diff` writes. Attribute names are the column names."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.dtypes import Text
from schemas.tables import categories
from schemas.vocabulary import KINDS, MEASURE_ID_PATTERN

ITEM_CHANGE_KINDS = ["added", "removed", "renamed", "changed"]
# The fields a matched pair of items is compared on, in the order they are reported.
ITEM_FIELDS = ["status", "business", "measure_id", "starred", "departments", "change_reason",
               "result", "plan_next", "plan_vs_result", "plan_later"]
DIRECTIONS = ["improved", "worsened"]
INDICATOR_CHANGE_KINDS = ["added", "removed", "revised", "unchanged", "rolled_off"]
INDICATOR_VALUE_CHANGES = ["added", "removed", "revised"]  # the kinds that change a value
BETTER = ["higher", "lower"]


class ItemChanges(pa.DataFrameModel):
    """One row per added, removed or renamed item, and per changed field of a matched item."""

    change: Series[pd.CategoricalDtype] = pa.Field(**categories(ITEM_CHANGE_KINDS), description="added, removed, renamed (business name reworded), changed (one field).")
    measure_id: Series[Text] = pa.Field(str_matches=MEASURE_ID_PATTERN, description="The new report's measure id (the old one for removed items).")
    business: Series[Text] = pa.Field(description="The new business name (the old one for removed items).")
    business_old: Series[Text] = pa.Field(nullable=True, description="The business name in the old report; empty for added items.")
    field: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **categories(ITEM_FIELDS), description="The compared field; plan_vs_result sets last year's plan for this year beside this year's result.")
    old: Series[Text] = pa.Field(nullable=True, description="The old report's value (status: its mark; plan_vs_result: last year's plan_next).")
    new: Series[Text] = pa.Field(nullable=True, description="The new report's value (plan_vs_result: this year's result).")
    direction: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **categories(DIRECTIONS), description="For status: improved or worsened, by the grades' rank in the reports' own scale (× < △ < ○ < ◎ in Nakano's); empty where a grade is outside it (not assessed).")
    row_no_old: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="items.row_no in the old report.")
    row_no_new: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="items.row_no in the new report.")

    class Config:
        strict = True
        coerce = False
        unique = ["change", "row_no_old", "row_no_new", "field"]


EVALUATION_CHANGE_KINDS = ["added", "removed", "changed"]


class IndicatorEvaluationChanges(pa.DataFrameModel):
    """One row per indicator whose evaluation (指標の評価) came, went or moved between the two
    reports; an evaluation printed the same in both is no row."""

    goal_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="目標 number the indicator belongs to.")
    indicator: Series[Text] = pa.Field(description="The indicator as the new report prints it (the old one's when removed).")
    change: Series[pd.CategoricalDtype] = pa.Field(**categories(EVALUATION_CHANGE_KINDS), description="added (graded in the new report only), removed (in the old only), changed (another grade).")
    old_mark: Series[Text] = pa.Field(nullable=True, description="The old report's evaluation_mark.")
    new_mark: Series[Text] = pa.Field(nullable=True, description="The new report's evaluation_mark.")
    old_rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="The old grade's rank in the indicators' own scale, 1 = best.")
    new_rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="The new grade's rank in the indicators' own scale, 1 = best.")
    direction: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **categories(DIRECTIONS), description="For changed: improved or worsened by the grades' rank (後退D < 横ばいC < 前進B < 達成A in a 群馬-like scale); empty where a grade is outside the order (not assessed).")
    old_raw: Series[Text] = pa.Field(nullable=True, description="The old report's printed cell.")
    new_raw: Series[Text] = pa.Field(nullable=True, description="The new report's printed cell.")

    class Config:
        strict = True
        coerce = False
        unique = ["goal_no", "indicator"]


class IndicatorChanges(pa.DataFrameModel):
    """One row per indicator value of either report: a value of both (unchanged or revised),
    of the new one only (added) or of the old one only (removed, rolled_off); a value is the
    same across the reports when its measure, indicator, qualifier, role and year agree, or
    when the new report prints the old one's actual again as its previous year's (前年度)."""

    goal_no: Series[pd.Int64Dtype] = pa.Field(ge=1, description="目標 number the indicator belongs to.")
    measure_id: Series[Text] = pa.Field(nullable=True, description="indicators.measure_id of the indicator; empty where the table has no measure column.")
    indicator: Series[Text] = pa.Field(description="指標項目 as the new report prints it (the old one's when removed).")
    qualifier: Series[Text] = pa.Field(nullable=True, description="indicators.qualifier: which of a cell's values (小, 中); empty for a cell of one value.")
    kind: Series[pd.CategoricalDtype] = pa.Field(**categories(KINDS), description="The value's role in the new report (the old one's when not printed there): baseline, previous, actual or target.")
    old_kind: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **categories(KINDS), description="The value's role in the old report; actual where the new report prints it again as previous (前年度), empty for added values.")
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(ge=1900, le=2200, description="Fiscal year of the value.")
    change: Series[pd.CategoricalDtype] = pa.Field(**categories(INDICATOR_CHANGE_KINDS), description="added (a new value), removed (a value gone, not just out of the table's years), revised (same value, other figure), unchanged (the same figure, in the same role or printed again as previous), rolled_off (a year before the first the new table prints in that role: the table moved on).")
    old_value: Series[float] = pa.Field(nullable=True, description="The old report's value.")
    new_value: Series[float] = pa.Field(nullable=True, description="The new report's value.")
    unit: Series[Text] = pa.Field(nullable=True, description="Unit as printed.")
    old_raw: Series[Text] = pa.Field(nullable=True, description="The old report's printed cell.")
    new_raw: Series[Text] = pa.Field(nullable=True, description="The new report's printed cell.")
    previous_actual: Series[float] = pa.Field(nullable=True, description="Actuals: the figure of the year before (its actual, or the previous year's value printed), to read the year's movement.")
    target_value: Series[float] = pa.Field(nullable=True, description="Actuals: the target of the same year, else the nearest later one printed (the plan's final target).")
    target_fiscal_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2200, description="The fiscal year of target_value.")
    better: Series[pd.CategoricalDtype] = pa.Field(nullable=True, **categories(BETTER), description="higher or lower: which way the indicator's final target lies from its first figure (the baseline, else the first actual).")
    met_target: Series[pd.BooleanDtype] = pa.Field(nullable=True, description="Actuals: the actual reached its target (by `better`; a later target may be reached early); empty where either is missing.")

    class Config:
        strict = True
        coerce = False
        unique = ["goal_no", "measure_id", "indicator", "qualifier", "kind", "fiscal_year"]
