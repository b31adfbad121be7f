"""The output folder and the dataset under damaged names and failed writes (issue 21):
the run's own names are refused as report ids, a report's dataset parts change only
with its folder, and a write that cannot be made says so without losing a reason."""

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED

from pipeline.errors import OutputError
from pipeline.output import write
from pipeline.batch import run
from pipeline.cli import main
from pipeline.job import InputKey, KeySettings, ReportInput, RunSettings, Seal, file_sha256
from pipeline.batch.report import convert
from pipeline.output.state import PART, STAGED_PART, input_key, read_seal, settle_dataset

OLD_NAME, NEW_NAME = "区民サービス", "区民窓口サービス"


def seed_copy(folder: Path, name: str, new: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    path = folder / name
    path.write_text(text.replace(OLD_NAME, NEW_NAME) if new else text, encoding="utf-8")
    return path


def snapshot(out: Path) -> dict[str, str]:
    """Every file under out (the lock aside) → its sha256."""
    return {p.relative_to(out).as_posix(): file_sha256(p) for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in (".pipeline.batch.lock", "failures.csv")}


def dataset_agrees(out: Path) -> bool:
    """The dataset holds exactly the parts the report folders' seals name, as sealed."""
    promised = {}
    for folder in out.iterdir():
        seal = read_seal(folder) if folder.is_dir() else None
        if seal is not None:
            promised.update(seal.dataset or {})
    found = {p.relative_to(out / "dataset").as_posix(): file_sha256(p)
             for p in (out / "dataset").rglob("*") if p.is_file()}
    return found == promised


@pytest.mark.parametrize("name", [
    "manifest.json.txt", "failures.csv.txt", "MANIFEST.JSON.txt", ".pipeline.batch.lock.txt",
    ".pipeline.json.txt", "dataset.txt", "diff.txt", "history.txt", "inspect.txt",
    "failures.txt", ".ward.staging-99999-.txt", "ward.staging-99999-.txt", ".hidden.txt"])
def test_a_report_id_the_run_keeps_for_itself_is_refused_and_the_folder_stays_usable(tmp_path, name):
    source, out = seed_copy(tmp_path / "raw", name), tmp_path / "out"
    [refused] = run([source], RunSettings(out_dir=out))
    report_id = source.stem
    assert refused.error == (f"{source}: its report id {report_id!r} names a folder the pipeline "
                             f"keeps for itself in {out}; rename the file.")
    assert not (out / report_id).is_dir()
    [good] = run([seed_copy(tmp_path / "raw", "ward.txt")], RunSettings(out_dir=out))
    assert good.ok and (out / "ward").is_dir() and (out / "manifest.json").is_file()
    assert dataset_agrees(out)


def changed_twice(tmp_path: Path) -> tuple[Path, Path]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    source = seed_copy(raw, "ward.txt")
    assert run([source], RunSettings(out_dir=out))[0].ok
    seed_copy(raw, "ward.txt", new=True)
    return source, out


@pytest.mark.parametrize("dataset", [True, False])
def test_a_folder_swap_without_space_changes_neither_the_folder_nor_its_dataset_parts(
        tmp_path, monkeypatch, dataset):
    source, out = changed_twice(tmp_path)
    before = snapshot(out)

    def full(staging: Path, target: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(write, "replace_folder", full)
    [failed] = run([source], RunSettings(out_dir=out, dataset=dataset))
    assert failed.error == f"{source}: No space left on device ({out / 'ward'})."
    assert snapshot(out) == before
    assert dataset_agrees(out)


def test_a_staged_part_fails_to_write_and_the_old_parts_stay(tmp_path, monkeypatch):
    source, out = changed_twice(tmp_path)
    before = snapshot(out)
    written = write.write_parquet

    def full_on_the_dataset(table, path: Path) -> str:
        if path.name.startswith(STAGED_PART) and "indicators" in path.parts:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return written(table, path)

    monkeypatch.setattr(write, "write_parquet", full_on_the_dataset)
    [failed] = run([source], RunSettings(out_dir=out))
    assert failed.error is not None and "No space left on device" in failed.error
    assert snapshot(out) == before


def test_a_run_killed_after_the_swap_has_its_staged_parts_put_in_place_by_the_next_run(
        tmp_path, monkeypatch):
    source, out = changed_twice(tmp_path)

    def killed(*args, **kwargs) -> None:
        raise SystemExit("killed")  # stands for a SIGKILL: nothing after it runs

    monkeypatch.setattr(write, "remove_dataset_parts", killed)
    settings = RunSettings(out_dir=out)
    report = ReportInput.of_file(source)
    with pytest.raises(SystemExit):  # in this process, so that nothing catches the kill
        convert(report, settings, input_key(report, settings))
    monkeypatch.undo()
    assert read_seal(out / "ward") is not None
    staged = list((out / "dataset").rglob(f"{STAGED_PART}*"))
    assert staged, "the kill should have left staged parts"
    for part in staged:  # as a killed process leaves them: named for a pid no longer running
        part.rename(part.with_name(f"{STAGED_PART}999999999-new"))
    [again] = run([source], RunSettings(out_dir=out))
    assert again.skipped  # the folder is new and its parts now are too
    assert dataset_agrees(out)


def test_settling_keeps_the_sealed_parts_and_removes_every_other(tmp_path):
    out = tmp_path / "out"
    place = out / "dataset" / "items" / "fiscal_year=2023" / "report_id=ward" / PART
    place.parent.mkdir(parents=True)
    place.write_bytes(b"old")
    (place.parent / f"{STAGED_PART}999999999-new").write_bytes(b"new")
    stale = out / "dataset" / "items" / "fiscal_year=2022" / "report_id=ward" / PART
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"older")
    promised = {"items/fiscal_year=2023/report_id=ward/part.parquet": file_sha256(
        place.parent / f"{STAGED_PART}999999999-new")}
    key = InputKey(sources=(), code="code", settings=KeySettings(csv_bom=True))
    seal = Seal(report_id="ward", key=key, files={}, dataset=promised, pages=None, counts={})
    settle_dataset(out, {"ward": seal})
    assert place.read_bytes() == b"new"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "dataset/items/fiscal_year=2023/report_id=ward/part.parquet"]


def test_out_that_is_a_file_is_one_sentence_and_exit_1(tmp_path):
    source, out = seed_copy(tmp_path / "raw", "ward.txt"), tmp_path / "out.txt"
    out.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output == f"Error: {out}: is a file, not a folder; choose another --out.\n"


def test_a_reports_own_reason_is_told_when_the_list_of_failures_cannot_be_written(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    empty = raw / "empty.txt"
    empty.write_text("", encoding="utf-8")
    (out / "failures.csv").mkdir(parents=True)  # stands for a failures.csv that cannot be written
    [reason] = [o.error for o in run([empty], RunSettings(out_dir=tmp_path / "probe"))]
    result = CliRunner().invoke(main, ["run", str(empty), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {reason} {out / 'failures.csv'}: cannot write the list of "
                             "failures (Is a directory).\n")


def test_an_immutable_report_folder_keeps_the_folder_and_its_parts(tmp_path):
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    source, out = changed_twice(tmp_path)
    before = snapshot(out)
    frozen = subprocess.run(["chattr", "+i", str(out / "ward")], capture_output=True)
    if frozen.returncode != 0:
        pytest.skip("chattr +i is not permitted here")
    try:
        [failed] = run([source], RunSettings(out_dir=out))
    finally:
        subprocess.run(["chattr", "-i", str(out / "ward")], check=True)
    assert failed.error is not None and "Operation not permitted" in failed.error
    assert snapshot(out) == before
    assert dataset_agrees(out)


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (as root); the test is skipped where mounting is not permitted."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


@pytest.mark.parametrize("spare_pages", [-8, 0, 4, 8, 16, 32, 64])
def test_a_full_disk_changes_neither_the_folder_nor_its_dataset_parts(tmp_path, small_disk,
                                                                      spare_pages):
    raw, out = tmp_path / "raw", small_disk / "out"
    source = seed_copy(raw, "ward.txt")
    assert run([source], RunSettings(out_dir=out))[0].ok
    seed_copy(raw, "ward.txt", new=True)
    before = snapshot(out)
    free = os.statvfs(small_disk)
    # room for about the new folder (its files in 4 KiB pages) and spare_pages more: the disk
    # fills while the folder, or its dataset parts, or neither are written
    pages = sum(-(-p.stat().st_size // 4096) for p in (out / "ward").iterdir()) + spare_pages
    (small_disk / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - pages * 4096))
    [outcome] = run([source], RunSettings(out_dir=out))
    if not outcome.ok:
        assert "No space left on device" in outcome.error
        assert snapshot(out) == before
    assert dataset_agrees(out)


@pytest.fixture
def immutable():
    """chattr +i on a folder under the test's own tmp_path, undone after the test; the
    test is skipped where chattr is missing or not permitted."""
    frozen: list[Path] = []

    def freeze(folder: Path) -> None:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not installed")
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not permitted here")
        frozen.append(folder)

    yield freeze
    for folder in frozen:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


ITEMS_PART = Path("dataset/items/fiscal_year=2023/report_id=ward")


def test_a_part_folder_that_cannot_be_emptied_stops_a_run_without_the_dataset(tmp_path,
                                                                             immutable):
    """With --no-dataset the old parts go: once removed after the folder was swapped (and
    the run ended in a traceback, the folder new, its old part still in the dataset)."""
    source, out = changed_twice(tmp_path)
    before = snapshot(out)
    immutable(out / ITEMS_PART)
    [failed] = run([source], RunSettings(out_dir=out, dataset=False))
    assert failed.error == f"{source}: Operation not permitted ({out / ITEMS_PART / PART})."
    assert snapshot(out) == before
    assert dataset_agrees(out)


def test_a_part_no_folder_names_that_cannot_be_removed_is_one_sentence(tmp_path, immutable):
    raw, out = tmp_path / "raw", tmp_path / "out"
    assert run([seed_copy(raw, "ward.txt")], RunSettings(out_dir=out))[0].ok
    shutil.rmtree(out / "ward")  # its parts are named by no folder now
    immutable(out / ITEMS_PART)
    with pytest.raises(OutputError) as refused:
        run([seed_copy(raw, "other.txt", new=True)], RunSettings(out_dir=out))
    assert str(refused.value) == (
        f"{out / ITEMS_PART / PART}: cannot remove this dataset part or put it in place "
        "(Operation not permitted); until it can be, the dataset does not hold exactly the "
        "parts the report folders name.")


def test_old_parts_moved_aside_before_a_failed_swap_are_put_back(tmp_path, monkeypatch):
    source, out = changed_twice(tmp_path)
    before = snapshot(out)

    def full(staging: Path, target: Path) -> None:
        assert not (out / ITEMS_PART / PART).exists()  # moved aside, under a staging name
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(write, "replace_folder", full)
    [failed] = run([source], RunSettings(out_dir=out, dataset=False))
    assert failed.error == f"{source}: No space left on device ({out / 'ward'})."
    assert snapshot(out) == before
