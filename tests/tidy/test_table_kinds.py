"""Which table is which: a legend printed as a table, tables to skip, optional tables."""


import pytest

import pipeline
from pipeline.api import ConversionFailed
from pipeline.errors import LayoutError, ProfileError
from pipeline.read.text import text_to_document
from pipeline.normalize.marks import LegendEntry, legend_to_grades
from pipeline.profiles import builtin_text, parse_profile
from pipeline.tidy.frames import NO_ATTACHMENT_CHECK, NO_STATUS_TABLE_CHECK
from pipeline.tidy.structure import document_to_report

LEGEND_AND_SKIP = """
[tables.legend]
identify = ["評価の表示方法"]
mark = ["進捗動向"]
meaning = ["評価の表示方法"]

[[tables.skip]]
identify = ["参考指標"]
why = "参考として掲げる指標で、評価の対象外"
"""
HEADER = ("実施内容\t\t事業内容\t進捗状況\tスケジュールの変更理由\t取組結果 (令和5年度)\t"
          "令和6年度取組予定\t令和7年度以降取組予定\t所管課")
ITEM = "1-1-①\t手続のオンライン化\t電子申請の拡充\t{mark}\t\t120手続を追加した。\t(継続)\t(継続)\t総務課"
TITLE = "令和5年度 架空区の情報化の進捗状況について"
INDICATORS = ("目標1 行政手続のデジタル化\n\n"
              "指標項目\t実績\t\t目標\n"
              "\t令和4年度\t令和5年度\t令和7年度\n"
              "オンライン申請の割合\t40%\t55%\t80%\n")
STATUS = "進捗状況の区分\t取組の数\n○ 予定どおり\t1\n"


def _profile(tmp_path, extra: str = LEGEND_AND_SKIP, edit: tuple[str, str] = ("", "")):
    path = tmp_path / "ward.toml"
    path.write_text(builtin_text().replace(*edit, 1) + extra, encoding="utf-8")
    return path


def _report(tmp_path, *parts: str):
    path = tmp_path / "ward_fy2023.txt"
    path.write_text("\n\n".join((TITLE, *parts)) + "\n", encoding="utf-8")
    return path


LEGEND_TABLE = "進捗動向\t評価の表示方法\n●\t予定どおり進んでいる\n◎\t予定を\n\t上回る"
SKIPPED = "参考指標\t令和5年度\n図書館の来館者数\t100人"


def test_a_legend_table_defines_the_marks_and_a_skipped_table_is_listed(tmp_path):
    report = pipeline.convert(_report(tmp_path, STATUS, LEGEND_TABLE, SKIPPED, HEADER + "\n"
                                      + ITEM.format(mark="●")),
                              profile=_profile(tmp_path))
    assert report.tables["items"]["status_mark"].tolist() == ["○"]
    assert report.facts["legend"] == [
        {"mark": "●", "meaning": "予定どおり進んでいる", "grade": "○", "status": "on_schedule"},
        {"mark": "◎", "meaning": "予定を 上回る", "grade": "◎", "status": "exceeded"}]
    assert report.facts["skipped_tables"] == [
        {"source_ref": "line 12", "first_cell": "参考指標", "why": "参考として掲げる指標で、評価の対象外"}]


def test_without_the_skip_rule_the_table_stops_the_run_naming_every_kind(tmp_path):
    profile = _profile(tmp_path, LEGEND_AND_SKIP.split("[[tables.skip]]")[0])
    with pytest.raises(ConversionFailed) as raised:
        pipeline.convert(_report(tmp_path, SKIPPED, HEADER + "\n" + ITEM.format(mark="○")),
                         profile=profile)
    assert str(raised.value) == (
        "ward_fy2023.txt: line 3, a table starting '参考指標' is none of the report's tables; "
        "the profile looks for status counts (進捗状況の区分/進捗区分/区分/取組の数/件数/事業数), "
        "indicators (指標項目), attachment (事業内容/事業名/取組内容 and 進捗状況/進捗/進捗度), "
        "legend (評価の表示方法).")


@pytest.mark.parametrize(("legend", "message"), [
    ("評価\t評価の表示方法\n●\t予定どおり",
     "r.txt: line 1, the legend table's header '評価 | 評価の表示方法' has no mark column (進捗動向)."),
    ("進捗動向\t評価の表示方法\n●\t",
     "r.txt: line 2, the legend row '● | ' has a mark without a meaning."),
    ("進捗動向\t評価の表示方法\n\t予定どおり",
     "r.txt: line 2, the legend row ' | 予定どおり' has a meaning without a mark."),
    ("進捗動向\t評価の表示方法\n●\t予定どおり\t注",
     "r.txt: line 2, cannot place the cell '注': the legend table has a mark and a meaning "
     "column only."),
])
def test_a_legend_table_that_cannot_be_read_is_one_sentence(tmp_path, legend, message):
    profile = parse_profile(builtin_text() + LEGEND_AND_SKIP, "ward.toml")
    with pytest.raises(LayoutError) as raised:
        document_to_report(text_to_document(legend + "\n\n" + HEADER + "\n", "r.txt"), profile)
    assert str(raised.value) == message


INDICATOR_SCALE = """
[indicator_grades]
order = "best_first"
[[indicator_grades.grade]]
mark = "A"
meanings = ["目標値を達成"]
status = "exceeded"
[[indicator_grades.grade]]
mark = "B"
meanings = ["前進"]
status = "on_schedule"
"""


def test_a_legend_table_of_the_indicators_scale_is_read_into_indicator_grades():
    text = (builtin_text() + LEGEND_AND_SKIP.replace('meaning = ["評価の表示方法"]',
                                                     'meaning = ["評価の表示方法"]\nscale = "indicators"')
            + INDICATOR_SCALE)
    legend = "進捗動向\t評価の表示方法\n達成A\t目標値を達成した\n前進B\t基準値より前進"
    raw = document_to_report(text_to_document(legend + "\n\n" + HEADER + "\n", "r.txt"),
                             parse_profile(text, "ward.toml"))
    assert raw.indicator_legend == (LegendEntry("達成A", "目標値を達成した", "A", "exceeded"),
                                    LegendEntry("前進B", "基準値より前進", "B", "on_schedule"))
    assert {form: grade.mark for form, grade in raw.indicator_grades.items()} == {
        "A": "A", "B": "B", "達成A": "A", "前進B": "B"}
    assert raw.legend == () and "達成A" not in raw.grades  # the items' scale is untouched


@pytest.mark.parametrize(("mark", "grade"), [
    ("A", "A"), ("達成A", "A"), ("A(達成)", "A"), ("後退 B", "B"), ("AB", None), ("C", None)])
def test_a_legend_mark_printed_with_a_word_is_its_grade(mark, grade):
    profile = parse_profile(builtin_text() + INDICATOR_SCALE, "ward.toml")
    _, (entry,) = legend_to_grades([(mark, "説明")], profile, "indicators")
    assert entry.grade == grade


def test_a_report_without_an_attachment_converts_when_the_profile_allows_it(tmp_path):
    profile = _profile(tmp_path, "", ("identify = [\"business\", \"status\"]",
                                      "identify = [\"business\", \"status\"]\nrequired = false"))
    report = pipeline.convert(_report(tmp_path, INDICATORS), profile=profile)
    assert (len(report.tables["items"]), len(report.tables["indicators"])) == (0, 3)
    assert report.facts["fiscal_year"] == 2023  # from the title
    assert report.facts["validation"]["checks_skipped"] == [NO_ATTACHMENT_CHECK]


def test_a_report_without_an_attachment_is_refused_by_default(tmp_path):
    with pytest.raises(ConversionFailed) as raised:
        pipeline.convert(_report(tmp_path, INDICATORS), profile=_profile(tmp_path, ""))
    assert str(raised.value) == ("ward_fy2023.txt: no attachment table (事業内容/進捗状況 header) "
                                 "was found; is this a progress report?")


def test_a_report_without_status_counts_converts_when_the_profile_allows_it(tmp_path):
    profile = _profile(tmp_path, "", ("[tables.status_summary]\n",
                                      "[tables.status_summary]\nrequired = false\n"))
    parts = (INDICATORS, HEADER + "\n" + ITEM.format(mark="○"))
    report = pipeline.convert(_report(tmp_path, *parts), profile=profile)
    assert report.facts["validation"]["checks_skipped"] == [NO_STATUS_TABLE_CHECK]
    with pytest.raises(ConversionFailed) as raised:  # required (the default): counted
        pipeline.convert(_report(tmp_path, *parts), profile=_profile(tmp_path, ""))
    assert [f.code for f in raised.value.failures] == ["status_summary_missing"]


@pytest.mark.parametrize(("edit", "extra", "problems"), [
    (("", ""), '[tables.legend]\nidentify = ["凡例"]\nscale = "items2"\n',
     ["tables.legend.mark: required, but missing", "tables.legend.meaning: required, but missing",
      "tables.legend.scale: 'items2' is neither items nor indicators"]),
    (("", ""), LEGEND_AND_SKIP.replace('meaning = ["評価の表示方法"]', 'meaning = ["評価の表示方法"]\n'
                                       'scale = "indicators"'),
     ["tables.legend.scale: 'indicators', but the profile has no [indicator_grades] for the "
      "legend to define"]),
    (("", ""), '[[tables.skip]]\nidentify = ["参考"]\n', ["tables.skip[1].why: required, but missing"]),
    (('count = ["取組の数", "件数", "事業数"]\n', ""), "",
     ["tables.status_summary.count: required, but missing (or say required = false: a report "
      "may print no status-count table)"]),
])
def test_table_keys_are_checked_together(edit, extra, problems):
    with pytest.raises(ProfileError) as raised:
        parse_profile(builtin_text().replace(*edit, 1) + extra, "my.toml")
    assert str(raised.value).splitlines()[1:] == ["  " + p for p in problems]


def test_an_optional_status_table_needs_no_words():
    text = builtin_text().replace('count = ["取組の数", "件数", "事業数"]\n', "required = false\n", 1)
    assert parse_profile(text, "my.toml").table_required("status_summary") is False
