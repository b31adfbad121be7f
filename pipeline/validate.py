"""Records → typed DataFrames, checked against the schemas; problems become Failures."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.errors import Failure
from schemas import TABLES, checks


def records_to_frame(table: str, records: list[dict[str, Any]]) -> pd.DataFrame:
    """A DataFrame with exactly the schema's columns, in its order and dtypes."""
    schema = TABLES[table][0].to_schema()
    frame = pd.DataFrame.from_records(records, columns=list(schema.columns))
    for name, column in schema.columns.items():
        frame[name] = _as_dtype(frame[name], column.dtype.type)
    return frame


def _as_dtype(values: pd.Series, dtype: Any) -> pd.Series:
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Series(pd.Categorical(values.astype(object), categories=dtype.categories,
                                        ordered=dtype.ordered), index=values.index)
    if str(dtype) == "bool":
        return values.astype(object).fillna(False).astype(bool)
    if str(dtype) in ("str", "string"):
        return values.astype(object).where(values.notna(), None).astype("str").where(values.notna(), None)
    return values.astype(dtype)


def validate_tables(frames: dict[str, pd.DataFrame], report_year: int | None, source: str,
                    check_status_counts: bool = True) -> list[Failure]:
    """Every table against its model (lazily), then the cross-table rules (the status
    counts only when ``check_status_counts``: a report without its front part has none)."""
    failures: list[Failure] = []
    for table, (model, _) in TABLES.items():
        try:
            model.validate(frames[table], lazy=True)
        except pa.errors.SchemaErrors as errors:
            failures.extend(_schema_failures(errors.failure_cases, frames[table], table, source))
    items = frames["items"]
    problems = checks.relisted_resolved(items) + checks.business_unique(items)
    if check_status_counts:
        problems = checks.status_counts_match(items, frames["status_summary"]) + problems
    if report_year is not None:
        problems += checks.indicator_years_plausible(frames["indicators"], report_year)
    failures.extend(Failure(source=source, **_with_provenance(problem, items))
                    for problem in problems)
    return failures


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
    found = {"row_no": None, "page": None, "line": None}
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
