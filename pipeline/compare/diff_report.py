"""The readable outputs of a diff: summary.md, summary.html and the terminal lines.

The summaries are built once as sections of cells, then rendered as Markdown and as a
self-contained HTML page (inline CSS, nothing fetched).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.compare.diff import NOT_LISTED, DiffResult, direction
from pipeline.compare.diff_indicators import value_changes
from pipeline.compare.matching import REPORTED_AGAIN, RENAME_THRESHOLD, scalar, text_key, value_key
from pipeline.compare.page_style import BASE_CSS
from pipeline.compare.page_words import era_label, header, words, year_label
from schemas.vocabulary import MARK_ORDER

# An in-place character diff needs context to read: below this similarity it is
# confetti, and in short cells ("200 万件" → "220 万件" would read 2020) it misleads.
# Such values are shown whole, old then new.
_INLINE_DIFF_RATIO = 0.4
_INLINE_DIFF_LENGTH = 10
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")  # a figure as a cell prints it: 1,234 or 97.0


# --- sections: what the summaries say, before it is Markdown or HTML -----------------------

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
    key: str  # the HTML section's id
    title: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]
    note: str = ""


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
                   [(said[f"field.{field}"], str(n)) for field, n in _field_counts(result)])


def _field_counts(result: DiffResult) -> list[tuple[str, int]]:
    changed = result.item_changes[result.item_changes["change"] == "changed"]
    counts = changed["field"].value_counts(sort=False)
    return [(str(field), int(n)) for field, n in counts.items() if n]


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


# --- rendering ---------------------------------------------------------------------------

def summary_lines(result: DiffResult) -> list[str]:
    """A few lines for the terminal: what changed, in numbers."""
    old, new = result.old, result.new
    head = f"{old.report_id} → {new.report_id} (FY{old.fiscal_year} → FY{new.fiscal_year})"
    if result.item_changes.empty and value_changes(result.indicator_changes).empty:
        return [f"{head}: no changes ({result.matched} items, all indicator values the same)"]
    if has_items(result):
        lines = [f"{head}: " + _item_summary(result)]
        status = result.item_changes[result.item_changes["field"] == "status"]
        moves = ", ".join(f"{old}→{new} {n}" for (old, new), n in
                          status.groupby(["old", "new"], sort=False).size().items())
        lines.append(f"  status: {(status['direction'] == 'improved').sum()} improved, "
                     f"{(status['direction'] == 'worsened').sum()} worsened"
                     + (f" ({moves})" if moves else ""))
        fields = _field_counts(result)
        if fields:
            lines.append("  fields: " + ", ".join(f"{n} {field}" for field, n in fields))
    else:
        lines = [f"{head}: neither report has a business-item table (reports of indicators)"]
    indicators = value_changes(result.indicator_changes)
    listed = indicator_counts(result)
    kinds = ", ".join(f"{listed[f'{kind}_values']} {kind} (in {listed[kind]} indicator"
                      f"{'' if listed[kind] == 1 else 's'})"
                      for kind in ("added", "removed", "revised") if listed[f"{kind}_values"])
    judged = indicators[(indicators["fiscal_year"] == new.fiscal_year)
                        & indicators["met_target"].notna()]
    met = (f"; {int(judged['met_target'].sum())} of {len(judged)} actuals for "
           f"FY{new.fiscal_year} met their target" if len(judged) else "")
    lines.append(f"  indicators: {listed['new']} new, {listed['gone']} no longer listed; "
                 f"values: {kinds or 'no changes'}{met}")
    if has_evaluations(result):
        graded = evaluation_counts(result)
        lines.append(f"  evaluations: {graded['improved']} improved, {graded['worsened']} "
                     f"worsened, {graded['added']} newly evaluated, {graded['removed']} no "
                     "longer evaluated" + (f", {graded['unranked']} changed without a rank"
                                           if graded["unranked"] else ""))
    return lines


def _item_summary(result: DiffResult) -> str:
    counts = item_counts(result)
    return (f"{counts['added']} added, {counts['removed']} removed, {counts['renamed']} "
            f"renamed, {counts['changed']} changed, {counts['unchanged']} unchanged items")


def page_summary(result: DiffResult, lang: str = "ja") -> list[str]:
    """The summary at the top of summary.md and summary.html, in ``lang``."""
    said = words(lang)
    indicators = value_changes(result.indicator_changes)
    if result.item_changes.empty and indicators.empty:
        return [said["diff.summary.same"].format(matched=result.matched)]
    status = result.item_changes[result.item_changes["field"] == "status"]
    lines = ([said["diff.summary.items"].format(**item_counts(result)),
              said["diff.summary.status"].format(
                  improved=int((status["direction"] == "improved").sum()),
                  worsened=int((status["direction"] == "worsened").sum()))]
             if has_items(result) else [said["diff.summary.no_items"]])
    if has_evaluations(result):
        lines.append(said["diff.summary.evaluations"].format(**evaluation_counts(result)))
    lines.append(said["diff.summary.indicators"].format(**indicator_counts(result)))
    judged = indicators[(indicators["fiscal_year"] == result.new.fiscal_year)
                        & indicators["met_target"].notna()]
    if len(judged):
        lines.append(said["diff.summary.met"].format(
            year=era_label(result.new.fiscal_year, lang), judged=len(judged),
            met=int(judged["met_target"].sum())))
    return lines


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


def _title(result: DiffResult, lang: str) -> str:
    return words(lang)["diff.title"].format(old=era_label(result.old.fiscal_year, lang),
                                            new=era_label(result.new.fiscal_year, lang))


def _sources(result: DiffResult, lang: str) -> str:
    return words(lang)["diff.sources"].format(old=result.old.report_id, new=result.new.report_id)


def render_markdown(result: DiffResult, lang: str = "ja") -> str:
    """summary.md: the sections as Markdown tables, for a mail or an issue."""
    out = [f"# {_title(result, lang)}", "", _sources(result, lang), "",
           *(f"- {line}" for line in page_summary(result, lang)), ""]
    for section in build_sections(result, lang):
        out += [f"## {section.title}", ""]
        if section.note:
            out += [section.note, ""]
        if not section.rows:
            out += [words(lang)["none"], ""]
            continue
        out.append("| " + " | ".join(_md(h) for h in section.header) + " |")
        out.append("|" + "---|" * len(section.header))
        out += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in section.rows]
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_cell(cell: Cell) -> str:
    if isinstance(cell, Compared):
        return f"{_md(cell.before or '—')} | {_md(cell.after or '—')}"
    if isinstance(cell, Delta):
        return f"{_md(cell.old or '—')} → {_md(cell.new or '—')}"
    if isinstance(cell, Marked):
        # Markdown has no colour: what got worse is bold, so it is seen first.
        return f"**{_md(cell.text)}**" if cell.mark in ("worsened", "removed") else _md(cell.text)
    return _md(cell)


_CSS = BASE_CSS + """
body{max-width:72rem}td{overflow-wrap:anywhere}td.plan,td.delta{min-width:12em}
td.worsened,td.removed{font-weight:bold}td.improved,td.worsened{white-space:nowrap}
ins{background:#bbf7d0;text-decoration:underline}
del{background:#fecaca;text-decoration:line-through}
mark{background:#fef08a}td.plan{color:#374151}
.legend span{padding:0 .4rem}
"""


def render_html(result: DiffResult, lang: str = "ja") -> str:
    """summary.html: one self-contained page (inline CSS, no scripts, nothing fetched)."""
    said = words(lang)
    title = html.escape(_title(result, lang))
    body = [f"<h1>{title}</h1>", f"<p>{html.escape(_sources(result, lang))}</p>",
            f"<p class=\"legend\">{said['diff.legend']}</p>",
            "<ul>" + "".join(f"<li>{html.escape(line)}</li>"
                             for line in page_summary(result, lang)) + "</ul>"]
    for section in build_sections(result, lang):
        body.append(f"<section id=\"{section.key}\"><h2>{html.escape(section.title)}</h2>")
        if section.note:
            body.append(f"<p class=\"note\">{html.escape(section.note)}</p>")
        if section.rows:
            head = "".join(f"<th>{html.escape(h)}</th>" for h in section.header)
            rows = "".join("<tr>" + "".join(_html_cell(cell) for cell in row) + "</tr>"
                           for row in section.rows)
            body.append(f"<div class=\"scroll\"><table><thead><tr>{head}</tr></thead>"
                        f"<tbody>{rows}</tbody></table></div>")
        else:
            body.append(f"<p class=\"none\">{html.escape(said['none'])}</p>")
        body.append("</section>")
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{title}</title><style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _html_cell(cell: Cell) -> str:
    if isinstance(cell, Marked):
        return f"<td class=\"{cell.mark}\">{html.escape(cell.text)}</td>"
    if isinstance(cell, Delta):
        return f"<td class=\"delta\">{inline_diff(cell.old, cell.new)}</td>"
    if isinstance(cell, Compared):
        return (f"<td class=\"plan\">{html.escape(cell.before or '—')}</td>"
                f"<td class=\"delta result\">{marked_changes(cell.before, cell.after)}</td>")
    return f"<td>{html.escape(cell)}</td>"


def inline_diff(old: str | None, new: str | None) -> str:
    """old → new as HTML, deleted text in <del> and inserted text in <ins>, in place."""
    old, new = old or "", new or ""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if min(len(old), len(new)) < _INLINE_DIFF_LENGTH or matcher.ratio() < _INLINE_DIFF_RATIO:
        parts = [f"<del>{html.escape(old)}</del>" if old else "",
                 f"<ins>{html.escape(new)}</ins>" if new else ""]
        return ("<br>" if max(len(old), len(new)) > 40 else " → ").join(p for p in parts if p)
    out = []
    for operation, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        if operation == "equal":
            out.append(html.escape(old[old_from:old_to]))
            continue
        if old_to > old_from:
            out.append(f"<del>{html.escape(old[old_from:old_to])}</del>")
        if new_to > new_from:
            out.append(f"<ins>{html.escape(new[new_from:new_to])}</ins>")
    return "".join(out)


def marked_changes(before: str | None, after: str | None) -> str:
    """``after`` as HTML with what differs from ``before`` in <mark>: the text of a result
    that its plan did not say, marked within the result alone."""
    before, after = before or "", after or ""
    if not after:
        return "—"
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out = []
    for operation, _, _, new_from, new_to in matcher.get_opcodes():
        text = html.escape(after[new_from:new_to])
        out.append(text if operation == "equal" or not text else f"<mark>{text}</mark>")
    return "".join(out)
