"""The readable outputs of a history: history.html and the terminal lines.

history.html is one self-contained page (inline CSS and SVG, no scripts, nothing
fetched): the reports followed, the status mix per year, an item-by-year grid grouped
by measure, each indicator's actuals against its targets, and the items that changed.
"""

from __future__ import annotations

import html
from collections import Counter

import pandas as pd

from pipeline.diff_report import era_label
from pipeline.history import Change, HistoryResult, history_changes
from pipeline.history_charts import STATUS_COLOURS, Point, Series, indicator_chart, status_bars
from pipeline.matching import text_key
from pipeline.normalize.ids import parse_measure_id

_CHANGE_WORDS = {"appeared": "appeared", "disappeared": "disappeared", "renamed": "reworded",
                 "moved": "moved to another measure", "improved": "status improved",
                 "worsened": "status worsened"}
_MARKED = {"appeared": "added", "disappeared": "removed", "improved": "improved",
           "worsened": "worsened"}


def _years(result: HistoryResult) -> list[int]:
    return [report.fiscal_year for report in result.reports]


def summary_lines(result: HistoryResult) -> list[str]:
    """A few lines for the terminal: the years, the items followed, what was left out."""
    years, items = _years(result), result.items
    place = result.reports[-1].municipality or "the plan"
    later = int((items["first_fiscal_year"] > years[0]).sum())
    span = f"FY{years[0]}" + (f"–FY{years[-1]}" if len(years) > 1 else "")
    lines = [f"{place}: {span}, {len(years)} report(s), {len(items)} items "
             f"followed ({later} appeared after FY{years[0]}, "
             f"{int(items['disappeared'].sum())} disappeared)"]
    kinds = Counter(change.kind for change in history_changes(result.item_history))
    if len(years) > 1:
        lines.append("  changes between consecutive years: " + ", ".join(
            f"{kinds[kind]} {word}" for kind, word in _CHANGE_WORDS.items()))
    late = _late_running(result.item_history)
    if late:
        lines.append(f"  late (delayed or not started) two years running or more: {late} item(s)")
    formats = {report.report_id: report.input_format for report in result.reports}
    for left, kept in result.left_out:
        lines.append(f"  FY{_year_of(result, kept)}: {kept} ({formats[kept]}) used; {left} is "
                     "the same report and is left out")
    return lines


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

_CSS = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,system-ui,sans-serif;
margin:2rem auto;max-width:80rem;padding:0 1rem;color:#1f2937;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d1d5db}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d1d5db;padding:.2rem .45rem;
vertical-align:top;text-align:left}th{background:#f3f4f6}p.note{color:#4b5563}
svg.chart{display:block}svg text{fill:#374151;font-family:inherit}svg text.inside{fill:#fff}
#grid table{font-size:.85rem}#grid td{padding:.05rem .4rem}td.key,td.years{white-space:nowrap}td.key{color:#6b7280}
td.mark{text-align:center;font-weight:bold;color:#fff;min-width:2.2rem}
td.absent{background:#f9fafb}tr.measure th{background:#e5e7eb;text-align:left}
""" + "".join(f"td.s-{status}{{background:{colour}}}" for status, colour in STATUS_COLOURS.items()) + """
td.late{font-weight:bold;color:#b91c1c}
td.improved,td.added{background:#dcfce7}td.worsened,td.removed{background:#fee2e2}
.multiples{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0;width:300px}
figcaption{font-size:.85rem}.key span{display:inline-block;width:.9rem;height:.9rem;
margin:0 .25rem 0 .75rem;vertical-align:middle}
"""


def render_history_html(result: HistoryResult) -> str:
    """history.html: every section, in reading order."""
    years = _years(result)
    latest = result.reports[-1]
    span = (f"from {era_label(years[0])} to {era_label(years[-1])}" if len(years) > 1
            else f"in {era_label(years[0])}")
    title = f"{latest.municipality or 'Plan'}: progress {span}"
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p>{html.escape(latest.title or '')}</p>",
            "<ul>" + "".join(f"<li>{html.escape(line.strip())}</li>"
                             for line in summary_lines(result)) + "</ul>",
            _reports_section(result), _status_section(result), _grid_section(result),
            _indicators_section(result), _changes_section(result)]
    return ("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _section(key: str, heading: str, *content: str, note: str = "") -> str:
    shown = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return (f'<section id="{key}"><h2>{html.escape(heading)}</h2>{shown}'
            + "".join(content) + "</section>")


def _table(header: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _td(text: object, css: str = "") -> str:
    shown = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    return f'<td class="{css}">{html.escape(shown)}</td>' if css else f"<td>{html.escape(shown)}</td>"


def _reports_section(result: HistoryResult) -> str:
    rows = [f"<tr>{_td(era_label(r.fiscal_year))}{_td(r.report_id)}{_td(r.input_format)}"
            f"{_td('followed')}</tr>" for r in result.reports]
    rows += [f"<tr>{_td(era_label(_year_of(result, kept)))}{_td(left)}{_td('')}"
             f"{_td(f'left out: the same report as {kept}')}</tr>"
             for left, kept in result.left_out]
    return _section("reports", "Reports", _table(["year", "report", "format", "used"], rows),
                    note="One report per fiscal year: a PDF (or other published format) is "
                    "used before its text copy; a left-out copy has the same items and values.")


def _status_section(result: HistoryResult) -> str:
    history = result.item_history
    years = _years(result)
    counts = {year: Counter(history.loc[history["fiscal_year"] == year, "status"].dropna()
                            .astype(str)) for year in years}
    labels = _status_labels(history)
    best_first = list(reversed(STATUS_COLOURS))
    rows = [f"<tr>{_td(f'FY{year}')}" + "".join(_td(counts[year].get(status, 0))
                                               for status in best_first)
            + f"{_td(sum(counts[year].values()))}</tr>" for year in years]
    key = "".join(f'<span style="background:{STATUS_COLOURS[status]}"></span>'
                  f"{html.escape(labels.get(status, ''))} {status}" for status in best_first)
    header = ["year", *(f"{labels.get(status, '')} {status}".strip() for status in best_first),
              "items"]
    return _section("status-mix", "Status mix per year", f'<p class="key">{key}</p>',
                    status_bars(years, counts, labels), _table(header, rows),
                    note="Items per status, as each report's grades map to it (re-listed rows "
                    "not counted; a grade without a canonical status is not drawn).")


def _status_labels(item_history: pd.DataFrame) -> dict[str, str]:
    """The grade each canonical status is printed as, in the latest report that prints it."""
    labels: dict[str, str] = {}
    for row in item_history.dropna(subset=["status"]).itertuples():
        labels[str(row.status)] = str(row.status_mark)
    return labels


def _grid_section(result: HistoryResult) -> str:
    years = _years(result)
    marks = {(row.item_key, row.fiscal_year): (str(row.status_mark),
                                               "" if pd.isna(row.status) else str(row.status))
             for row in result.item_history.itertuples()}
    names = _measure_names(result)
    items = result.items.assign(_order=range(len(result.items)))
    items["_measure"] = items["measure_id"].map(_measure_order)
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
    header = ["business", "item_key", *(f"FY{year}" for year in years), "years late"]
    return _section("grid", "Every item, year by year", _table(header, rows),
                    note="Grouped by each item's latest measure; a blank cell: not in that "
                    "year's report. The last column counts the years delayed or not started.")


def _measure_order(measure_id: str) -> tuple[int, int, int]:
    return parse_measure_id(measure_id)[1:]


def _measure_names(result: HistoryResult) -> dict[str, str]:
    names: dict[str, str] = {}
    for report in result.reports:  # the latest report's name wins
        for measure_id, name in zip(report.items["measure_id"], report.items["measure_name"]):
            names[measure_id] = name
    return names


def _indicators_section(result: HistoryResult) -> str:
    history = result.indicator_history
    figures = []
    groups = history.assign(_name=history["indicator"].map(text_key))
    for (goal, _), rows in groups.groupby(["goal_no", "_name"], sort=False):
        latest = rows[rows["latest"] & rows["value"].notna()]
        series = [Series(kind, tuple(_points(latest[latest["kind"] == kind])), kind)
                  for kind in ("actual", "target")]
        shown = {(row.kind, row.value_fiscal_year): row.value for row in latest.itertuples()}
        revised = [row for row in rows[~rows["latest"] & rows["value"].notna()].itertuples()
                   if shown.get((row.kind, row.value_fiscal_year), row.value) != row.value]
        if revised:
            series.append(Series("earlier print", tuple(_points(revised)), "revised"))
        name = str(rows["indicator"].iloc[-1])
        unit = next((u for u in rows["unit"] if isinstance(u, str)), None)
        figures.append(f"<figure>{indicator_chart(name, unit, series)}<figcaption>goal {goal}: "
                       f"{html.escape(name)}</figcaption></figure>")
    return _section("indicators", "Indicators: actuals against targets",
                    f'<div class="multiples">{"".join(figures)}</div>',
                    note="Solid line and dots: actuals; dashed line and rings: targets; grey "
                    "rings: a figure a later report revised (the line shows the latest print).")


def _points(rows: pd.DataFrame | list) -> list[Point]:
    listed = rows.itertuples() if isinstance(rows, pd.DataFrame) else rows
    return [Point(int(row.value_fiscal_year), float(row.value), str(row.raw)) for row in listed]


def _changes_section(result: HistoryResult) -> str:
    rows = [_change_row(change) for change in history_changes(result.item_history)]
    return _section("changes", "Items that changed",
                    _table(["years", "change", "measure", "business", "old → new", "item_key"],
                           rows),
                    note="Between consecutive reports, as pipeline diff of that pair finds "
                    "them: appeared, disappeared, reworded, moved, status improved or worsened.")


def _change_row(change: Change) -> str:
    shift = "" if change.old is None else f"{change.old} → {change.new}"
    years = f"FY{change.previous_fiscal_year} → FY{change.fiscal_year}"
    return (f"<tr>{_td(years, 'years')}"
            f"{_td(_CHANGE_WORDS[change.kind], _MARKED.get(change.kind, ''))}"
            f"{_td(change.measure_id)}{_td(change.business)}{_td(shift)}"
            f"{_td(change.item_key, 'key')}</tr>")
