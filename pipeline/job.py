"""What one input's job is given (RunSettings) and what it gives back (Outcome).

Kept apart from run.py, which loads pandas and every stage, so that a batch that finds
nothing changed never loads them: an unchanged rerun is a hash and a manifest read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Failure

TEXT_SUFFIXES = {".txt": "text", ".tsv": "text", ".md": "markdown", ".markdown": "markdown"}
OFFICE_SUFFIXES = {".xlsx", ".docx"}
OLD_OFFICE_SUFFIXES = {".xls", ".doc"}  # found, so that each gets its one sentence
SUFFIXES = set(TEXT_SUFFIXES) | {".pdf"} | OFFICE_SUFFIXES | OLD_OFFICE_SUFFIXES


@dataclass(frozen=True)
class ReportInput:
    """One report to convert: a file, or a folder whose files are the report's parts."""

    report_id: str
    location: Path  # the file, or the report folder, as found
    paths: tuple[Path, ...]  # the files read; one for a single-file report
    bundle: bool = False  # a report folder: its report_id is the folder's name

    @classmethod
    def of_file(cls, path: Path) -> ReportInput:
        return cls(report_id=path.stem, location=path, paths=(path,))

    @classmethod
    def of_folder(cls, folder: Path) -> ReportInput:
        return cls(report_id=folder.name, location=folder, paths=tuple(report_files(folder)),
                   bundle=True)


def report_files(folder: Path) -> list[Path]:
    """A folder's report files by suffix, sorted by name; Office's ~$ lock files left out."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("~$"))


@dataclass(frozen=True)
class RunSettings:
    """Settings of a run; every one is listed in the README."""

    out_dir: Path = Path("normalized")
    csv_bom: bool = True
    jobs: int = 0  # worker processes; 0 = one per core
    force: bool = False  # rerun inputs whose manifest key is unchanged
    dataset: bool = True  # also write the combined hive-partitioned dataset

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise ValueError(f"jobs must be 0 (one per core) or more, not {self.jobs}")

    def output_key(self) -> dict[str, object]:
        """The settings that change what is written (part of the manifest key)."""
        return {"csv_bom": self.csv_bom}


@dataclass
class Outcome:
    """What became of one input: its output folder, or why it has none."""

    path: Path
    report_id: str
    output: Path | None = None
    error: str | None = None
    failures: list[Failure] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    pages: int | None = None  # PDF pages read; None for text inputs
    seconds: float = 0.0
    skipped: bool = False  # unchanged since the last run: outputs kept as they were
    sha256: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # every file read → its sha256
    notes: list[str] = field(default_factory=list)  # e.g. a cross-check that could not run

    @property
    def ok(self) -> bool:
        return self.output is not None


def input_sha256(report: ReportInput) -> tuple[str, dict[str, str]]:
    """The manifest's content key of a report and the sha256 of each of its files.

    A single file is keyed on its own sha256; a report folder on the sha256 of its
    files' names and sha256s, so that adding, removing or changing a part converts it again.
    """
    sources = {path.name: file_sha256(path) for path in report.paths}
    if not report.bundle:
        return next(iter(sources.values())), sources
    joined = "\n".join(f"{name}\t{sha}" for name, sha in sorted(sources.items()))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest(), sources


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
