"""Issue 17's blind trial (session 29): a report of a shape no other fixture models,
converted by a profile written from the docs and the CLI's messages alone.

The fixtures (tests/make_kakuhama_fixtures.py, Markdown and .xlsx from one source) are a
made-up 市's "KPI及びその進捗状況", laid out as 浜松市's web page copied to Markdown: one
block per 目標 under headings (取組項目N › 目標N_… › 実績 › 進捗 › 担当課), a KPI table in
each, a count table 件数 / 割合 / 合計, grades A–C and D = 評価できない, the year only in
the lead line (令和6年度末時点の…). tests/fixtures/kakuhama_city_expected.json holds the
status_summary and indicators of both years, checked by hand against that source. The
per-目標 blocks' grades, 実績 and 担当課 (headings and the lines under them) are no table
the profile language can name yet: the items test is a strict xfail until it can.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pipeline.api import convert
from pipeline.cli import main
from pipeline.api import ConversionFailed
from pipeline.errors import ProfileError
from conftest import TESTS

FIXTURES = TESTS / "fixtures"
PROFILE = TESTS / "profiles" / "kakuhama_city.toml"
NAMES = ["kakuhama_city_fy2023", "kakuhama_city_fy2024"]
SUMMARY_FIELDS = ["status_mark", "grade_rank", "status", "label", "count", "fiscal_year"]
INDICATOR_FIELDS = ["goal_no", "goal", "indicator", "kind", "kind_label", "fiscal_year",
                    "year_from", "value", "unit", "raw", "extra"]


def _records(frame, fields: list[str]) -> list[dict[str, object]]:
    chosen = frame[fields].astype(object)
    return json.loads(chosen.where(chosen.notna(), None).to_json(orient="records",
                                                                 force_ascii=False))


def _tables(path: Path) -> dict[str, object]:
    report = convert(path, profile=PROFILE)
    return {"fiscal_year": report.facts["fiscal_year"],
            "status_summary": _records(report.tables["status_summary"], SUMMARY_FIELDS),
            "indicators": _records(report.tables["indicators"], INDICATOR_FIELDS)}


@pytest.mark.parametrize("rendering", ["md", "xlsx"])
@pytest.mark.parametrize("name", NAMES)
def test_the_trial_report_converts_by_its_profile_alone(name: str, rendering: str) -> None:
    expected = json.loads((FIXTURES / "kakuhama_city_expected.json").read_text(encoding="utf-8"))
    assert _tables(FIXTURES / f"{name}.{rendering}") == expected[name]


@pytest.mark.xfail(strict=True, reason="issue 17 gap: a block of headings and the lines "
                   "under them (目標N_… › 実績 › 進捗 › 担当課) is no shape a profile can name, "
                   "so each 目標's grade is read as text; the report converts with no items")
def test_each_goal_blocks_grade_is_an_item() -> None:
    items = convert(FIXTURES / "kakuhama_city_fy2024.md", profile=PROFILE).tables["items"]
    assert items["status_mark"].tolist() == ["A", "B", "C", "B", "A", "D", "A"]


def test_the_trial_fixtures_are_what_the_generator_writes(tmp_path: Path) -> None:
    from make_kakuhama_fixtures import main as make

    make(tmp_path)
    for name in NAMES:
        assert (tmp_path / f"{name}.md").read_text(encoding="utf-8") == (
            FIXTURES / f"{name}.md").read_text(encoding="utf-8")
        written, shipped = (load_workbook(folder / f"{name}.xlsx").active
                            for folder in (tmp_path, FIXTURES))
        assert list(written.iter_rows(values_only=True)) == list(
            shipped.iter_rows(values_only=True))


def test_profile_check_shows_the_share_column_of_the_count_table() -> None:
    result = CliRunner().invoke(main, ["profile", "check", str(PROFILE),
                                       str(FIXTURES / "kakuhama_city_fy2024.md")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1:3] == ["status_summary: line 7 '進捗'",
                          "  進捗 → category; 件数 → count; 割合 → share"]
    assert lines[-1] == "converts: no error"


def _converted(path: Path, changes: list[tuple[str, str]], profile_changes=()):
    text = (FIXTURES / "kakuhama_city_fy2024.md").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    report = path / "kakuhama_city_fy2024.md"
    report.write_text(text, encoding="utf-8")
    profile_text = PROFILE.read_text(encoding="utf-8")
    for old, new in profile_changes:
        assert old in profile_text
        profile_text = profile_text.replace(old, new)
    profile = path / "profile.toml"
    profile.write_text(profile_text, encoding="utf-8")
    return convert(report, profile=profile)


@pytest.mark.parametrize(("changes", "expected"), [
    ([("| B 目標どおり | 2 | 33.3% |", "| B 目標どおり | 2 | 30.0% |")],
     [("status_share_mismatch", 10, "30.0%",
       "the share of B 目標どおり is printed 30.0%, but its count is 33.3% of 6")]),
    ([("| C 遅れている | 1 | 16.7% |", "| C 遅れている | 2 | 16.7% |"),
      ("| 合計 | 6 | 100.0% |", "| 合計 | 7 | 100.0% |")],
     [("status_share_mismatch", 9, "33.3%",
       "the share of A 目標より進んでいる is printed 33.3%, but its count is 28.6% of 7"),
      ("status_share_mismatch", 10, "33.3%",
       "the share of B 目標どおり is printed 33.3%, but its count is 28.6% of 7"),
      ("status_share_mismatch", 11, "16.7%",
       "the share of C 遅れている is printed 16.7%, but its count is 28.6% of 7"),
      ("status_share_mismatch", 12, "16.7%",
       "the share of D 評価できない is printed 16.7%, but its count is 14.3% of 7")]),
])
def test_a_share_that_is_not_its_counts_share_is_an_error_naming_it(tmp_path, changes,
                                                                   expected) -> None:
    with pytest.raises(ConversionFailed) as refused:
        _converted(tmp_path, changes)
    assert [(f.code, f.line, f.value, f.message) for f in refused.value.failures
            if f.code == "status_share_mismatch"] == expected


@pytest.mark.parametrize(("changes", "message"), [
    ([("| A 目標より進んでいる | 2 | 33.3% |", "| A 目標より進んでいる | 2 | 3分の1 |")],
     "kakuhama_city_fy2024.md: line 9, the share '3分の1' of 'A 目標より進んでいる' is not a "
     "percentage."),
    ([("| 進捗 | 件数 | 割合 |\n| --- | --- | --- |",
       "| 進捗 | 件数 | 令和6年度 | 割合 |\n| --- | --- | --- | --- |")],
     "kakuhama_city_fy2024.md: line 7, the status-count table has several count columns and "
     "a share column '割合': whose share it is cannot be told."),
])
def test_a_share_column_that_cannot_be_read_stops_the_run_naming_it(tmp_path, changes,
                                                                    message) -> None:
    with pytest.raises(ConversionFailed) as refused:
        _converted(tmp_path, changes)
    assert str(refused.value) == message


def test_without_a_carried_goal_line_the_second_table_under_it_names_the_key(tmp_path) -> None:
    with pytest.raises(ConversionFailed) as refused:
        _converted(tmp_path, [], [('goal_line = "carried"\n', "")])
    assert str(refused.value) == (
        "kakuhama_city_fy2024.md:  an indicator table is not preceded by its goal line "
        '(front.goal; where one goal line stands over several tables, say '
        'tables.indicators.goal_line = "carried").')


def test_without_a_year_line_the_yearless_title_names_the_key(tmp_path) -> None:
    with pytest.raises(ConversionFailed) as refused:
        _converted(tmp_path, [], [("year_line = '(?P<year>(?:令和|平成)(?:\\d+|元)年度)末時点'\n",
                                   "")])
    assert [(f.code, f.message) for f in refused.value.failures] == [
        ("fiscal_year_unknown", "the report has no attachment and its title names no fiscal "
         "year (a report printing its year on a line of its own says title.year_line)")]


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('goal_line = "carried"', 'goal_line = "each"',
     "tables.indicators.goal_line: 'each' is neither each_table nor carried"),
    ("year_line = '(?P<year>", "year_line = '(?P<y>",
     "title.year_line: the pattern needs the group(s) (?P<year>…)"),
])
def test_profile_check_refuses_a_bad_goal_line_or_year_line(old: str, new: str,
                                                            problem: str) -> None:
    from pipeline.profiles import parse_profile

    text = PROFILE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ProfileError) as refused:
        parse_profile(text.replace(old, new), "p.toml")
    assert problem in str(refused.value)


def test_two_years_of_the_trial_report_diff_and_follow_in_history(tmp_path: Path) -> None:
    from pipeline.api import diff, history

    old, new = (FIXTURES / f"{name}.md" for name in NAMES)
    changes = diff(old, new, profile=PROFILE).tables["indicator_changes"]
    assert len(changes) > 0
    followed = history([convert(path, profile=PROFILE) for path in (old, new)],
                       tmp_path / "history")
    assert sorted(set(followed.tables["indicator_history"]["fiscal_year"].tolist())) == [2023, 2024]
