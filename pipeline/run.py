"""The orchestrator of one report: reads it, calls the stages in order, writes outputs.

read (``read.py``) → structure → tidy (normalise) → resolve 再掲 → validate → write.
Many inputs, in parallel and incrementally, are ``batch.py``'s job.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.datapackage import datapackage
from pipeline.errors import Failure, InputError, ValidationFailed
from pipeline.job import Outcome, ReportInput, RunSettings, failures_recorded
from pipeline.normalize.era import parse_fiscal_year
from pipeline.profiles import Profile
from pipeline.profiles import resolve as resolve_profile
from pipeline.read import read_outcome
from pipeline.normalize.ids import SplitIdReader
from pipeline.records import Document
from pipeline.relisted import resolve_relisted
from pipeline.repair import repair_document
from pipeline.state import input_key
from pipeline.structure import RawReport, choose_profile, document_to_report
from pipeline.tidy_front import (
    footnotes_to_records,
    indicator_tables_to_tables,
    missing_footnotes,
    status_rows_to_records,
    title_and_municipality,
)
from pipeline.tidy_items import item_departments, raw_items_to_records, unknown_departments
from pipeline.validate import validate_tables
from pipeline.write import write_report
from schemas.registry import TABLES


SKIPPED_STATUS_CHECK = ("status counts not checked: the report has no front part "
                        "(status counts, indicators), only its attachment")
NO_ATTACHMENT_CHECK = ("status counts not checked: the report has no attachment table "
                       "(the profile's tables.items.required = false)")
NO_STATUS_TABLE_CHECK = ("status counts not checked: the report prints no status-count table "
                         "(the profile's tables.status_summary.required = false)")


def document_to_frames(document: Document, report_id: str,
                       profile: Profile | Path | None = None
                       ) -> tuple[dict[str, pd.DataFrame], dict[str, Any], list[Failure]]:
    """All stages after reading: (tables, report metadata, warnings).

    Raises ValidationFailed with every failure (severity "error") found, and the warnings.
    ``profile`` None: the built-in profile that fits the report's headers.
    """
    source = document.source
    document = repair_document(document)
    profile = choose_profile(document) if profile is None else resolve_profile(profile)
    raw = document_to_report(document, profile)
    items, mentions, failures = raw_items_to_records(raw.items, report_id, source, profile,
                                                     raw.grades)
    items, relisted_failures = resolve_relisted(items, source, profile)
    item_years = {item.fiscal_year for item in items}
    indicators = indicator_tables_to_tables(raw.indicator_tables, report_id, source, profile,
                                            next(iter(item_years)) if len(item_years) == 1 else None,
                                            id_reader=lambda: SplitIdReader(profile))
    records: dict[str, list[Any]] = {
        "items": items,
        "item_departments": item_departments(items),
        "indicators": indicators.indicators,
        "indicator_evaluations": indicators.evaluations,
        "status_summary": status_rows_to_records(raw.status_rows, report_id, source, raw.grades),
        "footnotes": footnotes_to_records(raw.footnotes, report_id, source, profile),
        "date_mentions": mentions,
    }
    notes_missing = missing_footnotes(records["indicators"], records["footnotes"], source)
    frames = {name: table.to_frame(records.pop(name)) for name, table in TABLES.items()}
    if records:
        raise TypeError(f"records of tables the registry does not declare: {sorted(records)}")
    fiscal_years = sorted({int(y) for y in frames["items"]["fiscal_year"]})
    if not raw.items and raw.title is not None:  # no attachment: the title's year
        fiscal_years = [year for year in [parse_fiscal_year(raw.title.text)] if year]
    fiscal_year = fiscal_years[0] if len(fiscal_years) == 1 else None
    failures += relisted_failures
    skipped_check = _status_check_skipped(raw, profile)
    failures += validate_tables(frames, fiscal_year, source, known=failures,
                                check_status_counts=skipped_check is None)
    if not raw.items and fiscal_year is None:
        failures.append(Failure(code="fiscal_year_unknown", source=source,
                                message="the report has no attachment and its title names no "
                                        "fiscal year"))
    elif len(fiscal_years) != 1:
        failures.append(Failure(code="fiscal_year_mixed", source=source, table="items",
                                column="fiscal_year", value=str(fiscal_years),
                                message="the attachment pages report on different fiscal years"))
    failures += unknown_departments(items, source, profile)
    failures += notes_missing
    failures += indicators.failures
    errors = [failure for failure in failures if failure.severity == "error"]
    warnings = [failure for failure in failures if failure.severity == "warning"]
    if errors:
        raise ValidationFailed(source, errors, warnings)
    title, municipality = title_and_municipality(raw.title, profile)
    meta = {"title": title, "municipality": municipality, "fiscal_year": fiscal_year,
            "profile": profile.name, "legend": [asdict(entry) for entry in raw.legend],
            "indicator_legend": [asdict(entry) for entry in raw.indicator_legend],
            "checks_skipped": [] if skipped_check is None else [skipped_check],
            "skipped_tables": [asdict(table) for table in raw.skipped_tables]}
    return frames, meta, warnings


def _status_check_skipped(raw: RawReport, profile: Profile) -> str | None:
    """Why the status counts cannot be checked against the items, or None: they can."""
    if not raw.items and not profile.table_required("items"):
        return NO_ATTACHMENT_CHECK
    if not raw.status_rows and not profile.table_required("status_summary"):
        return NO_STATUS_TABLE_CHECK
    # A report of only its attachment (a user who downloaded just the 別紙) has no
    # counts to check the items against: the check is reported as skipped, not passed.
    return None if raw.status_rows or raw.indicator_tables else SKIPPED_STATUS_CHECK


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
            key: dict[str, Any] | None = None) -> Outcome:
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
                     settings: RunSettings, key: dict[str, Any] | None = None) -> Outcome:
    """The stages after reading, on the Document ``read_outcome`` gave with ``outcome``."""
    started = time.perf_counter() - outcome.seconds
    with failures_recorded(outcome, report, settings):
        _convert(report, document, settings, key, outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _convert(report: ReportInput, document: Document, settings: RunSettings,
             key: dict[str, Any] | None, outcome: Outcome) -> None:
    key = key or input_key(report, settings)
    outcome.pages = document.page_count
    frames, meta, outcome.warnings = document_to_frames(document, report.report_id,
                                                        settings.profile)
    checks_skipped = meta.pop("checks_skipped")
    outcome.notes.extend(checks_skipped)
    outcome.notes.extend(f"the table starting {table['first_cell']!r} ({table['source_ref']}) "
                         f"was skipped: {table['why']}" for table in meta["skipped_tables"])
    if input_key(report, settings)["sources"] != key["sources"]:
        raise InputError(f"{report.given}: the file changed while it was being converted; "
                         "run again.")
    outcome.sha256 = key["sources"][0]["sha256"]
    outcome.counts = {table: len(frame) for table, frame in frames.items()}
    report_json = meta | {
        "report_id": report.report_id, "source_file": report.given.name,
        "source_sha256": None if report.bundle else outcome.sha256,  # a folder: see source_files
        "source_files": [{"file": Path(source["path"]).name, "sha256": source["sha256"]}
                         for source in key["sources"]],
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
    package = datapackage(report.report_id, meta["title"],
                          "utf-8-sig" if settings.csv_bom else "utf-8")
    outcome.output, outcome.seal = write_report(
        settings.out_dir, report.report_id, frames,
        {"report.json": report_json, "datapackage.json": package}, key, settings.csv_bom,
        meta["fiscal_year"] if settings.dataset else None)
