"""Every command's --help example runs, as a user would paste it, on the repository's files."""

import os
import shlex
import subprocess
import sys

import click
import pytest
from conftest import ROOT

from pipeline.cli import main


def commands(group: click.Group = main, prefix: tuple[str, ...] = ()):
    """(command words, command) of every command, in the order the help lists them."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def help_text(words: tuple[str, ...]) -> str:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, [*words, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def examples(words: tuple[str, ...]) -> list[str]:
    return [line.strip().removeprefix("Example: ") for line in help_text(words).splitlines()
            if line.strip().startswith("Example: ")]


EXAMPLES = [example for words, _ in commands() for example in examples(words)]


@pytest.mark.parametrize("words", [words for words, _ in commands()], ids=" ".join)
def test_every_command_has_an_example_of_itself(words):
    found = examples(words)
    assert found and all(e.startswith(f"pipeline {' '.join(words)}") for e in found), found


def test_the_help_examples_are_the_ones_expected():
    # A new example is run by the test below; this list says which ones there are.
    assert EXAMPLES == [
        "pipeline run raw/nakano_fy2023_sample.pdf --out normalized",
        "pipeline run --report tests/fixtures/nakano_fy2023_parts",
        "pipeline diff tests/fixtures/nakano_fy2023.txt tests/fixtures/nakano_fy2024_synthetic.txt",
        "pipeline history normalized --out normalized/history",
        "pipeline inspect raw/nakano_fy2023_sample.pdf --page 3",
        "pipeline inspect tests/fixtures/nakano_fy2023_parts/nakano_fy2023_besshi.xlsx",
        "pipeline profile show > my_ward.toml",
        "pipeline profile check my_ward.toml",
        "pipeline profile check tests/profiles/kakuu_city.toml tests/fixtures/kakuu_city_fy2024.txt",
        "pipeline profile draft tests/fixtures/kakuu_city_fy2024.txt > drafted.toml",
    ]


def test_every_help_example_runs_in_order_in_a_fresh_folder(tmp_path):
    # The repository's inputs, as a clone has them; what the examples write stays here.
    for name in ("raw", "tests"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    command = shlex.join([sys.executable, "-m", "pipeline"])
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for example in EXAMPLES:
        line = command + example.removeprefix("pipeline")
        result = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=environment,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (example, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, example
    assert (tmp_path / "normalized" / "history" / "history.html").is_file()
    assert (tmp_path / "normalized" / "inspect" / "nakano_fy2023_sample_page3.png").is_file()
    assert "[profile]" in (tmp_path / "my_ward.toml").read_text(encoding="utf-8")
