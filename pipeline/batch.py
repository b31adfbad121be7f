"""Many inputs: parallel worker processes, an incremental manifest, one failure never
stopping the others.

The manifest (``DIR/manifest.json``) records, per report, the input's sha256 (a
report folder's: over all its files), the pipeline version and the settings that
shape the outputs. An input whose key is unchanged, and whose folder is still there,
is skipped and its outputs stay.

Which files make one report: every subfolder of a folder given is one report of all
its files (report_id: the subfolder's name); a folder given directly is one such
report when it holds no report subfolders and at least one .docx/.xlsx file;
otherwise each file of a folder is a report of its own (report_id: the file's stem).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.errors import Failure
from pipeline.job import (
    OFFICE_SUFFIXES,
    Outcome,
    ReportInput,
    RunSettings,
    input_sha256,
    report_files,
)
from pipeline.swap import STAGING, remove_leftovers

MANIFEST = "manifest.json"
RESERVED = {"dataset", "diff", "failures"}  # names in DIR that are not reports

OnDone = Callable[[Outcome, int, int], None]  # outcome, finished so far, total


def expand_inputs(paths: list[Path]) -> list[ReportInput]:
    """Files as given; folders → their reports, sorted by name (rule: module docstring)."""
    found: list[ReportInput] = []
    for path in paths:
        if not path.is_dir():
            found.append(ReportInput.of_file(path))
            continue
        files = report_files(path)
        folders = sorted(p for p in path.iterdir()
                         if p.is_dir() and not p.name.startswith(".") and report_files(p))
        if not folders and any(f.suffix.lower() in OFFICE_SUFFIXES for f in files):
            found.append(ReportInput.of_folder(path))
            continue
        members = [ReportInput.of_file(f) for f in files] + [ReportInput.of_folder(f) for f in folders]
        found.extend(sorted(members, key=lambda report: report.location.name))
    return found


def run(paths: list[Path], settings: RunSettings, on_done: OnDone | None = None) -> list[Outcome]:
    """Every input; outcomes in input order. ``on_done`` hears of each as it finishes."""
    inputs = expand_inputs(paths)
    remove_leftovers(settings.out_dir)
    manifest = load_manifest(settings.out_dir)
    outcomes: dict[int, Outcome] = {}
    todo: list[tuple[int, ReportInput]] = []
    seen: dict[str, Path] = {}
    for index, report in enumerate(inputs):
        early = _early_outcome(report, seen, manifest, settings)
        if early is None:
            todo.append((index, report))
        else:
            outcomes[index] = early
            _tell(on_done, early, len(outcomes), len(inputs))
        seen.setdefault(report.report_id, report.location)
    for index, outcome in _convert_all(todo, settings):
        outcomes[index] = outcome
        if outcome.ok:
            manifest[outcome.report_id] = manifest_entry(outcome, settings)
            save_manifest(settings.out_dir, manifest)
        _tell(on_done, outcome, len(outcomes), len(inputs))
    ordered = [outcomes[index] for index in range(len(inputs))]
    if inputs:
        write_failures(settings.out_dir, ordered)
    return ordered


FAILURE_COLUMNS = ("code", "source", "table", "page", "line", "row", "column", "value", "message")


def write_failures(out_dir: Path, outcomes: list[Outcome]) -> None:
    """DIR/failures.csv: every failure of this run, one per row (removed when none)."""
    path = out_dir / "failures.csv"
    rows = []
    for outcome in outcomes:
        failures = outcome.failures or ([Failure(code="input", source=outcome.path.name,
                                                 message=outcome.error)] if outcome.error else [])
        rows.extend(dataclasses.asdict(failure) for failure in failures)
    if not rows:
        path.unlink(missing_ok=True)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=FAILURE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _early_outcome(report: ReportInput, seen: dict[str, Path], manifest: dict[str, Any],
                   settings: RunSettings) -> Outcome | None:
    """An outcome known without converting: a clash of report ids, or nothing changed."""
    path, report_id = report.location, report.report_id
    if report_id in seen or report_id in RESERVED:
        why = (f"is already taken by {seen[report_id]} in this run" if report_id in seen
               else f"names a folder the pipeline keeps for itself in {settings.out_dir}")
        thing = "folder" if report.bundle else "file"
        return Outcome(path=path, report_id=report_id,
                       error=f"{path}: its report id {report_id!r} {why}; rename the {thing}.")
    entry = manifest.get(report_id)
    if (settings.force or entry is None or not (settings.out_dir / report_id).is_dir()
            or not report.paths or not all(p.is_file() for p in report.paths)):
        return None
    sha256, sources = input_sha256(report)
    key = _key(sha256, path, settings)
    if {name: entry.get(name) for name in key} != key:
        return None
    return Outcome(path=path, report_id=report_id, output=settings.out_dir / report_id,
                   skipped=True, sha256=sha256, sources=sources, pages=entry.get("pages"),
                   counts=entry.get("counts", {}))


def _convert_all(todo: list[tuple[int, ReportInput]], settings: RunSettings
                 ) -> Iterator[tuple[int, Outcome]]:
    if not todo:
        return
    from pipeline.run import (
        convert,  # pandas and the stages load only when there is work
    )

    jobs = min(settings.jobs or os.cpu_count() or 1, len(todo))
    if jobs <= 1:
        for index, report in todo:
            yield index, convert(report, settings)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(convert, report, settings): index for index, report in todo}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _tell(on_done: OnDone | None, outcome: Outcome, done: int, total: int) -> None:
    if on_done is not None:
        on_done(outcome, done, total)


def _key(sha256: str, path: Path, settings: RunSettings) -> dict[str, Any]:
    return {"source": str(path), "sha256": sha256, "pipeline_version": __version__,
            "settings": settings.output_key()}


def manifest_entry(outcome: Outcome, settings: RunSettings) -> dict[str, Any]:
    assert outcome.sha256 is not None
    return _key(outcome.sha256, outcome.path, settings) | {"pages": outcome.pages,
                                                          "counts": outcome.counts,
                                                          "files": outcome.sources}


def load_manifest(out_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}  # no manifest, or a damaged one: everything is converted again


def save_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    temporary = out_dir / f".{MANIFEST}{STAGING}{os.getpid()}"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                         encoding="utf-8")
    os.replace(temporary, out_dir / MANIFEST)
