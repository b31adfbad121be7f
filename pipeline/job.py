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
SUFFIXES = set(TEXT_SUFFIXES) | {".pdf"}


@dataclass(frozen=True)
class RunSettings:
    """Settings of a run; every one is listed in the README."""

    out_dir: Path = Path("normalized")
    csv_bom: bool = True
    jobs: int = 0  # worker processes; 0 = one per core
    force: bool = False  # rerun inputs whose manifest key is unchanged
    dataset: bool = True  # also write the combined hive-partitioned dataset
    profile: Path | None = None  # a layout profile file; None = the built-in one that fits

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise ValueError(f"jobs must be 0 (one per core) or more, not {self.jobs}")

    def output_key(self) -> dict[str, object]:
        """The settings that change what is written (part of the manifest key).

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

    @property
    def ok(self) -> bool:
        return self.output is not None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
