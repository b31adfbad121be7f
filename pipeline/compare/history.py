"""Many years of one plan: a key for every item that survives the years, and panel tables.

Stages, pure like the diff's (reports in, records or frames out): ``chain_items`` walks
the reports year by year, pairing each year's items with the year before by the diff's
own matching (pipeline/compare/matching.py) and carrying keys forward; ``items_over_years``
sums up each key; ``indicator_prints`` keeps every printed indicator value with the
report that printed it; ``history_changes`` lists what changed between consecutive
years, for the page. ``build_history`` calls them in order. Choosing one report per
year, reading and writing are ``history_run.py``'s.

An item's key is made when it is first seen: ``<fiscal year>-<measure id>-<place>``,
the place being its position among that measure's (not re-listed) items in that report,
e.g. ``2023-1-1-②-05``. It depends only on the reports' contents, never on their
order, file names or the machine.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.compare.diff import direction, grade_rank
from pipeline.compare.folder import ReportFolder
from pipeline.errors import InputError
from pipeline.compare.matching import (
    ItemPair,
    Row,
    cell_value,
    followed_key,
    listed_records,
    match_records,
    scalar,
    text_key,
)
from schemas.records import (
    HistoryItemRecord,
    IndicatorEvaluationHistoryRecord,
    IndicatorHistoryRecord,
    ItemHistoryRecord,
)
from schemas.registry import HISTORY_TABLES
from schemas.vocabulary import KINDS

NAME_SEPARATOR = " → "  # between the names (and measure ids) an item has had
_YEARS_IN = {"exceeded": "years_exceeded", "on_schedule": "years_on_schedule",
             "delayed": "years_delayed", "not_started": "years_not_started"}


@dataclass(frozen=True)
class Change:
    """One thing that changed for one item between two consecutive reports."""

    fiscal_year: int  # the later report's year
    previous_fiscal_year: int
    item_key: str
    kind: str  # appeared, disappeared, renamed, moved, improved, worsened
    measure_id: str
    business: str
    old: str | None  # the previous name, measure id or mark
    new: str | None
    row_no_old: int | None
    row_no_new: int | None


@dataclass(frozen=True)
class HistoryResult:
    reports: tuple[ReportFolder, ...]  # oldest first, one per fiscal year
    item_history: pd.DataFrame
    items: pd.DataFrame
    indicator_history: pd.DataFrame
    left_out: tuple[tuple[str, str], ...] = ()  # (report left out, the report of its year kept)
    indicator_evaluation_history: pd.DataFrame | None = None


# --- item keys -------------------------------------------------------------------------

def by_fiscal_year(reports: list[ReportFolder]) -> list[ReportFolder]:
    """Oldest first; two reports of one year are an error (history_run chooses first)."""
    years = Counter(report.fiscal_year for report in reports)
    twice = sorted(year for year, n in years.items() if n > 1)
    if twice:
        ids = sorted(r.report_id for r in reports if r.fiscal_year == twice[0])
        raise InputError(f"{', '.join(ids)}: {len(ids)} reports of FY{twice[0]}; "
                         "a history takes one report per fiscal year.")
    return sorted(reports, key=lambda report: report.fiscal_year)


def new_keys(fiscal_year: int, listed: list[Row], rows: list[Row]) -> dict[int, str]:
    """Keys for rows first seen in this report, by row_no: year, measure id, place.

    ``listed`` is every listed (not re-listed) row of the report, in report order.
    """
    places: Counter[str] = Counter()
    keys = {}
    for row in listed:
        places[row["measure_id"]] += 1
        keys[row["row_no"]] = f"{fiscal_year}-{row['measure_id']}-{places[row['measure_id']]:02d}"
    return {row["row_no"]: keys[row["row_no"]] for row in rows}


def chain_items(reports: list[ReportFolder]) -> list[ItemHistoryRecord]:
    """item_history rows: every listed item of every report, with its carried key."""
    rows: list[ItemHistoryRecord] = []
    previous: list[Row] | None = None
    previous_keys: dict[int, str] = {}
    for report in reports:
        listed = listed_records(report.items)
        if previous is None:
            pairs = [ItemPair(None, row) for row in listed]
        else:
            pairs = [pair for pair in match_records(previous, listed) if pair.new]
        fresh = new_keys(report.fiscal_year, listed,
                         [pair.new for pair in pairs if pair.old is None and pair.new])
        keys = {}
        for pair in pairs:
            assert pair.new is not None
            key = fresh[pair.new["row_no"]] if pair.old is None else previous_keys[pair.old["row_no"]]
            keys[pair.new["row_no"]] = key
            rows.append(_history_row(report, pair, key, first=previous is None))
        previous, previous_keys = listed, keys
    return sorted(rows, key=lambda row: (row.fiscal_year, row.row_no))


def _history_row(report: ReportFolder, pair: ItemPair, key: str, first: bool
                 ) -> ItemHistoryRecord:
    new, old = pair.new, pair.old
    assert new is not None
    renamed = old is not None and text_key(old["business"]) != text_key(new["business"])
    moved = old is not None and old["measure_id"] != new["measure_id"]
    change = ("first" if first else "new" if old is None
              else "renamed_moved" if renamed and moved else "renamed" if renamed
              else "moved" if moved else "same")
    old_mark = old["status_mark"] if old else None
    direction = None
    old_rank, new_rank = (old["grade_rank"], new["grade_rank"]) if old else (None, None)
    if old_rank is not None and new_rank is not None and old_rank != new_rank:  # 1 is the best
        direction = "improved" if new_rank < old_rank else "worsened"
    return ItemHistoryRecord(
        item_key=key, fiscal_year=report.fiscal_year, report_id=report.report_id,
        row_no=new["row_no"], measure_id=new["measure_id"], business=new["business"],
        status_mark=new["status_mark"], status=new["status"],
        departments=new["departments"], change=change,
        previous_measure_id=old["measure_id"] if moved and old else None,
        previous_business=old["business"] if renamed and old else None,
        previous_status_mark=old_mark, status_change=direction)


# --- one row per item ------------------------------------------------------------------

def items_over_years(item_history: pd.DataFrame, last_year: int) -> list[HistoryItemRecord]:
    """items rows: each key's years, names, measure ids and statuses, oldest key first."""
    lives: dict[str, list[Row]] = {}
    ordered = item_history.sort_values(["fiscal_year", "row_no"], kind="stable")
    for record in ordered.to_dict("records"):
        row = {column: scalar(value) for column, value in record.items()}
        lives.setdefault(row["item_key"], []).append(row)
    records = []
    for key, rows in lives.items():
        last = rows[-1]
        statuses = Counter(row["status"] for row in rows)
        records.append(HistoryItemRecord(
            item_key=key, first_fiscal_year=rows[0]["fiscal_year"],
            last_fiscal_year=last["fiscal_year"], years_listed=len(rows),
            measure_id=last["measure_id"], business=last["business"],
            names=NAME_SEPARATOR.join(_distinct_runs([row["business"] for row in rows])),
            measure_ids=NAME_SEPARATOR.join(_distinct_runs([row["measure_id"] for row in rows])),
            latest_status_mark=last["status_mark"], latest_status=last["status"],
            **{column: statuses[status] for status, column in _YEARS_IN.items()},
            disappeared=last["fiscal_year"] != last_year))
    return records


def _distinct_runs(values: list[str]) -> list[str]:
    """Values in order, a repeat of the one before left out (compared as text_key)."""
    kept: list[str] = []
    for value in values:
        if not kept or text_key(kept[-1]) != text_key(value):
            kept.append(value)
    return kept


# --- indicators ------------------------------------------------------------------------

def indicator_prints(reports: list[ReportFolder]) -> list[IndicatorHistoryRecord]:
    """indicator_history rows: every printed value, with whether a later report revised it.

    Values are the diff's: a print is of the value its measure, name, qualifier, role and
    year say, a 前年度 print being of its year's actual (``followed_key``), and prints are
    compared by ``cell_value``. The latest print is the newest report's that prints a
    number; a later — (the table no longer shows the year with a figure) does not replace one.
    """
    prints: dict[tuple, list[Row]] = {}
    for report in reports:
        for record in report.indicators.to_dict("records"):
            cell = {column: scalar(value) for column, value in record.items()}
            prints.setdefault(followed_key(cell), []).append(cell | {
                "report_id": report.report_id, "report_fiscal_year": report.fiscal_year})
    rows = []
    for key in _indicator_order(prints):
        rows += _cell_rows(key[4], prints[key])
    return rows


def _indicator_order(prints: dict[tuple, list[Row]]) -> list[tuple]:
    """Goal, the indicator's first place in any report (oldest report first) and its
    qualifier's (小 before 中 as printed), the role it is followed under (baseline, actual,
    target), year."""
    place: dict[tuple[int, str, str | None], int] = {}
    for key in prints:
        place.setdefault((key[0], key[2], key[3]), len(place))
    return sorted(prints, key=lambda k: (k[0], place[(k[0], k[2], k[3])],
                                         KINDS.index(k[4]) if k[4] in KINDS else len(KINDS),
                                         k[5]))


def _cell_rows(value_kind: str, prints: list[Row]) -> list[IndicatorHistoryRecord]:
    numbered = [cell for cell in prints if cell["value"] is not None]
    latest = (numbered or prints)[-1]
    rows, before = [], None
    for cell in prints:
        revised = (cell["value"] is not None and before is not None
                   and cell_value(before) != cell_value(cell))
        rows.append(IndicatorHistoryRecord(
            goal_no=cell["goal_no"], indicator=cell["indicator"], qualifier=cell.get("qualifier"),
            kind=str(cell["kind"]),
            value_kind=value_kind, value_fiscal_year=cell["fiscal_year"], fiscal_year=cell["report_fiscal_year"],
            report_id=cell["report_id"], value=cell["value"], unit=cell["unit"],
            approx=bool(cell["approx"]), denominator=cell["denominator"], raw=cell["raw"],
            latest=cell is latest, revised=revised,
            previous_value=before["value"] if revised and before else None))
        if cell["value"] is not None:
            before = cell
    return rows


# --- changes between consecutive years -------------------------------------------------

def history_changes(item_history: pd.DataFrame) -> list[Change]:
    """What the diff of each consecutive pair of years says about items, from the panel:
    appeared, disappeared, renamed, moved, and status improved or worsened."""
    by_year: dict[int, dict[str, Row]] = {}
    for record in item_history.to_dict("records"):
        row = {column: scalar(value) for column, value in record.items()}
        by_year.setdefault(row["fiscal_year"], {})[row["item_key"]] = row
    years = sorted(by_year)
    changes: list[Change] = []
    for before, year in zip(years, years[1:]):
        old, new = by_year[before], by_year[year]
        for key, row in new.items():
            changes += _row_changes(before, year, key, old.get(key), row)
        changes += [Change(year, before, key, "disappeared", row["measure_id"], row["business"],
                           None, None, row["row_no"], None)
                    for key, row in old.items() if key not in new]
    return changes


def _row_changes(before: int, year: int, key: str, old: Row | None, new: Row
                 ) -> list[Change]:
    def change(kind: str, old_value: Any = None, new_value: Any = None) -> Change:
        return Change(year, before, key, kind, new["measure_id"], new["business"], old_value,
                      new_value, None if old is None else old["row_no"], new["row_no"])

    if old is None:
        return [change("appeared")]
    found = []
    if new["change"] in ("renamed", "renamed_moved"):
        found.append(change("renamed", old["business"], new["business"]))
    if new["change"] in ("moved", "renamed_moved"):
        found.append(change("moved", old["measure_id"], new["measure_id"]))
    if new["status_change"] is not None:
        found.append(change(str(new["status_change"]), str(old["status_mark"]),
                            str(new["status_mark"])))
    return found


def build_history(reports: list[ReportFolder]) -> HistoryResult:
    """Every stage, in order; the tables are checked against schemas/history.py."""
    ordered = by_fiscal_year(reports)
    if not ordered:
        raise InputError("no reports to follow.")
    item_history = HISTORY_TABLES["item_history"].to_frame(chain_items(ordered))
    items = HISTORY_TABLES["items"].to_frame(
        items_over_years(item_history, ordered[-1].fiscal_year))
    indicator_history = HISTORY_TABLES["indicator_history"].to_frame(indicator_prints(ordered))
    evaluation_history = HISTORY_TABLES["indicator_evaluation_history"].to_frame(
        evaluations_over_years(ordered))
    for name, frame in (("item_history", item_history), ("items", items),
                        ("indicator_history", indicator_history),
                        ("indicator_evaluation_history", evaluation_history)):
        HISTORY_TABLES[name].model.validate(frame, lazy=True)
    return HistoryResult(tuple(ordered), item_history, items, indicator_history,
                         indicator_evaluation_history=evaluation_history)


def evaluations_over_years(reports: list[ReportFolder]) -> list[IndicatorEvaluationHistoryRecord]:
    """indicator_evaluation_history rows: each report's evaluations, oldest report first,
    each with the grade the latest earlier report printed for the same indicator (goal
    number and name) and the move from it by rank."""
    rows: list[IndicatorEvaluationHistoryRecord] = []
    before: dict[tuple[int, str], Row] = {}
    for report in reports:
        if report.evaluations is None:
            continue
        now = {}
        for record in report.evaluations.to_dict("records"):
            row = {column: scalar(value) for column, value in record.items()}
            key = (int(row["goal_no"]), text_key(row["indicator"]) or "")
            previous = before.get(key)
            rank = grade_rank(row["grade_rank"])
            rows.append(IndicatorEvaluationHistoryRecord(
                goal_no=key[0], indicator=row["indicator"], fiscal_year=report.fiscal_year,
                report_id=report.report_id, evaluation_mark=row["evaluation_mark"],
                grade_rank=rank, status=row["status"], raw=row["raw"],
                previous_mark=previous["evaluation_mark"] if previous else None,
                direction=direction(grade_rank(previous["grade_rank"]), rank) if previous else None))
            now[key] = row
        before.update(now)
    return rows
