"""`pipeline diff`'s orchestrator: read two reports, diff them, write one folder.

OLD and NEW are folders written by `pipeline run`, or report files converted first
into a temporary folder; the result is written atomically like a report folder.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pipeline.compare.diff import DiffResult, diff_reports
from pipeline.compare.folder import WRITTEN_BY_RUN, ReportFolder, read_report_folder
from pipeline.compare.diff_report import render_html, render_markdown
from pipeline.errors import InputError, OutputError
from pipeline.job import SUFFIXES, ReportInput, RunSettings, report_files
from pipeline.batch.report import convert
from pipeline.output.swap import STAGING, remove_leftovers, staging_tag
from pipeline.output.write import write_folder
from schemas.registry import DIFF_TABLES


DEFAULT_DIFF_DIR = Path("normalized") / "diff"
# What OLD and NEW may be, for the sentence refusing a folder that is neither.
EXPECTED = f"{WRITTEN_BY_RUN}, or a report file"


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


def read_report(path: Path, work_dir: Path, profile: Path | None = None) -> ReportFolder:
    """A normalised folder as it is, or a report file (or report folder of several files)
    converted into work_dir first."""
    report = ReportInput.of_file(path)
    if path.is_dir():
        if (path / "items.parquet").is_file() or not report_files(path):
            return read_report_folder(path, EXPECTED)
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

