"""One small error hierarchy, and the Failure record.

Library code raises these and never prints; ``cli.py`` turns them into one line on
stderr and a non-zero exit. Messages name the file, and the page, line, row and column
where they apply.
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Failure:
    """One problem found in a document: countable, writable to CSV, assertable."""

    code: str  # e.g. "relisted_unresolved", "schema", "status_count_mismatch"
    source: str  # input file name
    message: str
    table: str | None = None
    page: int | None = None
    line: int | None = None
    row: int | None = None  # row_no in the output table, where there is one
    column: str | None = None
    value: str | None = None
    # "error": the report is not written; "warning": it is, and report.json lists this.
    severity: str = "error"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def describe(self) -> str:
        where = [self.source]
        for label, value in (("table", self.table), ("page", self.page), ("line", self.line),
                             ("row", self.row), ("column", self.column)):
            if value is not None:
                where.append(f"{label} {value}")
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{', '.join(where)}: {self.message}{shown}"


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose."""


class InputError(PipelineError):
    """The file cannot be read as a report: missing, empty, binary, wrong encoding."""


class LayoutError(PipelineError):
    """The file was read, but its tables are not laid out as a report's are."""


class UnreadablePageError(InputError):
    """A PDF page whose text layer is missing or unreadable (e.g. ``(cid:123)`` glyphs)."""


class ValidationFailed(PipelineError):
    """The tables were built but broke the contract; carries every failure (errors) and
    the warnings found on the way."""

    def __init__(self, source: str, failures: list[Failure], warnings: list[Failure] | None = None):
        self.source = source
        self.failures = failures
        self.warnings = warnings or []
        super().__init__(f"{source}: {len(failures)} validation failure(s)")


class OutputError(PipelineError):
    """The output folder cannot be written: read-only, not a folder, no space left."""


class Interrupted(PipelineError):
    """The run was stopped (Ctrl-C); what completed before is kept and recorded."""

    def __init__(self, done: int, total: int):
        self.done, self.total = done, total
        super().__init__(f"interrupted: {done} of {total} report(s) finished and were recorded; "
                         "the others were stopped and their folders are as they were. "
                         "Run the same command again to finish.")


class ProfileError(PipelineError):
    """A layout profile that cannot be read or used: bad TOML, unknown key, bad pattern."""
