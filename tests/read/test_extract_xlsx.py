"""The Excel reader: visible cells as printed, merges as None, hidden parts left out,
numbers and dates as shown, and untrusted archives refused before they are unzipped."""

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side

from pipeline.errors import InputError
from pipeline.read.cell_text import display_text
from pipeline.read.ooxml import OfficeSettings, check_office_file
from pipeline.read.xlsx import table_rows, xlsx_to_document
from pipeline.records import Grid, Paragraph
from conftest import TESTS

PARTS = TESTS / "fixtures" / "nakano_fy2023_parts"
_RULE = Border(left=Side(style="thin"), right=Side(style="thin"))


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (105, "General", "105"),
    (105.0, "General", "105"),
    (3.2, "General", "3.2"),
    (0.623, "0.0%", "62.3%"),
    (1, "0%", "100%"),
    (44025, "#,##0", "44,025"),
    (1790000, '#,##0"件"', "1,790,000件"),
    (7, '0"件"', "7件"),
    (22, '0"名"', "22名"),
    (1234.5, "#,##0.0;[Red]-#,##0.0", "1,234.5"),
    (-3, "0;-0", "-3"),
    (True, "General", "TRUE"),
    (None, "General", None),
    ("区報・HP\r\nチラシ", "General", "区報・HP\nチラシ"),
    (date(2024, 3, 1), 'ggge"年"m"月"d"日"', "令和6年3月1日"),
    (datetime(2024, 3, 1), '[$-ja-JP]ggge"年"m"月"', "令和6年3月"),
    (date(2019, 5, 1), '[$-ja-JP-x-gannen]ggge"年"m"月"d"日"', "令和元年5月1日"),
    (date(2019, 4, 30), 'ggge"年"m"月"d"日"', "平成31年4月30日"),
    (date(1989, 1, 8), "ge.m.d", "H1.1.8"),
    (datetime(2024, 3, 1), "mm-dd-yy", "2024/3/1"),  # built-in 14: Japanese Excel shows yyyy/m/d
    (date(2024, 9, 1), 'yyyy"年"m"月"d"日"(aaa)', "2024年9月1日(日)"),
    (date(2024, 5, 7), "m/d", "5/7"),
    (datetime(2024, 5, 7, 9, 5), "h:mm", "9:05"),
])
def test_a_cell_reads_as_the_sheet_shows_it(value, number_format, shown):
    assert display_text(value, number_format) == shown


def _ruled_row(sheet, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        sheet.cell(row, column).border = _RULE


def test_hidden_parts_are_skipped_and_merges_give_none(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "別紙"
    sheet["A1"] = "進捗状況一覧"
    sheet.append(["実施内容", None, "事業内容", "メモ", "進捗状況", "取組結果 (令和5年度)"])
    sheet.append(["1-1-①", "名前", "事業A", "〇", "○", date(2024, 3, 1)])
    sheet.append([None, None, "事業B", "〇", "×", 44025])
    sheet.append([None, None, "隠した行", "〇", "○", "x"])
    sheet.append([None, None, "事業C", "〇", "◎", "一行目\n二行目"])
    sheet.merge_cells("A2:B2")
    sheet.merge_cells("A3:A6")
    sheet.merge_cells("B3:B6")
    for row in range(2, 7):
        _ruled_row(sheet, row, 6)
    sheet["F3"].number_format = 'ggge"年"m"月"d"日"'
    sheet["F4"].number_format = "#,##0"
    sheet.row_dimensions[5].hidden = True
    sheet.column_dimensions["D"].hidden = True
    workbook.create_sheet("作業用")["A1"] = "非表示のシート"
    workbook["作業用"].sheet_state = "hidden"
    workbook.save(tmp_path / "book.xlsx")

    document = xlsx_to_document(tmp_path / "book.xlsx")
    assert document.skipped == {"hidden_sheets": 1, "hidden_rows": 1, "hidden_columns": 1}
    paragraph, grid = document.blocks
    assert paragraph == Paragraph("進捗状況一覧", ref="別紙!A1")
    assert isinstance(grid, Grid) and grid.ref == "別紙!A2:F6"
    assert [[cell.text for cell in row] for row in grid.rows] == [
        ["実施内容", None, "事業内容", "進捗状況", "取組結果 (令和5年度)"],
        ["1-1-①", "名前", "事業A", "○", "令和6年3月1日"],
        [None, None, "事業B", "×", "44,025"],
        [None, None, "事業C", "◎", "一行目\n二行目"],
    ]
    assert [cell.ref for cell in grid.rows[3]] == ["別紙!A6", "別紙!B6", "別紙!C6", "別紙!E6",
                                                   "別紙!F6"]


def test_a_merged_range_whose_first_row_is_hidden_keeps_its_text(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "name"])
    sheet.append(["1-1-①", "a"])
    sheet.append([None, "b"])
    sheet.merge_cells("A2:A3")
    sheet.row_dimensions[2].hidden = True
    workbook.save(tmp_path / "book.xlsx")
    grid = xlsx_to_document(tmp_path / "book.xlsx").blocks[0]
    assert [[cell.text for cell in row] for row in grid.rows] == [["id", "name"], ["1-1-①", "b"]]


def test_the_sample_besshi_reads_as_one_table_under_its_title_and_legend():
    document = xlsx_to_document(PARTS / "nakano_fy2023_besshi.xlsx")
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    grids = [b for b in document.blocks if isinstance(b, Grid)]
    assert [p.text for p in paragraphs][:3] == ["別紙", "第2次中野区地域情報化推進計画改定版進捗状況一覧",
                                                "【進捗状況の凡例】"]
    assert [(g.ref, len(g.rows), len(g.rows[0])) for g in grids] == [("別紙!A9:I122", 114, 9)]
    second_row = grids[0].rows[2]
    assert [c.text for c in second_row[:4]] == [None, None, "コンビニ交付サービスの利用促進", "○"]
    assert second_row[2].ref == "別紙!C11"
    assert grids[0].rows[3][8].text == "デジタル政策課\n子育て支援課\n介護保険課"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_it_is_unzipped(tmp_path):
    bomb = _zip(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": b"<a>" + b" " * (8 << 20) + b"</a>"})
    with pytest.raises(InputError, match=r"^bomb\.xlsx: the part xl/worksheets/sheet1\.xml is "
                                         r"compressed [\d,]+ to 1 \(a zip bomb\?\); it was not unzipped\.$"):
        check_office_file(bomb, "Excel workbook (.xlsx)")


def test_an_archive_larger_than_the_limit_is_refused(tmp_path):
    big = _zip(tmp_path / "big.xlsx", {"a.xml": b"<a/>" * 1000})
    with pytest.raises(InputError, match=r"^big\.xlsx: the archive would unzip to 4,000 bytes, "
                                         r"more than the limit of 1,000; it was not unzipped\.$"):
        check_office_file(big, "Excel workbook (.xlsx)", {"max_unzipped_bytes": 1000})


def test_an_entity_declaration_is_refused(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
              b'"&lol;&lol;&lol;&lol;">]><worksheet>&lol2;</worksheet>')
    path = _zip(tmp_path / "laughs.xlsx", {"[Content_Types].xml": b"<Types/>",
                                           "xl/worksheets/sheet1.xml": laughs})
    with pytest.raises(InputError) as raised:
        xlsx_to_document(path)
    assert str(raised.value) == ("laughs.xlsx: the part xl/worksheets/sheet1.xml declares a "
                                 "document type or entities, which Office files never do; it was "
                                 "not read.")


def test_settings_resolve_from_a_dict_and_check_their_values():
    assert OfficeSettings.resolve({"max_ratio": 50}).max_ratio == 50
    assert OfficeSettings.resolve(None) == OfficeSettings()
    with pytest.raises(ValueError, match="max_members must be above 0"):
        OfficeSettings(max_members=0)


def test_a_misspelt_office_setting_is_named():
    with pytest.raises(ValueError) as raised:
        OfficeSettings.resolve({"max_ration": 50, "max_members": 10})
    assert str(raised.value) == "Unknown OfficeSettings: max_ration."


@pytest.mark.parametrize(("texts", "ruled", "expected"), [
    # title, blank, header, a row of one cell (a 再掲 row's business), a data row, a note
    ([["title", None]], [False], [False]),
    ([["a", "b"], [None, "(1-1-③再掲) name"], ["c", "d"], ["※1 note", None]],
     [False, False, False, False], [True, True, True, False]),
    ([["a", "b"], [None, None], ["one", None], ["c", "d"]], [False] * 4, [True, False, False, True]),
    ([["only", None]], [True], [True]),
])
def test_table_rows_keep_a_one_cell_row_between_table_rows(texts, ruled, expected):
    assert table_rows(texts, ruled) == expected


def test_openpyxl_parses_sheets_with_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_ruled_rows_without_a_character_are_no_table(tmp_path):
    # Fuzzing (bench/fuzz_long.py, xlsx swap_cells seed 1054) moved text off a bordered
    # area: its empty ruled rows made the reader fail on an internal error.
    workbook = Workbook()
    sheet = workbook.active
    thin = Side(style="thin")
    for row in (1, 2):
        for column in (1, 2):
            sheet.cell(row=row, column=column).border = Border(left=thin, right=thin, top=thin,
                                                               bottom=thin)
    sheet["A4"] = "表題"
    sheet["A5"], sheet["B5"] = "事業内容", "進捗状況"
    path = tmp_path / "blank_rules.xlsx"
    workbook.save(path)
    blocks = xlsx_to_document(path).blocks
    assert [(type(block).__name__, block.ref) for block in blocks] == [
        ("Paragraph", "Sheet!A4"), ("Grid", "Sheet!A5:B5")]
