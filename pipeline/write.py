"""Write one report's tables, atomically: a complete folder or nothing.

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


def write_report(out_dir: Path, report_id: str, frames: dict[str, pd.DataFrame],
                 report: dict[str, Any], package: dict[str, Any], csv_bom: bool = True) -> Path:
    """DIR/<report_id>/ with <table>.parquet, <table>.csv, report.json, datapackage.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / report_id
    staging = Path(tempfile.mkdtemp(prefix=f".{report_id}.", dir=out_dir))
    try:
        for table, frame in frames.items():
            write_table(frame, staging / table, csv_bom)
        _write_json(staging / "report.json", report)
        _write_json(staging / "datapackage.json", package)
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def write_table(frame: pd.DataFrame, stem: Path, csv_bom: bool = True) -> None:
    """<stem>.parquet (typed) and <stem>.csv (UTF-8, with BOM so Excel reads it as UTF-8)."""
    frame.to_parquet(stem.with_suffix(".parquet"), index=False, engine="pyarrow")
    frame.to_csv(stem.with_suffix(".csv"), index=False, lineterminator="\n",
                 encoding="utf-8-sig" if csv_bom else "utf-8")


def _write_json(path: Path, content: dict[str, Any]) -> None:
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace target by staging; at every moment one complete folder stands at target."""
    if not target.exists():
        os.replace(staging, target)
        return
    retired = target.with_name(f".{target.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)
