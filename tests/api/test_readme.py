"""The README documents what the code does: every command, the test command CI runs, and
a Python example that runs. The column-by-column checks moved with the tables to
docs/tables.md (tests/api/test_docs.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command):
    assert f"`pipeline {command}" in README


def test_ci_runs_the_readmes_test_command_verbatim():
    command = "pip install '.[test]' && python -m pytest"
    assert f"```sh\n{command}\n```" in README
    assert command in CI.splitlines()


def test_the_quickstart_is_two_commands():
    quickstart = README.split("## Quickstart\n", 1)[1].split("\n## ", 1)[0]
    assert quickstart.count("```sh\n") == 2
    assert "```sh\npip install . && pipeline run\n```" in quickstart


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 300


def test_the_readmes_python_example_runs(tmp_path):
    [example] = [block.split("```", 1)[0] for block in README.split("```python\n")[1:]]
    for name in ("raw", "tests"):  # the repository's files, as a clone has them
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    (tmp_path / "example.py").write_text(example, encoding="utf-8")
    result = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == "2023 113 []"
    assert lines[1].split() == ["change", "measure_id", "business"]
    assert lines[-1].startswith("kakuu_city_fy2024.txt: no layout profile fits; ")
    assert lines[-1].endswith(" []")
    assert (tmp_path / "normalized" / "nakano_fy2023_sample" / ".pipeline.json").is_file()
