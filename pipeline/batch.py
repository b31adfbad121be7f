"""Many inputs: parallel worker processes, an incremental manifest, one failure never
stopping the others.

The manifest (``DIR/manifest.json``) records, per report, the input's sha256, the
pipeline version and the settings that shape the outputs. An input whose key is
unchanged, and whose folder is still there, is skipped and its outputs stay.
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
from pipeline.job import SUFFIXES, Outcome, RunSettings, file_sha256
from pipeline.swap import STAGING, remove_leftovers

MANIFEST = "manifest.json"
RESERVED = {"dataset", "diff", "failures"}  # names in DIR that are not reports

OnDone = Callable[[Outcome, int, int], None]  # outcome, finished so far, total


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


def run(paths: list[Path], settings: RunSettings, on_done: OnDone | None = None) -> list[Outcome]:
    """Every input; outcomes in input order. ``on_done`` hears of each as it finishes."""
    inputs = expand_inputs(paths)
    remove_leftovers(settings.out_dir)
    manifest = load_manifest(settings.out_dir)
    outcomes: dict[int, Outcome] = {}
    todo: list[tuple[int, Path]] = []
    seen: dict[str, Path] = {}
    for index, path in enumerate(inputs):
        early = _early_outcome(path, seen, manifest, settings)
        if early is None:
            todo.append((index, path))
        else:
            outcomes[index] = early
            _tell(on_done, early, len(outcomes), len(inputs))
        seen.setdefault(path.stem, path)
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


FAILURE_COLUMNS = ("code", "source", "table", "page", "line", "row", "column", "value", "message",
                   "severity")


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


def _early_outcome(path: Path, seen: dict[str, Path], manifest: dict[str, Any],
                   settings: RunSettings) -> Outcome | None:
    """An outcome known without converting: a clash of report ids, or nothing changed."""
    report_id = path.stem
    if report_id in seen or report_id in RESERVED:
        why = (f"is already taken by {seen[report_id]} in this run" if report_id in seen
               else f"names a folder the pipeline keeps for itself in {settings.out_dir}")
        return Outcome(path=path, report_id=report_id,
                       error=f"{path}: its report id {report_id!r} {why}; rename the file.")
    entry = manifest.get(report_id)
    if settings.force or entry is None or not (settings.out_dir / report_id).is_dir() or not path.is_file():
        return None
    sha256 = file_sha256(path)
    key = _key(sha256, path, settings)
    if {name: entry.get(name) for name in key} != key:
        return None
    return Outcome(path=path, report_id=report_id, output=settings.out_dir / report_id,
                   skipped=True, sha256=sha256, pages=entry.get("pages"),
                   counts=entry.get("counts", {}))


def _convert_all(todo: list[tuple[int, Path]], settings: RunSettings) -> Iterator[tuple[int, Outcome]]:
    if not todo:
        return
    from pipeline.run import (
        convert,  # pandas and the stages load only when there is work
    )

    jobs = min(settings.jobs or os.cpu_count() or 1, len(todo))
    if jobs <= 1:
        for index, path in todo:
            yield index, convert(path, settings)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(convert, path, settings): index for index, path in todo}
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
                                                          "counts": outcome.counts}


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
