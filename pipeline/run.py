"""The orchestrator of one report: reads it, calls the stages in order, writes outputs.

read → structure → tidy (normalise) → resolve 再掲 → validate → write. Many inputs,
in parallel and incrementally, are ``batch.py``'s job.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.datapackage import datapackage
from pipeline.errors import Failure, InputError, PipelineError, ValidationFailed
from pipeline.extract.text import decode_report_bytes, text_to_document
from pipeline.job import TEXT_SUFFIXES, Outcome, RunSettings, file_sha256
from pipeline.profiles import Profile
from pipeline.profiles import resolve as resolve_profile
from pipeline.records import Document
from pipeline.relisted import resolve_relisted
from pipeline.repair import repair_document
from pipeline.structure import choose_profile, document_to_report
from pipeline.tidy_front import (
    footnotes_to_records,
    indicator_tables_to_records,
    status_rows_to_records,
    title_and_municipality,
)
from pipeline.tidy_items import item_departments, raw_items_to_records, unknown_departments
from pipeline.validate import records_to_frame, validate_tables
from pipeline.write import write_dataset_parts, write_report


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


def document_to_frames(document: Document, report_id: str,
                       profile: Profile | Path | None = None
                       ) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """All stages after reading; raises ValidationFailed with every failure found.

    ``profile`` None: the built-in profile that fits the report's headers.
    """
    source = document.source
    document = repair_document(document)
    profile = choose_profile(document) if profile is None else resolve_profile(profile)
    raw = document_to_report(document, profile)
    items, mentions, failures = raw_items_to_records(raw.items, report_id, source, profile,
                                                     raw.grades)
    items, relisted_failures = resolve_relisted(items, source, profile)
    records = {
        "items": items,
        "item_departments": item_departments(items),
        "indicators": indicator_tables_to_records(raw.indicator_tables, report_id, source, profile),
        "status_summary": status_rows_to_records(raw.status_rows, report_id, source, raw.grades),
        "footnotes": footnotes_to_records(raw.footnotes, report_id, profile),
        "date_mentions": mentions,
    }
    frames = {table: records_to_frame(table, rows) for table, rows in records.items()}
    fiscal_years = sorted({int(y) for y in frames["items"]["fiscal_year"]})
    fiscal_year = fiscal_years[0] if len(fiscal_years) == 1 else None
    failures += relisted_failures + validate_tables(frames, fiscal_year, source)
    if len(fiscal_years) != 1:
        failures.append(Failure(code="fiscal_year_mixed", source=source, table="items",
                                column="fiscal_year", value=str(fiscal_years),
                                message="the attachment pages report on different fiscal years"))
    if failures:
        raise ValidationFailed(source, failures)
    title, municipality = title_and_municipality(raw.title, profile)
    meta = {"title": title, "municipality": municipality, "fiscal_year": fiscal_year,
            "profile": profile.name,
            "legend": [asdict(entry) for entry in raw.legend],
            "warnings": unknown_departments(records["item_departments"], profile)}
    return frames, meta


def convert(path: Path, settings: RunSettings) -> Outcome:
    """One input → DIR/<report_id>/ (and its dataset parts), or an Outcome saying why not."""
    started = time.perf_counter()
    outcome = Outcome(path=path, report_id=path.stem)
    try:
        document = read_document(path)
        outcome.pages = document.page_count
        frames, meta = document_to_frames(document, outcome.report_id, settings.profile)
    except ValidationFailed as failed:
        outcome.error, outcome.failures = str(failed), failed.failures
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
    }
    package = datapackage(outcome.report_id, meta["title"],
                          "utf-8-sig" if settings.csv_bom else "utf-8")
    outcome.output = write_report(settings.out_dir, outcome.report_id, frames, report, package,
                                  settings.csv_bom)
    if settings.dataset:
        write_dataset_parts(settings.out_dir / "dataset", outcome.report_id, meta["fiscal_year"],
                            frames)
