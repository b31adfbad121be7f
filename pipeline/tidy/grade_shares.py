"""An evaluation checked against the share of its target it stands for: a scale that
grades by share (``[indicator_grades]`` ``share_from``: 愛知県's A ≥ 100% / B ≥ 80% / C ≥ 50%
/ D) says which grade a row's share earns, and a printed grade it does not earn is a
warning, the printed grade kept."""

from __future__ import annotations

from typing import Any

from pipeline.errors import Failure
from pipeline.normalize.numbers import parse_quantity
from pipeline.normalize.text import normalize_text
from pipeline.profiles import Grade
from pipeline.records import Cell
from schemas.records import IndicatorRecord


def share_doubts(evaluation: tuple[Any, str, Cell], name: str, values: list[IndicatorRecord],
                 share_cell: Cell | None, grades: tuple[Grade, ...], source: str) -> list[Failure]:
    """A warning where a scale that grades by share of target (``share_from``: 愛知県's A ≥
    100% / B ≥ 80% …) would grade the row otherwise than the report prints: its printed
    share (a share column: 達成率), else its actual over its target of the same year. A
    misprinted or misread grade, or an indicator where less is better (its share printed
    as target over actual), is told to the user rather than trusted or corrected."""
    grade, text, cell = evaluation
    if grade.share_from is None:
        return []
    share, said = _share(values, share_cell)
    if share is None:
        return []
    fitting = next((g for g in grades if g.share_from is not None
                    and share >= g.share_from - 1e-9), None)
    if fitting is None or fitting.mark == grade.mark:
        return []
    return [Failure(code="indicator_grade_disagrees", source=cell.file or source,
                    table="indicator_evaluations", column="evaluation_mark", value=text,
                    severity="warning", page=cell.page, line=cell.line,
                    message=f"the evaluation {text} of {name!r} is for a share of its target "
                            f"of {grade.share_from:.0%} or more, but {said}, which is "
                            f"{fitting.mark}'s; the printed evaluation is kept")]


def _share(values: list[IndicatorRecord], share_cell: Cell | None) -> tuple[float | None, str]:
    """The row's share of its target, and how it was read, for ``share_doubts``."""
    if share_cell is not None and not share_cell.is_blank:
        printed = normalize_text(share_cell.text) or ""
        try:
            quantity = parse_quantity(printed)
        except ValueError:
            return None, ""  # the cell is kept as printed (indicators.extra)
        if quantity.value is None or quantity.unit != "%":
            return None, ""
        return quantity.value / 100, f"its printed share is {printed}"
    actuals = {v.fiscal_year: v for v in values if v.kind == "actual" and v.value is not None}
    targets = {v.fiscal_year: v for v in values if v.kind == "target" and v.value}
    year = max((y for y in actuals if y in targets), default=None)
    if year is None:
        return None, ""
    actual, target = actuals[year], targets[year]
    share = (actual.value or 0.0) / (target.value or 1.0)
    return share, f"its actual {actual.raw} of the target {target.raw} is {share:.1%}"
