"""Indicator tables as other reports print them (tests/profiles/ind_shapes.toml, 群馬県-like):
columns by role in any order, one or two header rows, a year inside a value cell, several
qualified values in one cell, and an evaluation per indicator on its own scale. The rest
of each report is kakuu_city's fixture, so only the indicator table varies."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.errors import LayoutError, ProfileError
from pipeline.read.text import text_to_document
from pipeline.profiles import load_profile, parse_profile
from pipeline.tidy.frames import document_to_frames
from pipeline.tidy.structure import document_to_report
from pipeline.tidy.front import _CellGrammar, indicator_tables_to_tables, split_value_cell
from conftest import TESTS

HERE = TESTS
PROFILE = HERE / "profiles" / "ind_shapes.toml"
_BASE = (HERE / "fixtures" / "kakuu_city_fy2024.txt").read_text(encoding="utf-8")
_GOAL = "基本目標 1 行政手続のデジタル化\n\n"

TWO_ROWS = """\
項目	指標	策定時	前年度	現状値	目標値	指標の評価
		(平成27年度)	(令和元年度)	(令和6年度)	(令和8年度)	
(1) 電子自治体の推進						
ア 行政手続のオンライン化	オンライン申請できる手続の割合 ※1	10%	(平成28年度) 20.7%	55%	80%	達成A
	学校のICT機器整備率	50.0%	97.0%(小) 98.2%(中)	—	約1,200件	前進B
"""
ONE_ROW = {"header_rows = 2": "header_rows = 1"}
COLUMNS = ["goal_no", "measure_id", "indicator", "kind", "kind_label", "fiscal_year", "year_from",
           "qualifier", "value", "unit", "approx", "raw", "source_ref"]
EVALUATION_COLUMNS = ["goal_no", "indicator", "evaluation_mark", "grade_rank", "status", "label",
                      "raw", "source_ref"]


def _report(table: str) -> str:
    """kakuu_city's report with its indicator table replaced by ``table``."""
    start, end = _BASE.index("基本目標 1"), _BASE.index("※1 手続総数")
    return _BASE[:start] + _GOAL + table + "\n" + _BASE[end:]


def _profile(replaced: dict[str, str]):
    """ind_shapes.toml with each text replaced once."""
    text = PROFILE.read_text(encoding="utf-8")
    for old, new in replaced.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    return parse_profile(text, "ind_shapes.toml")


def _frames(table: str, profile=None):
    document = text_to_document(_report(table), "r.txt")
    return document_to_frames(document, "r", profile or load_profile(PROFILE))


def _rows(frame, columns):
    return [[None if value != value else value for value in row]
            for row in frame[columns].astype(object).values.tolist()]


@pytest.mark.parametrize(("printed", "year", "values"), [
    ("(平成28年度) 20.7%", "平成28年度", [("20.7%", None)]),
    ("（令和元年度）12件", "令和元年度", [("12件", None)]),
    ("97.0%(小) 98.2%(中)", None, [("97.0%", "小"), ("98.2%", "中")]),
    ("97.0%（小）98.2%（中）", None, [("97.0%", "小"), ("98.2%", "中")]),
    ("(令和2年度) 97.0%(小) 98.2%(中)", "令和2年度", [("97.0%", "小"), ("98.2%", "中")]),
    ("—", None, [("—", None)]),
    ("約1,200件", None, [("約1,200件", None)]),
    ("68.3% (※1)", None, [("68.3% (※1)", None)]),
])
def test_a_value_cell_splits_into_its_year_and_its_qualified_values(printed, year, values):
    assert split_value_cell(printed, _CellGrammar.of(load_profile(PROFILE))) == (year, values)


def test_text_after_the_last_qualified_value_is_refused():
    with pytest.raises(ValueError, match=r"^the text '98\.2%' after the last qualifier$"):
        split_value_cell("97.0%(小) 98.2%", _CellGrammar.of(load_profile(PROFILE)))


def test_nakanos_cells_are_not_split_without_a_cell_grammar():
    from pipeline.profiles import builtin_profile

    assert split_value_cell("(平成28年度) 97.0%(小)", _CellGrammar.of(builtin_profile())) == (
        None, [("(平成28年度) 97.0%(小)", None)])


def test_columns_by_role_under_a_row_of_years_give_every_value_and_evaluation():
    frames, _meta, warnings = _frames(TWO_ROWS)
    assert _rows(frames["indicators"], COLUMNS) == [
        [1, "1-1-①", "オンライン申請できる手続の割合", "baseline", "策定時", 2015, "header", None, 10.0, "%", False, "10%", "line 20"],
        [1, "1-1-①", "オンライン申請できる手続の割合", "previous", "前年度", 2016, "cell", None, 20.7, "%", False, "(平成28年度) 20.7%", "line 20"],
        [1, "1-1-①", "オンライン申請できる手続の割合", "actual", "現状値", 2024, "header", None, 55.0, "%", False, "55%", "line 20"],
        [1, "1-1-①", "オンライン申請できる手続の割合", "target", "目標値", 2026, "header", None, 80.0, "%", False, "80%", "line 20"],
        [1, "1-1-①", "学校のICT機器整備率", "baseline", "策定時", 2015, "header", None, 50.0, "%", False, "50.0%", "line 21"],
        [1, "1-1-①", "学校のICT機器整備率", "previous", "前年度", 2019, "header", "小", 97.0, "%", False, "97.0%(小) 98.2%(中)", "line 21"],
        [1, "1-1-①", "学校のICT機器整備率", "previous", "前年度", 2019, "header", "中", 98.2, "%", False, "97.0%(小) 98.2%(中)", "line 21"],
        [1, "1-1-①", "学校のICT機器整備率", "actual", "現状値", 2024, "header", None, None, None, False, "—", "line 21"],
        [1, "1-1-①", "学校のICT機器整備率", "target", "目標値", 2026, "header", None, 1200.0, "件", True, "約1,200件", "line 21"],
    ]
    assert _rows(frames["indicator_evaluations"], EVALUATION_COLUMNS) == [
        [1, "オンライン申請できる手続の割合", "A", 1, "exceeded", "目標値を達成", "達成A", "line 20"],
        [1, "学校のICT機器整備率", "B", 2, "on_schedule", "策定時より前進", "前進B", "line 21"],
    ]
    assert [(w.code, w.line, w.column, w.value, w.message) for w in warnings] == [
        ("indicator_year_from_cell", 20, "fiscal_year", "(平成28年度) 20.7%",
         "the 前年度 of 'オンライン申請できる手続の割合' is printed as of fiscal 2016, not the "
         "column's 2019; the cell's year is kept")]


def test_the_columns_may_come_in_any_order():
    # The second header row is under its own columns: blank under 指標の評価 and 指標.
    shuffled = ("指標の評価\t目標値\t指標\t現状値\t策定時\n"
                "\t(令和8年度)\t\t(令和6年度)\t(平成27年度)\n"
                "後退D\t80%\tオンライン申請できる手続の割合\t5%\t10%\n")
    frames, _meta, warnings = _frames(shuffled)
    assert _rows(frames["indicators"], ["kind", "fiscal_year", "value"]) == [
        ["target", 2026, 80.0], ["actual", 2024, 5.0], ["baseline", 2015, 10.0]]
    assert _rows(frames["indicator_evaluations"], ["evaluation_mark", "grade_rank", "status"]) == [
        ["D", 4, "not_started"]]
    assert warnings == []


def test_one_header_row_takes_the_year_from_the_header_word_or_the_report():
    one_row = ("指標\t現状値\t目標値(令和8年度)\n"
               "オンライン申請できる手続の割合\t55%\t80%\n")
    frames, _meta, warnings = _frames(one_row, _profile(ONE_ROW))
    assert _rows(frames["indicators"], ["kind", "kind_label", "fiscal_year", "year_from", "value"]) == [
        ["actual", "現状値", 2024, "report", 55.0], ["target", "目標値(令和8年度)", 2026, "header", 80.0]]
    assert frames["indicator_evaluations"].empty
    assert [(w.code, w.line, w.value, w.message) for w in warnings] == [
        ("indicator_year_from_report", 17, "現状値",
         "the indicator column '現状値' names no fiscal year; its values are taken as of the "
         "report's fiscal year 2024")]


@pytest.mark.parametrize(("table", "message"), [
    ("指標\t策定時\t目標値(令和8年度)\nオンライン申請できる手続の割合\t10%\t80%\n",
     "r.txt: line 17, the indicator column '策定時' (baseline) names no fiscal year, and only "
     "an actual (current) value can be taken as of the report's year; add a row of years to "
     "the header or a year to each cell."),
    ("指標\t見込値\t目標値(令和8年度)\nオンライン申請できる手続の割合\t10%\t80%\n",
     "r.txt: line 17, the indicator header cell '見込値' names none of the profile's columns: "
     "measure (項目), indicator (指標/成果指標), baseline (策定時/基準値), previous (前年度), "
     "actual (現状値/実績値), target (目標値/目標値({year})), evaluation (指標の評価)."),
    ("指標\t現状値\t指標\nオンライン申請できる手続の割合\t10%\t80%\n",
     "r.txt: line 17, the indicator header names the indicator column twice ('指標')."),
    ("指標\t現状値\t指標の評価\nオンライン申請できる手続の割合\t10%\t達成E\n",
     "r.txt: line 18, the evaluation of indicator 'オンライン申請できる手続の割合' is '達成E', "
     "none of the indicators' grades (A, 達成A, B, 前進B, C, 横ばいC, D, 後退D)."),
    ("指標\t現状値\t目標値(令和8年度)\nオンライン申請できる手続の割合\t\t80%\n",
     "r.txt: line 18, the indicator row 'オンライン申請できる手続の割合' has no value in column 2; "
     "a report prints — for no figure."),
    ("指標\t現状値\t目標値(令和8年度)\nオンライン申請できる手続の割合\t97.0%(小) 98.2%\t80%\n",
     "r.txt: line 18, indicator 'オンライン申請できる手続の割合', actual 2024: cannot read the cell "
     "'97.0%(小) 98.2%': the text '98.2%' after the last qualifier."),
])
def test_a_table_the_profile_cannot_read_is_refused_by_name(table, message):
    with pytest.raises(LayoutError) as error:
        _frames(table, _profile(ONE_ROW))
    assert str(error.value) == message


@dataclass(frozen=True)
class _MeasureId:
    id: str


class _StandInReader:
    """The interface of items17's SplitIdReader (pipeline/normalize/ids.py): the goal
    heading, then each 項目 cell; a policy cell gives no id, a measure cell its id."""

    def __init__(self) -> None:
        self.read: list[str] = []
        self.goal_no = self.policy = 0

    def goal(self, text: str) -> bool:
        self.read.append(f"goal {text}")
        self.goal_no = int(text.split()[1])
        return True

    def cell(self, text: str):
        self.read.append(text)
        if text.startswith("("):
            self.policy = int(text[1])
            return None, text[3:].strip()
        return _MeasureId(f"{self.goal_no}-{self.policy}-{text[0]}"), text[1:].strip()


def test_the_measure_column_gives_each_indicator_the_id_its_reader_reads():
    table = ("項目\t指標\t現状値\n\t\t(令和6年度)\n"
             "(1) 電子自治体の推進\t\t\n"
             "ア 行政手続のオンライン化\tオンライン申請できる手続の割合\t55%\n"
             "\t窓口の待ち時間\t12分\n"
             "イ 学校のICT化\t学校のICT機器整備率\t97.0%(小) 98.2%(中)\n")
    raw = document_to_report(text_to_document(_report(table), "r.txt"), load_profile(PROFILE))
    readers: list[_StandInReader] = []

    def reader() -> _StandInReader:
        readers.append(_StandInReader())
        return readers[-1]

    found = indicator_tables_to_tables(raw.indicator_tables, "r", "r.txt", load_profile(PROFILE),
                                       2024, reader)
    assert [(r.measure_id, r.indicator, r.qualifier) for r in found.indicators] == [
        ("1-1-ア", "オンライン申請できる手続の割合", None), ("1-1-ア", "窓口の待ち時間", None),
        ("1-1-イ", "学校のICT機器整備率", "小"), ("1-1-イ", "学校のICT機器整備率", "中")]
    assert readers[0].read == ["goal 基本目標 1 行政手続のデジタル化", "(1) 電子自治体の推進",
                               "ア 行政手続のオンライン化", "イ 学校のICT化"]
    without = indicator_tables_to_tables(raw.indicator_tables, "r", "r.txt", load_profile(PROFILE), 2024)
    assert {r.measure_id for r in without.indicators} == {None}


@pytest.mark.parametrize(("replaced", "problem"), [
    ({"header_rows = 2": "header_rows = 3"}, "tables.indicators.header_rows: 3 is neither 1 nor 2"),
    ({'status = "not_started"': 'status = "behind"'},
     "indicator_grades.grade[4].status: 'behind' is none of not_started, delayed, on_schedule, exceeded"),
    ({'indicator = ["指標", "成果指標"]\n': ""},
     "tables.indicators.columns.indicator: required when the indicator columns are named by "
     "role, but missing"),
    ({"qualifier = '[(（](?P<qualifier>": "qualifier = '[(（](?P<q>"},
     "tables.indicators.cells.qualifier: the pattern needs the group(s) (?P<qualifier>…)"),
])
def test_a_wrong_indicator_key_is_named_by_the_profile_check(replaced, problem):
    with pytest.raises(ProfileError) as error:
        _profile(replaced)
    assert str(error.value).splitlines()[1:] == [f"  {problem}"]


def _year(table: str, report_id: str):
    """The report's frames as diff and history read them."""
    frames, _meta, _warnings = _frames(table)
    for frame in frames.values():
        frame["report_id"] = report_id
    return frames


def test_diff_and_history_follow_each_indicators_evaluation():
    from pipeline.compare.diff import diff_reports
    from pipeline.compare.folder import ReportFolder
    from pipeline.compare.history import build_history

    old = _year(TWO_ROWS, "fy2023")
    new = _year(TWO_ROWS.replace("達成A", "横ばいC").replace("\t前進B", "\t達成A"), "fy2024")
    tables = [ReportFolder(report, year, f["items"], f["indicators"], evaluations=f["indicator_evaluations"])
              for report, year, f in (("fy2023", 2023, old), ("fy2024", 2024, new))]
    changes = diff_reports(*tables).evaluation_changes
    assert _rows(changes, list(changes.columns)) == [
        [1, "オンライン申請できる手続の割合", "changed", "A", "C", 1, 3, "worsened", "達成A", "横ばいC"],
        [1, "学校のICT機器整備率", "changed", "B", "A", 2, 1, "improved", "前進B", "達成A"],
    ]
    gone = diff_reports(tables[0], ReportFolder(
        "fy2024", 2024, new["items"], new["indicators"],
        evaluations=new["indicator_evaluations"].iloc[:1])).evaluation_changes
    assert _rows(gone, ["indicator", "change", "old_mark", "new_mark", "direction"]) == [
        ["オンライン申請できる手続の割合", "changed", "A", "C", "worsened"],
        ["学校のICT機器整備率", "removed", "B", None, None]]
    reports = [ReportFolder(report, year, f["items"], f["indicators"],
                          evaluations=f["indicator_evaluations"])
               for report, year, f in (("fy2023", 2023, old), ("fy2024", 2024, new))]
    history = build_history(reports).indicator_evaluation_history
    assert _rows(history, ["indicator", "fiscal_year", "evaluation_mark", "previous_mark", "direction"]) == [
        ["オンライン申請できる手続の割合", 2023, "A", None, None],
        ["学校のICT機器整備率", 2023, "B", None, None],
        ["オンライン申請できる手続の割合", 2024, "C", "A", "worsened"],
        ["学校のICT機器整備率", 2024, "A", "B", "improved"]]


def test_the_two_values_of_one_cell_are_two_cells_to_the_diff():
    from pipeline.compare.diff import diff_reports
    from pipeline.compare.folder import ReportFolder

    old = _year(TWO_ROWS, "fy2023")
    new = _year(TWO_ROWS.replace("98.2%(中)", "99.0%(中)"), "fy2024")
    changes = diff_reports(*[ReportFolder(r, y, f["items"], f["indicators"])
                             for r, y, f in (("fy2023", 2023, old), ("fy2024", 2024, new))]
                           ).indicator_changes
    changed = changes[changes["change"] != "unchanged"]
    assert _rows(changed, ["indicator", "qualifier", "kind", "fiscal_year", "change", "old_value",
                           "new_value"]) == [
        ["学校のICT機器整備率", "中", "previous", 2019, "revised", 98.2, 99.0]]
