"""An unchanged rerun loads neither pandas nor the stages: it is a hash and a manifest read."""

import subprocess
import sys

from conftest import ROOT, SEED


def test_an_unchanged_rerun_imports_no_pandas(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ward.txt").write_bytes(SEED.read_bytes())
    command = [sys.executable, "-c",
               "import sys; from pipeline.cli import main\n"
               "try:\n    main()\nexcept SystemExit:\n    pass\n"
               "print('pandas' in sys.modules)",
               "run", str(raw), "--out", str(tmp_path / "out")]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert first.stdout.splitlines()[-1] == "True"
    assert second.stdout.splitlines() == [f"{raw / 'ward.txt'} → {tmp_path / 'out' / 'ward'}/ (unchanged, skipped)", "False"]
