"""What one report's job is given (ReportInput, RunSettings) and gives back (Outcome),
and the records of its folder's seal (InputKey, Seal: see ``output/state.py``).

Kept apart from run.py, which loads pandas and every stage, so that a batch that finds
nothing changed never loads them: an unchanged rerun is a hash and a manifest read.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pipeline.errors import Failure, PipelineError, ValidationFailed
from pipeline.profiles import Profile, load_profile

TEXT_SUFFIXES = {".txt": "text", ".tsv": "text", ".md": "markdown", ".markdown": "markdown"}
OFFICE_SUFFIXES = {".xlsx", ".docx"}
OLD_OFFICE_SUFFIXES = {".xls", ".doc"}  # found, so that each gets its one sentence
SUFFIXES = set(TEXT_SUFFIXES) | {".pdf"} | OFFICE_SUFFIXES | OLD_OFFICE_SUFFIXES
OCR_MODES = ("auto", "always", "never")  # which PDF pages are read by OCR


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
    # PDF pages read by OCR: "auto" (those without a usable text layer), "always", "never"
    ocr: str = "auto"

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise ValueError(f"jobs must be 0 (one per core) or more, not {self.jobs}")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds, not {self.timeout}")
        if self.memory_mb < 64:
            raise ValueError(f"memory_mb must be at least 64, not {self.memory_mb}")
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")

    @cached_property
    def layout_profile(self) -> Profile | None:
        """The profile file loaded and checked, once for the run (a ProfileError for a bad
        one); None: the built-in one that fits each report."""
        return None if self.profile is None else load_profile(self.profile)

    def key_settings(self) -> KeySettings:
        """The settings that change what a report folder holds (part of its key).

        A profile counts by its content, not its path: an edited profile converts again,
        a moved one does not.
        """
        return KeySettings(csv_bom=self.csv_bom, profile_sha256=None if self.profile is None
                           else hashlib.sha256(self.profile.read_bytes()).hexdigest(),
                           ocr=self.ocr)

    def output_key(self) -> dict[str, object]:
        """``key_settings`` as the seal writes them."""
        return self.key_settings().to_json()


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
    seal: Seal | None = None  # the folder's key and file hashes (see state.py)
    notes: list[str] = field(default_factory=list)  # e.g. "dataset parts rebuilt"

    @property
    def ok(self) -> bool:
        return self.output is not None

    @property
    def sha256(self) -> str | None:
        """The sha256 of the one file its folder was converted from (None when it was
        converted from several, or has no folder)."""
        sources = () if self.seal is None else self.seal.key.sources
        return sources[0].sha256 if len(sources) == 1 else None


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


# The records of a report folder's seal (``output/state.py`` writes and reads them). Each
# turns into the JSON the seal holds (``to_json``) and back (``from_json``), which refuses
# anything else — a missing or unknown field, a wrong type — with a SealFormatError
# saying which field, so a damaged or foreign seal never passes as a key.


class SealFormatError(ValueError):
    """A seal's JSON is not what ``Seal.to_json`` writes; the message names the field."""


@dataclass(frozen=True)
class SourceKey:
    """One source file of a report, as its folder was converted from it."""

    path: str  # resolved
    sha256: str

    @property
    def name(self) -> str:
        return Path(self.path).name

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256}

    @classmethod
    def from_json(cls, value: object, where: str) -> SourceKey:
        data = _fields(value, where, {"path", "sha256"})
        return cls(path=_text(data["path"], f"{where}.path"),
                   sha256=_text(data["sha256"], f"{where}.sha256"))


@dataclass(frozen=True)
class KeySettings:
    """The settings that change what a report folder holds (``RunSettings.key_settings``)."""

    csv_bom: bool
    profile_sha256: str | None = None  # the profile file's content; None: the built-in ones
    ocr: str = "auto"  # RunSettings.ocr: which pages were read by OCR decides the tables

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"csv_bom": self.csv_bom}
        if self.profile_sha256 is not None:
            data["profile_sha256"] = self.profile_sha256
        if self.ocr != "auto":  # seals written before the setting existed read as auto
            data["ocr"] = self.ocr
        return data

    @classmethod
    def from_json(cls, value: object, where: str) -> KeySettings:
        data = _fields(value, where, {"csv_bom"}, {"profile_sha256", "ocr"})
        profile = data.get("profile_sha256")
        ocr = _text(data.get("ocr", "auto"), f"{where}.ocr")
        if ocr not in OCR_MODES:
            raise SealFormatError(f"{where}.ocr is {_shown(ocr)}, not one of "
                                  f"{', '.join(OCR_MODES)}")
        return cls(csv_bom=_typed(data["csv_bom"], bool, f"{where}.csv_bom", "true or false"),
                   profile_sha256=None if profile is None
                   else _text(profile, f"{where}.profile_sha256"), ocr=ocr)


@dataclass(frozen=True)
class InputKey:
    """What a report folder's content depends on: its sources, the code, the settings.
    A folder is unchanged only while its seal's key equals the input's."""

    sources: tuple[SourceKey, ...]
    code: str  # job.code_fingerprint()
    settings: KeySettings

    @property
    def paths(self) -> list[str]:
        """The source paths, as converted from."""
        return [source.path for source in self.sources]

    def to_json(self) -> dict[str, Any]:
        return {"sources": [source.to_json() for source in self.sources], "code": self.code,
                "settings": self.settings.to_json()}

    @classmethod
    def from_json(cls, value: object, where: str = "key") -> InputKey:
        data = _fields(value, where, {"sources", "code", "settings"})
        sources = _typed(data["sources"], list, f"{where}.sources", "a list")
        return cls(sources=tuple(SourceKey.from_json(source, f"{where}.sources[{index}]")
                                 for index, source in enumerate(sources)),
                   code=_text(data["code"], f"{where}.code"),
                   settings=KeySettings.from_json(data["settings"], f"{where}.settings"))


@dataclass(frozen=True)
class Seal:
    """A report folder's seal: the key it was made under, the sha256 of every file it
    promises (its dataset parts included), and what the run reports of it unconverted."""

    report_id: str
    key: InputKey
    files: dict[str, str]  # file name in the folder → sha256 (the seal itself aside)
    dataset: dict[str, str] | None  # part path under DIR/dataset → sha256; None: written without
    pages: int | None  # PDF pages read; None for other inputs
    counts: dict[str, int]  # table → rows
    dataset_left_out: str | None = None  # the report id the dataset keeps in its place

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"report_id": self.report_id, "key": self.key.to_json(),
                                "files": dict(self.files),
                                "dataset": None if self.dataset is None else dict(self.dataset),
                                "pages": self.pages, "counts": dict(self.counts)}
        if self.dataset_left_out is not None:
            data["dataset_left_out"] = self.dataset_left_out
        return data

    @classmethod
    def from_json(cls, value: object) -> Seal:
        data = _fields(value, "the seal",
                       {"report_id", "key", "files", "dataset", "pages", "counts"},
                       {"dataset_left_out"})
        left_out = data.get("dataset_left_out")
        return cls(report_id=_text(data["report_id"], "report_id"),
                   key=InputKey.from_json(data["key"]),
                   files=_mapping(data["files"], "files", str, "a sha256"),
                   dataset=None if data["dataset"] is None
                   else _mapping(data["dataset"], "dataset", str, "a sha256"),
                   pages=None if data["pages"] is None
                   else _typed(data["pages"], int, "pages", "a number of pages"),
                   counts=_mapping(data["counts"], "counts", int, "a number of rows"),
                   dataset_left_out=None if left_out is None
                   else _text(left_out, "dataset_left_out"))


def _fields(value: object, where: str, required: set[str],
            optional: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    data = _typed(value, dict, where, "an object")
    missing = sorted(required - data.keys())
    if missing:
        raise SealFormatError(f"{where} has no {missing[0]!r}")
    unknown = sorted(data.keys() - required - optional)
    if unknown:
        raise SealFormatError(f"{where} holds {unknown[0]!r}, which no seal of this pipeline has")
    return data


def _typed(value: object, kind: type[Any], where: str, what: str) -> Any:
    # bool is an int to Python, not to a seal
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SealFormatError(f"{where} is {_shown(value)}, not {what}")
    return value


def _text(value: object, where: str) -> str:
    text: str = _typed(value, str, where, "text")
    return text


def _mapping(value: object, where: str, kind: type[Any], what: str) -> dict[str, Any]:
    data = _typed(value, dict, where, "an object")
    for name, item in data.items():
        _typed(item, kind, f"{where}[{name!r}]", what)
    return dict(data)


def _shown(value: object) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 40 else shown[:37] + "..."
