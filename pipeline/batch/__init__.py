"""Many inputs: one run at a time per DIR, workers with limits, incremental, interruptible.

A run locks DIR (``lock.py``), removes what killed runs left, decides per report from
its folder's seal (``output/state.py``) whether it is unchanged, converts the rest in child
processes (``workers.py``), and records each finished report in ``DIR/manifest.json``
as it completes. One report's failure never stops the others.

Which files make one report (the rule, stated once; docs/guide.md repeats it): a file
given is one report; a folder given is a folder of reports — each of its files is a
report of its own (report_id: the file's stem) and each subfolder holding report files
is one report of all its files (report_id: the subfolder's name); a folder given as a
report (``bundles``; ``pipeline run --report DIR``) is one report of all its files. What
a file means never depends on the other files beside it.
"""

from __future__ import annotations

import csv
import dataclasses
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.output.dataset_years import LeftOut, leave_out_second_reports
from pipeline.errors import Failure, Interrupted, OutputError
from pipeline.job import (
    OFFICE_SUFFIXES,
    InputKey,
    Outcome,
    ReportInput,
    RunSettings,
    Seal,
    report_files,
)
from pipeline.batch.lock import LOCK, OutputLock
from pipeline.output.state import (
    MANIFEST,
    SEAL,
    DamagedSeal,
    Manifest,
    files_intact,
    input_key,
    load_manifest,
    manifest_entry,
    read_seal,
    save_manifest,
    settle_dataset,
)
from pipeline.output.swap import STAGING, remove_leftovers

if TYPE_CHECKING:
    from pipeline.batch.workers import Task  # workers loads when there is work

# Names in DIR that are the run's own (compared casefolded); hidden names and staging
# names are the run's too, so a report never takes a name the run writes or removes.
RESERVED = {"dataset", "diff", "failures", "history", "inspect", MANIFEST, "failures.csv", LOCK,
            SEAL}

OnDone = Callable[[Outcome, int, int], None]  # outcome, finished so far, total
OnWait = Callable[[str], None]


def expand_inputs(paths: list[Path], bundles: Sequence[Path] = ()) -> list[ReportInput]:
    """Files as given; folders → their reports, sorted by name; ``bundles``: folders that
    are each one report (the rule: module docstring).

    Hidden files (``.DS_Store``, macOS's ``._report.pdf``) and folders are not reports.
    """
    found: list[ReportInput] = []
    for path in paths:
        if not path.is_dir():
            found.append(ReportInput.of_file(path))
            continue
        files = report_files(path)
        members = [ReportInput.of_file(f) for f in files] + [
            ReportInput.of_folder(f) for f in _report_subfolders(path)]
        found.extend(sorted(members, key=lambda report: report.given.name))
    found.extend(ReportInput.of_folder(folder) for folder in bundles)
    return found


def _report_subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and report_files(p))


def grouping_notes(paths: Sequence[Path]) -> list[str]:
    """A sentence for each folder given whose Office files an earlier rule made one report
    (a folder of .docx/.xlsx files and no report subfolders): they are now reports of
    their own, and this says how to keep them together."""
    notes = []
    for path in paths:
        if not path.is_dir() or _report_subfolders(path):
            continue
        files = report_files(path)
        office = [f for f in files if f.suffix.lower() in OFFICE_SUFFIXES]
        if office and len(files) > 1:
            notes.append(f"{path}: each of its {len(files)} files is converted as a report of "
                         "its own; if they are the parts of one report (a .docx memo and an "
                         f".xlsx attachment), give the folder with --report {path} or put them in a "
                         "subfolder of their own.")
    return notes


def run(paths: list[Path], settings: RunSettings, on_done: OnDone | None = None,
        on_wait: OnWait | None = None, bundles: Sequence[Path] = ()) -> list[Outcome]:
    """Every input; outcomes in input order. ``on_done`` hears of each as it finishes,
    ``on_wait`` that another run holds DIR and this one waits for it; ``bundles``:
    folders each converted as one report of several files."""
    inputs = expand_inputs(paths, bundles)
    if not inputs:
        return []
    if settings.out_dir.exists() and not settings.out_dir.is_dir():
        raise OutputError(f"{settings.out_dir}: is a file, not a folder; choose another --out.")
    with OutputLock(settings.out_dir, on_wait):
        try:
            return _run_locked(inputs, settings, on_done)
        except KeyboardInterrupt:  # before or after the conversions: no worker to stop
            raise Interrupted(0, len(inputs)) from None


def _run_locked(inputs: list[ReportInput], settings: RunSettings, on_done: OnDone | None
                ) -> list[Outcome]:
    manifest = _current_manifest(settings.out_dir)
    outcomes: dict[int, Outcome] = {}
    tasks: list[Task] = []
    notes: dict[int, str] = {}  # a task's note known before it is converted
    taken: dict[str, Path] = {}
    for index, report in enumerate(inputs):
        early, key, note = _early_outcome(report, taken, settings)
        if early is None:
            tasks.append((index, report, key))
            if note is not None:
                notes[index] = note
        else:
            outcomes[index] = early
            _tell(on_done, early, len(outcomes), len(inputs))
        taken.setdefault(report.report_id, report.given)
    _convert(tasks, notes, settings, manifest, outcomes, on_done, len(inputs))
    left_out: list[LeftOut] = []
    _current_manifest(settings.out_dir, left_out)  # settles what workers stopped at a limit left
    ordered = [outcomes[index] for index in range(len(inputs))]
    _warn_left_out(ordered, left_out)
    try:
        write_failures(settings.out_dir, ordered)
    except OutputError as error:  # each report's own reason first, then why the list is not written
        reasons = [outcome.error for outcome in ordered if outcome.error]
        raise OutputError(" ".join([*reasons, str(error)])) from None
    return ordered


def _convert(tasks: list[Task], notes: dict[int, str], settings: RunSettings,
             manifest: Manifest, outcomes: dict[int, Outcome], on_done: OnDone | None,
             total: int) -> None:
    from pipeline.batch.workers import convert_all

    finished = convert_all(tasks, settings)
    try:
        for index, outcome in finished:
            if index in notes:
                outcome.notes.insert(0, notes[index])
            outcomes[index] = outcome
            if outcome.ok and outcome.seal is not None:
                manifest[outcome.report_id] = manifest_entry(outcome.seal)
                _save(settings.out_dir, manifest)
            _tell(on_done, outcome, len(outcomes), total)
    except KeyboardInterrupt:
        with _deaf_to_ctrl_c():
            finished.close()  # kills and reaps the workers now, not whenever it is collected
            _current_manifest(settings.out_dir)  # then settle and record every folder they sealed
            write_failures(settings.out_dir, list(outcomes.values()))
        raise Interrupted(sum(o.ok and not o.skipped for o in outcomes.values()), len(tasks)) from None


@contextmanager
def _deaf_to_ctrl_c() -> Iterator[None]:
    """Ctrl-C ignored while the run stops for one: a second press (users press twice)
    would cut the stop short, leaving the failures unlisted and the count lost."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread hears SIGINT, and only it may set a handler
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)


def _early_outcome(report: ReportInput, taken: dict[str, Path], settings: RunSettings
                   ) -> tuple[Outcome | None, InputKey | None, str | None]:
    """An outcome known without converting (a refusal, or nothing changed), else the key
    (None: its files are not all there) and a note on why it is converted again."""
    report_id, given = report.report_id, report.given
    refused = Outcome(path=given, report_id=report_id)
    thing = "folder" if report.bundle else "file"
    if report_id in taken:
        refused.error = (f"{given}: its report id {report_id!r} is already taken by "
                         f"{taken[report_id]} in this run; rename the {thing}.")
        return refused, None, None
    if _reserved(report_id):
        refused.error = (f"{given}: its report id {report_id!r} names a folder the pipeline "
                         f"keeps for itself in {settings.out_dir}; rename the {thing}.")
        return refused, None, None
    if not report.paths or not all(path.is_file() for path in report.paths):
        return None, None, None  # the conversion says what is wrong with it, in one sentence
    key = input_key(report, settings)
    folder = settings.out_dir / report_id
    if not folder.exists():
        return None, key, None
    try:
        seal = read_seal(folder)
    except DamagedSeal as damaged:
        if (folder / "report.json").is_file():
            return None, key, f"{damaged}, so the report was converted again"
        seal = None  # nor a report.json: nothing says the folder is the pipeline's
    if seal is None and not (folder / "report.json").is_file():
        refused.error = (f"{given}: {folder} exists and was not written by `pipeline run`; "
                         "move it away or choose another --out.")
        return refused, key, None
    if seal is None:
        return None, key, None  # written by an older pipeline: converted again
    if not _same_source(report, seal.key.paths, key) and not settings.force:
        refused.error = (f"{given}: report id {report_id!r} already holds {folder}/, converted "
                         f"from {', '.join(seal.key.paths) or 'files its seal does not name'}; "
                         f"rename the {thing}, or pass --force to replace it.")
        return refused, key, None
    if settings.force or seal.key != key or not files_intact(folder, seal.files):
        return None, key, None
    if settings.dataset and not _dataset_intact(settings.out_dir, seal):
        return None, key, None  # parts missing or stale (e.g. after --no-dataset): convert again
    return Outcome(path=given, report_id=report_id, output=folder, skipped=True,
                   pages=seal.pages, counts=dict(seal.counts), seal=seal), key, None


def _warn_left_out(outcomes: list[Outcome], left_out: list[LeftOut]) -> None:
    """Each report left out of the dataset is a warning of the run, on the left-out
    report's line (or the kept one's, when only that was given)."""
    by_id = {outcome.report_id: outcome for outcome in outcomes if outcome.ok}
    for left in left_out:
        outcome = by_id.get(left.report_id) or by_id.get(left.kept)
        if outcome is not None:
            outcome.warnings.append(Failure(code="dataset_year_left_out", source=left.report_id,
                                            message=left.sentence(), severity="warning"))


def _reserved(report_id: str) -> bool:
    return (report_id.casefold() in {name.casefold() for name in RESERVED}
            or report_id.startswith(".") or STAGING in report_id)


def _same_source(report: ReportInput, sealed_from: list[str], key: InputKey) -> bool:
    """The folder was converted from this input: the same file, or (a report folder,
    whose parts may come and go) files of the same folder."""
    if report.bundle:
        folder = str(report.given.resolve())
        return bool(sealed_from) and all(str(Path(p).parent) == folder for p in sealed_from)
    return sealed_from == key.paths


def _dataset_intact(out_dir: Path, seal: Seal) -> bool:
    return seal.dataset is not None and files_intact(out_dir / "dataset", seal.dataset)


def _current_manifest(out_dir: Path, left_out: list[LeftOut] | None = None) -> Manifest:
    """The manifest as the sealed folders in DIR say it is (it is only an index), once
    what killed runs left is removed and the dataset holds the parts the seals name, one
    report per fiscal year (``dataset_years``; those left out are added to ``left_out``)."""
    seals = {}
    for folder in sorted(out_dir.iterdir()):
        if not folder.is_dir() or _reserved(folder.name):
            continue
        try:
            seal = read_seal(folder)
        except DamagedSeal:
            continue  # promises nothing: its parts go, and a run of its input converts it again
        if seal is not None:
            seals[folder.name] = seal
    try:
        found = leave_out_second_reports(out_dir, seals)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot mark a report left out of the dataset "
                          f"({error.strerror or error}).") from None
    if left_out is not None:
        left_out.extend(found)
    settle_dataset(out_dir, seals)  # before the leftovers go: staged parts may be promoted
    remove_leftovers(out_dir)
    manifest = {name: manifest_entry(seal) for name, seal in seals.items()}
    if manifest != load_manifest(out_dir):
        _save(out_dir, manifest)
    return manifest


def _save(out_dir: Path, manifest: Manifest) -> None:
    try:
        save_manifest(out_dir, manifest)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot write the manifest ({error.strerror or error}).") from None


def _tell(on_done: OnDone | None, outcome: Outcome, done: int, total: int) -> None:
    if on_done is not None:
        on_done(outcome, done, total)


FAILURE_COLUMNS = ("severity", "code", "source", "table", "page", "line", "row", "column", "value",
                   "message")


def write_failures(out_dir: Path, outcomes: list[Outcome]) -> None:
    """DIR/failures.csv: every failure and warning of this run, one per row (removed when none)."""
    path = out_dir / "failures.csv"
    rows: list[dict[str, object]] = []
    for outcome in outcomes:
        failures = outcome.failures or ([Failure(code="input", source=outcome.path.name,
                                                 message=outcome.error)] if outcome.error else [])
        # each Failure carries its severity: a warning is one (tidy/frames.py splits by it)
        rows.extend(dataclasses.asdict(failure) for failure in failures + outcome.warnings)
    try:
        if not rows:
            path.unlink(missing_ok=True)
            return
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=FAILURE_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    except OSError as error:
        raise OutputError(f"{path}: cannot write the list of failures "
                          f"({error.strerror or error}).") from None
