"""The orchestrator of one report: reads it, calls the stages in order, writes outputs.

read → structure → tidy (normalise) → resolve 再掲 → validate → write. Many inputs,
in parallel and incrementally, are ``batch.py``'s job.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.bundle import combine_parts
from pipeline.datapackage import datapackage
from pipeline.errors import Failure, InputError, PipelineError, ValidationFailed
from pipeline.extract.text import decode_report_bytes, text_to_document
from pipeline.job import TEXT_SUFFIXES, Outcome, ReportInput, RunSettings, input_sha256
from pipeline.records import Document
from pipeline.relisted import resolve_relisted
from pipeline.structure import classify_grid, document_to_report
from pipeline.tidy_front import (
    footnotes_to_records,
    indicator_tables_to_records,
    status_rows_to_records,
    title_and_municipality,
)
from pipeline.tidy_items import item_departments, raw_items_to_records
from pipeline.validate import records_to_frame, validate_tables
from pipeline.write import write_dataset_parts, write_report


# xlrd reads .xls merges but is kept for .xls alone and no further; nothing well kept reads .doc.
_OLD_OFFICE = {
    ".xls": "Excel 97–2003 workbooks (.xls) are not read; open it in Excel or LibreOffice "
            "and save it as .xlsx, or print it to PDF.",
    ".doc": "Word 97–2003 documents (.doc) are not read; open it in Word or LibreOffice "
            "and save it as .docx, or print it to PDF.",
}


def read_report(report: ReportInput) -> Document:
    """A report's Document: its one file's, or its folder's parts combined."""
    if not report.bundle:
        return read_document(report.paths[0])
    if not report.paths:
        raise InputError(f"{report.location}: the folder holds no report files.")
    parts = [read_document(path) for path in report.paths]
    return combine_parts(parts, classify_grid, report.report_id)


def read_document(path: Path) -> Document:
    """The reader for the file's format; a file that cannot be read is an InputError."""
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if not path.is_file():
        raise InputError(f"{path}: not a file.")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pipeline.extract.pdf import pdf_to_document  # pdfplumber only when needed

        return pdf_to_document(path)
    if suffix == ".xlsx":
        from pipeline.extract.xlsx import xlsx_to_document

        return xlsx_to_document(path)
    if suffix == ".docx":
        from pipeline.extract.docx import docx_to_document

        return docx_to_document(path)
    if suffix in _OLD_OFFICE:
        raise InputError(f"{path.name}: {_OLD_OFFICE[suffix]}")
    text = decode_report_bytes(path.read_bytes(), path.name)
    return text_to_document(text, path.name, TEXT_SUFFIXES.get(path.suffix.lower(), "text"))


SKIPPED_STATUS_CHECK = ("status counts not checked: the report has no front part "
                        "(status counts, indicators), only its attachment")


def document_to_frames(document: Document, report_id: str) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """All stages after reading; raises ValidationFailed with every failure found."""
    source = document.source
    raw = document_to_report(document)
    items, mentions, failures = raw_items_to_records(raw.items, report_id, source)
    items, relisted_failures = resolve_relisted(items, source)
    records = {
        "items": items,
        "item_departments": item_departments(items),
        "indicators": indicator_tables_to_records(raw.indicator_tables, report_id, source),
        "status_summary": status_rows_to_records(raw.status_rows, report_id, source),
        "footnotes": footnotes_to_records(raw.footnotes, report_id, source),
        "date_mentions": mentions,
    }
    frames = {table: records_to_frame(table, rows) for table, rows in records.items()}
    fiscal_years = sorted({int(y) for y in frames["items"]["fiscal_year"]})
    fiscal_year = fiscal_years[0] if len(fiscal_years) == 1 else None
    # A report of only its attachment (a user who downloaded just the 別紙) has no
    # counts to check the items against: the check is reported as skipped, not passed.
    has_front = bool(raw.status_rows or raw.indicator_tables)
    failures += relisted_failures + validate_tables(frames, fiscal_year, source,
                                                    check_status_counts=has_front)
    if len(fiscal_years) != 1:
        failures.append(Failure(code="fiscal_year_mixed", source=source, table="items",
                                column="fiscal_year", value=str(fiscal_years),
                                message="the attachment pages report on different fiscal years"))
    if failures:
        raise ValidationFailed(source, failures)
    title, municipality = title_and_municipality(raw.title)
    meta = {"title": title, "municipality": municipality, "fiscal_year": fiscal_year,
            "checks_skipped": [] if has_front else [SKIPPED_STATUS_CHECK]}
    return frames, meta


def convert(report: ReportInput | Path, settings: RunSettings) -> Outcome:
    """One input → DIR/<report_id>/ (and its dataset parts), or an Outcome saying why not."""
    started = time.perf_counter()
    if isinstance(report, Path):
        report = ReportInput.of_file(report)
    outcome = Outcome(path=report.location, report_id=report.report_id)
    try:
        document = read_report(report)
        outcome.pages = document.page_count
        frames, meta = document_to_frames(document, outcome.report_id)
    except ValidationFailed as failed:
        outcome.error, outcome.failures = str(failed), failed.failures
    except PipelineError as error:
        outcome.error = str(error)
    else:
        outcome.sha256, outcome.sources = input_sha256(report)
        outcome.notes = list(meta["checks_skipped"])
        _write(outcome, document, frames, meta, settings)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _write(outcome: Outcome, document: Document, frames: dict[str, pd.DataFrame],
           meta: dict[str, Any], settings: RunSettings) -> None:
    outcome.counts = {table: len(frame) for table, frame in frames.items()}
    checks_skipped = meta.pop("checks_skipped")
    report = meta | {
        "report_id": outcome.report_id, "source_file": outcome.path.name,
        "source_sha256": outcome.sha256,
        "source_files": [{"file": name, "sha256": sha} for name, sha in outcome.sources.items()],
        "input_format": document.input_format,
        "page_count": document.page_count, "skipped_hidden": document.skipped,
        "pipeline_version": __version__, "row_counts": outcome.counts,
        "validation": {"valid": True, "failures": [], "checks_skipped": checks_skipped},
    }
    package = datapackage(outcome.report_id, meta["title"],
                          "utf-8-sig" if settings.csv_bom else "utf-8")
    outcome.output = write_report(settings.out_dir, outcome.report_id, frames, report, package,
                                  settings.csv_bom)
    if settings.dataset:
        write_dataset_parts(settings.out_dir / "dataset", outcome.report_id, meta["fiscal_year"],
                            frames)
