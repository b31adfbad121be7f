"""`pipeline diff`'s orchestrator: read two reports, diff them, write one folder.

OLD and NEW are folders written by `pipeline run`, or report files converted first
into a temporary folder; the result is written atomically like a report folder.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.compare.diff import (
    report_years,
    EVALUATION_COLUMNS,
    INDICATOR_COLUMNS,
    ITEM_COLUMNS,
    DiffResult,
    ReportTables,
    diff_reports,
    grade_rank,
)
from pipeline.compare.diff_report import render_html, render_markdown
from pipeline.errors import InputError, OutputError
from pipeline.job import SUFFIXES, ReportInput, RunSettings, report_files
from pipeline.batch.report import convert
from pipeline.output.swap import STAGING, remove_leftovers, staging_tag
from pipeline.output.write import write_folder
from schemas.registry import DIFF_TABLES


DEFAULT_DIFF_DIR = Path("normalized") / "diff"


def diff_paths(old: Path, new: Path, out_dir: Path | None = None, csv_bom: bool = True,
               profile: Path | None = None, lang: str = "ja") -> tuple[DiffResult, Path]:
    """Read both reports, diff them, write DIR (default normalized/diff/<old>__<new>/).

    Report files are converted in a work folder beside the output (not in $TMPDIR), so
    what a killed diff leaves there is removed by the next one. ``profile``: the layout
    profile file for report files (None: the built-in that fits). ``lang``: the language
    of summary.md and summary.html (ja, en).
    """
    base = out_dir.parent if out_dir is not None else DEFAULT_DIFF_DIR
    try:
        base.mkdir(parents=True, exist_ok=True)
        remove_leftovers(base)
        work = Path(tempfile.mkdtemp(prefix=f".diff-work{STAGING}{staging_tag()}", dir=base))
    except OSError as error:
        raise OutputError(f"{base}: cannot write the diff's folder ({error.strerror or error}).") from None
    try:
        old_tables = read_report(old, work / "old", profile)
        new_tables = read_report(new, work / "new", profile)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = diff_reports(old_tables, new_tables)
    target = out_dir or base / f"{old_tables.report_id}__{new_tables.report_id}"
    try:
        write_folder(target, {"item_changes": result.item_changes,
                              "indicator_changes": result.indicator_changes,
                              "indicator_evaluation_changes": result.evaluation_changes},
                     {"summary.md": render_markdown(result, lang),
                      "summary.html": render_html(result, lang)},
                     csv_bom, workbook=("diff.xlsx", DIFF_TABLES))
    except OSError as error:
        raise OutputError(f"{target}: cannot write the diff ({error.strerror or error}).") from None
    return result, target


def year_warning(result: DiffResult) -> str | None:
    """A sentence when NEW is not a later fiscal year than OLD (the arguments swapped?)."""
    old, new = result.old, result.new
    if new.fiscal_year > old.fiscal_year:
        return None
    if new.fiscal_year == old.fiscal_year:  # swapping would not help
        return (f"NEW ({new.report_id}, FY{new.fiscal_year}) is the same fiscal year as OLD "
                f"({old.report_id}, FY{old.fiscal_year}): the changes are between two reports "
                "of one year (another printing, or a corrected report), not a year's progress.")
    return (f"NEW ({new.report_id}, FY{new.fiscal_year}) is an earlier fiscal year than OLD "
            f"({old.report_id}, FY{old.fiscal_year}); the changes read from OLD to NEW as "
            "given — swap the arguments if you meant the other way.")


def read_report(path: Path, work_dir: Path, profile: Path | None = None) -> ReportTables:
    """A normalised folder as it is, or a report file (or report folder of several files)
    converted into work_dir first."""
    report = ReportInput.of_file(path)
    if path.is_dir():
        if (path / "items.parquet").is_file() or not report_files(path):
            return read_report_folder(path)
        report = ReportInput.of_folder(path)
    elif not path.exists():
        raise InputError(f"{path}: no such file or folder.")
    elif path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path}: neither a folder written by `pipeline run` nor a report "
                         "file (.pdf, .txt, .tsv, .md, .xlsx, .docx).")
    outcome = convert(report, RunSettings(out_dir=work_dir, csv_bom=False, profile=profile))
    if outcome.output is None:
        if outcome.failures:
            raise InputError(f"{outcome.error}; `pipeline run {path}` lists them.")
        raise InputError(str(outcome.error))
    return read_report_folder(outcome.output)


def read_report_folder(folder: Path) -> ReportTables:
    """items and indicators of a folder written by `pipeline run`; its id from report.json."""
    items = _read_parquet(folder, "items", ITEM_COLUMNS)
    indicators = _read_parquet(folder, "indicators", INDICATOR_COLUMNS)
    report_id, report = folder.name, {}
    if (folder / "report.json").is_file():
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        report_id = report.get("report_id", report_id)
    years = report_years(items, report)
    if len(years) != 1:
        raise InputError(f"{folder / 'items.parquet'}: the items report on {len(years)} fiscal "
                         "years; a diff needs exactly one.")
    summary = _read_parquet(folder, "status_summary", ("status_mark", "grade_rank", "label"))
    grades = tuple((str(mark), grade_rank(rank))
                   for mark, rank in zip(summary["status_mark"], summary["grade_rank"]))
    grade_words = tuple((str(mark), label) for mark, label in
                        zip(summary["status_mark"], summary["label"]) if isinstance(label, str))
    evaluations = _read_parquet(folder, "indicator_evaluations", EVALUATION_COLUMNS)
    return ReportTables(report_id, years[0], items, indicators, grades, grade_words, evaluations)


def _read_parquet(folder: Path, table: str, columns: tuple[str, ...]) -> pd.DataFrame:
    path = folder / f"{table}.parquet"
    if not path.is_file():
        raise InputError(f"{folder}: no {table}.parquet in this folder; give a folder written "
                         "by `pipeline run`, or a report file.")
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: not a readable Parquet file ({error}).") from error
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise InputError(f"{path}: the column(s) {', '.join(missing)} are missing; "
                         "convert the report again with `pipeline run`.")
    return frame
