"""Issue 17's acceptance trial: a report of a layout no other fixture models, converted by a
profile written from the docs and the CLI's messages alone.

The fixture (tests/make_trial_fixtures.py, text and .xlsx from one source) is a made-up
町's DX推進計画 progress report: a grade-count table, the legend as a table, ids 施策N-N, a
wrapped result line, a yearless 今後の方向性 column and a 参考 table to skip.
tests/fixtures/trial_minamiyama_town_fy2024_expected.json holds its items and
status_summary, checked by hand against that source.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pipeline.api import convert
from pipeline.cli import main
from conftest import TESTS

FIXTURES = TESTS / "fixtures"
PROFILE = TESTS / "profiles" / "trial_minamiyama.toml"
NAME = "trial_minamiyama_town_fy2024"
ITEM_FIELDS = ["row_no", "measure_id", "measure_id_raw", "goal_no", "policy_no", "measure_no",
               "measure_name", "business", "status_mark", "grade_rank", "status", "result",
               "plan_next", "plan_next_fy", "plan_next_fy_inferred", "departments",
               "is_relisted", "extra", "fiscal_year"]
SUMMARY_FIELDS = ["status_mark", "grade_rank", "status", "label", "count"]


def _records(frame, fields: list[str]) -> list[dict[str, object]]:
    chosen = frame[fields].astype(object)
    return json.loads(chosen.where(chosen.notna(), None).to_json(orient="records",
                                                                 force_ascii=False))


@pytest.mark.parametrize("rendering", ["txt", "xlsx"])
def test_the_trial_report_converts_by_its_profile_alone(rendering: str) -> None:
    report = convert(FIXTURES / f"{NAME}.{rendering}", profile=PROFILE)
    expected = json.loads((FIXTURES / f"{NAME}_expected.json").read_text(encoding="utf-8"))
    assert {"items": _records(report.tables["items"], ITEM_FIELDS),
            "status_summary": _records(report.tables["status_summary"], SUMMARY_FIELDS)
            } == expected


@pytest.mark.parametrize(("rendering", "where"), [("txt", "line 34"), ("xlsx", "進捗状況!A33")])
def test_the_trial_reports_reference_table_is_recorded_as_skipped(rendering: str,
                                                                  where: str) -> None:
    report = convert(FIXTURES / f"{NAME}.{rendering}", profile=PROFILE)
    assert report.facts["skipped_tables"] == [
        {"source_ref": where, "first_cell": "区分", "why": "参考: 施策ごとの事業費、進捗の表ではない"}]


def test_the_trial_fixtures_are_what_the_generator_writes(tmp_path: Path) -> None:
    from make_trial_fixtures import main

    main(tmp_path)
    assert (tmp_path / f"{NAME}.txt").read_text(encoding="utf-8") == (
        FIXTURES / f"{NAME}.txt").read_text(encoding="utf-8")
    written, shipped = (load_workbook(folder / f"{NAME}.xlsx").active
                        for folder in (tmp_path, FIXTURES))
    assert list(written.iter_rows(values_only=True)) == list(shipped.iter_rows(values_only=True))


def test_profile_check_shows_each_table_of_the_trial_report_claimed() -> None:
    result = CliRunner().invoke(main, ["profile", "check", str(PROFILE),
                                       str(FIXTURES / f"{NAME}.txt")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "status_summary: line 7 '評価区分'",
        "  評価区分 → category; 事業数 → count",
        "indicators: none",
        "legend: line 15 '評価'",
        "  評価 → mark; 評価の基準 → meaning",
        "items: line 23 '施策'",
        "  施策 → measure; 事業名 → business; 担当課 → departments; 評価 → status; "
        "令和6年度の取組実績 → result; 今後の方向性 → plan_next",
        "skip: line 34 '区分' — skipped: 参考: 施策ごとの事業費、進捗の表ではない",
        "converts: no error"]


@pytest.fixture(scope="module")
def trial_frames():
    from pipeline.read.text import text_to_document
    from pipeline.tidy.frames import document_to_frames

    text = (FIXTURES / f"{NAME}.txt").read_text(encoding="utf-8")
    frames, _, _ = document_to_frames(text_to_document(text, f"{NAME}.txt", "text"), NAME,
                                      PROFILE)
    return frames


def test_the_trial_reports_two_level_ids_pass_the_schema(trial_frames) -> None:
    from pipeline.tidy.validate import validate_tables

    items = trial_frames["items"]
    assert items["measure_id"].tolist() == ["1-①", "1-②", "2-①", "2-②", "3-①", "3-②"]
    assert items["goal_no"].isna().all()
    assert validate_tables(trial_frames, 2024, f"{NAME}.txt", check_status_counts=False) == []


@pytest.mark.parametrize("measure_id", ["1-2", "-②", "②", "1-1-1-①", "1-②a", "施策1-2", "1--②"])
@pytest.mark.parametrize("column", ["measure_id", "relisted_from"])
def test_a_malformed_measure_id_still_fails_validation(trial_frames, measure_id: str,
                                                       column: str) -> None:
    from pipeline.tidy.validate import validate_tables

    items = trial_frames["items"].copy()
    values = items[column].astype(object)
    values.iloc[1] = measure_id
    items[column] = values.astype(items[column].dtype)
    failures = validate_tables(trial_frames | {"items": items}, 2024, f"{NAME}.txt",
                               check_status_counts=False)
    assert [(f.code, f.row, f.column, f.value, f.message) for f in failures
            if f.code == "schema"] == [
        ("schema", 2, column, measure_id,
         "does not have the required form (str_matches('^(?:\\d+-)?\\d+-[①-⑳㉑-㊿]$'))")]
