"""Write outputs atomically: a complete folder (or dataset part) or nothing new.

Everything is written into a temporary sibling folder first, then swapped into place,
so a failed or killed run leaves the previous outputs as they were. A report folder is
sealed (``output/state.py``) before the swap: the seal travels with the files it describes.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.job import InputKey, Seal
from pipeline.output.state import PART, STAGED_PART, seal_for, write_seal
from pipeline.output.swap import STAGING, replace_folder, staging_tag
from schemas.registry import TABLES, Table


def write_report(out_dir: Path, report_id: str, frames: dict[str, pd.DataFrame],
                 documents: dict[str, dict[str, Any]], key: InputKey, pages: int | None,
                 dataset_year: int | None = None) -> tuple[Path, Seal]:
    """DIR/<report_id>/ with <table>.parquet and .csv (with a BOM as ``key``'s settings
    say), the documents (report.json, …), and a seal of ``key`` and ``pages``.

    With ``dataset_year`` the report's dataset parts are staged beside their places from
    the tables the Parquet files hold and sealed with the folder; they are put in place
    only once the folder is swapped in, and removed if it is not, so a failed write
    changes neither. Its old parts the new folder names not (all of them without
    ``dataset_year``: they would describe an older conversion) are moved aside under a
    staging name before the swap, so that one that cannot be removed (an immutable
    folder) stops the write with nothing changed, and are removed after it. A kill
    between the swap and the parts is settled by the next run (``state.settle_dataset``):
    the seal names the live parts.
    """
    sealed: list[Seal] = []
    staged: dict[Path, Path] = {}  # a staged part → its place
    retired: dict[Path, Path] = {}  # an old part moved aside → its place

    def seal(staging: Path) -> None:
        dataset = None
        if dataset_year is not None:
            dataset = stage_dataset_parts(out_dir / "dataset", report_id, dataset_year, tables,
                                          staged)
        retire_dataset_parts(out_dir / "dataset", report_id, dataset_year, retired)
        counts = {table: len(frame) for table, frame in frames.items()}
        sealed.append(seal_for(staging, key, dataset, pages, counts, report_id))
        write_seal(staging, sealed[0])

    tables = {name: arrow_table(frame) for name, frame in frames.items()}  # one per frame
    texts = {name: _json(content) for name, content in documents.items()}
    try:
        target = write_folder(out_dir / report_id, frames, texts, key.settings.csv_bom,
                              before_swap=seal, tables=tables, workbook=("report.xlsx", TABLES))
    except BaseException:
        for part in staged:
            part.unlink(missing_ok=True)
        for aside, place in retired.items():
            os.replace(aside, place)
        raise
    remove_dataset_parts(out_dir / "dataset", report_id, keep_year=dataset_year)
    for part, place in staged.items():
        os.replace(part, place)
    return target, sealed[0]


def write_folder(target: Path, frames: dict[str, pd.DataFrame], documents: dict[str, str],
                 csv_bom: bool = True, before_swap: Callable[[Path], None] | None = None,
                 tables: dict[str, pa.Table] | None = None,
                 workbook: tuple[str, Mapping[str, Table]] | None = None) -> Path:
    """target/ holding each frame as .parquet and .csv and each document, or nothing new.

    ``tables``: the frames as Arrow tables, where the caller has made them already;
    ``workbook``: the name of an .xlsx holding every frame, and the tables' schemas."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}{staging_tag()}",
                                    dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; outputs are not
        for table, frame in frames.items():
            write_table(frame, staging / table, csv_bom, (tables or {}).get(table))
        if workbook is not None:
            from pipeline.output.workbook import write_workbook  # XlsxWriter loads when written

            write_workbook(staging / workbook[0], frames, workbook[1])
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


def write_table(frame: pd.DataFrame, stem: Path, csv_bom: bool = True,
                table: pa.Table | None = None) -> None:
    """<stem>.parquet (typed) and <stem>.csv (UTF-8, with BOM so Excel reads it as UTF-8).

    ``table``: the frame as an Arrow table (``arrow_table``), where it is made already."""
    write_parquet(arrow_table(frame) if table is None else table, stem.with_suffix(".parquet"))
    frame.to_csv(stem.with_suffix(".csv"), index=False, lineterminator="\n",
                 encoding="utf-8-sig" if csv_bom else "utf-8")


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The Arrow table ``frame.to_parquet(index=False)`` writes (pandas' metadata included)."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def write_parquet(table: pa.Table, path: Path) -> str:
    """The table as Parquet, as pandas' ``to_parquet`` writes it, from memory in one go;
    the file's sha256."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
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


def stage_dataset_parts(dataset_dir: Path, report_id: str, fiscal_year: int,
                        tables: dict[str, pa.Table], staged: dict[Path, Path]) -> dict[str, str]:
    """Each table's part written beside <table>/fiscal_year=YYYY/report_id=<id>/part.parquet
    (hive layout) under a staging name, made from the tables the report folder's Parquet
    files hold; part path → sha256. ``staged`` hears of each staged file and its place
    as soon as it is begun, so that a failure part-way can remove them all.

    The partition keys are left out of the files, as hive readers expect.
    """
    written = {}
    for name, relative in dataset_part_paths(report_id, fiscal_year, list(tables)).items():
        target = dataset_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.parent / f"{STAGED_PART}{staging_tag()}new"  # no .parquet suffix: globs skip it
        staged[temporary] = target
        written[relative] = write_parquet(dataset_part(tables[name], name), temporary)
    return written


_PARTITION_KEYS = ("report_id", "fiscal_year")


def dataset_part(table: pa.Table, name: str) -> pa.Table:
    """A report table as its dataset part: the partition keys left out, the renames of
    DATASET_RENAMES made, and pandas' metadata saying so — the table pandas would make
    of the frame with those columns dropped and renamed."""
    renames = DATASET_RENAMES.get(name, {})
    named = {column: renames.get(column, column) for column in table.column_names}
    kept = [column for column, new in named.items() if new not in _PARTITION_KEYS]
    pandas_meta = json.loads(table.schema.metadata[b"pandas"])
    pandas_meta["columns"] = [column | {"name": named[column["name"]],
                                        "field_name": named[column["field_name"]]}
                              for column in pandas_meta["columns"] if column["name"] in kept]
    part = table.select(kept).rename_columns([named[column] for column in kept])
    return part.replace_schema_metadata({b"pandas": json.dumps(pandas_meta).encode()})


def _stale_part_folders(dataset_dir: Path, report_id: str, keep_year: int | None) -> list[Path]:
    segment = glob.escape(f"report_id={partition_value(report_id)}")
    return [folder for folder in dataset_dir.glob(f"*/fiscal_year=*/{segment}")
            if keep_year is None or folder.parent.name != f"fiscal_year={keep_year}"]


def retire_dataset_parts(dataset_dir: Path, report_id: str, keep_year: int | None,
                         retired: dict[Path, Path]) -> None:
    """Move a report's parts (those under keep_year aside) out of their places, each
    beside it under a staging name; ``retired`` hears of each (its place) once moved.
    A part that cannot be moved raises: nothing else has changed yet."""
    for folder in _stale_part_folders(dataset_dir, report_id, keep_year):
        place = folder / PART
        if place.is_file():
            aside = folder / f"{STAGED_PART}{staging_tag()}old"
            os.replace(place, aside)
            retired[aside] = place


def remove_dataset_parts(dataset_dir: Path, report_id: str, keep_year: int | None = None) -> None:
    """Remove a report's dataset parts (those under keep_year stay)."""
    for stale in _stale_part_folders(dataset_dir, report_id, keep_year):
        shutil.rmtree(stale, ignore_errors=True)
