"""One report against another: which items and indicator values changed, and how.

Stages, pure like the others (frames in, records or frames out): ``match_items``
(pipeline/compare/matching.py, shared with ``history``) pairs the items of two reports,
``pairs_to_item_changes`` compares each pair field by field,
``status_movements`` counts mark → mark, ``indicators_to_changes``
(pipeline/compare/diff_indicators.py) pairs indicator values by role,
``evaluations_to_changes`` each indicator's evaluation; ``diff_reports`` calls them
in order. Reading the reports (pipeline/compare/folder.py) and writing the results
is ``diff_run.py``'s (the pages to read, ``diff_report.py``'s), as it is ``batch/report.py``'s for
``pipeline run``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.compare.diff_indicators import indicators_to_changes
from pipeline.compare.folder import ReportFolder
from pipeline.compare.matching import ItemPair, Row, match_items, scalar, text_key
from schemas.records import IndicatorEvaluationChangeRecord, ItemChangeRecord
from schemas.registry import DIFF_TABLES

NOT_LISTED = "—"  # the status-movement row/column of items only one report has

# A result usually reports last year's plan in the past tense: "…を開始する。" planned,
# "…を開始した。" done. Reading the plan's sentence endings as done keeps such rows out.
_DONE_ENDINGS = (("ていく", "た"), ("される", "された"), ("する", "した"), ("行う", "行った"),
                 ("図る", "図った"), ("める", "めた"))


@dataclass(frozen=True)
class DiffResult:
    old: ReportFolder
    new: ReportFolder
    item_changes: pd.DataFrame
    indicator_changes: pd.DataFrame
    status_movements: pd.DataFrame  # rows: old mark, columns: new mark, NOT_LISTED for none
    matched: int  # items found in both reports, renamed ones included
    ranks: dict[str, int | None]  # the movements' marks, best first, with their ranks
    evaluation_changes: pd.DataFrame | None = None  # indicator_evaluation_changes


# --- comparing ---------------------------------------------------------------------------

def pairs_to_item_changes(pairs: list[ItemPair]) -> list[ItemChangeRecord]:
    """item_changes rows: one per added/removed/renamed item and per changed field."""
    rows: list[ItemChangeRecord] = []
    for pair in pairs:
        if pair.old is None:
            rows.append(_change_row("added", pair))
        elif pair.new is None:
            rows.append(_change_row("removed", pair))
        else:
            rows.extend(compare_items(pair))
    return rows


def compare_items(pair: ItemPair) -> list[ItemChangeRecord]:
    """The differences of one matched pair, in the order of schemas.diff.ITEM_FIELDS."""
    old, new = pair.old, pair.new
    assert old is not None and new is not None
    rows = []
    if old["status_mark"] != new["status_mark"]:
        rows.append(_change_row("changed", pair, "status", old["status_mark"], new["status_mark"],
                                direction(old["grade_rank"], new["grade_rank"])))
    if text_key(old["business"]) != text_key(new["business"]):
        rows.append(_change_row("renamed", pair, "business", old["business"], new["business"]))
    if old["measure_id"] != new["measure_id"]:
        rows.append(_change_row("changed", pair, "measure_id", old["measure_id"],
                                new["measure_id"]))
    if bool(old["starred"]) != bool(new["starred"]):
        rows.append(_change_row("changed", pair, "starred", "☆" if old["starred"] else None,
                                "☆" if new["starred"] else None))
    if _department_set(old["departments"]) != _department_set(new["departments"]):
        rows.append(_change_row("changed", pair, "departments", old["departments"],
                                new["departments"]))
    for field, old_column, new_column in _text_fields(old, new):
        same = (plan_carried_out(old, new) if field == "plan_vs_result"
                else text_key(old[old_column]) == text_key(new[new_column]))
        if not same:
            rows.append(_change_row("changed", pair, field, old[old_column], new[new_column]))
    return rows


def _text_fields(old: Row, new: Row) -> list[tuple[str, str, str]]:
    """(field, old column, new column): columns are set side by side by the year they speak of."""
    fields = [("change_reason", "change_reason", "change_reason")]
    if old["fiscal_year"] == new["fiscal_year"]:
        fields.append(("result", "result", "result"))
    if old["plan_next_fy"] == new["fiscal_year"]:
        fields.append(("plan_vs_result", "plan_next", "result"))
    if old["plan_next_fy"] == new["plan_next_fy"]:
        fields.append(("plan_next", "plan_next", "plan_next"))
    # 以降 plans are open-ended on both sides, so they are compared whatever their first year.
    fields.append(("plan_later", "plan_later", "plan_later"))
    return fields


def plan_carried_out(old: Row, new: Row) -> bool:
    """True when this year's result says nothing last year's plan for it did not.

    A plan of one keyword, (推進) or (継続), promises to go on, and any reported result
    keeps that promise; a written plan is kept by a result that says it in the past tense.
    """
    plan, result = text_key(old["plan_next"]), text_key(new["result"])
    if plan is None or result is None:
        return plan == result
    if old["plan_next_tag"] is not None:
        return True
    return _as_done(plan) == result


def _as_done(plan: str) -> str:
    sentences = plan.split("。")
    for index, sentence in enumerate(sentences):
        for planned, done in _DONE_ENDINGS:
            if sentence.endswith(planned):
                sentences[index] = sentence[: -len(planned)] + done
                break
    return "。".join(sentences)


def _department_set(departments: str | None) -> set[str | None]:
    return {text_key(name) for name in (departments or "").split()}


def direction(old_rank: Any, new_rank: Any) -> str | None:
    """improved or worsened, by the grades' ranks in the reports' own scale (1 = best);
    None where either grade is outside the order (not assessed)."""
    old_rank, new_rank = grade_rank(old_rank), grade_rank(new_rank)
    if old_rank is None or new_rank is None or old_rank == new_rank:
        return None
    return "improved" if new_rank < old_rank else "worsened"


def grade_rank(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _change_row(change: str, pair: ItemPair, field: str | None = None, old: Any = None,
                new: Any = None, direction: str | None = None) -> ItemChangeRecord:
    side = pair.new or pair.old
    assert side is not None
    return ItemChangeRecord(
        change=change, measure_id=side["measure_id"], business=side["business"],
        business_old=pair.old["business"] if pair.old else None, field=field,
        old=old, new=new, direction=direction,
        row_no_old=pair.old["row_no"] if pair.old else None,
        row_no_new=pair.new["row_no"] if pair.new else None)


def status_movements(pairs: list[ItemPair], ranks: dict[str, int | None]) -> pd.DataFrame:
    """Counts of items by old mark (rows) and new mark (columns), best mark first."""
    marks = [*ranks, NOT_LISTED]
    counts = pd.DataFrame(0, index=pd.Index(marks, name="old"),
                          columns=pd.Index(marks, name="new"))
    for pair in pairs:
        old = pair.old["status_mark"] if pair.old else NOT_LISTED
        new = pair.new["status_mark"] if pair.new else NOT_LISTED
        counts.loc[old, new] += 1
    return counts


def grade_scale(old: ReportFolder, new: ReportFolder, pairs: list[ItemPair]
                ) -> dict[str, int | None]:
    """Every mark of the two reports' scales and items with its rank, best first; the
    marks outside the order (not assessed) after them."""
    ranks: dict[str, int | None] = {}
    for mark, rank in (*old.grades, *new.grades):
        ranks.setdefault(mark, rank)
    for pair in pairs:
        for row in (pair.old, pair.new):
            if row is not None:
                ranks.setdefault(row["status_mark"], grade_rank(row["grade_rank"]))
    order = sorted(ranks, key=lambda mark: (ranks[mark] is None, ranks[mark] or 0, str(mark)))
    return {mark: ranks[mark] for mark in order}


# --- indicators ------------------------------------------------------------------------

def evaluations_to_changes(old: pd.DataFrame | None, new: pd.DataFrame | None
                           ) -> list[IndicatorEvaluationChangeRecord]:
    """indicator_evaluation_changes rows: an indicator graded in one report only, or graded
    otherwise, in the new report's order (then the old one's); improved or worsened by
    the grades' rank, as an item's status moves. None (a side whose evaluations were not
    read) compares nothing."""
    if old is None or new is None:
        return []
    old_rows, new_rows = _evaluations_by_key(old), _evaluations_by_key(new)
    rows = []
    for key in [*new_rows, *(key for key in old_rows if key not in new_rows)]:
        before, after = old_rows.get(key), new_rows.get(key)
        if before is not None and after is not None:
            if before["evaluation_mark"] == after["evaluation_mark"]:
                continue
            change = "changed"
        else:
            change = "added" if before is None else "removed"
        shown = after or before
        assert shown is not None
        old_rank = grade_rank(before["grade_rank"]) if before else None
        new_rank = grade_rank(after["grade_rank"]) if after else None
        rows.append(IndicatorEvaluationChangeRecord(
            goal_no=int(shown["goal_no"]), indicator=shown["indicator"], change=change,
            old_mark=before["evaluation_mark"] if before else None,
            new_mark=after["evaluation_mark"] if after else None, old_rank=old_rank,
            new_rank=new_rank, direction=direction(old_rank, new_rank),
            old_raw=before["raw"] if before else None, new_raw=after["raw"] if after else None))
    return rows


def _evaluations_by_key(frame: pd.DataFrame | None) -> dict[tuple[int, str], Row]:
    if frame is None:
        return {}
    rows = {}
    for record in frame.to_dict("records"):
        row = {column: scalar(value) for column, value in record.items()}
        rows[(int(row["goal_no"]), text_key(row["indicator"]) or "")] = row
    return rows


def diff_reports(old: ReportFolder, new: ReportFolder) -> DiffResult:
    """Every stage, in order; the tables are checked against schemas/diff.py."""
    pairs = match_items(old.items, new.items)
    item_changes = DIFF_TABLES["item_changes"].to_frame(pairs_to_item_changes(pairs))
    indicator_changes = DIFF_TABLES["indicator_changes"].to_frame(
        indicators_to_changes(old.indicators, new.indicators))
    evaluation_changes = DIFF_TABLES["indicator_evaluation_changes"].to_frame(
        evaluations_to_changes(old.evaluations, new.evaluations))
    for name, frame in (("item_changes", item_changes), ("indicator_changes", indicator_changes),
                        ("indicator_evaluation_changes", evaluation_changes)):
        DIFF_TABLES[name].model.validate(frame, lazy=True)
    matched = sum(1 for pair in pairs if pair.old is not None and pair.new is not None)
    ranks = grade_scale(old, new, pairs)
    return DiffResult(old, new, item_changes, indicator_changes, status_movements(pairs, ranks),
                      matched, ranks, evaluation_changes)

