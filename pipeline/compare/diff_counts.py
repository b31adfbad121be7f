"""A diff in numbers: items per kind of change, changed fields, indicators and their
values added, removed and revised, evaluations improved and worsened. The pages'
sections (``diff_sections``) and the summary lines (``diff_report``) count with these.
"""

from __future__ import annotations

import pandas as pd

from pipeline.compare.diff import DiffResult
from pipeline.compare.diff_indicators import value_changes
from pipeline.compare.matching import text_key


def item_counts(result: DiffResult) -> dict[str, int]:
    """Items per kind of change; an item with several changed fields counts once."""
    changes = result.item_changes
    pairs = changes[changes["change"].isin(["renamed", "changed"])][["row_no_old", "row_no_new"]]
    changed = changes[changes["change"] == "changed"][["row_no_old", "row_no_new"]]
    counts = {kind: int((changes["change"] == kind).sum())
              for kind in ("added", "removed", "renamed")}
    return counts | {"changed": len(changed.drop_duplicates()),
                     "unchanged": result.matched - len(pairs.drop_duplicates())}


def has_items(result: DiffResult) -> bool:
    """False for two reports without a table of business items (indicator-only reports):
    their pages say so once instead of showing empty item sections."""
    return not (result.old.items.empty and result.new.items.empty)


def has_evaluations(result: DiffResult) -> bool:
    """True where either report grades its indicators (indicator_evaluations rows)."""
    return any(side.evaluations is not None and not side.evaluations.empty
               for side in (result.old, result.new))


def field_counts(result: DiffResult) -> list[tuple[str, int]]:
    """Changed items per field, fields in the order their first change is listed;
    a field no item changed in is left out."""
    changed = result.item_changes[result.item_changes["change"] == "changed"]
    counts = changed["field"].value_counts(sort=False)
    return [(str(field), int(n)) for field, n in counts.items() if n]


def evaluation_counts(result: DiffResult) -> dict[str, int]:
    """Indicators whose evaluation improved or worsened (by the scale's rank), moved
    without a rank to compare, or were graded in one report only."""
    changes = result.evaluation_changes
    if changes is None:
        changes = pd.DataFrame(columns=["change", "direction"])
    moved = changes[changes["change"] == "changed"]
    return {"improved": int((moved["direction"] == "improved").sum()),
            "worsened": int((moved["direction"] == "worsened").sum()),
            "unranked": int(moved["direction"].isna().sum()),
            "added": int((changes["change"] == "added").sum()),
            "removed": int((changes["change"] == "removed").sum())}


def indicator_counts(result: DiffResult) -> dict[str, int]:
    """Indicators new to the report and no longer in it, then the value cells added,
    removed and revised with the number of indicators they belong to: a value cell is not
    an indicator (one indicator prints a baseline, actuals and a target)."""
    listed = [{(int(goal), text_key(name))
               for goal, name in zip(side.indicators["goal_no"], side.indicators["indicator"])}
              for side in (result.old, result.new)]
    changes = value_changes(result.indicator_changes)
    counts = {"new": len(listed[1] - listed[0]), "gone": len(listed[0] - listed[1])}
    for kind in ("added", "removed", "revised"):
        cells = changes[changes["change"] == kind]
        keys = {(int(goal), text_key(name)) for goal, name in zip(cells["goal_no"], cells["indicator"])}
        counts |= {f"{kind}_values": len(cells), kind: len(keys)}
    return counts
