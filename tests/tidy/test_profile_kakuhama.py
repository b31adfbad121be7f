"""Issue 17's blind trial (session 29): a report of a shape no other fixture models,
converted by a profile written from the docs and the CLI's messages alone.

The fixtures (tests/make_kakuhama_fixtures.py, Markdown and .xlsx from one source) are a
made-up 市's "KPI及びその進捗状況", laid out as 浜松市's web page copied to Markdown: one
block per 目標 under headings (取組項目N › 目標N_… › 主な取組 › 実績 › 進捗 › 担当課) with a KPI
table in each, a (再掲) block naming no measure, a count table 件数 / 割合 / 合計, grades
A–C and D = 評価できない, the year only in the lead line (令和6年度末時点の…).
tests/fixtures/kakuhama_city_expected.json holds the items, status_summary and indicators
of both years, checked by hand against that source.
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
ITEM_FIELDS = ["row_no", "measure_id", "measure_id_raw", "goal_no", "measure_no", "measure_name",
               "business", "status_mark", "grade_rank", "status", "result", "departments",
               "is_relisted", "relisted_from", "relisted_row_no", "extra", "fiscal_year"]
INDICATOR_FIELDS = ["goal_no", "goal", "measure_id", "indicator", "kind", "kind_label", "fiscal_year",
                    "year_from", "value", "unit", "raw", "extra"]


def _records(frame, fields: list[str]) -> list[dict[str, object]]:
    chosen = frame[fields].astype(object)
    return json.loads(chosen.where(chosen.notna(), None).to_json(orient="records",
                                                                 force_ascii=False))


def _tables(path: Path) -> dict[str, object]:
    report = convert(path, profile=PROFILE)
    return {**{key: report.facts[key] for key in ("title", "municipality", "fiscal_year",
                                                  "legend")},
            "warnings": [[w.code, w.message] for w in report.warnings],
            "items": _records(report.tables["items"], ITEM_FIELDS),
            "status_summary": _records(report.tables["status_summary"], SUMMARY_FIELDS),
            "indicators": _records(report.tables["indicators"], INDICATOR_FIELDS)}


@pytest.mark.parametrize("rendering", ["md", "xlsx"])
@pytest.mark.parametrize("name", NAMES)
def test_the_trial_report_converts_by_its_profile_alone(name: str, rendering: str) -> None:
    expected = json.loads((FIXTURES / "kakuhama_city_expected.json").read_text(encoding="utf-8"))
    assert _tables(FIXTURES / f"{name}.{rendering}") == expected[name]


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


def test_profile_check_shows_each_table_of_the_trial_report_claimed() -> None:
    result = CliRunner().invoke(main, ["profile", "check", str(PROFILE),
                                       str(FIXTURES / "kakuhama_city_fy2024.md")])
    assert result.exit_code == 0, result.output
    kpi = ("  目標 → measure; KPI → indicator; 基準値(令和4年度) → baseline; 目標値(令和6年度) → "
           "target; 実績値(令和6年度) → actual; 達成率 → share")
    block = "  目標 → measure; 主な取組 → business; 進捗 → status; 実績 → result; 担当課 → departments"
    assert result.output.splitlines()[1:] == [
        "status_summary: line 7 '進捗'", "  進捗 → category; 件数 → count; 割合 → share",
        *(line for at in (27, 49, 73, 95, 117, 141, 163)  # the made-up 目標 at its 目標N_ line
          for line in (f"indicators: line {at} '目標'", kpi)),
        "legend: none",
        *(line for at in (27, 49, 73, 95, 117, 141, 163)
          for line in (f"items: line {at} '目標'", block)),
        "skip: none", "converts: no error"]


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


@pytest.mark.parametrize(("required", "message"), [
    ("", "kakuhama_city_fy2024.md: line 37, the attachment header's result column names no "
         "fiscal year ('実績') and neither the title nor a title.year_line line names the "
         "report's year."),
    ("[tables.items]\nidentify", "kakuhama_city_fy2024.md: 1 validation failure(s)"),
])
def test_without_a_year_line_the_yearless_report_names_the_key(tmp_path, required: str,
                                                             message: str) -> None:
    # With the heading blocks left out (items not required), the title alone is asked.
    changes = [("year_line = '(?P<year>(?:令和|平成)(?:\\d+|元)年度)末時点'\n", "")]
    if required:
        changes += [("[tables.items]\nidentify", "[tables.items]\nrequired = false\nidentify"),
                     ("[[shapes.headings]]\nstarts = '^目標{digit}+_'\nmeasure_column = true\n",
                      "")]
    with pytest.raises(ConversionFailed) as refused:
        _converted(tmp_path, [], changes)
    assert str(refused.value) == message
    assert [(f.code, f.message) for f in refused.value.failures] == ([
        ("fiscal_year_unknown", "the report has no attachment and its title names no fiscal "
         "year (a report printing its year on a line of its own says title.year_line)")]
        if required else [])


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
    changes = diff(old, new, profile=PROFILE).tables["item_changes"]
    marks = changes[changes["field"] == "status"].astype(object)
    # D (評価できない) is no rank: a move to or from it has no direction.
    assert marks.where(marks.notna(), None)[["measure_id", "old", "new", "direction"]
                                            ].values.tolist() == [
        ["1-①", "B", "A", "improved"], ["1-②", "C", "B", "improved"], ["3-①", "A", "D", None],
        ["3-②", "D", "A", None]]
    followed = history([convert(path, profile=PROFILE) for path in (old, new)],
                       tmp_path / "history")
    lives = followed.tables["item_history"]
    assert lives[lives["fiscal_year"] == 2024][["item_key", "measure_id", "status_mark"]
                                                ].values.tolist() == [
        ["2023-1-①-01", "1-①", "A"], ["2023-1-②-01", "1-②", "B"], ["2023-2-①-01", "2-①", "C"],
        ["2023-2-②-01", "2-②", "B"], ["2023-3-①-01", "3-①", "D"], ["2023-3-②-01", "3-②", "A"]]


# --- heading blocks (shapes.headings) --------------------------------------------------

BLOCK_1_1 = "### 目標1_オンラインで申請できる手続を増やす\n\n#### 主な取組\n\n"


@pytest.mark.parametrize(("changes", "message"), [
    ([(BLOCK_1_1, "### 目標1_オンラインで申請できる手続を増やす\n\n全庁で進める。\n\n#### 主な取組\n\n")],
     "kakuhama_city_fy2024.md: line 29, cannot place the line '全庁で進める。': it stands under "
     "the heading '目標1_オンラインで申請できる手続を増やす' before any key (shapes.headings: an "
     "attachment column's word or one of extra)."),
    ([("#### 進捗\n\nA\n\n", "")],
     "kakuhama_city_fy2024.md: line 27, the block starting '目標1_オンラインで申請できる手続を増やす' "
     "has no status key (進捗)."),
    ([("#### 担当課\n\nデジタル推進課\n\n### 目標2_", "#### 担当課\n\nデジタル推進課\n\n#### 実績\n\n"
       "再掲。\n\n### 目標2_")],
     "kakuhama_city_fy2024.md: line 49, the key '実績' gives the result column a second time in "
     "one block."),
])
def test_a_heading_block_that_cannot_be_read_stops_the_run_naming_its_line(
        tmp_path, changes, message) -> None:
    with pytest.raises(ConversionFailed) as refused:
        _converted(tmp_path, changes)
    assert str(refused.value) == message


def test_a_line_holding_a_columns_word_is_a_value_not_a_key(tmp_path) -> None:
    items = _converted(tmp_path, [("子育て・介護の手続を中心に130手続をオンライン化した。",
                                   "進捗管理の手続を中心に130手続をオンライン化した。")]).tables["items"]
    assert items["result"].tolist()[0] == "進捗管理の手続を中心に130手続をオンライン化した。"


def test_a_value_of_several_lines_is_one_cell_of_wrapped_lines(tmp_path) -> None:
    items = _converted(tmp_path, [("子育て・介護の手続を中心に130手続をオンライン化した。",
                                   "子育て・介護の手続を中心に\n\n130手続をオンライン化した。")]
                       ).tables["items"]
    assert items["result"].tolist()[0] == "子育て・介護の手続を中心に130手続をオンライン化した。"


def test_a_heading_as_high_as_the_opening_one_ends_the_block(tmp_path) -> None:
    report = _converted(tmp_path, [("#### 担当課\n\n人事課、デジタル推進課\n",
                                    "#### 担当課\n\n人事課、デジタル推進課\n\n### お問い合わせ\n\n"
                                    "デジタル推進課(内線1234)\n")])
    assert report.tables["items"]["departments"].tolist()[-1] == "人事課 デジタル推進課"


def test_a_relisted_block_whose_name_no_other_block_has_is_unresolved(tmp_path) -> None:
    with pytest.raises(ConversionFailed) as refused:
        _converted(tmp_path, [("#### 主な取組\n\n電子申請システムの対象手続の拡大\n\n| KPI | 基準値(令和4年度) | "
                               "目標値(令和6年度) | 実績値(令和6年度) | 達成率 |\n| --- | --- | --- | --- | --- |\n"
                               "| オンライン申請できる手続数 | 120手続 | 300手続 | 350手続 | 116.7% |\n\n"
                               "#### 実績\n\n子育て・介護の手続を中心に130手続をオンライン化した。\n\n#### 進捗"
                               "\n\nA\n\n#### 担当課\n\nデジタル推進課\n\n## 取組項目3",
                               "#### 主な取組\n\n電子申請の拡大\n\n#### 実績\n\n子育て・介護の手続を中心に"
                               "130手続をオンライン化した。\n\n#### 進捗\n\nA\n\n#### 担当課\n\nデジタル推進課"
                               "\n\n## 取組項目3")])
    assert [(f.code, f.row, f.value, f.message) for f in refused.value.failures] == [
        ("relisted_unresolved", 5, "電子申請の拡大",
         "re-listed without naming the measure it repeats, and not one row of another measure "
         "has that business name")]


@pytest.mark.parametrize(("shape", "problem"), [
    ("[[shapes.headings]]\nextra = []\n", "shapes.headings[1].starts: required, but missing"),
    ("[[shapes.headings]]\nstarts = '^目標({digit}+_'\n",
     "shapes.headings[1].starts: bad pattern '^目標({digit}+_': missing ), unterminated "
     "subpattern at position 3"),
])
def test_profile_check_refuses_a_heading_block_without_a_pattern_that_reads(shape: str,
                                                                             problem: str) -> None:
    from pipeline.profiles import parse_profile

    text = PROFILE.read_text(encoding="utf-8").replace(
        "[[shapes.headings]]\nstarts = '^目標{digit}+_'\nmeasure_column = true\n", shape)
    with pytest.raises(ProfileError) as refused:
        parse_profile(text, "p.toml")
    assert problem in str(refused.value)


def test_the_markdown_copy_saved_as_text_is_refused_naming_the_first_table_rule(tmp_path):
    # The trial's first stop: a .txt file's tables are tab-separated, so its pipe rows
    # were read as lines of text, silently, and the KPI rows taken into a block's value.
    report = tmp_path / "kakuhama_city_fy2024.txt"
    report.write_text((FIXTURES / "kakuhama_city_fy2024.md").read_text(encoding="utf-8"),
                      encoding="utf-8")
    with pytest.raises(ConversionFailed) as refused:
        convert(report, profile=PROFILE)
    assert [(f.code, f.line, f.value, f.message) for f in refused.value.failures] == [
        ("pipe_table_in_text", 8, "| --- | --- | --- |",
         "the line is a Markdown table's rule, but a text file's tables are tab-separated: its "
         "pipe rows are read as lines of text (save the file as .md to read them as tables)")]


def test_profile_check_refuses_a_measure_column_the_indicator_columns_cannot_name() -> None:
    from pipeline.profiles import parse_profile

    text = PROFILE.read_text(encoding="utf-8")
    assert 'measure = ["目標"]\nindicator = ["KPI"]' in text
    with pytest.raises(ProfileError) as refused:
        parse_profile(text.replace('measure = ["目標"]\nindicator = ["KPI"]', 'indicator = ["KPI"]'),
                      "p.toml")
    assert str(refused.value) == (
        "p.toml: 1 problem(s) in the profile:\n  shapes.headings[1].measure_column: true, but "
        "tables.indicators.columns.measure names no word for the measure column it gives each "
        "indicator table")
