"""Attachment rows and ids of other shapes, through pipeline.api.convert on a text report
with tests/profiles/item_shapes.toml: business rows wrapped onto a second text line
(``continuation = "wrapped_line"``), a plan column headed without a year (今後の方向性),
ids split over a goal heading row, a policy row and a kana measure cell, beside a whole
id printed 1-(1)-イ."""

from pathlib import Path

import pytest

from pipeline.api import ConversionFailed, convert
from conftest import TESTS

PROFILE = TESTS / "profiles" / "item_shapes.toml"
FRONT = """# 架空町情報化推進計画の進捗状況について

## 1. 取組の評価

進捗区分\t取組数
A 目標値を達成\t1
B 策定時より改善\t2
C 策定時と同程度\t1

## 2. 成果指標

基本目標 1 電子県庁の実現

指標\t現状値\t目標値
\t令和元年度\t令和5年度
電子申請できる手続の割合\t40%\t80%

## 3. 取組の一覧

"""
HEADER = "項目\t事業内容\t進捗動向\t令和元年度の取組実績\t今後の方向性\t担当課\n"
ROWS = """基本目標1 電子県庁の実現\t\t\t\t\t
(1) 電子自治体の推進\t\t\t\t\t
ア 行政手続のオンライン化\t電子申請の拡充\tA\t令和2年3月に120手続をオンライン化した。\t(拡充)\t情報政策課
\t窓口の見直し\tB\t窓口を集約した。\t全庁に\t行政改革課
\t\t\t\t働きかける。\t
(2) 地域の情報化\t\t\t\t\t
ア 公衆無線LANの\t観光施設への\tB\t10施設に整備した。\t(推進)\t観光課
整備\tWi-Fi整備\t\t\t\t
基本目標2 教育の情報化\t\t\t\t\t
2-(1)-イ 校務の効率化\t校務支援システムの導入\tC\t仕様を検討した。\t(継続)\t学務課
"""
COLUMNS = ["measure_id", "measure_id_raw", "goal_no", "policy_no", "measure_no", "measure_name",
           "business", "status_mark", "plan_next", "plan_next_fy", "plan_next_fy_inferred",
           "departments", "source_ref"]


def _report(tmp_path: Path, rows: str = ROWS, header: str = HEADER) -> Path:
    path = tmp_path / "town_fy2019.txt"
    path.write_text(FRONT + header + rows, encoding="utf-8")
    return path


def _profile(tmp_path: Path, old: str, new: str) -> Path:
    text = PROFILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "changed.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_wrapped_lines_split_ids_and_a_yearless_plan_read_into_whole_rows(tmp_path):
    report = convert(_report(tmp_path), profile=PROFILE)
    assert report.tables["items"][COLUMNS].values.tolist() == [
        ["1-1-①", "基本目標1 (1) ア", 1, 1, 1, "行政手続のオンライン化", "電子申請の拡充", "A",
         "(拡充)", 2020, True, "情報政策課", "line 23"],
        ["1-1-①", "基本目標1 (1) ア", 1, 1, 1, "行政手続のオンライン化", "窓口の見直し", "B",
         "全庁に働きかける。", 2020, True, "行政改革課", "line 24"],
        ["1-2-①", "基本目標1 (2) ア", 1, 2, 1, "公衆無線LANの整備", "観光施設へのWi-Fi整備", "B",
         "(推進)", 2020, True, "観光課", "line 27"],
        ["2-1-②", "2-(1)-イ", 2, 1, 2, "校務の効率化", "校務支援システムの導入", "C",
         "(継続)", 2020, True, "学務課", "line 30"],
    ]
    assert [(w.code, w.line, w.column, w.value, w.message) for w in report.warnings] == [
        ("plan_year_inferred", 20, "plan_next_fy", "今後の方向性",
         "the plan column's header names no fiscal year; plan_next_fy is taken as the "
         "report's fiscal year + 1, 2020")]


def test_a_plan_header_with_its_year_is_not_inferred(tmp_path):
    header = HEADER.replace("今後の方向性", "令和2年度取組予定")
    report = convert(_report(tmp_path, header=header), profile=PROFILE)
    items = report.tables["items"]
    assert (items["plan_next_fy"].tolist(), items["plan_next_fy_inferred"].tolist()) == (
        [2020] * 4, [False] * 4)
    assert report.warnings == []


def test_where_the_profile_says_none_a_wrapped_line_stays_todays_error(tmp_path):
    profile = _profile(tmp_path, 'continuation = "wrapped_line"', 'continuation = "none"')
    rows = ROWS.replace("ア 公衆無線LANの\t", "ア 公衆無線LANの整備\t").replace("整備\tWi-Fi", "\tWi-Fi")
    with pytest.raises(ConversionFailed) as failed:
        convert(_report(tmp_path, rows=rows), profile=profile)
    assert str(failed.value) == "town_fy2019.txt: line 25, a row of measure 1-1-① has no business text."
    with pytest.raises(ConversionFailed) as failed:  # a wrapped measure name: no measure
        convert(_report(tmp_path), profile=profile)
    assert str(failed.value) == (
        "town_fy2019.txt: line 28, cannot place the cell '整備': '整備' is neither a policy nor "
        "a measure of the profile's ids (ids.policy_cell, ids.measure_cell, ids.measure).")


@pytest.mark.parametrize(("rows", "message"), [
    ("\t\t\t\t働きかける。\t\n" + ROWS,
     "town_fy2019.txt: line 21, the cell '働きかける。' continues a line above it, but no "
     "attachment row stands above it."),
    (ROWS.replace("\t\t\t\t働きかける。\t", "\t\tB\t\t働きかける。\t"),
     "town_fy2019.txt: line 25, a row of measure 1-1-① has no business text."),
    (ROWS.replace("(1) 電子自治体の推進\t\t\t\t\t\n", ""),
     "town_fy2019.txt: line 22, cannot place the cell 'ア 行政手続のオンライン化': the measure "
     "'ア 行政手続のオンライン化' stands under no policy (ids.policy_cell)."),
    (ROWS.replace("基本目標1 電子県庁の実現\t\t\t\t\t\n", ""),
     "town_fy2019.txt: line 22, cannot place the cell 'ア 行政手続のオンライン化': the measure "
     "'ア 行政手続のオンライン化' stands under no goal heading (ids.goal_heading)."),
    (ROWS.replace("ア 公衆無線LANの", "ヌ 公衆無線LANの"),
     "town_fy2019.txt: line 27, cannot place the cell 'ヌ 公衆無線LANの': 'ヌ 公衆無線LANの' is "
     "neither a policy nor a measure of the profile's ids (ids.policy_cell, ids.measure_cell, "
     "ids.measure)."),
])
def test_a_row_that_continues_nothing_or_an_id_that_cannot_be_read_is_an_error_naming_the_cell(
        tmp_path, rows, message):
    with pytest.raises(ConversionFailed) as failed:
        convert(_report(tmp_path, rows=rows), profile=PROFILE)
    assert str(failed.value) == message


def test_a_goal_heading_line_above_the_table_gives_the_goal_of_split_ids():
    from pipeline.tidy.attachment import grids_to_items
    from pipeline.normalize.marks import profile_grades
    from pipeline.profiles import load_profile
    from pipeline.records import Cell, Grid, Paragraph

    profile = load_profile(PROFILE)
    rows = [line.split("\t") for line in (HEADER + "(1) 電子自治体の推進\t\t\t\t\t\n"
                                           "ア 行政手続のオンライン化\t電子申請の拡充\tA\t済\t(拡充)\t情報政策課\n"
                                           ).splitlines()]
    grid = Grid(rows=tuple(tuple(Cell(text=t, line=n) for t in row) for n, row in enumerate(rows, 1)))
    items = grids_to_items([grid], profile_grades(profile), profile, "r.txt",
                           goals=[Paragraph("基本目標3 行政運営の効率化", line=1)])
    assert [(item.measure.id, item.measure.raw, item.measure_name.text) for item in items] == [
        ("3-1-①", "基本目標3 (1) ア", "行政手続のオンライン化")]


def test_a_whole_id_printed_in_its_own_cell_is_kept_as_printed():
    fixture = TESTS / "fixtures" / "kakuu_city_fy2024.txt"
    items = convert(fixture, profile=TESTS / "profiles" / "kakuu_city.toml").tables["items"]
    assert items[["measure_id", "measure_id_raw", "plan_next_fy_inferred"]].values.tolist() == [
        ["1-1-①", "1-(1)-①", False], ["1-1-①", "1-(1)-①", False], ["1-1-②", "1-(1)-②", False],
        ["1-1-②", "1-(1)-②", False], ["1-2-①", "1-(2)-①", False], ["1-2-①", "1-(2)-①", False]]


OPTIONAL_NAME = ("measure_cell = '^(?P<measure>[アイウエオカキクケコサシスセソタチツテト])\\s+(?P<name>.+)$'",
                 "measure_cell = '^(?P<measure>[アイウエオカキクケコサシスセソタチツテト])"
                 "(?:\\s+(?P<name>.+))?$'")
KANA_ROW = "ア 行政手続のオンライン化\t電子申請の拡充"


@pytest.mark.parametrize(("printed", "names_required", "name"), [
    ("ア\t行政手続のオンライン化\t電子申請の拡充", True, "行政手続のオンライン化"),  # the next cell
    ("ア\t電子申請の拡充", False, None),  # no name anywhere, and the profile allows none
])
def test_a_kana_numeral_alone_takes_its_name_from_the_next_cell_or_has_none(
        tmp_path, printed, names_required, name):
    profile = _profile(tmp_path, *OPTIONAL_NAME)
    if not names_required:
        text = profile.read_text(encoding="utf-8").replace(
            'continuation = "wrapped_line"', 'continuation = "wrapped_line"\n'
            "measure_name_required = false")
        profile.write_text(text, encoding="utf-8")
    report = convert(_report(tmp_path, rows=ROWS.replace(KANA_ROW, printed)), profile=profile)
    items = report.tables["items"].astype(object)
    assert items[["measure_id", "measure_id_raw", "measure_name", "business"]].where(
        items.notna(), None).values.tolist()[:2] == [
        ["1-1-①", "基本目標1 (1) ア", name, "電子申請の拡充"],
        ["1-1-①", "基本目標1 (1) ア", name, "窓口の見直し"]]


def test_a_kana_numeral_alone_where_names_are_required_fails_on_each_of_its_rows(tmp_path):
    profile = _profile(tmp_path, *OPTIONAL_NAME)
    with pytest.raises(ConversionFailed) as failed:
        convert(_report(tmp_path, rows=ROWS.replace(KANA_ROW, "ア\t電子申請の拡充")), profile=profile)
    assert [(f.code, f.line, f.row, f.value) for f in failed.value.failures] == [
        ("measure_name_missing", 23, 1, "基本目標1 (1) ア"),
        ("measure_name_missing", 23, 2, "基本目標1 (1) ア")]
