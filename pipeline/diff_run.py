"""`pipeline diff`'s orchestrator: read two reports, diff them, write one folder.

OLD and NEW are folders written by `pipeline run`, or report files converted first
into a temporary folder; the result is written atomically like a report folder.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.diff import (
    INDICATOR_COLUMNS,
    ITEM_COLUMNS,
    DiffResult,
    ReportTables,
    diff_reports,
)
from pipeline.diff_report import render_html, render_markdown
from pipeline.errors import InputError
from pipeline.job import SUFFIXES, ReportInput, RunSettings, report_files
from pipeline.run import convert
from pipeline.write import write_folder


def diff_paths(old: Path, new: Path, out_dir: Path | None = None, csv_bom: bool = True
               ) -> tuple[DiffResult, Path]:
    """Read both reports, diff them, write DIR (default normalized/diff/<old>__<new>/)."""
    with tempfile.TemporaryDirectory(prefix="pipeline-diff-") as work:
        old_tables = read_report(old, Path(work) / "old")
        new_tables = read_report(new, Path(work) / "new")
    result = diff_reports(old_tables, new_tables)
    ids = f"{old_tables.report_id}__{new_tables.report_id}"
    target = out_dir or Path("normalized") / "diff" / ids
    write_folder(target, {"item_changes": result.item_changes,
                          "indicator_changes": result.indicator_changes},
                 {"summary.md": render_markdown(result), "summary.html": render_html(result)},
                 csv_bom)
    return result, target


def read_report(path: Path, work_dir: Path) -> ReportTables:
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
    outcome = convert(report, RunSettings(out_dir=work_dir, csv_bom=False))
    if outcome.output is None:
        if outcome.failures:
            raise InputError(f"{outcome.error}; `pipeline run {path}` lists them.")
        raise InputError(str(outcome.error))
    return read_report_folder(outcome.output)


def read_report_folder(folder: Path) -> ReportTables:
    """items and indicators of a folder written by `pipeline run`; its id from report.json."""
    items = _read_parquet(folder, "items", ITEM_COLUMNS)
    indicators = _read_parquet(folder, "indicators", INDICATOR_COLUMNS)
    report_id = folder.name
    if (folder / "report.json").is_file():
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        report_id = report.get("report_id", report_id)
    years = sorted({int(year) for year in items["fiscal_year"].dropna()})
    if len(years) != 1:
        raise InputError(f"{folder / 'items.parquet'}: the items report on {len(years)} fiscal "
                         "years; a diff needs exactly one.")
    return ReportTables(report_id, years[0], items, indicators)


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
