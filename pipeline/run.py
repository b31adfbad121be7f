"""The orchestrator of one report: reads it, calls the stages in order, writes outputs.

read → structure → tidy (normalise) → resolve 再掲 → validate → write. Many inputs,
in parallel and incrementally, are ``batch.py``'s job.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.datapackage import datapackage
from pipeline.errors import Failure, InputError, PipelineError, ValidationFailed
from pipeline.extract.text import decode_report_bytes, text_to_document
from pipeline.job import TEXT_SUFFIXES, Outcome, RunSettings, file_sha256
from pipeline.records import Document
from pipeline.relisted import resolve_relisted
from pipeline.structure import document_to_report
from pipeline.tidy_front import (
    footnotes_to_records,
    indicator_tables_to_records,
    status_rows_to_records,
    title_and_municipality,
)
from pipeline.tidy_items import item_departments, raw_items_to_records
from pipeline.validate import validate_tables
from pipeline.write import write_dataset_parts, write_report
from schemas.registry import TABLES


def read_document(path: Path) -> Document:
    """The reader for the file's format; a file that cannot be read is an InputError."""
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if not path.is_file():
        raise InputError(f"{path}: not a file.")
    if path.suffix.lower() == ".pdf":
        from pipeline.extract.pdf import pdf_to_document  # pdfplumber only when needed

        return pdf_to_document(path)
    text = decode_report_bytes(path.read_bytes(), path.name)
    return text_to_document(text, path.name, TEXT_SUFFIXES.get(path.suffix.lower(), "text"))


def document_to_frames(document: Document, report_id: str
                       ) -> tuple[dict[str, pd.DataFrame], dict[str, Any], list[Failure]]:
    """All stages after reading: (tables, report metadata, warnings).

    Raises ValidationFailed with every failure (severity "error") found, and the warnings.
    """
    source = document.source
    raw = document_to_report(document)
    items, mentions, failures = raw_items_to_records(raw.items, report_id, source)
    items, relisted_failures = resolve_relisted(items, source)
    records = {
        "items": items,
        "item_departments": item_departments(items),
        "indicators": indicator_tables_to_records(raw.indicator_tables, report_id, source),
        "status_summary": status_rows_to_records(raw.status_rows, report_id, source),
        "footnotes": footnotes_to_records(raw.footnotes, report_id),
        "date_mentions": mentions,
    }
    frames = {name: table.to_frame(records.pop(name)) for name, table in TABLES.items()}
    if records:
        raise TypeError(f"records of tables the registry does not declare: {sorted(records)}")
    fiscal_years = sorted({int(y) for y in frames["items"]["fiscal_year"]})
    fiscal_year = fiscal_years[0] if len(fiscal_years) == 1 else None
    failures += relisted_failures
    failures += validate_tables(frames, fiscal_year, source, known=failures)
    if len(fiscal_years) != 1:
        failures.append(Failure(code="fiscal_year_mixed", source=source, table="items",
                                column="fiscal_year", value=str(fiscal_years),
                                message="the attachment pages report on different fiscal years"))
    errors = [failure for failure in failures if failure.severity == "error"]
    warnings = [failure for failure in failures if failure.severity == "warning"]
    if errors:
        raise ValidationFailed(source, errors, warnings)
    title, municipality = title_and_municipality(raw.title)
    meta = {"title": title, "municipality": municipality, "fiscal_year": fiscal_year}
    return frames, meta, warnings


def convert(path: Path, settings: RunSettings) -> Outcome:
    """One input → DIR/<report_id>/ (and its dataset parts), or an Outcome saying why not."""
    started = time.perf_counter()
    outcome = Outcome(path=path, report_id=path.stem)
    try:
        document = read_document(path)
        outcome.pages = document.page_count
        frames, meta, outcome.warnings = document_to_frames(document, outcome.report_id)
    except ValidationFailed as failed:
        outcome.error, outcome.failures = str(failed), failed.failures
        outcome.warnings = failed.warnings
    except PipelineError as error:
        outcome.error = str(error)
    else:
        outcome.sha256 = file_sha256(path)
        _write(outcome, document, frames, meta, settings)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _write(outcome: Outcome, document: Document, frames: dict[str, pd.DataFrame],
           meta: dict[str, Any], settings: RunSettings) -> None:
    outcome.counts = {table: len(frame) for table, frame in frames.items()}
    report = meta | {
        "report_id": outcome.report_id, "source_file": outcome.path.name,
        "source_sha256": outcome.sha256, "input_format": document.input_format,
        "page_count": document.page_count, "pipeline_version": __version__,
        "row_counts": outcome.counts, "validation": {"valid": True, "failures": []},
        "warnings": [dataclasses.asdict(warning) for warning in outcome.warnings],
    }
    package = datapackage(outcome.report_id, meta["title"],
                          "utf-8-sig" if settings.csv_bom else "utf-8")
    outcome.output = write_report(settings.out_dir, outcome.report_id, frames, report, package,
                                  settings.csv_bom)
    if settings.dataset:
        write_dataset_parts(settings.out_dir / "dataset", outcome.report_id, meta["fiscal_year"],
                            frames)
