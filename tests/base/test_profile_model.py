"""The typed profile (pipeline/profiles/model.py): every profile file parses into its
dataclasses holding exactly the file's values (the defaults where it leaves a key out),
and the key check (spec.py) and the dataclasses are one list of keys."""

import ast
import pickle
import tomllib
import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path

import pytest

from pipeline.errors import ProfileError
from pipeline.profiles import builtin_text, load_profile, parse_profile
from pipeline.profiles.model import (GradeEntry, ItemColumns, KeyValueShape, Layout,
                                     NamedWords, TransposedShape)
from pipeline.profiles.spec import SPEC, check_spec
from conftest import ROOT, TESTS

PROFILE_FILES = sorted(TESTS.glob("profiles/*.toml")) + [ROOT / "pipeline/profiles/nakano.toml"]


def _differences(value: object, table: dict, where: str = "") -> list[str]:
    """Where a parsed section differs from its TOML table: a key given and read otherwise,
    or a key left out and not its field's default."""
    differences = []
    hints = typing.get_type_hints(type(value))
    for f in fields(value):  # type: ignore[arg-type]
        key = f.metadata.get("toml", f.name)
        if not key:
            continue
        path = f"{where}.{key}" if where else key
        attribute = getattr(value, f.name)
        if key not in table:
            default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
            if attribute != default:
                differences.append(f"{path}: {attribute!r}, not the default {default!r}")
        elif is_dataclass(attribute):
            differences += _differences(attribute, table[key], path)
        elif isinstance(attribute, tuple) and attribute and is_dataclass(attribute[0]):
            if len(attribute) != len(table[key]):
                differences.append(f"{path}: {len(attribute)} entries, not {len(table[key])}")
            for number, (entry, given) in enumerate(zip(attribute, table[key]), start=1):
                differences += _differences(entry, given, f"{path}[{number}]")
        elif attribute != (tuple(table[key]) if isinstance(table[key], list) else table[key]):
            differences.append(f"{path}: {attribute!r}, not {table[key]!r}")
        if "tuple" in str(hints[f.name]) and not isinstance(attribute, tuple) and attribute is not None:
            differences.append(f"{path}: a {type(attribute).__name__}, not a tuple")
    if isinstance(value, NamedWords) and value.order != tuple(table):
        differences.append(f"{where}: named in the order {value.order}, not {tuple(table)}")
    return differences


@pytest.mark.parametrize("path", PROFILE_FILES, ids=[path.stem for path in PROFILE_FILES])
def test_each_profile_file_parses_to_dataclasses_holding_its_values(path: Path):
    profile = load_profile(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert (profile.name, _differences(profile, data)) == (data["profile"]["name"], [])


def test_the_profile_files_are_all_checked():
    assert {path.stem for path in PROFILE_FILES} == {
        "aichi_like", "gunma_like", "ind_shapes", "item_shapes", "kakuhama_city", "kakuu_city",
        "kawasaki_like",
        "tottori_like", "trial_minamiyama", "nakano"}


def test_the_built_in_profile_reads_as_typed_values():
    nakano = parse_profile(builtin_text(), "nakano.toml")
    assert (nakano.tables.items.columns.status, nakano.tables.items.identify,
            nakano.ids.levels, dict(nakano.ids.gov_levels), nakano.item_scale.grade[0],
            nakano.tables.indicators.columns, nakano.tables.indicators.header_rows,
            nakano.front.section, nakano.shapes.key_value) == (
        ("進捗状況", "進捗", "進捗度"), ("business", "status"),
        ("goal", "policy", "measure"), {"国": "national", "都": "metropolitan", "区": "ward"},
        GradeEntry(mark="◎", forms=("⊚",), meanings=("予定を上回る", "予定以上"), status="exceeded"),
        None, 2, r"^\d+\s*\S{1,30}$", ())


def test_a_word_table_keeps_the_files_order_of_columns():
    columns = parse_profile(builtin_text().replace(
        'measure = ["実施内容"]\n', "").replace("[tables.items.columns]\n",
                                                '[tables.items.columns]\nmeasure = ["実施内容"]\n'),
        "m.toml").tables.items.columns
    assert list(columns.named())[:2] == ["measure", "business"]
    reordered = parse_profile(builtin_text().replace(
        'departments = ["所管課", "担当課", "所管部署", "担当部署"]\n', "").replace(
        "[tables.items.columns]\n",
        '[tables.items.columns]\ndepartments = ["所管課", "担当課", "所管部署", "担当部署"]\n'),
        "d.toml").tables.items.columns
    assert (list(reordered.named())[:2], reordered.words("departments"),
            ItemColumns().words("status")) == (["departments", "measure"],
                                               ("所管課", "担当課", "所管部署", "担当部署"), ())


def test_the_key_check_is_the_dataclasses_fields():
    assert (SPEC["tables"]["items"]["columns"]["status"], SPEC["ids"]["gov_levels"],
            SPEC["grades"]["grade"], SPEC["indicator_grades"]["grade"][0]["share_from"],
            SPEC["shapes"]["transposed"], list(SPEC)) == (
        list, "map", ({"mark": str, "forms": list, "meanings": list, "status": str},), float,
        ({"years": str, "rows": {column: list for column in (
            "measure", "business", "status", "change_reason", "result", "plan_next",
            "plan_later", "departments")}},),
        ["profile", "text", "title", "front", "tables", "legend", "grades", "indicator_grades",
         "ids", "departments", "shapes"])
    assert [f.name for f in fields(KeyValueShape)] == list(SPEC["shapes"]["key_value"][0])
    assert [f.name for f in fields(TransposedShape)] == list(SPEC["shapes"]["transposed"][0])
    assert [f.name for f in fields(Layout)][:2] == ["about", "text_rules"]


def test_every_key_without_a_default_is_required_by_the_check():
    assert check_spec({}) == [
        "profile.name: required, but missing", "text.year: required, but missing",
        "front.goal: required, but missing", "front.footnote: required, but missing",
        "tables.indicators.identify: required, but missing", "ids.measure: required, but missing",
        "tables.items.identify: required, but missing",
        "tables.items.columns.business: required, but missing",
        "tables.items.columns.status: required, but missing",
        "tables.items.columns.result: required, but missing",
        "grades.grade: required, but missing",
        "tables.status_summary.category: required, but missing (or say required = false: a "
        "report may print no status-count table)",
        "tables.status_summary.count: required, but missing (or say required = false: a report "
        "may print no status-count table)",
        "tables.status_summary.scale: 'items', but the profile has no [grades] for the table "
        "to count by"]


@pytest.mark.parametrize(("edit", "problems"), [
    (('mark = "◎"\n', ""), ["grades.grade[1].mark: required, but missing"]),
    (("[[grades.grade]]\n", '[grades.not_assessed]\nforms = ["-"]\n\n[[grades.grade]]\n'),
     ["grades.not_assessed.mark: required, but missing"]),
    (("business = [", "buisness = ["),
     ["tables.items.columns.buisness: unknown key (known here: measure, business, status, "
      "change_reason, result, plan_next, plan_later, departments)",
      "tables.items.columns.business: required, but missing",
      "tables.items.identify: 'business' is not a column of tables.items.columns"]),
    (('mark = "○"\n', 'mark = "○"\nmarks = ["〇"]\n'),
     ["grades.grade[2].marks: unknown key (known here: mark, forms, meanings, status)"]),
])
def test_a_missing_or_misspelt_key_is_a_profile_error_naming_it(edit, problems):
    text = builtin_text().replace(*edit, 1)
    assert text != builtin_text()
    with pytest.raises(ProfileError) as error:
        parse_profile(text, "my.toml")
    assert str(error.value).splitlines() == [f"my.toml: {len(problems)} problem(s) in the profile:",
                                             *("  " + problem for problem in problems)]


def _calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))}


def test_a_profile_file_is_loaded_at_the_edges_and_chosen_in_one_place():
    """The stages take the loaded Profile (issue 19: it was re-resolved about a dozen times
    following one document): only the entry points load a file, and one function chooses
    the profile of a report."""
    modules = {str(path.relative_to(ROOT)): _calls(path) for path in sorted(ROOT.glob("pipeline/**/*.py"))}
    loading = {name for name, calls in modules.items()
               if calls & {"load_profile", "parse_profile", "given_profile"}}
    choosing = {name for name, calls in modules.items() if "profile_choice" in calls}
    assert (loading, choosing) == (
        {"pipeline/api.py", "pipeline/cli.py", "pipeline/job.py", "pipeline/profiles/__init__.py",
         "pipeline/tools/inspect.py", "pipeline/tools/profile_draft.py"},
        {"pipeline/batch/report.py", "pipeline/tidy/frames.py"})


@pytest.mark.parametrize("path", PROFILE_FILES, ids=[path.stem for path in PROFILE_FILES])
def test_a_profile_pickles_whole_for_a_worker_process(path: Path):
    profile = load_profile(path)
    copy = pickle.loads(pickle.dumps(profile))
    assert (copy.ids, copy.tables, copy.grades, copy.text, type(copy.ids.gov_levels)) == (
        profile.ids, profile.tables, profile.grades, profile.text, types.MappingProxyType)
