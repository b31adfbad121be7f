"""py.typed is a promise: mypy finds no error in pipeline/ and schemas/ (config in pyproject.toml)."""

import subprocess
import sys

import pytest
from conftest import ROOT

pytest.importorskip("mypy", reason="mypy is in the [test] extra: pip install '.[test]'")


def test_mypy_finds_no_errors():
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found")
