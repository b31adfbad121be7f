"""Rules that span tables or rows, which a per-column model cannot state.

Each returns a list of problems as plain dicts (code, table, row, column, value,
message) so that callers may turn them into their own failure records.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from schemas.vocabulary import MARK_ORDER

Problem = dict[str, object]


def status_counts_match(items: pd.DataFrame, summary: pd.DataFrame,
                        report_year: int | None = None) -> list[Problem]:
    """The front part's counts (of the report's year, where the table prints a count column
    per year) equal the non-re-listed items per status mark."""
    if summary.empty:
        return [_problem("status_summary_missing", "status_summary", None, None, None,
                         "the report has no status-count table to check the items against")]
    own = [row for row in _rows(items, "measure_id", "business", "status_mark") if not row[0]]
    if any(pd.isna(mark) for _, _, _, mark in own):
        return []  # a row without a readable mark is reported on its row; counts are moot
    # A repeated row is reported by business_unique; counted once, it does not also
    # show up as a count mismatch.
    counted = Counter(str(row[3]) for row, repeat in zip(own, _repeats(own)) if not repeat)
    if report_year is None and summary["fiscal_year"].notna().any():
        return []
    return _counts_match(counted, _of_year(summary, report_year), "item(s)", "the attachment")


def evaluation_counts_match(evaluations: pd.DataFrame, summary: pd.DataFrame,
                            report_year: int | None) -> list[Problem]:
    """A count table of the indicators' scale (tables.status_summary.scale = "indicators"):
    its counts of the report's year equal the indicators graded per mark."""
    if summary.empty:
        return [_problem("status_summary_missing", "status_summary", None, None, None,
                         "the report has no status-count table to check the evaluations against")]
    if report_year is None and summary["fiscal_year"].notna().any():
        return []
    counted = Counter(str(mark) for mark in evaluations["evaluation_mark"].tolist())
    return _counts_match(counted, _of_year(summary, report_year), "indicator(s)",
                         "the indicator tables")


def _of_year(summary: pd.DataFrame, report_year: int | None) -> pd.DataFrame:
    """The counts of the report's year: a table of one count column is all of it; with a
    column per year and the report's year unknown (reported on its own as
    fiscal_year_unknown), nothing can be checked, and no count is said to be missing."""
    years = summary["fiscal_year"]
    if years.isna().all():
        return summary
    return summary[years == report_year] if report_year is not None else summary.iloc[:0]


def _counts_match(counted: Counter[str], summary: pd.DataFrame, what: str, where: str
                  ) -> list[Problem]:
    problems = []
    for mark_printed, count in zip(summary["status_mark"].tolist(), summary["count"].tolist()):
        mark = str(mark_printed)
        found = counted.get(mark, 0)
        if found != int(count):
            problems.append(_problem(
                "status_count_mismatch", "status_summary", None, "count", str(count),
                f"the summary counts {count} {what} {mark} but {where} have {found}"
                if where != "the attachment" else
                f"the summary counts {count} {what} {mark} but the attachment has {found}"))
    listed = {str(mark) for mark in summary["status_mark"].tolist()}
    for mark in sorted(set(counted) - listed, key=_mark_order):
        verb = "has" if where == "the attachment" else "have"
        problems.append(_problem("status_count_mismatch", "status_summary", None, "status_mark", mark,
                                 f"{where} {verb} {counted[mark]} {what} {mark} the summary does not list"))
    return problems


def _mark_order(mark: str) -> tuple[int, str]:
    return (MARK_ORDER.index(mark) if mark in MARK_ORDER else len(MARK_ORDER), mark)


def relisted_resolved(items: pd.DataFrame) -> list[Problem]:
    """Every re-listed row points at an original row."""
    rows = _rows(items, "measure_id", "relisted_row_no", "row_no", "business_raw", "relisted_from")
    measures = {measure for relisted, measure, *_ in rows if not relisted}
    return [_problem("relisted_unresolved", "items", int(row_no), "business", business_raw,
                     "re-listed without naming the measure it repeats, and not one row of "
                     "another measure has that business name" if pd.isna(relisted_from) else
                     f"re-listed from {relisted_from}, but "
                     + (f"no row of {relisted_from} has that business name"
                        if relisted_from in measures
                        else f"the report has no measure {relisted_from}"))
            for relisted, _, original, row_no, business_raw, relisted_from in rows
            if relisted and pd.isna(original)]


def business_unique(items: pd.DataFrame) -> list[Problem]:
    """(measure_id, business) is unique among rows that are not re-listed, and a measure
    re-lists one business of one source measure once (a row printed twice, 再掲 or not,
    would count twice in every sum)."""
    own = [row for row in _rows(items, "measure_id", "business", "row_no") if not row[0]]
    problems = [_problem("duplicate_business", "items", int(row_no), "business", business,
                         f"measure {measure} lists this business twice")
                for (_, measure, business, row_no), repeat in zip(own, _repeats(own)) if repeat]
    relisted = [(flag, (measure, source), business, row_no) for flag, measure, source, business,
                row_no in _rows(items, "measure_id", "relisted_from", "business", "row_no") if flag]
    problems += [_problem("duplicate_business", "items", int(row_no), "business", business,
                          f"measure {measure} re-lists this business from {source} twice")
                 for (_, (measure, source), business, row_no), repeat
                 in zip(relisted, _repeats(relisted)) if repeat]
    return problems


def _rows(items: pd.DataFrame, *columns: str) -> list[tuple]:
    """(is_relisted, *columns) of every item row: the rules read a few columns of a
    hundred rows, which plain tuples do in microseconds where frame filters take ms."""
    return list(zip(items["is_relisted"].tolist(), *(items[c].tolist() for c in columns)))


def _repeats(rows: list[tuple]) -> list[bool]:
    """Whether each row's (measure_id, business) — its 2nd and 3rd values — came before,
    as pandas' duplicated(keep="first") says, which takes all missing values for one."""
    seen: set[tuple[object, ...]] = set()
    repeats = []
    for row in rows:
        key = tuple(None if pd.isna(value) else value for value in row[1:3])
        repeats.append(key in seen)
        seen.add(key)
    return repeats


def indicator_years_plausible(indicators: pd.DataFrame, report_year: int) -> list[Problem]:
    """Actuals are for years up to the report's; targets within a plan's horizon."""
    problems = []
    for row in indicators.itertuples():
        year = int(row.fiscal_year)
        late = row.kind == "actual" and year > report_year
        far = not (report_year - 10 <= year <= report_year + 10)
        if late or far:
            why = "an actual value after the report's year" if late else "a year far from the report's"
            problems.append(_problem("implausible_year", "indicators", None, "fiscal_year", str(year),
                                     f"{row.indicator}: {why} ({report_year})"))
    return problems


def _problem(code, table, row, column, value, message) -> Problem:
    return {"code": code, "table": table, "row": row, "column": column, "value": value,
            "message": message}
