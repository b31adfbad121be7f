"""Rules that span tables or rows, which a per-column model cannot state.

Each returns a list of problems as plain dicts (code, table, row, column, value,
message) so that callers may turn them into their own failure records.
"""

from __future__ import annotations

import pandas as pd

from schemas.vocabulary import MARK_ORDER

Problem = dict[str, object]


def status_counts_match(items: pd.DataFrame, summary: pd.DataFrame) -> list[Problem]:
    """The front part's counts equal the non-re-listed items per status mark."""
    if summary.empty:
        return [_problem("status_summary_missing", "status_summary", None, None, None,
                         "the report has no status-count table to check the items against")]
    own = items[~items["is_relisted"]]
    if own["status_mark"].isna().any():
        return []  # a row without a readable mark is reported on its row; counts are moot
    # A repeated row is reported by business_unique; counted once, it does not also
    # show up as a count mismatch.
    own = own.drop_duplicates(["measure_id", "business"])
    counted = own["status_mark"].astype(str).value_counts()
    problems = []
    for _, row in summary.iterrows():
        mark = str(row["status_mark"])
        found = int(counted.get(mark, 0))
        if found != int(row["count"]):
            problems.append(_problem(
                "status_count_mismatch", "status_summary", None, "count", str(row["count"]),
                f"the summary counts {row['count']} item(s) {mark} but the attachment has {found}"))
    for mark in sorted(set(counted.index) - set(summary["status_mark"].astype(str)), key=_mark_order):
        problems.append(_problem("status_count_mismatch", "status_summary", None, "status_mark", mark,
                                 f"the attachment has {counted[mark]} item(s) {mark} the summary does not list"))
    return problems


def _mark_order(mark: str) -> tuple[int, str]:
    return (MARK_ORDER.index(mark) if mark in MARK_ORDER else len(MARK_ORDER), mark)


def relisted_resolved(items: pd.DataFrame) -> list[Problem]:
    """Every re-listed row points at an original row."""
    open_rows = items[items["is_relisted"] & items["relisted_row_no"].isna()]
    measures = set(items.loc[~items["is_relisted"], "measure_id"])
    return [_problem("relisted_unresolved", "items", int(row.row_no), "business", row.business_raw,
                     f"re-listed from {row.relisted_from}, but "
                     + (f"no row of {row.relisted_from} has that business name"
                        if row.relisted_from in measures
                        else f"the report has no measure {row.relisted_from}"))
            for row in open_rows.itertuples()]


def business_unique(items: pd.DataFrame) -> list[Problem]:
    """(measure_id, business) is unique among rows that are not re-listed."""
    own = items[~items["is_relisted"]]
    repeated = own[own.duplicated(["measure_id", "business"], keep="first")]
    return [_problem("duplicate_business", "items", int(row.row_no), "business", row.business,
                     f"measure {row.measure_id} lists this business twice")
            for row in repeated.itertuples()]


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
