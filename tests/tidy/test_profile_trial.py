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
               "measure_name", "business", "gov_level", "status_mark", "grade_rank", "status", "result",
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
    from pipeline.profiles import load_profile
    from pipeline.tidy.frames import document_to_frames

    text = (FIXTURES / f"{NAME}.txt").read_text(encoding="utf-8")
    frames, _, _ = document_to_frames(text_to_document(text, f"{NAME}.txt", "text"), NAME,
                                      load_profile(PROFILE))
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


# --- a measure printed with its id but no name -------------------------------------------

ROW_1 = "施策1-1\t行政手続のデジタル化\t窓口手続のオンライン化\t"
ROW_3 = "施策2-1\t暮らしのデジタル化\t公共施設予約システムの導入\t"
ROW_5 = ("施策3-1\t行政運営の効率化\t議会資料のペーパーレス化\t議会事務局\tA\t"
         "全議員にタブレット端末を配布した。\t継続\n")
NAMES = ["行政手続のデジタル化", "行政手続のデジタル化", "暮らしのデジタル化", "暮らしのデジタル化",
         "行政運営の効率化", "行政運営の効率化"]


def _trial(changes: list[tuple[str, str]], names_required: bool = True):
    """The trial report with its text changed, converted by the trial profile (or by one
    that says its report prints measures by their id alone)."""
    from pipeline.profiles import parse_profile
    from pipeline.read.text import text_to_document
    from pipeline.profiles import load_profile
    from pipeline.tidy.frames import document_to_frames

    text = (FIXTURES / f"{NAME}.txt").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    profile_text = PROFILE.read_text(encoding="utf-8")
    if not names_required:
        profile_text = profile_text.replace(
            'continuation = "wrapped_line"\n',
            'continuation = "wrapped_line"\nmeasure_name_required = false\n')
    profile = parse_profile(profile_text, "trial")
    frames, _, _ = document_to_frames(text_to_document(text, "trial.txt", "text"), NAME, profile)
    return frames["items"]


@pytest.mark.parametrize(("changes", "names"), [
    ([(ROW_1, "施策1-1\t\t窓口手続のオンライン化\t")], [None, *NAMES[1:]]),
    ([(ROW_1, "施策1-1\t\t窓口手続のオンライン化\t"), (ROW_3, "施策2-1\t\t公共施設予約システムの導入\t")],
     [None, NAMES[1], None, *NAMES[3:]]),
])
def test_a_measure_printed_by_its_id_alone_has_no_name_where_the_profile_allows(changes, names):
    items = _trial(changes, names_required=False)
    assert items["measure_name"].astype(object).where(items["measure_name"].notna(), None
                                                      ).tolist() == names
    assert items["measure_id"].tolist() == ["1-①", "1-②", "2-①", "2-②", "3-①", "3-②"]
    assert items["business"].tolist()[:3] == ["窓口手続のオンライン化", "町税のキャッシュレス納付",
                                              "公共施設予約システムの導入"]


def test_where_names_are_required_an_id_alone_is_a_failure_naming_its_cell():
    from pipeline.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        _trial([(ROW_1, "施策1-1\t\t窓口手続のオンライン化\t")])
    assert [(f.code, f.line, f.row, f.column, f.value, f.message)
            for f in refused.value.failures] == [
        ("measure_name_missing", 24, 1, "measure_name", "施策1-1",
         "the measure has an id but no name (a profile whose report prints measures by their id "
         "alone says tables.items.measure_name_required = false)")]


def test_a_name_on_the_line_below_its_id_is_the_measures_name():
    items = _trial([(ROW_5, ROW_5.replace("\t行政運営の効率化\t", "\t\t") + "\t行政運営の効率化\t\t\t\t\t\n")])
    assert items["measure_name"].tolist() == NAMES


def test_a_name_atop_the_next_page_under_an_id_alone_is_its_name_not_a_made_up_text():
    # The table breaks after 施策1-1's id (printed without its name); the next page goes on
    # under it with the name and a second business.
    page_break = ("施策1-1\t\t窓口手続のオンライン化\t住民課\tA\t転入・転出など20手続をオンライン化した。\t拡充\n"
                  "\n\t行政手続のデジタル化\t書かない窓口の導入\t住民課\tA\t申請書の記入を不要にした。\t拡充\n")
    items = _trial([("施策1-1\t行政手続のデジタル化\t窓口手続のオンライン化\t住民課\tA\t"
                     "転入・転出など20手続をオンライン化した。\t拡充\n", page_break),
                    ("A 目標を達成\t2", "A 目標を達成\t3")], names_required=False)
    assert items[["measure_id", "measure_name", "business"]].values.tolist()[:3] == [
        ["1-①", "行政手続のデジタル化", "窓口手続のオンライン化"],
        ["1-①", "行政手続のデジタル化", "書かない窓口の導入"],
        ["1-②", "行政手続のデジタル化", "町税のキャッシュレス納付"]]


def test_a_name_without_an_id_under_a_measure_without_a_name_is_an_error_naming_its_cell():
    from pipeline.errors import LayoutError

    with pytest.raises(LayoutError) as refused:
        _trial([(ROW_1, "施策1-1\t\t窓口手続のオンライン化\t住民課\tA\t済\t拡充\n"
                        "\t行政手続のデジタル化\t書かない窓口の導入\t")], names_required=False)
    assert str(refused.value) == ("trial.txt: line 25, cannot place the cell '行政手続のデジタル化': "
                                  "a measure name without a measure id.")


def test_two_editions_with_two_level_ids_diff_and_follow_in_history(tmp_path: Path) -> None:
    from pipeline.api import diff, history

    text = (FIXTURES / f"{NAME}.txt").read_text(encoding="utf-8")
    old = tmp_path / "trial_minamiyama_town_fy2023.txt"
    old.write_text(text.replace("令和6年度", "令和5年度").replace(
        "公共施設予約システムの導入\t生涯学習課\tC", "公共施設予約システムの導入\t生涯学習課\tD").replace(
        "C 一部未達成\t1\nD 未達成\t1", "C 一部未達成\t0\nD 未達成\t2"), encoding="utf-8")
    changes = diff(old, FIXTURES / f"{NAME}.txt", profile=PROFILE).tables["item_changes"]
    marks = changes[changes["field"] == "status"]
    assert marks[["change", "measure_id", "field", "old", "new"]].values.tolist() == [
        ["changed", "2-①", "status", "D", "C"]]
    followed = history([convert(path, profile=PROFILE) for path in (old, FIXTURES / f"{NAME}.txt")],
                       tmp_path / "history")
    lives = followed.tables["item_history"]
    assert lives[lives["fiscal_year"] == 2024][["item_key", "measure_id", "status_mark"]
                                                ].values.tolist() == [
        ["2023-1-①-01", "1-①", "A"], ["2023-1-②-01", "1-②", "B"], ["2023-2-①-01", "2-①", "C"],
        ["2023-2-②-01", "2-②", "D"], ["2023-3-①-01", "3-①", "A"], ["2023-3-②-01", "3-②", "B"]]
    page = (tmp_path / "history" / "history.html").read_text(encoding="utf-8")
    assert page.index("1-② 行政手続のデジタル化") < page.index("2-① 暮らしのデジタル化")
