"""One converted report as the diff and the history read it back: a folder written by
`pipeline run` (its tables as Parquet and report.json) becomes one ``ReportFolder``.

``read_report_folder`` reads only the columns the comparisons use, by name (a folder may
carry more: provenance, grades), and refuses a missing or unreadable file, or a missing
column, in one sentence naming the folder or the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from pipeline.errors import InputError

# The columns read of each table; a folder whose tables lack one is refused.
ITEM_COLUMNS = ("row_no", "fiscal_year", "measure_id", "goal_no", "policy_no", "measure_no",
                "measure_name", "business", "starred", "status_mark", "status", "grade_rank",
                "change_reason", "result", "plan_next", "plan_next_tag", "plan_next_fy",
                "plan_later", "departments", "is_relisted")
INDICATOR_COLUMNS = ("goal_no", "goal", "measure_id", "indicator", "kind", "fiscal_year",
                     "qualifier", "value", "unit", "approx", "denominator", "raw")
EVALUATION_COLUMNS = ("goal_no", "measure_id", "indicator", "evaluation_mark", "grade_rank",
                      "status", "label", "raw")
SUMMARY_COLUMNS = ("status_mark", "grade_rank", "label")
# What a folder should be, for the sentence refusing one that is not.
WRITTEN_BY_RUN = "a folder written by `pipeline run`"


@dataclass(frozen=True, eq=False)
class ReportFolder:
    """One normalised report: its tables, report.json and where it was read from."""

    report_id: str
    fiscal_year: int
    items: pd.DataFrame
    indicators: pd.DataFrame
    # indicator_evaluations; None: the report's evaluations were not read (a frame built
    # by hand), so they are not compared
    evaluations: pd.DataFrame | None = None
    # The report's grade scale as its status counts list it: (mark, rank; 1 = best, None
    # for "not assessed"), so that a grade no item has is still a row of the movements.
    grades: tuple[tuple[str, int | None], ...] = ()
    # mark → the words its status counts print beside it (予定どおり取り組んだ), for a legend
    grade_words: tuple[tuple[str, str], ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)  # report.json
    folder: Path | None = None

    @property
    def municipality(self) -> str | None:
        return self.facts.get("municipality")

    @property
    def title(self) -> str | None:
        return self.facts.get("title")

    @property
    def input_format(self) -> str | None:
        return self.facts.get("input_format")

    @property
    def source_sha256(self) -> str | None:
        return self.facts.get("source_sha256")

    @property
    def profile(self) -> str | None:
        """The layout profile the report was converted with (report.json's name for it)."""
        return self.facts.get("profile")


def read_report_folder(folder: Path, expected: str = WRITTEN_BY_RUN) -> ReportFolder:
    """The report a folder written by `pipeline run` holds; its id from report.json (the
    folder's name where report.json names none), its fiscal year from its items (or
    report.json, for a report with no item table). ``expected`` is what the caller asks
    for, named in the sentence refusing a folder without a table."""
    items = read_columns(folder, "items", ITEM_COLUMNS, expected)
    indicators = read_columns(folder, "indicators", INDICATOR_COLUMNS, expected)
    evaluations = read_columns(folder, "indicator_evaluations", EVALUATION_COLUMNS, expected)
    summary = read_columns(folder, "status_summary", SUMMARY_COLUMNS, expected)
    facts = read_facts(folder, expected)
    years = report_years(items, facts)
    if len(years) != 1:
        raise InputError(f"{folder / 'items.parquet'}: the items report on {len(years)} fiscal "
                         "years; a report folder holds the report of one fiscal year.")
    grades = tuple((str(mark), _rank(rank))
                   for mark, rank in zip(summary["status_mark"], summary["grade_rank"]))
    grade_words = tuple((str(mark), label) for mark, label in
                        zip(summary["status_mark"], summary["label"]) if isinstance(label, str))
    return ReportFolder(facts.get("report_id") or folder.name, years[0], items, indicators,
                        evaluations, grades, grade_words, facts, folder)


def read_columns(folder: Path, table: str, columns: tuple[str, ...],
                 expected: str = WRITTEN_BY_RUN) -> pd.DataFrame:
    """These columns of one table of the folder, by name."""
    path = folder / f"{table}.parquet"
    if not path.is_file():
        raise InputError(f"{folder}: no {table}.parquet in this folder; give {expected}.")
    try:
        names = set(pq.read_schema(path).names)
        missing = [column for column in columns if column not in names]
        if missing:
            raise InputError(f"{path}: the column(s) {', '.join(missing)} are missing; "
                             "convert the report again with `pipeline run`.")
        return pd.read_parquet(path, columns=list(columns))
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: not a readable Parquet file ({error}).") from error


def read_facts(folder: Path, expected: str = WRITTEN_BY_RUN) -> dict[str, Any]:
    """report.json of the folder, which must be a JSON object."""
    path = folder / "report.json"
    if not path.is_file():
        raise InputError(f"{folder}: no report.json in this folder; give {expected}.")
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: not a readable report.json ({error}).") from error
    if not isinstance(facts, dict):
        raise InputError(f"{path}: not a readable report.json (not a JSON object).")
    return facts


def report_years(items: pd.DataFrame, facts: dict[str, Any]) -> list[int]:
    """The fiscal years a report folder is on: its items', or, for a report printing no
    attachment, report.json's (read off its title or its headers)."""
    years = sorted({int(year) for year in items["fiscal_year"].dropna()})
    if not years and isinstance(facts.get("fiscal_year"), int):
        return [facts["fiscal_year"]]
    return years


def _rank(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
