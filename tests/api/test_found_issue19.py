"""Small defects found while building issue 19's API: each has its test here."""

import ast
import importlib
import re
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.records import Cell, Grid
from pipeline.tidy.repair import repair_grid


def test_repair_grid_keeps_where_the_grid_came_from():
    grid = Grid(rows=((Cell("⻑期"), Cell(None)),), page=2, line=None, ref="別紙!A9:I122",
                file="besshi.xlsx")
    repaired = repair_grid(grid)
    assert (repaired.page, repaired.line, repaired.ref, repaired.file) == (
        2, None, "別紙!A9:I122", "besshi.xlsx")
    assert [cell.text for cell in repaired.rows[0]] == ["長期", None]


@pytest.mark.parametrize("name", importlib.import_module("schemas").__all__)
def test_every_name_schemas_lists_can_be_had(name):
    import schemas

    assert getattr(schemas, name) is getattr(importlib.import_module(schemas._HOMES[name]), name)


def test_schemas_history_tables_are_the_tables_history_writes():
    import schemas

    assert list(schemas.HISTORY_TABLES) == ["item_history", "items", "indicator_history",
                                           "indicator_evaluation_history"]


def _pdfplumber_importers() -> set[str]:
    found = set()
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] == "pdfplumber" for name in names):
                found.add(path.relative_to(ROOT / "pipeline").as_posix())
    return found


def test_inspects_docstring_names_the_modules_that_import_pdfplumber():
    import pipeline.tools.inspect

    named = set(re.findall(r"``(\w+\.py)``", pipeline.tools.inspect.__doc__.split("pdfplumber is")[1]))
    assert {f"read/{name}" for name in named} == _pdfplumber_importers()


def test_diffs_docstring_names_the_module_that_reads_and_writes():
    diff_doc = importlib.import_module("pipeline.compare.diff").__doc__
    assert "is ``diff_run.py``'s" in diff_doc
    source = (ROOT / "pipeline" / "compare" / "diff_run.py").read_text(encoding="utf-8")
    assert "def read_report(" in source and "write_folder(" in source
    assert not Path(ROOT / "pipeline" / "compare" / "diff_report.py").read_text(
        encoding="utf-8").count("write_folder(")
