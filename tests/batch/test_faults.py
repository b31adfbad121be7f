"""Runs killed, interrupted and run twice at once: every report folder is complete old or
complete new, the manifest matches the folders, the next run finishes the rest, and
nothing is left behind (no staging folders, no live workers)."""

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
from conftest import ROOT, SAMPLE_PDF, SEED, seed_of_its_own, spinning_pdf

from pipeline.batch import run
from pipeline.job import RunSettings, file_sha256
from pipeline.output.state import SEAL, load_manifest, manifest_entry, read_seal

OLD_NAME, NEW_NAME = "DXスタートアップ研修の実施支援に活用した。", "DXスタートアップ研修の実施支援に活用した(改訂)。"


def corpus(folder: Path, texts: int, pdfs: int = 0, new: bool = False) -> Path:
    """Copies of the seed (and sample PDF); ``new`` changes a business name in the texts."""
    folder.mkdir(parents=True, exist_ok=True)
    assert SEED.read_text(encoding="utf-8").count(OLD_NAME) >= 1
    for i in range(texts):
        text = seed_of_its_own(f"ward_{i}")
        (folder / f"ward_{i}.txt").write_text(text.replace(OLD_NAME, NEW_NAME) if new else text,
                                             encoding="utf-8")
    for i in range(pdfs):
        (folder / f"ward_pdf_{i}.pdf").write_bytes(SAMPLE_PDF.read_bytes())
    return folder


def pipeline_run(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def folder_state(folder: Path, raw: Path) -> str:
    """'old' or 'new' for a complete report folder; raises on anything else."""
    seal = read_seal(folder)
    assert seal is not None, f"{folder} has no seal"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([SEAL, *seal.files]), f"{folder} holds {names}"
    for name, sha in seal.files.items():
        assert file_sha256(folder / name) == sha, f"{folder / name} is not what its seal says"
    items = (folder / "items.csv").read_text(encoding="utf-8-sig")
    state = "new" if NEW_NAME in items else "old"
    source = Path(seal.key.sources[0].path)
    assert json.loads((folder / "report.json").read_text())["row_counts"]["items"] == 113
    return state if source.parent == raw.resolve() else "?"


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def assert_nothing_leaked(out: Path) -> None:
    assert [p for p in out.rglob(f"*.staging-*")] == []
    manifest = load_manifest(out)
    sealed = {p.name: manifest_entry(read_seal(p)) for p in out.iterdir() if read_seal(p)}
    assert manifest == sealed


@pytest.mark.parametrize(("seed", "how"), [(1, "group"), (2, "group"), (3, "parent"), (4, "sigint")])
def test_a_killed_batch_leaves_every_folder_old_or_new_and_the_next_run_finishes(tmp_path, seed, how):
    raw, out = corpus(tmp_path / "raw", texts=6), tmp_path / "out"
    assert all(o.ok for o in run([raw], RunSettings(out_dir=out, jobs=2)))
    corpus(raw, texts=6, new=True)  # every output now differs from the previous run's
    spinning_pdf(raw / "zz_spinning.pdf")  # keeps a worker busy long after its parent is gone
    random.seed(seed)
    for _ in range(3):
        process = pipeline_run(str(raw), "--out", str(out), "--jobs", "2", start_new_session=True)
        time.sleep(random.uniform(0.8, 3.0))
        workers = children_of(process.pid)
        if how == "group":
            os.killpg(process.pid, signal.SIGKILL)
        elif how == "parent":
            os.kill(process.pid, signal.SIGKILL)
        else:
            os.killpg(process.pid, signal.SIGINT)
        process.communicate(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers), "a worker outlived its parent"
        states = [folder_state(out / f"ward_{i}", raw) for i in range(6)]
        assert set(states) <= {"old", "new"}, states
        parts = ds.dataset(out / "dataset" / "items", format="parquet", partitioning="hive").to_table()
        assert sorted(set(parts.column("report_id").to_pylist())) == [f"ward_{i}" for i in range(6)]
    (raw / "zz_spinning.pdf").unlink()
    finished = run([raw], RunSettings(out_dir=out, jobs=2))
    assert all(o.ok for o in finished)
    assert [folder_state(out / f"ward_{i}", raw) for i in range(6)] == ["new"] * 6
    assert_nothing_leaked(out)
    assert all(o.skipped for o in run([raw], RunSettings(out_dir=out, jobs=2)))


def group_gone(pgid: int, timeout: float = 30) -> None:
    """Wait until no process of the group ``pgid`` is alive (a zombie no one reaps in a
    container counts as gone, as it does for the run's own staging check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_live_member(stat, pgid) for stat in Path("/proc").glob("[0-9]*/stat")):
            return
        time.sleep(0.05)
    raise AssertionError(f"processes of group {pgid} still alive after {timeout} s")


def _live_member(stat: Path, pgid: int) -> bool:
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False  # gone while we looked
    state, group = fields[0], int(fields[2])
    return group == pgid and state not in ("Z", "X")


def test_ctrl_c_stops_a_parallel_batch_and_records_what_completed(tmp_path):
    raw, out = corpus(tmp_path / "raw", texts=2, pdfs=8), tmp_path / "out"
    process = pipeline_run(str(raw), "--out", str(out), "--jobs", "2", start_new_session=True)
    deadline = time.monotonic() + 60
    while not (out / "manifest.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until at least one report has completed
    os.killpg(process.pid, signal.SIGINT)
    stopped = time.monotonic()
    _, stderr = process.communicate(timeout=30)
    waited = time.monotonic() - stopped
    assert process.returncode == 130, stderr
    assert "Error: interrupted: " in stderr and "Run the same command again to finish." in stderr
    assert "Traceback" not in stderr
    recorded = load_manifest(out)
    assert 1 <= len(recorded) < 10, f"{len(recorded)} recorded after {waited:.1f} s"
    assert_nothing_leaked(out)
    # A worker may outlive its parent by a moment (it dies with it, PR_SET_PDEATHSIG); while
    # it lives, its staged dataset part is a live writer's and the rerun rightly leaves it,
    # converting that report again. Rerun as a user would: once the group is gone.
    group_gone(process.pid)
    rerun = run([raw], RunSettings(out_dir=out, jobs=2))
    assert sorted(o.report_id for o in rerun if o.skipped) == sorted(recorded)
    assert all(o.ok for o in rerun)


def test_two_runs_on_one_folder_wait_for_each_other(tmp_path):
    raw, out = corpus(tmp_path / "raw", texts=4, pdfs=2), tmp_path / "out"
    batch = pipeline_run(str(raw), "--out", str(out), "--jobs", "2")
    deadline = time.monotonic() + 30
    while not (out / ".pipeline.batch.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    single = pipeline_run(str(raw / "ward_0.txt"), "--out", str(out), "--jobs", "1")
    other = pipeline_run(str(SEED), "--out", str(out), "--jobs", "1")
    results = [p.communicate(timeout=300) + (p.returncode,) for p in (batch, single, other)]
    assert [code for _, _, code in results] == [0, 0, 0], results
    waited = [stderr for _, stderr, _ in results[1:]]
    assert any(f"{out} is being written by another run (pid {batch.pid}); waiting for it to finish…"
               in stderr for stderr in waited), waited
    assert results[1][0] == f"{raw / 'ward_0.txt'} → {out / 'ward_0'}/ (unchanged, skipped)\n"
    reports = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name != "dataset")
    assert reports == ["nakano_fy2023", "ward_0", "ward_1", "ward_2", "ward_3", "ward_pdf_0",
                       "ward_pdf_1"]
    assert_nothing_leaked(out)
    assert not (out / ".pipeline.batch.lock").exists()


def test_a_live_runs_staging_folder_is_never_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    live = out / f".ward_0.staging-{os.getpid()}-abc"  # this test process is alive
    dead = out / ".ward_1.staging-999999999-abc"
    live.mkdir()
    dead.mkdir()
    run([corpus(tmp_path / "raw", texts=1)], RunSettings(out_dir=out, jobs=1))
    assert live.is_dir() and not dead.exists()


def test_a_pdf_that_makes_the_parser_spin_is_stopped_at_its_time_limit(tmp_path):
    raw = corpus(tmp_path / "raw", texts=2)
    spinning_pdf(raw / "spinning.pdf", operators=600_000)  # a minute of parsing, or more
    process = pipeline_run(str(raw), "--out", str(tmp_path / "out"), "--jobs", "2", "--timeout", "10")
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 1, stderr
    assert (f"Error: {raw / 'spinning.pdf'}: the conversion took longer than 10 s and was stopped "
            "(--timeout); nothing was written for it.\n") in stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "dataset", "failures.csv", "manifest.json", "ward_0", "ward_1"]


def test_a_report_that_needs_too_much_memory_is_stopped_at_its_limit(tmp_path):
    raw = corpus(tmp_path / "raw", texts=1)
    spinning_pdf(raw / "spinning.pdf")
    process = pipeline_run(str(raw), "--out", str(tmp_path / "out"), "--jobs", "2",
                           "--memory-limit", "150")
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 1
    assert (f"Error: {raw / 'spinning.pdf'}: the conversion needed more memory than its limit "
            "(150 MB) and was stopped; nothing was written for it.\n") in stderr, stderr
    assert stdout == f"{raw / 'ward_0.txt'} → {tmp_path / 'out' / 'ward_0'}/ (113 items, " \
                     "168 item_departments, 40 indicators, 0 indicator_evaluations, 4 status_summary, 3 footnotes, " \
                     "32 date_mentions)\n"


def test_the_time_limit_counts_reading_and_the_stages_together(tmp_path, monkeypatch):
    # Reading takes one child and the stages another; the report's limit spans both.
    import importlib

    stages = importlib.import_module("pipeline.batch.report")  # pipeline.batch.report is the API function

    original = stages.document_to_frames

    def slow_for_b(document, report_id, *args, **kwargs):
        if report_id == "ward_1":
            time.sleep(60)
        return original(document, report_id, *args, **kwargs)

    monkeypatch.setattr(stages, "document_to_frames", slow_for_b)
    raw = corpus(tmp_path / "raw", texts=3)
    outcomes = run([raw], RunSettings(out_dir=tmp_path / "out", jobs=2, timeout=5))
    assert [(o.report_id, o.ok) for o in outcomes] == [
        ("ward_0", True), ("ward_1", False), ("ward_2", True)]
    assert outcomes[1].error == (f"{raw / 'ward_1.txt'}: the conversion took longer than 5 s "
                                 "and was stopped (--timeout); nothing was written for it.")
    assert_nothing_leaked(tmp_path / "out")


def test_reading_a_report_loads_none_of_the_stages_libraries():
    # What lets a fresh run import pandas, pandera and pyarrow while its first report is read.
    code = ("import sys\nfrom pathlib import Path\n"
            "from pipeline.job import ReportInput, RunSettings\n"
            "from pipeline.batch.reading import read_outcome\n"
            "for path in sys.argv[1:]:\n"
            "    document, outcome = read_outcome(ReportInput.of_file(Path(path)), RunSettings())\n"
            "    assert document is not None, outcome.error\n"
            "print(sorted({'pandas', 'pandera', 'pyarrow', 'numpy'} & set(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code, str(SEED), str(SAMPLE_PDF)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")


def test_the_command_does_not_import_hypothesis_that_pandera_would_load(tmp_path):
    # Installed with the test extras, hypothesis would cost every command 0.13 s.
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline", "run",
                             str(SEED), "--out", str(tmp_path / "out")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")]
    assert "pandera" in imported and "pandas" in imported
    # pandera's one attempt, refused at once (with hypothesis loaded, some 80 modules)
    assert [name for name in imported if name.startswith("hypothesis")] == [
        "hypothesis.strategies"]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a script's background job starts


def test_a_run_started_with_sigint_ignored_keeps_its_workers_ignoring_it(tmp_path):
    # A background job of a script (or nohup) ignores SIGINT; a Ctrl-C in that terminal
    # reaches the whole group, and once killed the workers' reports as "killed by SIGINT".
    raw, out = corpus(tmp_path / "raw", texts=6), tmp_path / "out"
    process = pipeline_run(str(raw), "--out", str(out), "--jobs", "2", start_new_session=True,
                           preexec_fn=_ignore_sigint)
    deadline = time.monotonic() + 60
    while not children_of(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    for _ in range(5):
        os.killpg(process.pid, signal.SIGINT)
        time.sleep(0.1)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert all(folder_state(out / f"ward_{i}", raw) == "old" for i in range(6))
