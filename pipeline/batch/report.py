"""One report's job: read it, run the stages (``tidy/frames.py``), write its folder.

read (``read/``) → structure → tidy (normalise) → resolve 再掲 → validate → write.
Many inputs, in parallel and incrementally, are ``batch/__init__.py``'s job.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.output.datapackage import datapackage
from pipeline.errors import InputError
from pipeline.tidy.frames import document_to_frames, profile_choice
from pipeline.job import InputKey, Outcome, ReportInput, RunSettings, failures_recorded
from pipeline.batch.reading import read_outcome
from pipeline.records import Document
from pipeline.output.state import input_key
from pipeline.output.write import write_report
from schemas.registry import TABLES


def load_stages() -> None:
    """Load, once in a run's own process, what the stages load on first use: pandera's
    backends (and whatever pandera imports with them) and pandas' CSV writer. Every
    report's stages run in a child forked from that process, which would otherwise
    load them again: about 0.2 s a report."""
    for table in TABLES.values():
        frame = table.to_frame([])
        table.model.validate(frame, lazy=True)
        frame.to_csv(io.StringIO(), index=False)


def convert(target: Path | ReportInput, settings: RunSettings,
            key: InputKey | None = None) -> Outcome:
    """One report → DIR/<report_id>/ (and its dataset parts), or an Outcome saying why not.

    Every exception inside the conversion becomes this report's failure: a batch never
    stops for one report.
    """
    report = target if isinstance(target, ReportInput) else ReportInput.of_file(target)
    document, outcome = read_outcome(report, settings)
    if document is None:
        return outcome
    return convert_document(report, document, outcome, settings, key)


def convert_document(report: ReportInput, document: Document, outcome: Outcome,
                     settings: RunSettings, key: InputKey | None = None) -> Outcome:
    """The stages after reading, on the Document ``read_outcome`` gave with ``outcome``."""
    started = time.perf_counter() - outcome.seconds
    with failures_recorded(outcome, report, settings):
        _convert(report, document, settings, key, outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _convert(report: ReportInput, document: Document, settings: RunSettings,
             key: InputKey | None, outcome: Outcome) -> None:
    key = key or input_key(report, settings)
    outcome.pages = document.page_count
    profile, chosen_why = profile_choice(document, settings.layout_profile)
    frames, meta, outcome.warnings = document_to_frames(document, report.report_id, profile)
    meta["profile_chosen"] = chosen_why  # why the profile fits, where none was given
    checks_skipped = meta.pop("checks_skipped")
    outcome.notes.extend(checks_skipped)
    outcome.notes.extend(f"the table starting {table['first_cell']!r} ({table['source_ref']}) "
                         f"was skipped: {table['why']}" for table in meta["skipped_tables"])
    if input_key(report, settings).sources != key.sources:
        raise InputError(f"{report.given}: the file changed while it was being converted; "
                         "run again.")
    outcome.counts = {table: len(frame) for table, frame in frames.items()}
    report_json = meta | {
        "report_id": report.report_id, "source_file": report.given.name,
        # a folder of parts: see source_files
        "source_sha256": None if report.bundle else key.sources[0].sha256,
        "source_files": [{"file": source.name, "sha256": source.sha256}
                         for source in key.sources],
        "input_format": document.input_format,
        "page_count": document.page_count, "skipped_hidden": document.skipped,
        "pipeline_version": __version__, "row_counts": outcome.counts,
        "validation": {"valid": True, "failures": [], "checks_skipped": checks_skipped},
        "warnings": [asdict(warning) for warning in outcome.warnings],
    }
    if "pdf_backend_pages" in document.metadata:  # which parser read each PDF page
        report_json["pdf_backend_pages"] = json.loads(document.metadata["pdf_backend_pages"])
    if "pdf_pages" in document.metadata:  # every page by its page-tree position
        report_json["pages"] = json.loads(document.metadata["pdf_pages"])
    if "ocr" in document.metadata:  # the pages read by OCR, its engine, its doubts
        report_json["ocr"] = json.loads(document.metadata["ocr"])
    package = datapackage(report.report_id, meta["title"],
                          "utf-8-sig" if settings.csv_bom else "utf-8")
    outcome.output, outcome.seal = write_report(
        settings.out_dir, report.report_id, frames,
        {"report.json": report_json, "datapackage.json": package}, key, document.page_count,
        meta["fiscal_year"] if settings.dataset else None)


