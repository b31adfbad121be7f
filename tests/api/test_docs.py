"""docs/ says what the code does: the data dictionary is the schemas', every setting is
listed, every link leads somewhere."""

import re
from pathlib import Path

import click
import pytest

from pipeline.cli import main
from schemas import data_dictionary
from schemas.registry import DIFF_TABLES, HISTORY_TABLES, TABLES
from conftest import ROOT

DOCS = ROOT / "docs"
TABLES_DOC = (DOCS / "tables.md").read_text(encoding="utf-8")
GUIDE = (DOCS / "guide.md").read_text(encoding="utf-8")


def test_the_committed_data_dictionary_is_the_generated_one():
    assert TABLES_DOC == data_dictionary.data_dictionary(), (
        "docs/tables.md is stale: run `python -m schemas.data_dictionary`")


def test_the_generator_says_when_the_file_is_stale(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "tables.md"
    stale.write_text(TABLES_DOC.replace("| `row_no` |", "| `row_number` |", 1), encoding="utf-8")
    monkeypatch.setattr(data_dictionary, "DOCS_FILE", stale)
    assert data_dictionary.main(["--check"]) == 1
    assert capsys.readouterr().err == (f"{stale}: stale; run `python -m "
                                       "schemas.data_dictionary`.\n")
    assert data_dictionary.main([]) == 0
    assert data_dictionary.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == TABLES_DOC


def _section(table: str, group_suffix: str = "") -> str:
    return TABLES_DOC.split(f"### `{table}`{group_suffix}\n", 1)[1].split("\n### ", 1)[0]


@pytest.mark.parametrize(("table", "suffix", "column"), [
    (table.name, " (history)" if group is HISTORY_TABLES and table.name in TABLES else "", column)
    for group in (TABLES, DIFF_TABLES, HISTORY_TABLES) for table in group.values()
    for column in table.columns])
def test_every_output_column_is_in_the_data_dictionary(table, suffix, column):
    assert f"| `{column}` |" in _section(table, suffix)


@pytest.mark.parametrize("table", [t for t in TABLES.values() if t.primary_key],
                         ids=lambda t: t.name)
def test_every_keyed_table_states_its_primary_key(table):
    assert f"Primary key: ({', '.join(table.primary_key)})." in _section(table.name)


@pytest.mark.parametrize(("column", "shown"), [
    ("status", "category not_started < delayed < on_schedule < exceeded"),
    ("gov_level", "category ward, national, metropolitan, prefectural, municipal, required"),
    ("row_no", "integer, required"),
    ("starred", "boolean, required"),
    ("source_page", "integer"),
    ("business", "string, required"),
])
def test_the_dictionary_prints_each_kind_of_type(column, shown):
    assert f"| `{column}` | {shown} |" in _section("items")


def _options():
    for name, command in main.commands.items():
        commands = command.commands.items() if isinstance(command, click.Group) else [(name, command)]
        for sub, leaf in commands:
            for param in leaf.params:
                if isinstance(param, click.Option) and param.name != "help":
                    yield sub, max(param.opts, key=len)


@pytest.mark.parametrize(("command", "option"), sorted(set(_options())))
def test_every_option_is_in_the_guides_settings(command, option):
    settings = GUIDE.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    assert f"`{option}" in settings


@pytest.mark.parametrize("field", ["csv_bom", "jobs", "force", "dataset", "timeout",
                                   "memory_mb", "profile"])
def test_every_run_setting_of_the_api_is_in_the_guides_settings(field):
    from dataclasses import fields

    from pipeline.job import RunSettings

    assert field in {f.name for f in fields(RunSettings)}
    settings = GUIDE.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    assert f"`{field}`" in settings


@pytest.mark.parametrize("page", ["README.md", *sorted(p.name for p in DOCS.glob("*.md"))])
def test_every_relative_link_leads_to_a_file(page):
    path = ROOT / page if page == "README.md" else DOCS / page
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        assert (path.parent / target).exists(), (page, target)


@pytest.mark.parametrize("section", ["## Guarantees", "## Settings", "## Limitations"])
def test_the_guide_keeps_the_sections_others_add_to(section):
    assert f"\n{section}\n" in GUIDE
