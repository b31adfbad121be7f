"""The orchestrator: reads inputs, calls the stages in order, writes outputs.

read → structure → tidy (normalise) → resolve 再掲 → validate → write. This is the
only module besides the readers and the writer that touches files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.datapackage import datapackage
from pipeline.errors import Failure, InputError, PipelineError, ValidationFailed
from pipeline.extract.text import decode_report_bytes, text_to_document
from pipeline.records import Document
from pipeline.relisted import resolve_relisted
from pipeline.structure import document_to_report
from pipeline.tidy_front import (footnotes_to_records, indicator_tables_to_records,
                                 status_rows_to_records, title_and_municipality)
from pipeline.tidy_items import item_departments, raw_items_to_records
from pipeline.validate import records_to_frame, validate_tables
from pipeline.write import write_report

TEXT_SUFFIXES = {".txt": "text", ".tsv": "text", ".md": "markdown", ".markdown": "markdown"}
SUFFIXES = set(TEXT_SUFFIXES) | {".pdf"}


@dataclass(frozen=True)
class RunSettings:
    out_dir: Path = Path("normalized")
    csv_bom: bool = True


@dataclass
class Outcome:
    """What became of one input: its output folder, or why it has none."""

    path: Path
    report_id: str
    output: Path | None = None
    error: str | None = None
    failures: list[Failure] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.output is not None


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given; folders → their report files (by suffix), sorted by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir()
                                if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            found.append(path)
    return found


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
        "footnotes": footnotes_to_records(raw.footnotes, report_id),
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
    title, municipality = title_and_municipality(raw.title)
    meta = {"title": title, "municipality": municipality, "fiscal_year": fiscal_year}
    return frames, meta


def convert(path: Path, settings: RunSettings) -> Outcome:
    """One input → DIR/<report_id>/, or an Outcome saying why not (nothing written)."""
    outcome = Outcome(path=path, report_id=path.stem)
    try:
        document = read_document(path)
        frames, meta = document_to_frames(document, outcome.report_id)
    except ValidationFailed as failed:
        outcome.error, outcome.failures = str(failed), failed.failures
        return outcome
    except PipelineError as error:
        outcome.error = str(error)
        return outcome
    outcome.counts = {table: len(frame) for table, frame in frames.items()}
    report = meta | {
        "report_id": outcome.report_id, "source_file": path.name,
        "source_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "input_format": document.input_format, "page_count": document.page_count,
        "pipeline_version": __version__, "row_counts": outcome.counts,
        "validation": {"valid": True, "failures": []},
    }
    package = datapackage(outcome.report_id, meta["title"],
                          "utf-8-sig" if settings.csv_bom else "utf-8")
    outcome.output = write_report(settings.out_dir, outcome.report_id, frames, report, package,
                                  settings.csv_bom)
    return outcome


def run(paths: list[Path], settings: RunSettings) -> list[Outcome]:
    """Every input, in order; one that fails does not stop the others."""
    outcomes: list[Outcome] = []
    seen: dict[str, Path] = {}
    for path in expand_inputs(paths):
        if path.stem in seen:
            outcomes.append(Outcome(path=path, report_id=path.stem, error=(
                f"{path}: its report id {path.stem!r} is already taken by {seen[path.stem]} "
                "in this run; rename one of them.")))
            continue
        seen[path.stem] = path
        outcomes.append(convert(path, settings))
    return outcomes
