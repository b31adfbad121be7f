"""The sections of a diff's pages, as cells: what summary.md and summary.html say before
it is Markdown or HTML (``diff_report`` renders them) — the counts, the status
movements, the items moved, added, removed and renamed, the other changed fields, last
year's plans beside this year's results, the evaluations and the indicator values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.compare.diff import NOT_LISTED, DiffResult, direction
from pipeline.compare.diff_counts import (
    evaluation_counts,
    field_counts,
    has_evaluations,
    has_items,
    item_counts,
)
from pipeline.compare.diff_indicators import value_changes
from pipeline.compare.matching import REPORTED_AGAIN, RENAME_THRESHOLD, scalar, text_key, value_key
from pipeline.compare.page_words import era_label, header, words, year_label
from schemas.vocabulary import MARK_ORDER

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")  # a figure as a cell prints it: 1,234 or 97.0


@dataclass(frozen=True)
class Delta:
    """A value shown as old → new; the HTML marks deleted and inserted text in place."""

    old: str | None
    new: str | None


@dataclass(frozen=True)
class Compared:
    """Last year's plan beside this year's result: two cells, the result's own changes
    marked within it (a plan is not "deleted" by its result, so it is never struck through)."""

    before: str | None
    after: str | None


@dataclass(frozen=True)
class Marked:
    """A cell to highlight: improved, worsened, added or removed."""

    text: str
    mark: str


Cell = str | Delta | Compared | Marked


@dataclass(frozen=True)
class Section:
    """One section of the pages: its title, its table's header and rows, and a note."""

    key: str  # the HTML section's id
    title: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]
    note: str = ""


def build_sections(result: DiffResult, lang: str = "ja") -> list[Section]:
    """Every section of summary.md and summary.html, in reading order, in ``lang``."""
    items = [_counts_section(result, lang), _fields_section(result, lang),
             _status_section(result, lang), *_moved_sections(result, lang),
             *_listed_sections(result, lang), _renamed_section(result, lang),
             _other_changes_section(result, lang), _plans_section(result, lang)]
    evaluations = (_evaluation_sections(result, lang) if has_evaluations(result) else [])
    return [*(items if has_items(result) else []), *evaluations,
            _actuals_section(result, lang), _indicator_values_section(result, lang)]


def _counts_section(result: DiffResult, lang: str) -> Section:
    said = words(lang)
    rows = [(said[f"change.{kind}"], str(count)) for kind, count in item_counts(result).items()]
    return Section("counts", said["counts.title"], header(lang, "counts.header"), rows,
                   said["counts.note"].format(matched=result.matched))


def _fields_section(result: DiffResult, lang: str) -> Section:
    said = words(lang)
    return Section("fields", said["fields.title"], header(lang, "fields.header"),
                   [(said[f"field.{field}"], str(n)) for field, n in field_counts(result)])


def _status_section(result: DiffResult, lang: str) -> Section:
    movements = result.status_movements
    marks = list(movements.index)
    rows = []
    for old in marks:
        cells: list[Cell] = [old]
        for new in marks:
            count = int(movements.loc[old, new])
            mark = ("added" if old == NOT_LISTED else "removed" if new == NOT_LISTED
                    else direction(result.ranks.get(old), result.ranks.get(new)))
            cells.append(Marked(str(count), mark) if count and mark else str(count))
        rows.append(tuple(cells))
    said = words(lang)
    corner = (f"{year_label(result.old.fiscal_year, lang)} ＼ "
              f"{year_label(result.new.fiscal_year, lang)}",)
    note = said["status.note"].format(old=era_label(result.old.fiscal_year, lang),
                                      new=era_label(result.new.fiscal_year, lang),
                                      missing=NOT_LISTED)
    return Section("status", said["status.title"], corner + tuple(marks), rows,
                   f"{note} {_grade_legend(result, lang)}")


def _grade_legend(result: DiffResult, lang: str) -> str:
    """What each mark means, in the report's own words (its status counts' labels)."""
    printed = dict(result.old.grade_words) | dict(result.new.grade_words)
    if lang == "en" and set(result.ranks) <= set(MARK_ORDER):
        return ", ".join(f"{mark} {words(lang)['status.' + status]}" for mark, status in
                         zip(MARK_ORDER, ("exceeded", "on_schedule", "delayed", "not_started"))) + "."
    if not printed:
        return words(lang)["status.note.scale"]
    shown = "、" if lang == "ja" else ", "
    return shown.join(f"{mark} {printed[mark]}" for mark in result.ranks if mark in printed) + (
        "。" if lang == "ja" else ".") + " " + words(lang)["status.note.scale"]


def _moved_sections(result: DiffResult, lang: str) -> list[Section]:
    status = result.item_changes[result.item_changes["field"] == "status"]
    items = result.new.items.set_index("row_no")
    sections = []
    for direction in ("worsened", "improved"):
        rows = [(change.measure_id, change.business,
                 Marked(f"{change.old} → {change.new}", direction),
                 _optional(items.loc[change.row_no_new, "change_reason"]) or "—",
                 _optional(items.loc[change.row_no_new, "result"]) or "—")
                for change in status[status["direction"] == direction].itertuples()]
        sections.append(Section(direction, words(lang)[f"{direction}.title"],
                                header(lang, "moved.header"), rows))
    return sections


def _listed_sections(result: DiffResult, lang: str) -> list[Section]:
    """Added items with their status now, removed ones with their status last year."""
    sections = []
    for kind, side, row_no in (("added", result.new, "row_no_new"),
                               ("removed", result.old, "row_no_old")):
        items = side.items.set_index("row_no")
        listed = result.item_changes[result.item_changes["change"] == kind]
        rows = [(change.measure_id, Marked(change.business, kind),
                 str(items.loc[getattr(change, row_no), "status_mark"]),
                 _text(items.loc[getattr(change, row_no), "departments"]))
                for change in listed.itertuples()]
        sections.append(Section(kind, words(lang)[f"{kind}.title"],
                                header(lang, f"{kind}.header"), rows))
    return sections


def _renamed_section(result: DiffResult, lang: str) -> Section:
    changes = result.item_changes
    moves = changes[changes["field"] == "measure_id"].set_index(["row_no_old", "row_no_new"])
    rows = []
    for change in changes[changes["change"] == "renamed"].itertuples():
        key = (change.row_no_old, change.row_no_new)
        # A measure id is a symbol: a character diff of 2-5-① and 2-5-② would read as noise.
        moved = f"{moves.loc[key, 'old']} → " if key in moves.index else ""
        rows.append((moved + change.measure_id, _delta(change.old, change.new)))
    said = words(lang)
    return Section("renamed", said["renamed.title"], header(lang, "renamed.header"), rows,
                   said["renamed.note"].format(threshold=RENAME_THRESHOLD))


def _other_changes_section(result: DiffResult, lang: str) -> Section:
    changes = result.item_changes
    renamed = changes[changes["change"] == "renamed"]
    renamed_pairs = set(zip(renamed["row_no_old"], renamed["row_no_new"]))
    said = words(lang)
    rows = [(change.measure_id, change.business, said[f"field.{change.field}"],
             _delta(change.old, change.new))
            for change in changes[changes["change"] == "changed"].itertuples()
            if change.field not in ("status", "plan_vs_result")  # they have their own sections
            and not (change.field == "measure_id"
                     and (change.row_no_old, change.row_no_new) in renamed_pairs)]
    return Section("other", said["other.title"], header(lang, "other.header"), rows,
                   said["other.note"])


def _plans_section(result: DiffResult, lang: str) -> Section:
    plans = result.item_changes[result.item_changes["field"] == "plan_vs_result"]
    rows = [(change.measure_id, change.business,
             Compared(_optional(change.old), _optional(change.new)))
            for change in plans.itertuples()]
    said = words(lang)
    return Section("plans", said["plans.title"].format(year=era_label(result.new.fiscal_year, lang)),
                   header(lang, "plans.header"), rows, said["plans.note"])

def _evaluation_sections(result: DiffResult, lang: str) -> list[Section]:
    """The evaluations' counts, then each indicator whose evaluation changed: marks as
    printed (前進B → 達成A), the legend's meaning of each mark in the note."""
    said = words(lang)
    counts = Section("evaluation-counts", said["evaluations.counts.title"],
                     header(lang, "evaluations.counts.header"),
                     [(said[f"evaluations.{kind}"], str(count))
                      for kind, count in evaluation_counts(result).items()
                      if count or kind != "unranked"])
    measures, meanings = evaluation_context((result.old.evaluations,
                                              result.new.evaluations))
    changes = result.evaluation_changes
    rows = []
    for change in ([] if changes is None else changes.itertuples()):
        kind = (change.change if change.change != "changed"
                 else change.direction if isinstance(change.direction, str) else "unranked")
        word = said[f"evaluations.{kind}"]
        rows.append((measures.get((int(change.goal_no), text_key(change.indicator)), ""),
                     change.indicator, _text(change.old_raw) or "—", _text(change.new_raw) or "—",
                     word if kind == "unranked" else Marked(word, kind)))
    legend = said["list.separator"].join(f"{mark} {label}" for mark, label in meanings.items())
    note = said["evaluations.note"] + (f" {said['evaluations.legend']}{legend}"
                                       + said["sentence.end"] if legend else "")
    return [counts, Section("evaluations", said["evaluations.title"],
                            header(lang, "evaluations.header"), rows, note)]


def evaluation_context(frames: Iterable[pd.DataFrame | None]
                       ) -> tuple[dict[tuple[int, str | None], str], dict[str, str]]:
    """Each graded indicator's measure (the last frame's where several grade it), and each
    mark as printed (達成A) with its meaning from the reports' legends, best first."""
    measures: dict[tuple[int, str | None], str] = {}
    meanings: dict[tuple[float, str], str] = {}
    for frame in frames:
        if frame is None:
            continue
        for row in frame.to_dict("records"):
            if isinstance(row.get("measure_id"), str):
                measures[(int(row["goal_no"]), text_key(row["indicator"]))] = row["measure_id"]
            if isinstance(row.get("label"), str):
                rank = row["grade_rank"]
                meanings[(float("inf") if pd.isna(rank) else float(rank),
                          str(row["raw"]))] = row["label"]
    return measures, {mark: label for (_, mark), label in sorted(meanings.items())}


def _actuals_section(result: DiffResult, lang: str) -> Section:
    changes = value_changes(result.indicator_changes)
    year = result.new.fiscal_year
    printed = _printed_cells(result)
    said = words(lang)
    rows = []
    for row in changes[(changes["kind"] == "actual") & (changes["fiscal_year"] == year)
                       ].itertuples():
        scope = (int(row.goal_no), _optional(row.measure_id), text_key(row.indicator),
                 text_key(row.qualifier))
        target = ""
        if not pd.isna(row.target_fiscal_year):
            target_year = int(row.target_fiscal_year)
            target = (printed.get((*scope, "target", target_year))
                      or printed.get((*scope[:3], None, "target", target_year), ""))
            if target and target_year != year:
                target = said["actuals.target"].format(value=target,
                                                       year=era_label(target_year, lang))
        rows.append((str(row.goal_no), _shown_name(row),
                     _shown_value(row.new_raw, row.new_value, row.qualifier, row.unit),
                     printed.get((*scope, "actual", year - 1), ""), _movement(row), target,
                     _met(row.met_target, lang)))
    return Section("actuals", said["actuals.title"].format(year=era_label(year, lang)),
                   header(lang, "actuals.header"), rows, said["actuals.note"])


def _printed_cells(result: DiffResult) -> dict[tuple[Any, ...], str]:
    """Indicator values as printed ("約 200 万件", "0/15") by goal, measure, name, qualifier,
    role and year, the new report's where both print one; a value printed again in another
    role (前年度) under the role it was first printed in (actual)."""
    cells = {}
    for side in (result.old, result.new):
        for record in side.indicators.to_dict("records"):
            cell = {column: scalar(value) for column, value in record.items()}
            key = value_key(cell)
            cells[(*key[:4], REPORTED_AGAIN.get(key[4], key[4]), key[5])] = _shown_value(
                cell["raw"], cell["value"], cell.get("qualifier"), cell["unit"])
    return cells


def _shown_name(row: Any) -> str:
    """The indicator as a page names one of its values: with its qualifier, 整備率(小)."""
    qualifier = _optional(row.qualifier)
    return f"{row.indicator}({qualifier})" if qualifier else str(row.indicator)


def _shown_value(raw: object, value: object, qualifier: object, unit: object) -> str:
    """A value as printed; one of a cell's several values (97.0%(小) 98.2%(中)) as its
    figure as the cell prints it, and its unit, since the printed cell holds them all."""
    if _optional(qualifier) is None or not isinstance(value, (int, float)) or pd.isna(value):
        return _text(raw)
    printed = [number for number in _NUMBER.findall(_text(raw))
               if float(number.replace(",", "")) == value]
    return (printed[0] if printed else _number(float(value))) + _text(unit)


def _indicator_values_section(result: DiffResult, lang: str) -> Section:
    changes = value_changes(result.indicator_changes)
    new_actuals = (changes["kind"] == "actual") & (changes["fiscal_year"] == result.new.fiscal_year)
    said = words(lang)
    rows = [(str(row.goal_no), _shown_name(row), _kind_cell(row, lang),
             era_label(int(row.fiscal_year), lang), said[f"change.{row.change}"],
             _delta(_shown_value(row.old_raw, row.old_value, row.qualifier, row.unit) or None,
                    _shown_value(row.new_raw, row.new_value, row.qualifier, row.unit) or None))
            for row in changes[~new_actuals].itertuples()]
    return Section("indicator-values", said["indicator_values.title"],
                   header(lang, "indicator_values.header"), rows, said["indicator_values.note"])


def _kind_cell(row: Any, lang: str) -> str:
    """The value's role, or its two roles where the new report prints it in another."""
    said = words(lang)
    if _optional(row.old_kind) is None or row.old_kind == row.kind:
        return said[f"kind.{row.kind}"]
    return said["kind.moved"].format(old=said[f"kind.{row.old_kind}"], new=said[f"kind.{row.kind}"])


def _delta(old: object, new: object) -> Delta:
    return Delta(_optional(old), _optional(new))


def _optional(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _text(value: object) -> str:
    return _optional(value) or ""


def _movement(row: Any) -> Cell:
    """The change from the year before, green or red by which way is better."""
    if pd.isna(row.new_value) or pd.isna(row.previous_actual):
        return ""
    difference = row.new_value - row.previous_actual
    if difference == 0:
        return "±0"
    unit = "pt" if row.unit == "%" else _text(row.unit)  # percentage points, not per cent
    shown = ("+" if difference > 0 else "−") + _number(abs(difference)) + unit
    if pd.isna(row.better):
        return shown
    return Marked(shown, "improved" if (difference > 0) == (row.better == "higher") else "worsened")


def _number(size: float) -> str:
    return (f"{int(size):,}" if float(size).is_integer()
            else f"{size:,.2f}".rstrip("0").rstrip("."))


def _met(met: object, lang: str) -> Cell:
    if met is None or pd.isna(met):
        return ""
    said = words(lang)
    return Marked(said["met"], "improved") if met else Marked(said["not_met"], "worsened")
