"""One report's reading as a job: its Document, or the Outcome saying why it cannot be
read. Loads no pandas, pandera or pyarrow, so a worker can read in a child of its own while
its parent loads them (``workers.py``)."""

from __future__ import annotations

import time

from pipeline.job import Outcome, ReportInput, RunSettings, failures_recorded
from pipeline.read import read_report
from pipeline.records import Document
from pipeline.tidy.structure import grid_classifier


def read_outcome(report: ReportInput, settings: RunSettings) -> tuple[Document | None, Outcome]:
    """The report's Document, or None and an Outcome saying why it cannot be read."""
    outcome = Outcome(path=report.given, report_id=report.report_id)
    started = time.perf_counter()
    document = None
    with failures_recorded(outcome, report, settings):
        document = read_report(report, grid_classifier(settings.layout_profile), settings.ocr)
    outcome.seconds = time.perf_counter() - started
    return document, outcome
