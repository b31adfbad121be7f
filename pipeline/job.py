"""What one report's job is given (ReportInput, RunSettings) and gives back (Outcome).

Kept apart from run.py, which loads pandas and every stage, so that a batch that finds
nothing changed never loads them: an unchanged rerun is a hash and a manifest read.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.errors import Failure, PipelineError, ValidationFailed

TEXT_SUFFIXES = {".txt": "text", ".tsv": "text", ".md": "markdown", ".markdown": "markdown"}
OFFICE_SUFFIXES = {".xlsx", ".docx"}
OLD_OFFICE_SUFFIXES = {".xls", ".doc"}  # found, so that each gets its one sentence
SUFFIXES = set(TEXT_SUFFIXES) | {".pdf"} | OFFICE_SUFFIXES | OLD_OFFICE_SUFFIXES


@dataclass(frozen=True)
class ReportInput:
    """One report to convert: its id and the file(s) it is made of."""

    report_id: str
    paths: tuple[Path, ...]
    given: Path  # as the user named it (a file, or a bundle's folder), for messages
    bundle: bool = False  # a report folder of parts: report_id is the folder's name

    @classmethod
    def of_file(cls, path: Path) -> ReportInput:
        return cls(report_id=path.stem, paths=(path,), given=path)

    @classmethod
    def of_folder(cls, folder: Path) -> ReportInput:
        return cls(report_id=folder.name, paths=tuple(report_files(folder)), given=folder,
                   bundle=True)


def report_files(folder: Path) -> list[Path]:
    """A folder's report files by suffix, sorted by name; hidden files (.DS_Store,
    macOS's ._report.pdf) and Office's ~$ lock files are not reports."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith((".", "~$")))


@dataclass(frozen=True)
class RunSettings:
    """Settings of a run; every one is listed in the README."""

    out_dir: Path = Path("normalized")
    csv_bom: bool = True
    jobs: int = 0  # worker processes; 0 = one per core
    force: bool = False  # rerun inputs whose key is unchanged; replace another source's report
    dataset: bool = True  # also write the combined hive-partitioned dataset
    timeout: float = 600.0  # seconds one report may take before it is stopped
    memory_mb: int = 2048  # resident memory one report's conversion may add before it is stopped
    profile: Path | None = None  # a layout profile file; None = the built-in one that fits

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise ValueError(f"jobs must be 0 (one per core) or more, not {self.jobs}")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds, not {self.timeout}")
        if self.memory_mb < 64:
            raise ValueError(f"memory_mb must be at least 64, not {self.memory_mb}")

    def output_key(self) -> dict[str, object]:
        """The settings that change what a report folder holds (part of its key).

        A profile counts by its content, not its path: an edited profile converts again,
        a moved one does not.
        """
        key: dict[str, object] = {"csv_bom": self.csv_bom}
        if self.profile is not None:
            key["profile_sha256"] = hashlib.sha256(self.profile.read_bytes()).hexdigest()
        return key


@dataclass
class Outcome:
    """What became of one input: its output folder, or why it has none."""

    path: Path  # the input as given
    report_id: str
    output: Path | None = None
    error: str | None = None
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    pages: int | None = None  # PDF pages read; None for text inputs
    seconds: float = 0.0
    skipped: bool = False  # unchanged since the last run: outputs kept as they were
    sha256: str | None = None
    seal: dict[str, object] | None = None  # the folder's key and file hashes (see state.py)
    notes: list[str] = field(default_factory=list)  # e.g. "dataset parts rebuilt"

    @property
    def ok(self) -> bool:
        return self.output is not None


@contextmanager
def failures_recorded(outcome: Outcome, report: ReportInput, settings: RunSettings
                      ) -> Iterator[None]:
    """Every exception inside becomes the outcome's error: a batch never stops for one
    report, whether it fails reading it (``batch/reading.py``) or in the stages after
    (``batch/report.py``)."""
    try:
        yield
    except ValidationFailed as failed:
        outcome.error, outcome.failures = str(failed), failed.failures
        outcome.warnings = failed.warnings
    except PipelineError as error:
        outcome.error = str(error)
    except OSError as error:
        outcome.error = f"{report.given}: {error.strerror or error} ({error.filename or settings.out_dir})."
    except Exception as error:  # a bug, or the memory limit: say which, and keep the batch going
        if _out_of_memory(error):
            outcome.error = (f"{report.given}: the conversion needed more memory than its limit "
                             f"({settings.memory_mb} MB) and was stopped; nothing was written "
                             "for it.")
        else:
            outcome.error = unexpected_error(report.given, error)
            outcome.failures = [Failure(code="internal", source=report.given.name,
                                        message=outcome.error, value=type(error).__name__)]


def _out_of_memory(error: BaseException) -> bool:
    # C code that fails to allocate under the limit may return without an exception set
    return isinstance(error, MemoryError) or (
        isinstance(error, SystemError) and "without exception set" in str(error))


def unexpected_error(given: Path | str, error: BaseException) -> str:
    """One sentence for an exception the pipeline did not expect, naming where it arose
    (``given``: the input, or what the command was working on)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = f" in {Path(last.filename).name}:{last.lineno}"
    return (f"{given}: the pipeline failed on an unexpected {type(error).__name__}{where} "
            f"({error}); this is a bug, please report it with the file.")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_PACKAGES = ("pipeline", "schemas")
_CODE_SUFFIXES = {".py", ".toml"}


@cache
def code_fingerprint() -> str:
    """The fingerprint of the installed code (see source_fingerprint)."""
    return source_fingerprint(Path(__file__).resolve().parent.parent)


def source_fingerprint(root: Path) -> str:
    """sha256 over the source of the code that shapes outputs (root/pipeline, root/schemas).

    Part of every report's key, so that a change of code — not only of the version
    number — converts the reports again.
    """
    digest = hashlib.sha256()
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
