"""Batch runs: incremental, parallel, deterministic, and safe to kill."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from conftest import REPORT_FILES, ROOT, SEED, seed_of_its_own

from pipeline.batch import run
from pipeline.job import RunSettings, file_sha256

SAMPLE_PDF = ROOT / "raw" / "nakano_fy2023_sample.pdf"


def corpus(folder: Path, texts: int = 3, pdfs: int = 0, broken: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(texts):
        (folder / f"ward_{i}.txt").write_text(seed_of_its_own(f"ward_{i}"), encoding="utf-8")
    for i in range(pdfs):
        (folder / f"ward_pdf_{i}.pdf").write_bytes(SAMPLE_PDF.read_bytes())
    for i in range(broken):
        (folder / f"broken_{i}.txt").write_bytes(b"")
    return folder


def test_an_unchanged_rerun_skips_and_keeps_outputs(tmp_path):
    raw, out = corpus(tmp_path / "raw"), tmp_path / "out"
    first = run([raw], RunSettings(out_dir=out, jobs=1))
    stamp = (out / "ward_0" / "items.parquet").stat().st_mtime_ns
    second = run([raw], RunSettings(out_dir=out, jobs=1))
    assert [o.skipped for o in first] == [False] * 3 and [o.skipped for o in second] == [True] * 3
    assert (out / "ward_0" / "items.parquet").stat().st_mtime_ns == stamp
    assert second[0].counts == first[0].counts


def test_a_changed_input_or_force_reruns(tmp_path):
    raw, out = corpus(tmp_path / "raw"), tmp_path / "out"
    run([raw], RunSettings(out_dir=out, jobs=1))
    (raw / "ward_1.txt").write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert [o.skipped for o in run([raw], RunSettings(out_dir=out, jobs=1))] == [True, False, True]
    assert [o.skipped for o in run([raw], RunSettings(out_dir=out, jobs=1, force=True))] == [False] * 3
    assert [o.skipped for o in run([raw], RunSettings(out_dir=out, jobs=1, csv_bom=False))] == [False] * 3


def test_a_deleted_output_folder_is_rebuilt(tmp_path):
    raw, out = corpus(tmp_path / "raw", texts=1), tmp_path / "out"
    run([raw], RunSettings(out_dir=out, jobs=1))
    for path in (out / "ward_0").iterdir():
        path.unlink()
    (out / "ward_0").rmdir()
    assert [o.skipped for o in run([raw], RunSettings(out_dir=out, jobs=1))] == [False]


def test_outputs_are_byte_identical_across_runs_and_job_counts(tmp_path):
    raw = corpus(tmp_path / "raw", texts=2, pdfs=1)
    run([raw], RunSettings(out_dir=tmp_path / "a", jobs=1))
    run([raw], RunSettings(out_dir=tmp_path / "b", jobs=2))
    for report in ("ward_0", "ward_pdf_0"):
        for name in REPORT_FILES:
            assert (tmp_path / "a" / report / name).read_bytes() == (tmp_path / "b" / report / name).read_bytes(), name


def test_one_failure_among_many_in_parallel(tmp_path):
    raw = corpus(tmp_path / "raw", texts=3, broken=1)
    outcomes = run([raw], RunSettings(out_dir=tmp_path / "out", jobs=2))
    assert [(o.report_id, o.ok) for o in outcomes] == [
        ("broken_0", False), ("ward_0", True), ("ward_1", True), ("ward_2", True)]
    assert outcomes[0].error == "broken_0.txt: the file is empty."


def test_the_dataset_reads_as_one_hive_partitioned_table(tmp_path):
    raw, out = corpus(tmp_path / "raw", texts=2), tmp_path / "out"
    run([raw], RunSettings(out_dir=out, jobs=1))
    items = ds.dataset(out / "dataset" / "items", format="parquet", partitioning="hive").to_table()
    assert items.num_rows == 2 * 113
    assert sorted(set(items.column("report_id").to_pylist())) == ["ward_0", "ward_1"]
    assert set(items.column("fiscal_year").to_pylist()) == {2023}
    indicators = ds.dataset(out / "dataset" / "indicators", format="parquet", partitioning="hive").to_table()
    assert sorted(set(indicators.column("value_fiscal_year").to_pylist())) == [2022, 2023, 2025]


def test_reserved_folder_names_are_refused(tmp_path):
    (tmp_path / "dataset.txt").write_bytes(SEED.read_bytes())
    (outcome,) = run([tmp_path / "dataset.txt"], RunSettings(out_dir=tmp_path / "out", jobs=1))
    assert outcome.error == (f"{tmp_path / 'dataset.txt'}: its report id 'dataset' names a folder "
                             f"the pipeline keeps for itself in {tmp_path / 'out'}; rename the file.")


def complete(folder: Path) -> bool:
    """Every promised file, each as its seal says, and a whole items table."""
    names = sorted(p.name for p in folder.iterdir())
    seal = json.loads((folder / ".pipeline.json").read_text())
    intact = all(file_sha256(folder / name) == sha for name, sha in seal["files"].items())
    return (names == [".pipeline.json"] + REPORT_FILES and sorted(seal["files"]) == REPORT_FILES
            and intact and json.loads((folder / "report.json").read_text())["row_counts"]["items"] == 113)
