"""Write outputs atomically: a complete folder (or dataset part) or nothing new.

Everything is written into a temporary sibling folder first, then swapped into place,
so a failed or killed run leaves the previous outputs as they were. A report folder is
sealed (``state.py``) before the swap: the seal travels with the files it describes.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.state import seal_for, write_seal
from pipeline.swap import STAGING, replace_folder, staging_tag


def write_report(out_dir: Path, report_id: str, frames: dict[str, pd.DataFrame],
                 documents: dict[str, dict[str, Any]], key: dict[str, Any],
                 csv_bom: bool = True, dataset_year: int | None = None) -> tuple[Path, dict[str, Any]]:
    """DIR/<report_id>/ with <table>.parquet and .csv, the documents (report.json, …), a seal.

    With ``dataset_year`` the report's dataset parts are written from the staged
    Parquet files before the swap and sealed with it; without, the report's old parts
    are removed (they would describe an older conversion).
    """
    sealed: dict[str, Any] = {}

    def seal(staging: Path) -> None:
        dataset = None
        if dataset_year is None:
            remove_dataset_parts(out_dir / "dataset", report_id)
        else:
            dataset = write_dataset_parts(out_dir / "dataset", report_id, dataset_year, frames)
        counts = {table: len(frame) for table, frame in frames.items()}
        pages = documents.get("report.json", {}).get("page_count")
        sealed.update(seal_for(staging, key, dataset, pages, counts, report_id))
        write_seal(staging, sealed)

    texts = {name: _json(content) for name, content in documents.items()}
    target = write_folder(out_dir / report_id, frames, texts, csv_bom, before_swap=seal)
    return target, sealed


def write_folder(target: Path, frames: dict[str, pd.DataFrame], documents: dict[str, str],
                 csv_bom: bool = True, before_swap: Callable[[Path], None] | None = None) -> Path:
    """target/ holding each frame as .parquet and .csv and each document, or nothing new."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}{staging_tag()}",
                                    dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; outputs are not
        for table, frame in frames.items():
            write_table(frame, staging / table, csv_bom)
        for name, text in documents.items():
            (staging / name).write_text(text, encoding="utf-8")
        if before_swap is not None:
            before_swap(staging)
        replace_folder(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_table(frame: pd.DataFrame, stem: Path, csv_bom: bool = True) -> None:
    """<stem>.parquet (typed) and <stem>.csv (UTF-8, with BOM so Excel reads it as UTF-8)."""
    _write_parquet(frame, stem.with_suffix(".parquet"))
    frame.to_csv(stem.with_suffix(".csv"), index=False, lineterminator="\n",
                 encoding="utf-8-sig" if csv_bom else "utf-8")


def _write_parquet(frame: pd.DataFrame, path: Path) -> str:
    """``frame.to_parquet(path, index=False)`` without pandas' detour through its options,
    written from memory in one go; the file's sha256."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    data = sink.getvalue().to_pybytes()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _json(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"


# Columns whose meaning in a table is not the report's fiscal year get a name of their
# own in the combined dataset, where fiscal_year is the report's (the partition key).
DATASET_RENAMES = {"indicators": {"fiscal_year": "value_fiscal_year"},
                   "date_mentions": {"fiscal_year": "mention_fiscal_year"}}
# What a hive path segment cannot hold as it is: percent-encoded, as DuckDB, pyarrow
# and Spark decode it.
_UNSAFE = set('%/\\=:*?"<>|#') | {chr(code) for code in range(32)} | {"\x7f"}


def partition_value(value: str) -> str:
    """A report id as a hive partition value: ``a=b`` → ``a%3Db``; other text as it is."""
    return "".join("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")) if ch in _UNSAFE else ch
                   for ch in value)


def dataset_part_paths(report_id: str, fiscal_year: int, tables: list[str]) -> dict[str, str]:
    """table → the part's path relative to DIR/dataset/."""
    segment = f"report_id={partition_value(report_id)}"
    return {table: f"{table}/fiscal_year={fiscal_year}/{segment}/part.parquet" for table in tables}


def write_dataset_parts(dataset_dir: Path, report_id: str, fiscal_year: int,
                        frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """<table>/fiscal_year=YYYY/report_id=<id>/part.parquet for each table (hive layout),
    made from the frames the report folder's Parquet files hold; part path → sha256.

    The partition keys are left out of the files, as hive readers expect; a report's
    parts under another fiscal year (from an earlier run) are removed.
    """
    remove_dataset_parts(dataset_dir, report_id, keep_year=fiscal_year)
    written = {}
    for table, relative in dataset_part_paths(report_id, fiscal_year, list(frames)).items():
        frame = frames[table].rename(columns=DATASET_RENAMES.get(table, {}))
        part = frame[[c for c in frame.columns if c not in ("report_id", "fiscal_year")]]
        target = dataset_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.parent / f".part{STAGING}{staging_tag()}"  # no .parquet suffix: globs skip it
        written[relative] = _write_parquet(part, temporary)
        os.replace(temporary, target)
    return written


def remove_dataset_parts(dataset_dir: Path, report_id: str, keep_year: int | None = None) -> None:
    """Remove a report's dataset parts (those under keep_year stay)."""
    segment = glob.escape(f"report_id={partition_value(report_id)}")
    for stale in dataset_dir.glob(f"*/fiscal_year=*/{segment}"):
        if keep_year is None or stale.parent.name != f"fiscal_year={keep_year}":
            shutil.rmtree(stale, ignore_errors=True)
