"""Tables checked against the schemas; problems become Failures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.errors import Failure
from schemas import TABLES, checks


def validate_tables(frames: dict[str, pd.DataFrame], report_year: int | None, source: str,
                    known: Sequence[Failure] = (), check_status_counts: bool = True,
                    counted: str = "items") -> list[Failure]:
    """Every table against its model (lazily), then the cross-table rules (the status
    counts only when ``check_status_counts``: a report without its front part has none;
    against the items, or for ``counted = "indicators"`` the indicators' evaluations).

    Each cause is reported once: a schema failure that only follows from a failure
    already known (a ``known`` one from reading the cells, a cross-table one, or an
    earlier schema failure of the same row) is left out.
    """
    items = frames["items"]
    problems = checks.relisted_resolved(items) + checks.business_unique(items)
    if check_status_counts and counted == "indicators":
        problems = checks.evaluation_counts_match(frames["indicator_evaluations"],
                                                  frames["status_summary"], report_year) + problems
    elif check_status_counts:
        problems = checks.status_counts_match(items, frames["status_summary"],
                                              report_year) + problems
    if report_year is not None:
        problems += checks.indicator_years_plausible(frames["indicators"], report_year)
    located = [Failure(source=source, **_with_provenance(problem, items)) for problem in problems]
    causes = [*known, *located]
    failures: list[Failure] = []
    for table, declared in TABLES.items():
        try:
            declared.model.validate(frames[table], lazy=True)
        except pa.errors.SchemaErrors as errors:
            for failure in _schema_failures(errors.failure_cases, frames[table], table, source):
                if not any(_follows_from(failure, cause) for cause in causes):
                    failures.append(failure)
                    causes.append(failure)
    return failures + located


# A cell's failure also covers the columns derived from it; a failure of one of these
# codes covers its whole row (a re-listed row without an original has no values).
_DERIVED = {"status_mark": {"status_mark", "status"}}
_WHOLE_ROW = {"relisted_unresolved", "duplicate_business"}


def _follows_from(failure: Failure, cause: Failure) -> bool:
    if failure is cause or failure.row is None or (failure.table, failure.row) != (cause.table, cause.row):
        return False
    if cause.code in _WHOLE_ROW:
        return True
    return failure.column in _DERIVED.get(cause.column or "", {cause.column})


def _schema_failures(cases: pd.DataFrame, frame: pd.DataFrame, table: str, source: str
                     ) -> list[Failure]:
    failures = []
    for case in cases.itertuples():
        index = case.index if isinstance(case.index, int) else None
        row = _row_of(frame, index)
        failures.append(Failure(
            code="schema", source=source, table=table, row=row["row_no"], page=row["page"],
            line=row["line"], column=None if pd.isna(case.column) else str(case.column),
            value=None if pd.isna(case.failure_case) else str(case.failure_case),
            message=describe_check(str(case.check))))
    return failures


_CHECK_WORDS = (
    ("not_nullable", "is empty, but the column is required"),
    ("str_matches", "does not have the required form"),
    ("greater_than_or_equal_to", "is below the lowest allowed value"),
    ("less_than_or_equal_to", "is above the highest allowed value"),
    ("isin", "is not one of the allowed values"),
    ("unique", "repeats the key of another row"),
    ("column_in_dataframe", "is missing"),
    ("dtype", "has the wrong type"),
)


def describe_check(check: str) -> str:
    """A pandera check name as words a reader of the failure list understands."""
    for name, words in _CHECK_WORDS:
        if name in check:
            return f"{words} ({check})"
    return f"fails the check {check}"


def _row_of(frame: pd.DataFrame, index: int | None) -> dict[str, int | None]:
    found: dict[str, int | None] = {"row_no": None, "page": None, "line": None}
    if index is None or index not in frame.index:
        return found
    record = frame.loc[index]
    for key, column in (("row_no", "row_no"), ("page", "source_page"), ("line", "source_line")):
        if column in frame.columns and not pd.isna(record[column]):
            found[key] = int(record[column])
    return found


def _with_provenance(problem: dict[str, Any], items: pd.DataFrame) -> dict[str, Any]:
    located = dict(problem)
    if problem["table"] == "items" and problem["row"] is not None:
        row = _row_of(items, int(problem["row"]) - 1)  # items are indexed by row_no - 1
        located.update(page=row["page"], line=row["line"])
    return located
