"""One reader of report folders for the diff and the history (issue 19): a folder written by
`pipeline run` read back as a ``ReportFolder``, or refused in one sentence naming the folder
or the file; both commands refuse a bad folder with the same sentence."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED, TESTS

from pipeline.batch.report import convert
from pipeline.cli import main
from pipeline.compare.folder import (
    EVALUATION_COLUMNS,
    INDICATOR_COLUMNS,
    ITEM_COLUMNS,
    read_report_folder,
)
from pipeline.errors import InputError
from pipeline.job import RunSettings

GUNMA = TESTS / "fixtures" / "gunma_like_fy2019.txt"
PROFILE = TESTS / "profiles" / "gunma_like.toml"


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("normalized")
    folders = {}
    for path, profile in ((SEED, None), (GUNMA, PROFILE)):
        outcome = convert(path, RunSettings(out_dir=out, csv_bom=False, dataset=False,
                                            profile=profile))
        assert outcome.ok, outcome.error
        folders[path.stem] = outcome.output
    return folders


def test_a_folder_reads_as_its_report_with_its_facts_and_grade_scale(converted):
    folder = converted["nakano_fy2023"]
    report = read_report_folder(folder)
    assert (report.report_id, report.fiscal_year, report.folder) == ("nakano_fy2023", 2023, folder)
    assert report.facts == json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert (report.municipality, report.profile, report.input_format) == ("中野区", "nakano", "text")
    assert report.grades == (("◎", 1), ("○", 2), ("△", 3), ("×", 4))
    assert report.grade_words == (
        ("◎", "目標を大きく上回る、スケジュールを前倒しするなど、予定を上回る取組となった"),
        ("○", "予定どおり取り組んだ"), ("△", "予定よりも遅れて取り組んだ"), ("×", "未着手"))
    assert report.evaluations is not None
    assert (tuple(report.items.columns), tuple(report.indicators.columns),
            tuple(report.evaluations.columns)) == (ITEM_COLUMNS, INDICATOR_COLUMNS,
                                                   EVALUATION_COLUMNS)
    assert (len(report.items), len(report.indicators), len(report.evaluations)) == (113, 40, 0)


def test_a_report_without_items_takes_its_year_and_profile_from_report_json(converted):
    report = read_report_folder(converted["gunma_like_fy2019"])
    assert (report.report_id, report.fiscal_year, report.profile, report.municipality) == (
        "gunma_like_fy2019", 2019, "gunma_like", "架空県")
    assert report.items.empty and (len(report.indicators), len(report.evaluations)) == (59, 14)


def _copy(converted: dict[str, Path], tmp_path: Path) -> Path:
    return Path(shutil.copytree(converted["nakano_fy2023"], tmp_path / "nakano_fy2023"))


def _no_report_json(folder: Path) -> str:
    (folder / "report.json").unlink()
    return f"{folder}: no report.json in this folder; give a folder written by `pipeline run`."


def _broken_report_json(folder: Path) -> str:
    (folder / "report.json").write_text("{\"report_id\": ", encoding="utf-8")
    return (f"{folder / 'report.json'}: not a readable report.json (Expecting value: line 1 "
            "column 15 (char 14)).")


def _report_json_a_list(folder: Path) -> str:
    (folder / "report.json").write_text("[]", encoding="utf-8")
    return f"{folder / 'report.json'}: not a readable report.json (not a JSON object)."


def _no_status_summary(folder: Path) -> str:
    (folder / "status_summary.parquet").unlink()
    return (f"{folder}: no status_summary.parquet in this folder; give a folder written by "
            "`pipeline run`.")


def _no_qualifier(folder: Path) -> str:
    path = folder / "indicators.parquet"
    pd.read_parquet(path).drop(columns=["qualifier", "goal"]).to_parquet(path, index=False)
    return (f"{path}: the column(s) goal, qualifier are missing; convert the report again "
            "with `pipeline run`.")


def _two_years(folder: Path) -> str:
    path = folder / "items.parquet"
    items = pd.read_parquet(path)
    items.loc[0, "fiscal_year"] = 2022
    items.to_parquet(path, index=False)
    return (f"{path}: the items report on 2 fiscal years; a report folder holds the report of "
            "one fiscal year.")


BAD_FOLDERS = [_no_report_json, _broken_report_json, _report_json_a_list, _no_status_summary,
               _no_qualifier, _two_years]


@pytest.mark.parametrize("damage", BAD_FOLDERS, ids=lambda damage: damage.__name__)
def test_a_bad_folder_is_one_sentence_naming_it(converted, tmp_path, damage):
    folder = _copy(converted, tmp_path)
    message = damage(folder)
    with pytest.raises(InputError) as raised:
        read_report_folder(folder)
    assert str(raised.value) == message


def test_an_unreadable_table_names_its_file(converted, tmp_path):
    folder = _copy(converted, tmp_path)
    (folder / "indicators.parquet").write_bytes(b"PAR1 not parquet")
    with pytest.raises(InputError, match=re.escape(
            f"{folder / 'indicators.parquet'}: not a readable Parquet file (")):
        read_report_folder(folder)


@pytest.mark.parametrize("damage", [_broken_report_json, _no_qualifier, _two_years],
                         ids=lambda damage: damage.__name__)
def test_diff_and_history_refuse_a_bad_folder_with_one_sentence(converted, tmp_path, damage):
    folder = _copy(converted, tmp_path / "normalized")
    message = damage(folder)
    runner = CliRunner()
    refused = [runner.invoke(main, ["diff", str(folder), str(converted["nakano_fy2023"]),
                                    "--out", str(tmp_path / "diff")]),
               runner.invoke(main, ["history", str(tmp_path / "normalized"),
                                    "--out", str(tmp_path / "history")])]
    assert [(result.exit_code, result.output) for result in refused] == [
        (1, f"Error: {message}\n")] * 2
    assert not (tmp_path / "diff").exists() and not (tmp_path / "history").exists()


def test_only_the_folder_reader_reads_a_report_folders_files():
    readers = {path.name for path in (ROOT / "pipeline" / "compare").glob("*.py")
               if re.search(r"read_parquet|read_schema|report\.json\"\)\.read",
                            path.read_text(encoding="utf-8"))}
    assert readers == {"folder.py"}
