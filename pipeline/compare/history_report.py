"""The readable outputs of a history: history.html and the terminal lines.

history.html is one self-contained page (inline CSS and SVG, no scripts, nothing
fetched): the reports followed, the status mix per year, an item-by-year grid grouped
by measure, each indicator's actuals against its targets, and the items that changed.
"""

from __future__ import annotations

import html
from collections import Counter

import pandas as pd

from pipeline.compare.diff_sections import evaluation_context
from pipeline.compare.history import Change, HistoryResult, history_changes
from pipeline.compare.history_charts import STATUS_COLOURS, Point, Series, indicator_chart, status_bars
from pipeline.compare.matching import text_key
from pipeline.normalize.ids import canonical_order
from pipeline.compare.page_style import BASE_CSS
from pipeline.compare.page_words import era_label, format_label, header, words, year_label

_CHANGE_KINDS = ("appeared", "disappeared", "renamed", "moved", "improved", "worsened")
_MARKED = {"appeared": "added", "disappeared": "removed", "improved": "improved",
           "worsened": "worsened"}


def _years(result: HistoryResult) -> list[int]:
    return [report.fiscal_year for report in result.reports]


def summary_lines(result: HistoryResult, lang: str = "en") -> list[str]:
    """A few lines: the years, the items followed, what was left out. English for the
    terminal (the default), Japanese at the top of history.html."""
    said = words(lang)
    years, items = _years(result), result.items
    first = year_label(years[0], lang)
    span = (said["history.summary.span"].format(first=first, last=year_label(years[-1], lang))
            if len(years) > 1 else first)
    place = result.reports[-1].municipality or said["history.place"]
    if not has_items(result):
        return [f"{place}: " + said["history.summary.no_items"].format(span=span,
                                                                     reports=len(years))]
    lines = [f"{place}: " + said["history.summary.items"].format(
        span=span, reports=len(years), items=len(items), first=first,
        later=int((items["first_fiscal_year"] > years[0]).sum()),
        gone=int(items["disappeared"].sum()))]
    kinds = Counter(change.kind for change in history_changes(result.item_history))
    if len(years) > 1:
        lines.append("  " + said["history.summary.changes"].format(
            **{kind: kinds[kind] for kind in _CHANGE_KINDS}))
    late = _late_running(result.item_history)
    if late:
        lines.append("  " + said["history.summary.late"].format(late=late))
    formats = {report.report_id: report.input_format for report in result.reports}
    for left, kept in result.left_out:
        lines.append("  " + said["history.summary.left_out"].format(
            year=year_label(_year_of(result, kept), lang), kept=kept, left=left,
            format=formats[kept] if lang == "en" else format_label(formats[kept], lang)))
    return lines


def has_items(result: HistoryResult) -> bool:
    """False when no report followed has a table of business items (indicator reports):
    the page then says so once instead of showing empty item sections."""
    return any(not report.items.empty for report in result.reports)


def _year_of(result: HistoryResult, report_id: str) -> int:
    return next(r.fiscal_year for r in result.reports if r.report_id == report_id)


def _late_running(item_history: pd.DataFrame) -> int:
    """Items delayed or not started in two consecutive reports of the history, or more."""
    years = sorted(item_history["fiscal_year"].unique())
    following = dict(zip(years, years[1:]))
    late = item_history[item_history["status"].isin(["delayed", "not_started"])]
    pairs = set(zip(late["item_key"], late["fiscal_year"]))
    return len({key for key, year in pairs if (key, following.get(year)) in pairs})


# --- the page ------------------------------------------------------------------------------

_CSS = BASE_CSS + """
body{max-width:80rem}
svg.chart{display:block;max-width:100%;height:auto}svg text{fill:#374151;font-family:inherit}
svg text.inside{fill:#fff}svg text.value{fill:#1d4ed8}svg text.goal{fill:#7e22ce}
#grid table{font-size:.85rem}#grid td{padding:.05rem .4rem}
#grid td:first-child{white-space:normal;min-width:14em}td.key{color:#6b7280}
td.mark{text-align:center;font-weight:bold;color:#fff;min-width:2.2rem}
td.absent{background:#f9fafb}tr.measure th{background:#e5e7eb;text-align:left;white-space:normal}
""" + "".join(f"td.s-{status}{{background:{colour}}}" for status, colour in STATUS_COLOURS.items()) + """
td.late{font-weight:bold;color:#b91c1c}
td.improved,td.added{background:#dcfce7}td.worsened,td.removed{background:#fee2e2}
.multiples{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0;width:320px;max-width:100%}
figcaption{font-size:.85rem}.key span{display:inline-block;width:.9rem;height:.9rem;
margin:0 .25rem 0 .75rem;vertical-align:middle}
"""


def render_history_html(result: HistoryResult, lang: str = "ja") -> str:
    """history.html: every section, in reading order, in Japanese (``lang="ja"``, the
    default) or English (``"en"``)."""
    said = words(lang)
    years = _years(result)
    latest = result.reports[-1]
    span = (said["history.span"].format(first=era_label(years[0], lang),
                                        last=era_label(years[-1], lang))
            if len(years) > 1 else said["history.span.one"].format(year=era_label(years[0], lang)))
    title = said["history.title"].format(place=latest.municipality or said["history.place"],
                                         span=span)
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p>{html.escape(latest.title or '')}</p>",
            "<ul>" + "".join(f"<li>{html.escape(line.strip())}</li>"
                             for line in summary_lines(result, lang)) + "</ul>",
            _reports_section(result, lang),
            *((_status_section(result, lang), _grid_section(result, lang))
              if has_items(result) else ()),
            _evaluations_section(result, lang), _indicators_section(result, lang),
            _changes_section(result, lang) if has_items(result) else ""]
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _section(key: str, heading: str, *content: str, note: str = "") -> str:
    shown = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return (f'<section id="{key}"><h2>{html.escape(heading)}</h2>{shown}'
            + "".join(content) + "</section>")


def _table(columns: list[str] | tuple[str, ...], rows: list[str]) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in columns)
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _td(text: object, css: str = "") -> str:
    shown = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    return f'<td class="{css}">{html.escape(shown)}</td>' if css else f"<td>{html.escape(shown)}</td>"


def _reports_section(result: HistoryResult, lang: str) -> str:
    said = words(lang)
    rows = [f"<tr>{_td(era_label(r.fiscal_year, lang), 'years')}{_td(r.report_id)}"
            f"{_td(format_label(r.input_format, lang))}{_td(said['reports.used'])}</tr>"
            for r in result.reports]
    rows += [f"<tr>{_td(era_label(_year_of(result, kept), lang), 'years')}{_td(left)}{_td('')}"
             f"{_td(said['reports.left_out'].format(kept=kept))}</tr>"
             for left, kept in result.left_out]
    return _section("reports", said["reports.title"],
                    _table(header(lang, "reports.header"), rows), note=said["reports.note"])


def _status_section(result: HistoryResult, lang: str) -> str:
    said = words(lang)
    history = result.item_history
    years = _years(result)
    counts = {year: Counter(history.loc[history["fiscal_year"] == year, "status"].dropna()
                            .astype(str)) for year in years}
    labels = _status_labels(history)
    best_first = list(reversed(STATUS_COLOURS))
    named = {status: f"{labels.get(status, '')} {said[f'status.{status}']}".strip()
             for status in best_first}
    rows = [f"<tr>{_td(year_label(year, lang), 'years')}"
            + "".join(_td(counts[year].get(status, 0)) for status in best_first)
            + f"{_td(sum(counts[year].values()))}</tr>" for year in years]
    key = "".join(f'<span style="background:{STATUS_COLOURS[status]}"></span>'
                  f"{html.escape(named[status])}" for status in best_first)
    columns = [said["mix.year"], *(named[status] for status in best_first), said["mix.items"]]
    return _section("status-mix", said["mix.title"], f'<p class="key">{key}</p>',
                    status_bars(years, counts, labels,
                                [year_label(year, lang) for year in years], said["mix.aria"]),
                    _table(columns, rows), note=said["mix.note"])


def _status_labels(item_history: pd.DataFrame) -> dict[str, str]:
    """The grade each canonical status is printed as, in the latest report that prints it."""
    labels: dict[str, str] = {}
    for row in item_history.dropna(subset=["status"]).itertuples():
        labels[str(row.status)] = str(row.status_mark)
    return labels


def _grid_section(result: HistoryResult, lang: str) -> str:
    said = words(lang)
    years = _years(result)
    marks = {(row.item_key, row.fiscal_year): (str(row.status_mark),
                                               "" if pd.isna(row.status) else str(row.status))
             for row in result.item_history.itertuples()}
    names = _measure_names(result)
    items = result.items.assign(_order=range(len(result.items)))
    items["_measure"] = items["measure_id"].map(canonical_order)
    rows = []
    for measure_id, group in items.sort_values(["_measure", "_order"]).groupby(
            "measure_id", sort=False):
        rows.append(f'<tr class="measure"><th colspan="{len(years) + 3}">'
                    f"{html.escape(measure_id)} {html.escape(names.get(measure_id, ''))}</th></tr>")
        for item in group.itertuples():
            cells = "".join(
                _td(marks[(item.item_key, year)][0], f"mark s-{marks[(item.item_key, year)][1]}")
                if (item.item_key, year) in marks else _td("", "absent") for year in years)
            late = item.years_delayed + item.years_not_started
            rows.append(f"<tr>{_td(item.business)}{_td(item.item_key, 'key')}{cells}"
                        f"{_td(late or '', 'late' if late > 1 else '')}</tr>")
    columns = [said["grid.header.business"], said["grid.header.key"],
               *(year_label(year, lang) for year in years), said["grid.header.late"]]
    return _section("grid", said["grid.title"], _table(columns, rows), note=said["grid.note"])


def _measure_names(result: HistoryResult) -> dict[str, str]:
    names: dict[str, str] = {}
    for report in result.reports:  # the latest report's name wins
        for measure_id, name in zip(report.items["measure_id"], report.items["measure_name"]):
            if isinstance(name, str):  # a measure printed by its id alone has none
                names[measure_id] = name
    return names


def _indicators_section(result: HistoryResult, lang: str) -> str:
    said = words(lang)
    history = result.indicator_history
    figures = []
    groups = history.assign(_name=history["indicator"].map(text_key),
                            _qualifier=history["qualifier"].map(text_key).fillna(""))
    kinds = {"actual": said["kind.actual"], "target": said["kind.target"]}
    for (goal, _, qualifier), rows in groups.groupby(["goal_no", "_name", "_qualifier"],
                                                     sort=False):
        latest = rows[rows["latest"] & rows["value"].notna()]
        series = [Series(kinds[kind], tuple(_points(latest[latest["value_kind"] == kind])), kind)
                  for kind in ("actual", "target")]
        shown = {(row.value_kind, row.value_fiscal_year): row.value for row in latest.itertuples()}
        revised = [row for row in rows[~rows["latest"] & rows["value"].notna()].itertuples()
                   if shown.get((row.value_kind, row.value_fiscal_year), row.value) != row.value]
        if revised:
            series.append(Series(said["indicators.earlier"], tuple(_points(revised)), "revised"))
        name = str(rows["indicator"].iloc[-1]) + (f"({qualifier})" if qualifier else "")
        unit = next((u for u in rows["unit"] if isinstance(u, str)), None)
        caption = said["indicators.caption"].format(goal=goal, name=name)
        figures.append(f"<figure>{indicator_chart(name, unit, series, lang)}<figcaption>"
                       f"{html.escape(caption)}</figcaption></figure>")
    return _section("indicators", said["indicators.title"],
                    f'<div class="multiples">{"".join(figures)}</div>',
                    note=said["indicators.note"])


def _evaluations_section(result: HistoryResult, lang: str) -> str:
    """Each graded indicator's evaluation, year by year, as printed (前進B), coloured by its
    canonical status; the last column is the latest move by the scale's rank."""
    history = result.indicator_evaluation_history
    if history is None or history.empty:
        return ""
    said = words(lang)
    years = _years(result)
    measures, meanings = evaluation_context(report.evaluations for report in result.reports)
    graded = history.assign(_name=history["indicator"].map(text_key))
    groups = list(graded.groupby(["goal_no", "_name"], sort=False))
    rows = []
    # by goal and measure as the reports print them; an indicator added later joins its measure
    for (goal, name), group in sorted(groups, key=lambda pair: (
            int(pair[0][0]), measures.get((int(pair[0][0]), pair[0][1]), ""))):
        by_year = {int(row.fiscal_year): row for row in group.itertuples()}
        cells = "".join(_td(by_year[year].raw, "mark s-" + ("" if pd.isna(by_year[year].status)
                                                          else str(by_year[year].status)))
                        if year in by_year else _td("", "absent") for year in years)
        moved = group["direction"].dropna()
        latest = str(moved.iloc[-1]) if len(moved) else ""
        rows.append(f"<tr>{_td(goal)}{_td(measures.get((int(goal), name), ''), 'key')}"
                    f"{_td(group['indicator'].iloc[-1])}{cells}"
                    + (_td(said[f"evaluations.{latest}"], latest) if latest else _td(""))
                    + "</tr>")
    columns = [*header(lang, "evaluations.history.header"),
               *(year_label(year, lang) for year in years), said["evaluations.history.latest"]]
    legend = said["list.separator"].join(f"{mark} {label}" for mark, label in meanings.items())
    note = said["evaluations.history.note"] + (
        f" {said['evaluations.legend']}{legend}{said['sentence.end']}" if legend else "")
    return _section("evaluations", said["evaluations.history.title"], _table(columns, rows),
                    note=note)


def _points(rows: pd.DataFrame | list) -> list[Point]:
    listed = rows.itertuples() if isinstance(rows, pd.DataFrame) else rows
    return [Point(int(row.value_fiscal_year), float(row.value), str(row.raw)) for row in listed]


def _changes_section(result: HistoryResult, lang: str) -> str:
    said = words(lang)
    rows = [_change_row(change, lang) for change in history_changes(result.item_history)]
    return _section("changes", said["changes.title"],
                    _table(header(lang, "changes.header"), rows), note=said["changes.note"])


def _change_row(change: Change, lang: str) -> str:
    shift = "" if change.old is None else f"{change.old} → {change.new}"
    years = (f"{year_label(change.previous_fiscal_year, lang)} → "
             f"{year_label(change.fiscal_year, lang)}")
    return (f"<tr>{_td(years, 'years')}"
            f"{_td(words(lang)[f'history.{change.kind}'], _MARKED.get(change.kind, ''))}"
            f"{_td(change.measure_id, 'key')}{_td(change.business)}{_td(shift)}"
            f"{_td(change.item_key, 'key')}</tr>")
