"""`pipeline history`'s orchestrator: read every report folder in DIR, keep one report per
fiscal year, build the history, write HDIR atomically like a report folder."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.output.datapackage import datapackage
from pipeline.compare.diff import diff_reports
from pipeline.compare.diff_indicators import value_changes
from pipeline.compare.folder import ReportFolder, read_report_folder
from pipeline.errors import InputError, OutputError
from pipeline.compare.history import HistoryResult, build_history
from pipeline.compare.history_report import render_history_html
from pipeline.output.swap import remove_leftovers
from pipeline.output.write import write_folder
from schemas.registry import HISTORY_TABLES

# A text copy is made from the published document, so the document is preferred.
TEXT_FORMATS = ("text", "markdown")


def history_paths(directory: Path, out_dir: Path | None = None, csv_bom: bool = True,
                  lang: str = "ja") -> tuple[HistoryResult, Path]:
    """Read DIR's report folders, build the history, write HDIR (default DIR/history/);
    history.html in ``lang`` (``ja``, the default, or ``en``)."""
    found = [read_report_folder(folder) for folder in report_folders(directory)]
    _one_municipality(found, directory)
    kept, left_out = one_report_per_year(found, directory)
    result = dataclasses.replace(build_history(kept), left_out=tuple(left_out))
    target = out_dir or directory / "history"
    frames = {"item_history": result.item_history, "items": result.items,
              "indicator_history": result.indicator_history,
              "indicator_evaluation_history": result.indicator_evaluation_history}
    encoding = "utf-8-sig" if csv_bom else "utf-8"
    latest = result.reports[-1]
    documents = {"history.html": render_history_html(result, lang),
                 "history.json": _json(history_metadata(result)),
                 "datapackage.json": _json(datapackage(
                     f"history-fy{result.reports[0].fiscal_year}-fy{latest.fiscal_year}",
                     latest.title, encoding, HISTORY_TABLES))}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent)  # what a killed history (or run) left; live ones stay
        write_folder(target, frames, documents, csv_bom, workbook=("history.xlsx", HISTORY_TABLES))
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        raise OutputError(f"{target}: cannot write the history "
                          f"({error.strerror or error}{where}).") from None
    return result, target


def report_folders(directory: Path) -> list[Path]:
    """Sub-folders written by `pipeline run` (they hold report.json), by name."""
    if not directory.exists():
        raise InputError(f"{directory}: no such folder.")
    if not directory.is_dir():
        raise InputError(f"{directory}: not a folder; give the folder `pipeline run` wrote "
                         "(default normalized/).")
    folders = sorted(path for path in directory.iterdir()
                     if path.is_dir() and not path.name.startswith(".")
                     and (path / "report.json").is_file())
    if not folders:
        raise InputError(f"{directory}: no report folders (written by `pipeline run`) in this "
                         "folder.")
    return folders


def _one_municipality(found: list[ReportFolder], directory: Path) -> None:
    names = sorted({report.municipality or "(none)" for report in found})
    if len(names) > 1:
        raise InputError(f"{directory}: reports of {len(names)} municipalities "
                         f"({', '.join(names)}); a history follows one plan, so give a folder "
                         "of one municipality's reports.")


def one_report_per_year(found: list[ReportFolder], directory: Path
                        ) -> tuple[list[ReportFolder], list[tuple[str, str]]]:
    """One report per fiscal year, and (left-out id, kept id) for each other one.

    Rule: a report converted from the published document (PDF, or any format other than
    a text copy) is kept before a text or Markdown copy; then the smaller report_id. A
    left-out report must have the kept one's items and indicator values (the diff finds
    no change), or the history stops naming both.
    """
    by_year: dict[int, list[ReportFolder]] = {}
    for report in found:
        by_year.setdefault(report.fiscal_year, []).append(report)
    kept, left_out = [], []
    for year in sorted(by_year):
        ranked = sorted(by_year[year], key=_preference)
        kept.append(ranked[0])
        for other in ranked[1:]:
            _same_report(ranked[0], other, directory)
            left_out.append((other.report_id, ranked[0].report_id))
    return kept, left_out


def _preference(report: ReportFolder) -> tuple[bool, str, str]:
    folder_name = report.folder.name if report.folder is not None else ""
    return (report.input_format in (None, *TEXT_FORMATS), report.report_id, folder_name)


def _same_report(kept: ReportFolder, other: ReportFolder, directory: Path) -> None:
    result = diff_reports(kept, other)
    values = value_changes(result.indicator_changes)
    if result.item_changes.empty and values.empty:
        return
    if result.item_changes.empty:
        what = f"{len(values)} indicator value(s) differ"
    else:
        what = (f"their items differ: {len(result.item_changes)} change(s), the first "
                + _described(result.item_changes.iloc[0]))
    raise InputError(f"{kept.folder} and {other.folder} are both FY{kept.fiscal_year} "
                     f"reports, but {what}; keep one of them in {directory}.")


def _described(change: pd.Series) -> str:
    if change["change"] in ("added", "removed"):
        return f"{change['change']} {change['measure_id']} {change['business']}"
    if change["change"] == "renamed":
        return f"renamed {change['measure_id']} {change['old']} → {change['new']}"
    return (f"{change['field']} of {change['measure_id']} {change['business']}: "
            f"{change['old']} → {change['new']}")


def history_metadata(result: HistoryResult) -> dict[str, Any]:
    """history.json: the reports followed, the ones left out, row counts (no dates, no paths)."""
    latest = result.reports[-1]
    return {
        "municipality": latest.municipality, "title": latest.title,
        "fiscal_years": [report.fiscal_year for report in result.reports],
        "reports": [{"fiscal_year": r.fiscal_year, "report_id": r.report_id,
                     "input_format": r.input_format, "source_sha256": r.source_sha256}
                    for r in result.reports],
        "left_out": [{"report_id": left, "same_as": kept} for left, kept in result.left_out],
        "row_counts": {"item_history": len(result.item_history), "items": len(result.items),
                       "indicator_history": len(result.indicator_history),
                       "indicator_evaluation_history": len(result.indicator_evaluation_history
                                                           if result.indicator_evaluation_history
                                                           is not None else ())},
        "pipeline_version": __version__,
    }


def _json(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"
