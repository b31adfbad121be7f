"""`pipeline profile check PROFILE REPORT` and `pipeline profile draft REPORT`: the
profile writer's loop, on exit codes and the exact lines a user reads."""

import json

import pytest

from click.testing import CliRunner
from conftest import ROOT

import pipeline
from pipeline.cli import main
from pipeline.profiles import builtin_text, parse_profile
from pipeline.profiles.model import IndicatorsTable, LegendTable, StatusSummary

KAKUU = ROOT / "tests" / "profiles" / "kakuu_city.toml"
KAKUU_REPORT = ROOT / "tests" / "fixtures" / "kakuu_city_fy2024.txt"
HEADER = ("実施内容\t\t事業内容\t進捗状況\t取組結果 (令和5年度)\t令和6年度取組予定\t所管課\t備考")
REPORT = "\n".join([
    "令和5年度 架空区の情報化の進捗状況について", "",
    "進捗動向\t評価の表示方法", "●\t予定どおり進んでいる", "",
    "参考指標\t令和5年度", "図書館の来館者数\t100人", "",
    "氏名\t住所", "山田\t中野", "",
    HEADER,
    "1-1-①\t手続のオンライン化\t電子申請の拡充\t●\t120手続を追加した。\t(継続)\t総務課\t重点",
    ""])
EXTRA = """
[tables.legend]
identify = ["評価の表示方法"]
mark = ["進捗動向"]
meaning = ["評価の表示方法"]

[[tables.skip]]
identify = ["参考指標"]
why = "参考として掲げる指標"
"""


def invoke(*args) -> object:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def _files(tmp_path):
    profile, report = tmp_path / "ward.toml", tmp_path / "ward_fy2023.txt"
    profile.write_text(builtin_text() + EXTRA, encoding="utf-8")
    report.write_text(REPORT, encoding="utf-8")
    return profile, report


def test_check_on_a_report_that_converts_lists_every_kind_and_exits_0():
    result = invoke("profile", "check", KAKUU, KAKUU_REPORT)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"kakuu_city_fy2024.txt with profile 'kakuu_city' ({KAKUU}):",
        "status_summary: line 7 '評価'",
        "  評価 → category; 取組数 → count",
        "indicators: line 17 '成果指標'",
        "  成果指標 → indicator; 実績値 → actual; 目標値 → target",
        "legend: none",
        "items: line 31 '施策'",
        "  施策 → measure; 取組名 → business; 担当課 → departments; 評価 → status; "
        "令和6年度の実績 → result; 課題・理由 → change_reason; 今後の方向性 (令和7年度) → plan_next",
        "skip: none",
        "converts: no error",
    ]


def test_check_shows_every_reason_at_once_and_exits_1(tmp_path):
    profile, report = _files(tmp_path)
    result = invoke("profile", "check", profile, report)
    assert result.exit_code == 1
    first_error = (
        "ward_fy2023.txt: line 9, a table starting '氏名' is none of the report's tables; the "
        "profile looks for status counts (進捗状況の区分/進捗区分/区分/取組の数/件数/事業数), "
        "indicators (指標項目), attachment (事業内容/事業名/取組内容 and 進捗状況/進捗/進捗度), "
        "legend (評価の表示方法), skip (参考指標)")
    assert result.stdout.splitlines() == [
        f"ward_fy2023.txt with profile 'nakano' ({profile}):",
        "status_summary: none",
        "indicators: none",
        "legend: line 3 '進捗動向'",
        "  進捗動向 → mark; 評価の表示方法 → meaning",
        "items: line 12 '実施内容'",
        "  実施内容 → measure; 事業内容 → business; 進捗状況 → status; 取組結果 (令和5年度) → result; "
        "令和6年度取組予定 → plan_next; 所管課 → departments; 備考 → no column",
        "skip: line 6 '参考指標' — skipped: 参考として掲げる指標",
        "unclaimed: line 9 '氏名'",
        "  the profile looks for " + first_error.split("the profile looks for ")[1],
        "unplaced: line 13, '重点' under the header '備考', which names no column (kept in "
        "items.extra)",
        "first error: " + first_error + ".",
    ]
    assert result.stderr == (f"Error: {report}: the profile does not convert the report (the "
                             "first error is above).\n")


def test_check_json_holds_the_same_records(tmp_path):
    profile, report = _files(tmp_path)
    result = invoke("profile", "check", profile, report, "--json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert [(t["kind"], t["where"], t["first_cell"], t["why"]) for t in found["tables"]] == [
        ("legend", "line 3", "進捗動向", None), ("skip", "line 6", "参考指標", "参考として掲げる指標"),
        ("unrecognised", "line 9", "氏名", None), ("items", "line 12", "実施内容", None)]
    assert found["tables"][0]["columns"] == [["進捗動向", "mark"], ["評価の表示方法", "meaning"]]
    assert found["error"].startswith("ward_fy2023.txt: line 9, a table starting '氏名'")
    assert pipeline.check_profile(profile, report).lines()[-1].startswith("first error: ")


def test_check_of_a_missing_report_is_one_sentence(tmp_path):
    result = invoke("profile", "check", KAKUU, tmp_path / "none.txt")
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'none.txt'}: no such "
                                                    "file or folder.\n")


def test_draft_proposes_the_reports_header_words_and_legend():
    result = invoke("profile", "draft", KAKUU_REPORT)
    assert result.exit_code == 0
    drafted = parse_profile(result.stdout, "draft.toml")
    assert drafted.tables.items.columns.named() == {
        "measure": ("施策",), "business": ("取組名",), "status": ("評価",),
        "change_reason": ("課題・理由",), "result": ("{year}実績",),
        "plan_next": ("今後方向性({year})",),
        "plan_later": ("{year}以降取組予定", "{year}以降の取組予定", "今後の予定({year}以降)",
                       "{year}以降の予定"),  # not in the report: the built-in words
        "departments": ("担当課",)}
    # The built-in grades know 遅れている; the others' statuses are drafted from their
    # words, and D (評価できない) as the grade that is no rank.
    assert [(g.mark, g.meanings, g.status, g.rank) for g in drafted.grades] == [
        ("A", ("目標より進んでいる",), "exceeded", 1), ("B", ("目標どおり",), "on_schedule", 2),
        ("C", ("遅れている",), "delayed", 3), ("D", ("評価できない(事業休止等)",), None, None)]
    assert result.stdout.count("# drafted: from the meaning's words") == 2
    assert "[grades.not_assessed]  # drafted: the meaning says it is no rank" in result.stdout
    assert (drafted.tables.status_summary, drafted.tables.indicators,
            drafted.front.actual, drafted.front.target) == (
        StatusSummary(category=("評価",), count=("取組数",)), IndicatorsTable(identify=("成果指標",)),
        ("実績値",), ("目標値",))


@pytest.mark.parametrize(("meaning", "status"), [
    ("予定以上", "exceeded"), ("予定どおり", "on_schedule"), ("やや遅れ", "delayed"),
    ("目標値を達成", "exceeded"), ("策定時より改善", "on_schedule"), ("策定時と同程度", "delayed"),
    ("策定時より悪化", "not_started"), ("概ね達成(達成率80%以上)", "on_schedule"),
    ("一部未達成(達成率50%以上)", "delayed"), ("未達成(達成率50%未満)", "not_started"),
    ("目標より進んでいる(達成率110%超)", "exceeded"), ("評価できない(実績値の公表前等)", None),
    ("その他", None),
])
def test_draft_proposes_a_grades_status_from_its_meanings_words(tmp_path, meaning, status):
    report = tmp_path / "pref.txt"
    report.write_text(f"評価\t評価の基準\nA\t{meaning}\nB\t別の区分\n\n" + HEADER + "\n",
                      encoding="utf-8")
    result = invoke("profile", "draft", report)
    assert result.exit_code == 0, result.output
    grade = parse_profile(result.stdout, "draft.toml").grades[0]
    no_rank = meaning.startswith("評価できない")
    assert (grade.mark, grade.status, grade.rank) == (("B", None, 1) if no_rank else
                                                      ("A", status, 1))


def test_the_seed_reports_draft_converts_the_seed(tmp_path):
    seed = ROOT / "tests" / "fixtures" / "nakano_fy2023.txt"
    drafted = tmp_path / "drafted.toml"
    drafted.write_text(invoke("profile", "draft", seed).stdout, encoding="utf-8")
    result = invoke("profile", "check", drafted, seed)
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "converts: no error"


def test_draft_reads_a_legend_table_into_the_grades_and_tables_legend(tmp_path):
    report = tmp_path / "pref.txt"
    report.write_text("進捗動向\t評価の表示方法\n◎\t予定以上\n●\t予定どおり\n\n" + HEADER + "\n",
                      encoding="utf-8")
    result = invoke("profile", "draft", report)
    assert result.exit_code == 0, result.output
    drafted = parse_profile(result.stdout, "draft.toml")
    assert drafted.tables.legend == LegendTable(
        identify=("評価表示方法",), mark=("進捗動向",), meaning=("評価表示方法",))
    assert [(g.mark, g.status) for g in drafted.grades] == [("◎", "exceeded"), ("●", "on_schedule")]
    assert drafted.name == "draft"


def test_draft_of_a_missing_report_is_one_sentence(tmp_path):
    result = invoke("profile", "draft", tmp_path / "none.txt")
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'none.txt'}: no such "
                                                    "file or folder.\n")


def test_many_unplaced_cells_stay_one_screen(tmp_path):
    profile, report = _files(tmp_path)
    row = REPORT.splitlines()[-1]
    rows = [row.replace("電子申請の拡充", f"電子申請の拡充{n}").replace("1-1-①\t手続のオンライン化", "\t")
            for n in range(12)]
    report.write_text(REPORT.replace("氏名\t住所\n山田\t中野\n\n", "") + "\n".join(rows) + "\n",
                      encoding="utf-8")
    lines = pipeline.check_profile(profile, report).lines()
    unplaced = [line for line in lines if line.startswith("unplaced: ")]
    assert len(unplaced) == 11 and unplaced[-1] == ("unplaced: … and 3 more (all of them with "
                                                    "--json)")
    assert len(pipeline.check_profile(profile, report).unplaced) == 13


def test_a_run_notes_each_skipped_table(tmp_path):
    profile, report = _files(tmp_path)
    report.write_text(REPORT.replace("氏名\t住所\n山田\t中野\n\n", ""), encoding="utf-8")
    result = invoke("run", report, "--out", tmp_path / "out", "--profile", profile, "--no-dataset")
    assert result.exit_code == 0, result.output
    assert "  note: the table starting '参考指標' (line 6) was skipped: 参考として掲げる指標\n" in result.stdout


@pytest.mark.parametrize(("title", "own_level"), [
    ("架空区情報化推進計画 令和5年度の進捗状況について",
     'own_level = "ward"  # drafted: the title names 架空区'),
    ("南山町DX推進計画の進捗状況について", 'own_level = "municipal"  # drafted: the title names 南山町'),
    ("東海県ITプラン2025 令和5年度フォローアップ結果",
     'own_level = "prefectural"  # drafted: the title names 東海県'),
    ("第4次架空府情報化推進計画の進捗状況について",
     'own_level = "prefectural"  # drafted: the title names 架空府'),
    ("DX推進計画の進捗状況について",
     '# own_level = ?  (ward, municipal, prefectural, metropolitan): the title '
     '"DX推進計画の進捗状況について" names no municipality; until set, ward'),
])
def test_draft_takes_own_level_from_the_title(tmp_path, title, own_level):
    report = tmp_path / "report.txt"
    report.write_text(title + "\n\n" + HEADER + "\n", encoding="utf-8")
    result = invoke("profile", "draft", report)
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if "own_level =" in line] == [own_level]


def test_the_draft_of_a_report_of_evaluated_indicators_converts_it(tmp_path):
    """The 愛知-like trial report: its draft names the indicator columns by role (達成率 the
    share, 所管課 extra), the count table by year with its total, the legend as the indicators'
    scale graded by share of target (100%以上 → share_from 1.0), no attachment, the 柱 goal
    line and ids split over it, the title's ending and the prefecture's level; it converts
    the report to the hand-written profile's values."""
    report = ROOT / "tests" / "fixtures" / "aichi_like_fy2023.txt"
    drafted = tmp_path / "drafted.toml"
    drafted.write_text(invoke("profile", "draft", report).stdout, encoding="utf-8")
    profile = pipeline.load_profile(drafted)
    indicators = profile.tables.indicators
    assert (indicators.identify, indicators.header_rows, indicators.columns.named(),
            profile.tables.status_summary, profile.ids.levels, profile.ids.goal_heading,
            profile.title.ends_with, profile.table_required("items")) == (
        ("評価指標",), 1, {
            "measure": ("番号",), "measure_name": ("事業名",), "extra": ("所管課",),
            "indicator": ("評価指標",), "target": ("目標値({year})",), "actual": ("実績値({year})",),
            "share": ("達成率",), "evaluation": ("評価",)},
        StatusSummary(category=("評価",), count=("{year}",), total=("計",), scale="indicators"),
        ("goal", "measure"), r"^柱\s*(?P<goal>\d+)", ("フォローアップ結果",), False)
    assert [(g.mark, g.share_from) for g in profile.indicator_grades] == [
        ("A", 1.0), ("B", 0.8), ("C", 0.5), ("D", 0.0)]
    drafted_report = pipeline.convert(report, profile=drafted)
    written = pipeline.convert(report, profile=ROOT / "tests" / "profiles" / "aichi_like.toml")
    assert drafted_report.tables["indicators"].equals(written.tables["indicators"])
    assert (drafted_report.tables["indicator_evaluations"]["evaluation_mark"].tolist()
            == written.tables["indicator_evaluations"]["evaluation_mark"].tolist())
