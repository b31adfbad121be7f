"""What one report's job is given (ReportInput, RunSettings) and gives back (Outcome).

Kept apart from run.py, which loads pandas and every stage, so that a batch that finds
nothing changed never loads them: an unchanged rerun is a hash and a manifest read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.errors import Failure

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
