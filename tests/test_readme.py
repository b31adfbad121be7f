"""The README documents what the code does: every command and every output column."""

from pathlib import Path

import pytest

from pipeline.cli import main
from schemas.registry import DIFF_TABLES, TABLES

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command):
    assert f"`pipeline {command}" in README


@pytest.mark.parametrize(("table", "column"), [
    (table.name, column) for table in [*TABLES.values(), *DIFF_TABLES.values()]
    for column in table.columns])
def test_every_output_column_is_in_the_readme(table, column):
    section = README.split(f"#### `{table}`", 1)[1].split("####", 1)[0]
    assert f"| `{column}` |" in section


@pytest.mark.parametrize("table", [t for t in TABLES.values() if t.primary_key],
                         ids=lambda t: t.name)
def test_every_keyed_table_states_its_primary_key_in_the_readme(table):
    section = README.split(f"#### `{table.name}`", 1)[1].split("####", 1)[0]
    assert f"Primary key: ({', '.join(table.primary_key)})." in section


def test_ci_runs_the_readmes_test_command_verbatim():
    command = "pip install '.[test]' && python -m pytest"
    assert f"```sh\n{command}\n```" in README
    assert command in CI.splitlines()
