"""The diff of two reports' indicator values, by role: every value of either report in
exactly one row of indicator_changes.

``pair_indicator_values`` (pipeline/compare/matching.py) says which value is which; this
module says what became of each pair (``value_change``) and reads each new actual against
the year before and its target (``_indicator_row``). Pure: frames in, records out.
"""

from __future__ import annotations

import pandas as pd

from pipeline.compare.matching import (
    REPORTED_AGAIN,
    ValuePair,
    cell_value,
    pair_indicator_values,
    value_key,
)
from schemas.diff import INDICATOR_VALUE_CHANGES
from schemas.records import IndicatorChangeRecord
from schemas.vocabulary import KINDS

# goal_no, measure_id, compared name, qualifier: one indicator's values of one qualifier
Scope = tuple[int, str | None, str, str | None]
# The roles whose value is a figure measured in its year (not a target).
MEASURED = ("baseline", "previous", "actual")


def indicators_to_changes(old: pd.DataFrame, new: pd.DataFrame) -> list[IndicatorChangeRecord]:
    """indicator_changes rows: one per pair of values (unchanged or revised) and per value of
    one report only (added, removed, rolled_off), by indicator, qualifier, role and year."""
    pairs = pair_indicator_values(old, new)
    first_shown: dict[tuple[Scope, str], int] = {}
    for pair in pairs:
        if pair.new is not None:
            key = value_key(pair.new)
            first_shown[(key[:4], key[4])] = min(key[5], first_shown.get((key[:4], key[4]), key[5]))
    figures = _figures(pairs)
    return [_indicator_row(pair, value_change(pair, first_shown), figures)
            for pair in _in_order(pairs)]


def value_change(pair: ValuePair, first_shown: dict[tuple[Scope, str], int]) -> str:
    """unchanged or revised (a pair), added (new only), removed (old only), or rolled_off:
    a value of a year before the first the new report prints in that role, so the table
    moved on a year and nobody withdrew it."""
    if pair.old is not None and pair.new is not None:
        return "unchanged" if cell_value(pair.old) == cell_value(pair.new) else "revised"
    if pair.old is None:
        return "added"
    key = value_key(pair.old)
    return "rolled_off" if key[5] < first_shown.get((key[:4], key[4]), key[5]) else "removed"


def value_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The rows of indicator_changes that change something: added, removed or revised with a
    figure on one side at least (a cell printing only — that comes or goes says nothing)."""
    changed = changes["change"].isin(INDICATOR_VALUE_CHANGES)
    return changes[changed & (changes["old_value"].notna() | changes["new_value"].notna())]


def _in_order(pairs: list[ValuePair]) -> list[ValuePair]:
    """Goal, the indicator's place in the new report (the old one's if gone), its qualifier's
    place, role in the order printed (baseline, previous, actual, target), year."""
    keys = {id(pair): value_key(pair.shown) for pair in pairs}
    place: dict[tuple[int, str], int] = {}
    qualifier_place: dict[Scope, int] = {}
    for key in keys.values():
        place.setdefault((key[0], key[2]), len(place))
        qualifier_place.setdefault(key[:4], len(qualifier_place))

    def order(pair: ValuePair) -> tuple[int, int, int, int, int]:
        key = keys[id(pair)]
        role = KINDS.index(key[4]) if key[4] in KINDS else len(KINDS)
        return key[0], place[(key[0], key[2])], qualifier_place[key[:4]], role, key[5]

    return sorted(pairs, key=order)


def _figures(pairs: list[ValuePair]) -> dict[Scope, dict[tuple[str, int], float]]:
    """Each indicator's figures by (role, year), a value printed again in another role under
    the role it was first printed in; the newer print counts where it prints a number."""
    figures: dict[Scope, dict[tuple[str, int], float]] = {}
    for side in ("old", "new"):
        for pair in pairs:
            cell = getattr(pair, side)
            if cell is None or cell["value"] is None:
                continue
            key = value_key(cell)
            figures.setdefault(key[:4], {})[(REPORTED_AGAIN.get(key[4], key[4]), key[5])] = (
                cell["value"])
    return figures


def _scope_figures(figures: dict[Scope, dict[tuple[str, int], float]], scope: Scope
                   ) -> dict[tuple[str, int], float]:
    """The figures of a qualified value (小) over those its indicator prints once for all
    its qualifiers (a target of 100% for 小 and 中)."""
    return figures.get((*scope[:3], None), {}) | figures.get(scope, {})


def better_direction(figures: dict[tuple[str, int], float]) -> str | None:
    """Which way is better: "lower" where the final target lies below the first measured
    figure (文書量, 事故件数), else "higher".

    Reports do not say which way is good; the plan's own target does, against its baseline
    or, without one, its first actual. None when the indicator has no figure or no target
    yet, or the two are equal.
    """
    measured = [(year, MEASURED.index(role), value) for (role, year), value in figures.items()
                if role in MEASURED]
    targets = [(year, value) for (role, year), value in figures.items() if role == "target"]
    if not measured or not targets:
        return None
    first, final = min(measured)[2], max(targets)[1]
    return None if first == final else "lower" if final < first else "higher"


def _shared_direction(figures: dict[Scope, dict[tuple[str, int], float]], scope: Scope
                      ) -> str | None:
    """For a value printed once for all its qualifiers (a target of 100% for 小 and 中),
    the direction its qualified values agree on; None if they do not or there are none."""
    if scope[3] is not None:
        return None
    found = {better_direction(_scope_figures(figures, other)) for other in figures
             if other[:3] == scope[:3] and other[3] is not None}
    return found.pop() if len(found) == 1 else None


def _target(figures: dict[tuple[str, int], float], year: int) -> tuple[int, float] | None:
    """The target of ``year``, else the nearest later one printed (the plan's final target)."""
    later = [(target_year, value) for (role, target_year), value in figures.items()
             if role == "target" and target_year >= year]
    return min(later) if later else None


def _indicator_row(pair: ValuePair, change: str,
                   figures: dict[Scope, dict[tuple[str, int], float]]) -> IndicatorChangeRecord:
    shown = pair.shown
    key = value_key(shown)
    scope, kind, year = key[:4], key[4], key[5]
    own = _scope_figures(figures, scope)
    better = better_direction(own) or _shared_direction(figures, scope)
    value = pair.new["value"] if pair.new else None
    previous = target = met = None
    if kind == "actual":
        previous = own.get(("actual", year - 1))
        target = _target(own, year)
    if target is not None and value is not None and better is not None:
        met = value >= target[1] if better == "higher" else value <= target[1]
    return IndicatorChangeRecord(
        goal_no=key[0], measure_id=key[1], indicator=shown["indicator"],
        qualifier=shown.get("qualifier"), kind=kind,
        old_kind=str(pair.old["kind"]) if pair.old else None, fiscal_year=year, change=change,
        old_value=pair.old["value"] if pair.old else None, new_value=value, unit=shown["unit"],
        old_raw=pair.old["raw"] if pair.old else None,
        new_raw=pair.new["raw"] if pair.new else None, previous_actual=previous,
        target_value=target[1] if target else None,
        target_fiscal_year=target[0] if target else None, better=better, met_target=met)
