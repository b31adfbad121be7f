"""What a user does that used to lose data or serve stale outputs: each now has one
clear outcome (issue 8)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from click.testing import CliRunner
from conftest import SAMPLE_PDF, SEED, seed_of_its_own

from pipeline import job
from pipeline.batch import run
from pipeline.cli import main
from pipeline.job import RunSettings
from pipeline.output.state import SEAL


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


@pytest.fixture
def read_only():
    """Make a folder unwritable, even for root (chattr +i); undone after the test."""
    frozen: list[Path] = []

    def freeze(folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o555)
        if os.access(folder, os.W_OK):  # root: permissions do not stop it
            done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
            if done.returncode != 0:
                pytest.skip("cannot make a folder read-only here (no chattr +i)")
        frozen.append(folder)

    yield freeze
    for folder in frozen:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        os.chmod(folder, 0o755)


def test_a_report_id_of_another_source_is_not_replaced_without_force(tmp_path):
    out = tmp_path / "out"
    first = copy(SAMPLE_PDF, tmp_path / "y23" / "houkoku.pdf")
    second = copy(SEED, tmp_path / "y24" / "houkoku.txt")
    assert invoke("run", str(first), "--out", str(out)).exit_code == 0
    before = (out / "houkoku" / "report.json").read_bytes()
    result = invoke("run", str(second), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {second}: report id 'houkoku' already holds {out / 'houkoku'}/, converted from "
        f"{first.resolve()}; rename the file, or pass --force to replace it.\n"
        "Error: 1 of 1 input(s) failed; nothing was written for them.\n")
    assert (out / "houkoku" / "report.json").read_bytes() == before
    assert invoke("run", str(second), "--out", str(out), "--force").exit_code == 0
    assert json.loads((out / "houkoku" / "report.json").read_text())["source_file"] == "houkoku.txt"


def test_a_folder_not_written_by_the_pipeline_is_left_alone(tmp_path):
    out = tmp_path / "out"
    (out / "nakano_fy2023").mkdir(parents=True)
    (out / "nakano_fy2023" / "notes.txt").write_text("mine")
    result = invoke("run", str(SEED), "--out", str(out))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"Error: {SEED}: {out / 'nakano_fy2023'} exists and was not written by `pipeline run`; "
        "move it away or choose another --out.")
    assert (out / "nakano_fy2023" / "notes.txt").read_text() == "mine"


def test_no_dataset_then_a_normal_run_writes_the_dataset(tmp_path):
    out = tmp_path / "out"
    assert invoke("run", str(SEED), "--out", str(out), "--no-dataset").exit_code == 0
    assert not (out / "dataset").exists()
    result = invoke("run", str(SEED), "--out", str(out))
    assert "unchanged" not in result.output
    items = ds.dataset(out / "dataset" / "items", format="parquet", partitioning="hive").to_table()
    assert items.num_rows == 113


def test_a_changed_report_run_without_the_dataset_leaves_no_stale_part(tmp_path):
    out, report = tmp_path / "out", copy(SEED, tmp_path / "ward.txt")
    assert invoke("run", str(report), "--out", str(out)).exit_code == 0
    report.write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert invoke("run", str(report), "--out", str(out), "--no-dataset").exit_code == 0
    assert list((out / "dataset").rglob("*.parquet")) == []


@pytest.mark.parametrize("damage", ["delete", "truncate", "seal"])
def test_a_damaged_output_folder_is_converted_again_not_skipped(tmp_path, damage):
    out = tmp_path / "out"
    assert invoke("run", str(SEED), "--out", str(out)).exit_code == 0
    folder = out / "nakano_fy2023"
    if damage == "delete":
        (folder / "items.parquet").unlink()
    elif damage == "truncate":
        (folder / "items.csv").write_bytes((folder / "items.csv").read_bytes()[:100])
    else:
        (folder / SEAL).unlink()
    result = invoke("run", str(SEED), "--out", str(out))
    assert result.exit_code == 0 and "unchanged" not in result.output
    assert invoke("run", str(SEED), "--out", str(out)).output.endswith("(unchanged, skipped)\n")


def test_changed_code_converts_again(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert invoke("run", str(SEED), "--out", str(out)).exit_code == 0
    monkeypatch.setattr("pipeline.output.state.code_fingerprint", lambda: "another version of the code")
    assert "unchanged" not in invoke("run", str(SEED), "--out", str(out)).output


def test_the_code_fingerprint_changes_with_any_source_or_profile_file(tmp_path):
    for name in ("pipeline/batch/report.py", "pipeline/profiles/nakano.toml", "schemas/tables.py"):
        copy(SEED, tmp_path / name)
    first = job.source_fingerprint(tmp_path)
    assert first == job.source_fingerprint(tmp_path)
    for name in ("pipeline/profiles/nakano.toml", "schemas/tables.py"):
        (tmp_path / name).write_text("changed", encoding="utf-8")
        assert job.source_fingerprint(tmp_path) != first
        first = job.source_fingerprint(tmp_path)
    (tmp_path / "pipeline" / "__pycache__").mkdir()
    (tmp_path / "pipeline" / "__pycache__" / "run.py").write_text("compiled")
    assert job.source_fingerprint(tmp_path) == first


def test_an_unwritable_output_folder_gets_one_sentence(tmp_path, read_only):
    out = tmp_path / "out"
    read_only(out)
    result = invoke("run", str(SEED), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == f"Error: {out}: cannot write the output folder (Operation not permitted).\n" \
        or result.output == f"Error: {out}: cannot write the output folder (Permission denied).\n"


def test_a_read_only_folder_holding_old_failures_gets_one_sentence(tmp_path, read_only):
    out = tmp_path / "out"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    invoke("run", str(empty), "--out", str(out))
    assert (out / "failures.csv").is_file()
    read_only(out)
    result = invoke("run", str(SEED), "--out", str(out))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {out}: cannot write the output folder (")
    assert "Traceback" not in result.output


def test_diff_to_an_unwritable_folder_gets_one_sentence(tmp_path, read_only):
    parent = tmp_path / "locked"
    read_only(parent)
    result = invoke("diff", str(SEED), str(SEED), "--out", str(parent / "diff"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {parent}: cannot write the diff's folder (")
    assert "Traceback" not in result.output


def test_a_killed_diffs_work_folder_is_removed_by_the_next_diff(tmp_path):
    out = tmp_path / "diff" / "a__b"
    leftover = tmp_path / "diff" / ".diff-work.staging-999999999-x"
    (leftover / "old").mkdir(parents=True)
    assert invoke("diff", str(SEED), str(SEED), "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "diff").iterdir()) == ["a__b"]


def test_diff_warns_when_new_is_older_than_old(tmp_path):
    next_year = SEED.with_name("nakano_fy2024_synthetic.txt")
    result = invoke("diff", str(next_year), str(SEED), "--out", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Warning: NEW (nakano_fy2023, FY2023) is an earlier fiscal year than OLD "
        "(nakano_fy2024_synthetic, FY2024); the changes read from OLD to NEW as given — swap "
        "the arguments if you meant the other way.")


@pytest.mark.parametrize("stem", ["a=b", "r5/6", "100%", "令和5年度 報告"])
def test_report_ids_with_hive_characters_read_back_as_they_are(tmp_path, stem):
    report = copy(SEED, tmp_path / "in" / (stem.replace("/", "_") + ".txt"))
    out = tmp_path / "out"
    assert invoke("run", str(report), "--out", str(out)).exit_code == 0
    items = ds.dataset(out / "dataset" / "items", format="parquet", partitioning="hive").to_table()
    assert set(items.column("report_id").to_pylist()) == {report.stem}


def test_hidden_files_in_a_folder_are_not_reports(tmp_path):
    folder = tmp_path / "raw"
    copy(SEED, folder / "ward.txt")
    (folder / "._ward.pdf").write_bytes(b"\x00\x05\x16\x07 macOS resource fork")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = invoke("run", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.output == f"{folder / 'ward.txt'} → {tmp_path / 'out' / 'ward'}/ (113 items, " \
        "168 item_departments, 40 indicators, 0 indicator_evaluations, 4 status_summary, 3 footnotes, 32 date_mentions)\n"


def test_a_skipped_input_adds_no_pages_to_the_rate(tmp_path):
    folder = tmp_path / "raw"
    copy(SEED, folder / "a.txt")
    copy(SAMPLE_PDF, folder / "b.pdf")
    out = tmp_path / "out"
    invoke("run", str(folder), "--out", str(out))
    result = invoke("run", str(folder), "--out", str(out))
    assert f"[2/2] {folder / 'b.pdf'}: unchanged, skipped (0 PDF pages converted, 0.0 pages/s)" \
        in result.output


def test_an_unexpected_error_in_one_report_fails_only_that_report(tmp_path, monkeypatch):
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(seed_of_its_own(name), encoding="utf-8")
    import importlib

    stages = importlib.import_module("pipeline.batch.report")  # pipeline.batch.report is the API function

    original = stages.document_to_frames

    def broken_for_b(document, report_id, *args, **kwargs):
        if report_id == "b":
            raise ZeroDivisionError("division by zero")
        return original(document, report_id, *args, **kwargs)

    monkeypatch.setattr(stages, "document_to_frames", broken_for_b)
    outcomes = run([folder], RunSettings(out_dir=tmp_path / "out", jobs=2))
    assert [(o.report_id, o.ok) for o in outcomes] == [("a", True), ("b", False), ("c", True)]
    assert outcomes[1].error.startswith(
        f"{folder / 'b.txt'}: the pipeline failed on an unexpected ZeroDivisionError in "
        "test_reliability.py:")
    assert outcomes[1].error.endswith("(division by zero); this is a bug, please report it with the file.")
    failures = (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(failures) == 2 and failures[1].startswith("error,internal,b.txt,")


def test_inspect_writes_its_picture_under_normalized_and_says_where(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("inspect", str(SAMPLE_PDF), "--page", "1", "--resolution", "36")
    assert result.exit_code == 0, result.output
    target = Path("normalized") / "inspect" / "nakano_fy2023_sample_page1.png"
    assert result.output.endswith(f"→ {target}\n")
    assert (tmp_path / target).read_bytes().startswith(b"\x89PNG")
