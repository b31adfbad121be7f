"""The command line for scripts (--json, --quiet), and as a thin layer over the API."""

import ast
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED

from pipeline.cli import main

SECOND = ROOT / "tests" / "fixtures" / "nakano_fy2024_synthetic.txt"
COUNTS = {"items": 113, "item_departments": 168, "indicators": 40, "indicator_evaluations": 0, "status_summary": 4,
          "footnotes": 3, "date_mentions": 32}


def invoke(*args: object):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_cli_imports_only_the_api_click_and_the_standard_library():
    tree = ast.parse((ROOT / "pipeline" / "cli.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert {name for name in imported
            if name.split(".")[0] not in sys.stdlib_module_names} == {"click", "pipeline"}


def test_run_json_is_one_object_per_report_and_no_result_lines(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = invoke("run", SEED, empty, "--out", tmp_path / "out", "--json")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == [
        {"id": "nakano_fy2023", "input": str(SEED), "output": str(tmp_path / "out" / "nakano_fy2023"),
         "status": "ok", "counts": COUNTS, "pages": None, "error": None, "notes": [],
         "failures": [], "warnings": []},
        {"id": "empty", "input": str(empty), "output": None, "status": "failed", "counts": {},
         "pages": None, "error": "empty.txt: the file is empty.", "notes": [], "failures": [],
         "warnings": []}]
    assert "\nError: empty.txt: the file is empty.\n" in result.stderr


def test_run_json_lists_a_reports_failures_as_records(tmp_path):
    path = tmp_path / "relist.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace(
        "(1-2-②再掲)セルフサービス端末の活用", "(9-9-⑨再掲)セルフサービス端末の活用", 1),
        encoding="utf-8")
    result = invoke("run", path, "--out", tmp_path / "out", "--json", "--quiet")
    assert result.exit_code == 1
    [line] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (line["status"], line["error"]) == ("failed", "relist.txt: 1 validation failure(s)")
    assert line["failures"] == [{
        "code": "relisted_unresolved", "source": "relist.txt", "message":
        "re-listed from 9-9-⑨, but the report has no measure 9-9-⑨", "table": "items",
        "page": None, "line": 150, "row": 69, "column": "business",
        "value": "(9-9-⑨再掲)セルフサービス端末の活用", "severity": "error"}]


def test_run_quiet_prints_nothing_when_all_is_well(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_bytes(SEED.read_bytes())
    result = invoke("run", folder, "--out", tmp_path / "out", "--quiet", "--jobs", "1")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "out" / "b" / "items.parquet").is_file()


def test_run_quiet_still_says_what_failed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = invoke("run", SEED, empty, "--out", tmp_path / "out", "-q")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("Error: empty.txt: the file is empty.\n"
                             "Error: 1 of 2 input(s) failed; nothing was written for them.\n")


def test_diff_json_is_one_object(tmp_path):
    result = invoke("diff", SEED, SECOND, "--out", tmp_path / "d", "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "old": "nakano_fy2023", "new": "nakano_fy2024_synthetic", "output": str(tmp_path / "d"),
        "matched": 102, "counts": {"item_changes": 28, "indicator_changes": 60,
                                                    "indicator_evaluation_changes": 0}, "warnings": []}


def test_diff_json_carries_the_year_warning_and_quiet_drops_it(tmp_path):
    result = invoke("diff", SECOND, SEED, "--out", tmp_path / "d", "--json", "--quiet")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)["warnings"] == [
        "NEW (nakano_fy2023, FY2023) is an earlier fiscal year than OLD "
        "(nakano_fy2024_synthetic, FY2024); the changes read from OLD to NEW as given — swap "
        "the arguments if you meant the other way."]


@pytest.fixture
def two_years(tmp_path) -> Path:
    result = invoke("run", SEED, SECOND, "--out", tmp_path / "normalized", "--no-dataset")
    assert result.exit_code == 0, result.output
    return tmp_path / "normalized"


def test_history_json_is_one_object(two_years):
    result = invoke("history", two_years, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "output": str(two_years / "history"), "fiscal_years": [2023, 2024],
        "reports": ["nakano_fy2023", "nakano_fy2024_synthetic"],
        "counts": {"item_history": 210, "items": 108, "indicator_history": 80,
                   "indicator_evaluation_history": 0},
        "left_out": []}


def test_history_and_diff_quiet_print_nothing(two_years, tmp_path):
    for args in (("history", two_years, "-q"), ("diff", SEED, SECOND, "--out", tmp_path / "d", "-q")):
        result = invoke(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), args
    assert (two_years / "history" / "history.html").is_file()
    assert (tmp_path / "d" / "summary.html").is_file()


def test_shell_completion_is_clicks(monkeypatch):
    monkeypatch.setenv("_PIPELINE_COMPLETE", "bash_source")
    result = CliRunner().invoke(main, [], prog_name="pipeline")
    assert result.exit_code == 0
    assert "_PIPELINE_COMPLETE=bash_complete" in result.stdout
