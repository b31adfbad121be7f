"""What DIR holds, and whether it can be trusted: each report folder's seal and the manifest.

Every report folder carries a seal, ``.pipeline.json``: the key it was made under (its
source files and their sha256, a fingerprint of the code, the output settings) and the
sha256 of every file it promises, its dataset parts included. The seal is written
inside the staging folder and swapped in with it, so it always describes the folder it
sits in. A report is "unchanged" only when its seal's key equals the input's key and
every promised file is there with that hash. ``DIR/manifest.json`` is an index of the
seals for people and tools; the skip check never trusts it alone.

The seal is a record (``job.Seal``, its key a ``job.InputKey``) turned into JSON here and
back here only. A seal that is there but does not parse as one — unreadable, not JSON, a
field missing, unknown or of the wrong type — is a ``DamagedSeal`` naming the folder and
why: it promises nothing, so the report is converted again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError, PipelineError
from pipeline.job import (
    InputKey,
    ReportInput,
    RunSettings,
    Seal,
    SealFormatError,
    SourceKey,
    code_fingerprint,
    file_sha256,
)
from pipeline.output.swap import STAGING, staging_tag, writer_alive

SEAL = ".pipeline.json"
MANIFEST = "manifest.json"
STAGED_PART = f".part{STAGING}"  # a dataset part written, not yet put in place
PART = "part.parquet"
Manifest = dict[str, dict[str, Any]]  # report id → its manifest_entry: JSON for people and tools


class DamagedSeal(PipelineError):
    """A folder's seal that is there but cannot be read as one (see ``read_seal``)."""

    def __init__(self, folder: Path, why: str):
        self.folder = folder
        super().__init__(f"{folder / SEAL} is not a seal this pipeline can read ({why})")


def input_key(report: ReportInput, settings: RunSettings) -> InputKey:
    """What a report folder's content depends on: its sources, the code, the settings."""
    sources = tuple(SourceKey(path=str(path.resolve()), sha256=file_sha256(path))
                    for path in report.paths)
    return InputKey(sources=sources, code=code_fingerprint(), settings=settings.key_settings())


def read_seal(folder: Path) -> Seal | None:
    """The folder's seal; None when it has none. One that is there but does not parse
    (unreadable, not JSON, a field missing or of the wrong type, another format) is a
    DamagedSeal saying why, never a seal."""
    try:
        text = (folder / SEAL).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise DamagedSeal(folder, getattr(error, "strerror", None) or str(error)) from None
    try:
        return Seal.from_json(json.loads(text))
    except ValueError as error:  # JSONDecodeError and SealFormatError
        why = str(error) if isinstance(error, SealFormatError) else f"not JSON: {error}"
        raise DamagedSeal(folder, why) from None


def trusted_seal(folder: Path) -> Seal | None:
    """``read_seal``, a damaged seal read as none: for callers that only act on a seal
    they can trust and treat a folder without one as it is."""
    try:
        return read_seal(folder)
    except DamagedSeal:
        return None


def seal_for(folder: Path, key: InputKey, dataset: dict[str, str] | None,
             pages: int | None, counts: dict[str, int], report_id: str) -> Seal:
    """The seal of a folder whose files are all written (the seal itself aside)."""
    files = {path.name: file_sha256(path) for path in sorted(folder.iterdir())
             if path.is_file() and path.name != SEAL}
    return Seal(report_id=report_id, key=key, files=files, dataset=dataset, pages=pages,
                counts=counts)


def write_seal(folder: Path, seal: Seal) -> None:
    """Write (or replace, in one atomic rename) a folder's seal."""
    temporary = folder / f"{SEAL}{STAGING}{staging_tag()}"
    temporary.write_text(json.dumps(seal.to_json(), ensure_ascii=False, indent=2, sort_keys=True)
                         + "\n", encoding="utf-8")
    os.replace(temporary, folder / SEAL)


def files_intact(folder: Path, promised: dict[str, str]) -> bool:
    """Every promised file is there with the promised sha256."""
    for name, sha256 in promised.items():
        path = folder / name
        if not path.is_file() or file_sha256(path) != sha256:
            return False
    return True


def load_manifest(out_dir: Path) -> Manifest:
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no manifest, or a damaged one: it is an index, rebuilt from the seals
    return manifest if isinstance(manifest, dict) else {}


def manifest_entry(seal: Seal) -> dict[str, Any]:
    """A seal's line in the manifest (JSON for people and tools)."""
    return {**seal.key.to_json(), "pages": seal.pages, "counts": dict(seal.counts),
            "dataset": seal.dataset is not None}


def save_manifest(out_dir: Path, manifest: Manifest) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    temporary = out_dir / f".{MANIFEST}{STAGING}{staging_tag()}"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                         encoding="utf-8")
    os.replace(temporary, out_dir / MANIFEST)


def settle_dataset(out_dir: Path, seals: dict[str, Seal]) -> None:
    """Make DIR/dataset hold the parts the report folders' seals name, and no others.

    A run killed between a folder's swap and its parts' leaves the parts it had staged;
    one whose content the live seal promises is put in place (the folder is new, so its
    parts are too), any other is removed. A part no seal names (of a folder replaced
    without the dataset, or under another fiscal year, or removed) is removed. Live
    writers' staged parts are left alone; call it holding the output lock.
    """
    dataset = out_dir / "dataset"
    if not dataset.is_dir():
        return
    try:
        _settle_parts(dataset, seals)
    except OSError as error:
        raise OutputError(f"{error.filename or dataset}: cannot remove this dataset part or "
                          f"put it in place ({error.strerror or error}); until it can be, the "
                          "dataset does not hold exactly the parts the report folders name.") from None


def _settle_parts(dataset: Path, seals: dict[str, Seal]) -> None:
    live: dict[str, str] = {}
    for seal in seals.values():
        live.update(seal.dataset or {})
    for staged in sorted(dataset.glob(f"*/*/*/{STAGED_PART}*")):
        if writer_alive(staged.name):
            continue
        place = staged.with_name(PART)
        promised = live.get(place.relative_to(dataset).as_posix())
        if (promised is not None and file_sha256(staged) == promised
                and not (place.is_file() and file_sha256(place) == promised)):
            os.replace(staged, place)
        else:
            staged.unlink(missing_ok=True)
    for part in dataset.glob(f"*/*/*/{PART}"):
        if part.relative_to(dataset).as_posix() not in live:
            part.unlink(missing_ok=True)
            _remove_if_empty(part.parent)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # holds a live writer's staged part, or other files: left as it is
