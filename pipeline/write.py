"""Write outputs atomically: a complete folder (or dataset part) or nothing new.

Everything is written into a temporary sibling folder first, then swapped into place,
so a failed or killed run leaves the previous outputs as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.swap import STAGING, replace_folder


def write_report(out_dir: Path, report_id: str, frames: dict[str, pd.DataFrame],
                 report: dict[str, Any], package: dict[str, Any], csv_bom: bool = True) -> Path:
    """DIR/<report_id>/ with <table>.parquet, <table>.csv, report.json, datapackage.json."""
    documents = {"report.json": _json(report), "datapackage.json": _json(package)}
    return write_folder(out_dir / report_id, frames, documents, csv_bom)


def write_folder(target: Path, frames: dict[str, pd.DataFrame], documents: dict[str, str],
                 csv_bom: bool = True) -> Path:
    """target/ holding each frame as .parquet and .csv and each document, or nothing new."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}", dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; outputs are not
        for table, frame in frames.items():
            write_table(frame, staging / table, csv_bom)
        for name, text in documents.items():
            (staging / name).write_text(text, encoding="utf-8")
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
    frame.to_parquet(stem.with_suffix(".parquet"), index=False, engine="pyarrow")
    frame.to_csv(stem.with_suffix(".csv"), index=False, lineterminator="\n",
                 encoding="utf-8-sig" if csv_bom else "utf-8")


def _json(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"


# Columns whose meaning in a table is not the report's fiscal year get a name of their
# own in the combined dataset, where fiscal_year is the report's (the partition key).
DATASET_RENAMES = {"indicators": {"fiscal_year": "value_fiscal_year"},
                   "date_mentions": {"fiscal_year": "mention_fiscal_year"}}


def write_dataset_parts(dataset_dir: Path, report_id: str, fiscal_year: int,
                        frames: dict[str, pd.DataFrame]) -> None:
    """<table>/fiscal_year=YYYY/report_id=<id>/part.parquet for each table (hive layout).

    The partition keys are left out of the files, as hive readers expect; a report's
    parts under another fiscal year (from an earlier run) are removed.
    """
    for table, frame in frames.items():
        renamed = frame.rename(columns=DATASET_RENAMES.get(table, {}))
        part = renamed.drop(columns=[c for c in ("report_id", "fiscal_year") if c in renamed.columns])
        folder = dataset_dir / table / f"fiscal_year={fiscal_year}" / f"report_id={report_id}"
        for stale in (dataset_dir / table).glob(f"fiscal_year=*/report_id={report_id}"):
            if stale != folder:
                shutil.rmtree(stale, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".part{STAGING}{os.getpid()}"  # no .parquet suffix: globs skip it
        part.to_parquet(temporary, index=False, engine="pyarrow")
        os.replace(temporary, folder / "part.parquet")
