"""Which item (or indicator cell) of one report is which of another's.

Shared by ``diff`` (one pair of reports) and ``history`` (a chain of years), so that the
two can never disagree on what counts as the same item: names are compared on one
normalised form (``text_key``), items are paired by (measure_id, name), then leftovers
by similar names within a measure, then across measures (``match_items``); indicator
values are the same when measure, name, qualifier, role and year agree, a 前年度 value
being the actual of its year printed again (``pair_indicator_values`` for a pair of
reports, ``followed_key`` along a history), and compared by value (``cell_value``).
Pure functions of frames and records; no I/O.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from pipeline.normalize.text import clean_text, unify_hyphens

Row = dict[str, Any]  # one row of a report's items or indicators table, as plain values

# Leftover rows are paired as renamed when difflib's ratio of their normalised names
# reaches this. In the seed report, two items of different measures never score above
# 0.65, while light rewordings (a particle, a qualifier, 養成 → 育成, 活用 → 導入) of names
# of 10–40 characters score 0.80–0.97. Siblings inside one measure (1期/2期 …, 0.97) are
# above any usable threshold, which is why only rows left over on both sides are paired.
RENAME_THRESHOLD = 0.75


@dataclass(frozen=True)
class ItemPair:
    """An item of the old report and its counterpart in the new one (None: not there)."""

    old: Row | None
    new: Row | None


@lru_cache(maxsize=1 << 16)  # a name is compared many times along a history
def text_key(s: Any) -> str | None:
    """A cell as compared: NFKC, dash-only → None, no whitespace, one kind of hyphen."""
    text = clean_text(s) if isinstance(s, str) else None
    return None if text is None else unify_hyphens("".join(text.split()))


def name_ratio(old_name: str, new_name: str) -> float:
    """difflib's similarity of two business names, 0–1, on their compared form."""
    return difflib.SequenceMatcher(None, text_key(old_name) or "", text_key(new_name) or "",
                                   autojunk=False).ratio()


def match_items(old_items: pd.DataFrame, new_items: pd.DataFrame,
                threshold: float = RENAME_THRESHOLD) -> list[ItemPair]:
    """Pair items by (measure_id, name), then leftovers by similar names, in report order.

    Re-listed rows are left out on both sides: they repeat a row that is compared itself.
    """
    return match_records(listed_records(old_items), listed_records(new_items), threshold)


def match_records(old_rows: list[Row], new_rows: list[Row],
                  threshold: float = RENAME_THRESHOLD) -> list[ItemPair]:
    """``match_items`` on rows already taken out of their frames (``listed_records``)."""
    pairs, old_left, new_left = _pair_same_names(old_rows, new_rows)
    for same_measure in (True, False):
        found, old_left, new_left = _pair_similar_names(old_left, new_left, threshold, same_measure)
        pairs += found
    pairs += [ItemPair(old, None) for old in old_left] + [ItemPair(None, new) for new in new_left]
    return sorted(pairs, key=_report_order)


def listed_records(items: pd.DataFrame) -> list[Row]:
    """The rows that are not re-listed (再掲), as plain records in report order."""
    listed = items[~items["is_relisted"].astype(bool)]
    return [{column: scalar(value) for column, value in record.items()}
            for record in listed.to_dict("records")]


def scalar(value: Any) -> Any:
    """Plain Python values: None for every kind of missing, int for numpy integers."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _pair_same_names(old_rows: list[Row], new_rows: list[Row]
                     ) -> tuple[list[ItemPair], list[Row], list[Row]]:
    new_by_key = _by_name_key(new_rows)
    pairs, old_left = [], []
    for key, old in _by_name_key(old_rows).items():
        new = new_by_key.pop(key, None)
        if new is None:
            old_left.append(old)
        else:
            pairs.append(ItemPair(old, new))
    return pairs, old_left, list(new_by_key.values())


def _by_name_key(rows: list[Row]) -> dict[tuple[str, str | None, int], Row]:
    # The occurrence number keeps a (wrongly) repeated name from hiding a row.
    seen: Counter[tuple[str, str | None]] = Counter()
    keyed = {}
    for row in rows:
        name = (row["measure_id"], text_key(row["business"]))
        keyed[(*name, seen[name])] = row
        seen[name] += 1
    return keyed


def _pair_similar_names(old_rows: list[Row], new_rows: list[Row], threshold: float,
                        same_measure: bool) -> tuple[list[ItemPair], list[Row], list[Row]]:
    """Best ratio first, each row used once; ties go to the earlier rows."""
    candidates = sorted(
        (-name_ratio(old["business"], new["business"]), old["row_no"], new["row_no"])
        for old in old_rows for new in new_rows
        if not same_measure or old["measure_id"] == new["measure_id"])
    old_by_no = {row["row_no"]: row for row in old_rows}
    new_by_no = {row["row_no"]: row for row in new_rows}
    pairs = []
    for negative_ratio, old_no, new_no in candidates:
        if -negative_ratio < threshold:
            break
        if old_no in old_by_no and new_no in new_by_no:
            pairs.append(ItemPair(old_by_no.pop(old_no), new_by_no.pop(new_no)))
    return pairs, list(old_by_no.values()), list(new_by_no.values())


def _report_order(pair: ItemPair) -> tuple[int, int, int, float, float]:
    # By measure, then the new report's order; a removed item goes after its measure's rows.
    side = pair.new or pair.old
    assert side is not None
    new_no = pair.new["row_no"] if pair.new else float("inf")
    old_no = pair.old["row_no"] if pair.old else float("inf")
    return side["goal_no"], side["policy_no"], side["measure_no"], new_no, old_no


# --- indicator values ------------------------------------------------------------------

def cell_value(cell: Row) -> tuple[Any, ...]:
    """What two prints of one value are compared on.

    The printed cell is not compared: "約 200 万件" and "約200万件" are the same value.
    """
    return cell["value"], cell["denominator"], bool(cell["approx"]), text_key(cell["unit"])


# --- indicator values by role ------------------------------------------------------------

# goal_no, measure_id, compared name, qualifier, kind (role), fiscal_year, occurrence
ValueKey = tuple[int, str | None, str, str | None, str, int, int]

# A value the new report prints in the first role is the old report's value in the second
# of the same year, printed again: FY2020's 前年度 (previous) for 令和元年度 is FY2019's
# 現状値 (actual) for 令和元年度.
REPORTED_AGAIN = {"previous": "actual"}


@dataclass(frozen=True)
class ValuePair:
    """An indicator value of the old report and the same value in the new one (None: not
    printed there)."""

    old: Row | None
    new: Row | None

    @property
    def shown(self) -> Row:
        """The new report's print, the old one's for a value the new one does not print."""
        cell = self.new or self.old
        assert cell is not None, "a pair of no value"
        return cell


def pair_indicator_values(old: pd.DataFrame, new: pd.DataFrame) -> list[ValuePair]:
    """Every value of either report in exactly one pair, in the new report's order, then the
    old one's leftovers.

    Values are the same when measure, indicator, role, year and qualifier agree; then a
    value left over in the new report pairs with a leftover of the old one that it prints
    again in another role (``REPORTED_AGAIN``).
    """
    old_values, new_values = indicator_values(old), indicator_values(new)
    found: dict[ValueKey, Row | None] = {key: old_values.pop(key, None) for key in new_values}
    for key, cell in found.items():
        if cell is None and key[4] in REPORTED_AGAIN:
            found[key] = old_values.pop((*key[:4], REPORTED_AGAIN[key[4]], *key[5:]), None)
    return ([ValuePair(found[key], cell) for key, cell in new_values.items()]
            + [ValuePair(cell, None) for cell in old_values.values()])


def indicator_values(indicators: pd.DataFrame) -> dict[ValueKey, Row]:
    """Each printed indicator value by ``ValueKey``, in report order; the occurrence number
    keeps a value printed twice under one key from hiding the other."""
    seen: Counter[ValueKey] = Counter()
    values = {}
    for record in indicators.to_dict("records"):
        cell = {column: scalar(value) for column, value in record.items()}
        key = value_key(cell)
        values[(*key[:6], seen[key])] = cell
        seen[key] += 1
    return values


def followed_key(cell: Row) -> tuple[int, str | None, str, str | None, str, int]:
    """The value a print is of, along many reports: its ``value_key`` with the role it
    was first printed in (a 前年度 print is of its year's actual)."""
    key = value_key(cell)
    return (*key[:4], REPORTED_AGAIN.get(key[4], key[4]), key[5])


def value_key(cell: Row) -> ValueKey:
    """A value's key, occurrence 0; a frame without measure_id or qualifier has none."""
    return (cell["goal_no"], cell.get("measure_id"), text_key(cell["indicator"]) or "",
            text_key(cell.get("qualifier")), str(cell["kind"]), cell["fiscal_year"], 0)
