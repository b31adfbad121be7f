"""The package's folders are its stages, and data flows one way down them: no module
imports from a stage after its own (docs/internals.md, "What the pipeline does")."""

import ast

import pytest
from conftest import ROOT

# Each stage, and the stages it may import from: the ones before it in this list.
STAGES = ["base", "read", "tidy", "output", "batch", "compare", "tools", "api", "cli"]
BASE = {"errors", "records", "job", "profiles", "normalize"}
TOP = {"api": "api", "__init__": "api", "cli": "cli", "__main__": "cli"}


def stage_of(module: str) -> str:
    """pipeline.tidy.structure → tidy; pipeline.errors → base; pipeline → api."""
    parts = module.split(".")[1:]
    if not parts:
        return "api"
    if parts[0] in BASE:
        return "base"
    return TOP.get(parts[0], parts[0])


def imports(path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every import of a pipeline module, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names
                      if alias.name.split(".")[0] == "pipeline"]
    return found


MODULES = sorted((ROOT / "pipeline").rglob("*.py"))


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_sits_in_a_known_stage():
    assert {stage_of(module_name(path)) for path in MODULES} <= set(STAGES)


def later_imports(path, stage: str) -> list[str]:
    """The imports in ``path`` of a stage after ``stage``, as 'line N: module'."""
    own = STAGES.index(stage)
    return [f"line {line}: {module}" for line, module, names in imports(path)
            if STAGES.index(stage_of(module)) > own
            and not (module == "pipeline" and names == ["__version__"])]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_imports_a_later_stage(path):
    assert later_imports(path, stage_of(module_name(path))) == []


@pytest.mark.parametrize("stage, source, found", [
    ("read", "from pipeline.tidy.structure import classify_grid", ["line 2: pipeline.tidy.structure"]),
    ("output", "import pipeline.batch.report", ["line 2: pipeline.batch.report"]),
    ("tidy", "from pipeline import convert", ["line 2: pipeline"]),
    ("tidy", "from pipeline.read import read_report", []),
    ("compare", "from pipeline import __version__", []),
])
def test_the_check_finds_an_import_of_a_later_stage_even_inside_a_function(tmp_path, stage,
                                                                          source, found):
    module = tmp_path / "probe.py"
    module.write_text(f"def f():\n    {source}\n", encoding="utf-8")
    assert later_imports(module, stage) == found
