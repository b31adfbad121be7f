"""Key–value blocks (鳥取-like) and year-column grids (川崎-like) → list-shaped grids.

The fixtures are made by tests/make_shape_fixtures.py (text and .xlsx from one source);
tests/fixtures/*_expected.json hold every item's fields and every indicator value,
checked by hand against that source.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pipeline.api import convert, diff
from pipeline.cli import main
from pipeline.errors import LayoutError, PipelineError, ProfileError
from pipeline.profiles import load_profile, parse_profile
from pipeline.records import Block, Cell, Document, Grid, Paragraph
from pipeline.tidy.key_value import key_value_to_grids, transposed_to_pairs, when_to_year
from pipeline.tidy.reshape import reshape_document
from conftest import TESTS

FIXTURES = TESTS / "fixtures"
TOTTORI = load_profile(TESTS / "profiles" / "tottori_like.toml")
KAWASAKI = load_profile(TESTS / "profiles" / "kawasaki_like.toml")
KV_SHAPE = TOTTORI.shapes.key_value[0]
YEARS_SHAPE = KAWASAKI.shapes.transposed[0]
ITEM_FIELDS = ["measure_id", "measure_name", "business", "status_mark", "grade_rank", "status",
               "result", "plan_next", "plan_next_fy", "departments", "extra", "fiscal_year"]
INDICATOR_FIELDS = ["goal_no", "goal", "indicator", "kind", "kind_label", "fiscal_year", "year_from",
                    "value", "unit", "raw"]


def grid(*rows: tuple[str, ...]) -> Grid:
    """A grid whose every cell knows its place: "S!<column><row>"."""
    return Grid(rows=tuple(tuple(Cell(text=text, ref=f"S!{chr(65 + c)}{r}")
                                 for c, text in enumerate(row))
                           for r, row in enumerate(rows, start=1)))


def shown(g: Grid) -> list[list[tuple[str | None, str | None]]]:
    return [[(cell.text, cell.ref) for cell in row] for row in g.rows]


def test_a_key_value_block_becomes_an_item_row_under_its_own_key_cells() -> None:
    block = grid(("政策内容", "電子申請の拡大"), ("担当課", "情報政策課"), ("番号", "1-1-1"),
                 ("施策", "手続のオンライン化"), ("中間評価", "○"), ("最終評価", "◎"),
                 ("令和4年度の取組実績", "120手続"))
    (items,) = key_value_to_grids(block, KV_SHAPE, TOTTORI, "r.txt")
    assert shown(items) == [
        [("番号", "S!A3"), ("施策", "S!A4"), ("政策内容", "S!A1"), ("最終評価", "S!A6"),
         ("担当課", "S!A2"), ("令和4年度の取組実績", "S!A7"), ("中間評価", "S!A5")],
        [("1-1-1", "S!B3"), ("手続のオンライン化", "S!B4"), ("電子申請の拡大", "S!B1"),
         ("◎", "S!B6"), ("情報政策課", "S!B2"), ("120手続", "S!B7"), ("○", "S!B5")],
    ]


def test_the_indicator_rows_become_a_role_grid_over_the_years_of_their_own_dates() -> None:
    block = grid(("政策内容", "電子申請の拡大"), ("最終評価", "◎"),
                 ("指標", "手続数", "基準値", "今年度目標値", "今年度実績値"),
                 ("数値", "", "12件", "150件", "205件"),
                 ("時点", "", "R2.4.1", "R4年度末", "R4年度末"))
    indicators, _ = key_value_to_grids(block, KV_SHAPE, TOTTORI, "r.txt")
    assert shown(indicators) == [
        [("指標", "S!A3"), ("基準値", "S!C3"), ("今年度目標値", "S!D3"), ("今年度実績値", "S!E3")],
        [(None, None), ("2020年度", None), ("R4年度末", "S!D5"), ("R4年度末", "S!E5")],
        [("手続数", "S!B3"), ("12件", "S!C4"), ("150件", "S!D4"), ("205件", "S!E4")],
    ]


@pytest.mark.parametrize(("printed", "year"), [
    ("H22", 2010), ("R3年度末", 2021), ("R4.4.1", 2022), ("R5.3.31", 2022), ("令和4年度末", 2022),
    ("2023年度", 2023), ("H30年度", 2018),
])
def test_a_date_of_a_value_names_its_fiscal_year(printed: str, year: int) -> None:
    assert when_to_year(Cell(text=printed), "r.txt") == year


@pytest.mark.parametrize(("rows", "message"), [
    ((("政策内容", "電子申請"), ("最終評価", "◎"), ("備考", "なし")),
     "r.txt: S!A3, cannot place the key '備考': it names no attachment column and is not one "
     "of shapes.key_value extra."),
    ((("政策内容", "電子申請"), ("最終評価", "◎", "○")),
     "r.txt: S!C2, cannot place the cell '○': the key–value row '最終評価' holds one value."),
    ((("政策内容", "電子申請"), ("", "◎")),
     "r.txt: S!B2, cannot place the cell '◎': a key–value row without its key."),
    ((("政策内容", "電子申請"), ("担当課", "情報政策課")),
     "r.txt: S!A1, the block starting '政策内容' has no status key (最終評価)."),
    ((("政策内容", "電子申請"), ("最終評価", "◎"), ("最終評価", "○")),
     "r.txt: S!A3, the key '最終評価' gives the status column a second time in one block."),
    ((("政策内容", "電子申請"), ("最終評価", "◎"), ("指標", "手続数", "今年度目標値", "今年度目標値"),
      ("数値", "", "150件", "160件"), ("時点", "", "R4.4.1", "R4年度末")),
     "r.txt: S!D5, the indicator '手続数' has two '今年度目標値' values for fiscal year 2022."),
    ((("政策内容", "電子申請"), ("最終評価", "◎"), ("指標", "手続数", "中間値"),
      ("数値", "", "85件"), ("時点", "", "R4年度末")),
     "r.txt: S!C3, the indicator column '中間値' is none of the value columns of "
     "tables.indicators.columns (baseline, previous, actual, target)."),
    ((("政策内容", "電子申請"), ("最終評価", "◎"), ("指標", "手続数", "基準値"),
      ("数値", "", "85件", "90件"), ("時点", "", "H28")),
     "r.txt: S!D4, cannot place the cell '90件': no column word is printed above it."),
    ((("政策内容", "電子申請"), ("最終評価", "◎"), ("指標", "手続数", "基準値"),
      ("数値", "", "85件"), ("時点", "", "いつか")),
     "r.txt: S!C5, the date 'いつか' of an indicator value names no fiscal year."),
])
def test_a_cell_the_block_cannot_place_is_refused_by_name(rows: tuple[tuple[str, ...], ...],
                                                          message: str) -> None:
    with pytest.raises(LayoutError) as error:
        key_value_to_grids(grid(*rows), KV_SHAPE, TOTTORI, "r.txt")
    assert str(error.value) == message


_ONE_INDICATOR = (("政策内容", "電子申請"), ("最終評価", "◎"),
                  ("指標", "手続数", "基準値", "今年度実績値"))
_VALUES = ("数値", "", "12件", "205件")
_DATES = ("時点", "", "H28", "R4年度末")


@pytest.mark.parametrize(("rows", "message"), [
    ((_VALUES, _DATES, ("数値", "", "13件", "206件")),
     "r.txt: S!A6, cannot place the row '数値': the indicator '手続数' has its value row "
     "already (S!A4)."),
    ((_VALUES, _DATES, ("時点", "", "R4.4.1", "R5年度末")),
     "r.txt: S!A6, cannot place the row '時点': the indicator '手続数' has its date row "
     "already (S!A5)."),
    ((_VALUES, ("数値", "", "13件", "206件"), _DATES),
     "r.txt: S!A5, cannot place the row '数値': the indicator '手続数' has its value row "
     "already (S!A4)."),
    ((_VALUES,),
     "r.txt: S!A3, the indicator rows starting '指標' need a name, then a value row and a "
     "date row under its columns."),
    ((_VALUES, ("指標", "窓口数", "基準値", "今年度実績値"), ("数値", "", "0か所", "20か所"),
      ("時点", "", "R2.4.1", "R4年度末")),
     "r.txt: S!A3, the indicator rows starting '指標' need a name, then a value row and a "
     "date row under its columns."),
    ((("数値", "12件", "", "205件"), _DATES),
     "r.txt: S!B4, cannot place the cell '12件': it stands under the indicator's name, not "
     "under a column word."),
    ((_VALUES, ("時点", "H28", "", "R4年度末")),
     "r.txt: S!B5, cannot place the cell 'H28': it stands under the indicator's name, not "
     "under a column word."),
], ids=["a third 数値 row", "a third 時点 row", "a second 数値 row before the 時点 row",
        "no 時点 row", "no 時点 row before the next indicator", "a value under the name",
        "a date under the name"])
def test_every_row_of_an_indicator_is_read_once_or_refused(rows: tuple[tuple[str, ...], ...],
                                                           message: str) -> None:
    with pytest.raises(LayoutError) as error:
        key_value_to_grids(grid(*_ONE_INDICATOR, *rows), KV_SHAPE, TOTTORI, "r.txt")
    assert str(error.value) == message


def test_the_value_and_date_rows_of_an_indicator_are_read_in_either_order() -> None:
    printed, swapped = (key_value_to_grids(grid(*_ONE_INDICATOR, *rows), KV_SHAPE, TOTTORI,
                                           "r.txt")[0] for rows in ((_VALUES, _DATES),
                                                                    (_DATES, _VALUES)))
    assert [[cell.text for cell in row] for row in swapped.rows] == [
        [cell.text for cell in row] for row in printed.rows]
    assert [cell.ref for cell in swapped.rows[2]] == ["S!B3", "S!C5", "S!D5"]


def _tottori_with(tmp_path: Path, rendering: str, at: int, row: list[str] | None) -> Path:
    """The tottori_like fixture, in one rendering, with a row put into its first block's
    table before row index ``at`` (or, with ``row`` None, that row taken out)."""
    import copy

    from make_shape_fixtures import TOTTORI_FRONT, TOTTORI_SHEETS, report_text, report_workbook

    sheets = copy.deepcopy(TOTTORI_SHEETS)
    table = sheets[0][1][1]
    if row is None:
        del table[at]
    else:
        table.insert(at, row)
    path = tmp_path / f"tottori_like_fy2022.{rendering}"
    if rendering == "txt":
        path.write_text(report_text(TOTTORI_FRONT, sheets), encoding="utf-8")
    else:
        report_workbook(TOTTORI_FRONT, sheets).save(path)
    return path


_THIRD_VALUES = ["数値", "", "13件", "86件", "150件", "205件", "400件"]
_SECOND_DATES = ["時点", "", "H29", "R3年度末", "R4年度末", "R4年度末", "R8年度末"]


@pytest.mark.parametrize(("at", "row", "rendering", "message"), [
    (12, _THIRD_VALUES, "txt",
     "tottori_like_fy2022.txt: line 34, cannot place the row '数値': the indicator "
     "'オンライン申請できる手続数' has its value row already (line 32)."),
    (12, _THIRD_VALUES, "xlsx",
     "tottori_like_fy2022.xlsx: 政策1!A15, cannot place the row '数値': the indicator "
     "'オンライン申請できる手続数' has its value row already (政策1!A13)."),
    (11, _SECOND_DATES, "txt",
     "tottori_like_fy2022.txt: line 34, cannot place the row '時点': the indicator "
     "'オンライン申請できる手続数' has its date row already (line 33)."),
    (11, _SECOND_DATES, "xlsx",
     "tottori_like_fy2022.xlsx: 政策1!A15, cannot place the row '時点': the indicator "
     "'オンライン申請できる手続数' has its date row already (政策1!A14)."),
    (11, None, "txt",
     "tottori_like_fy2022.txt: line 31, the indicator rows starting '指標' need a name, then "
     "a value row and a date row under its columns."),
    (11, None, "xlsx",
     "tottori_like_fy2022.xlsx: 政策1!A12, the indicator rows starting '指標' need a name, "
     "then a value row and a date row under its columns."),
], ids=["a third 数値 row, txt", "a third 数値 row, xlsx", "a second 時点 row, txt",
        "a second 時点 row, xlsx", "no 時点 row, txt", "no 時点 row, xlsx"])
def test_a_report_with_an_indicator_row_too_many_or_missing_stops_naming_it(
        tmp_path: Path, at: int, row: list[str] | None, rendering: str, message: str) -> None:
    path = _tottori_with(tmp_path, rendering, at, row)
    with pytest.raises(PipelineError) as error:
        convert(path, profile=TESTS / "profiles" / "tottori_like.toml")
    assert str(error.value) == message


def test_a_key_kept_as_extra_may_not_read_as_a_column() -> None:
    shape = replace(KV_SHAPE, extra=("最終評価",))
    with pytest.raises(LayoutError) as error:
        key_value_to_grids(grid(("政策内容", "電子申請"), ("最終評価", "◎")), shape, TOTTORI, "r.txt")
    assert str(error.value) == ("r.txt: S!A2, the key '最終評価' is one of shapes.key_value extra "
                                "but reads as the status column; keep it in one of the two.")


def test_a_year_grid_gives_the_reports_year_and_keeps_the_other_years() -> None:
    years = grid(("区分", "2022年度", "2023年度", "2024年度"),
                 ("事業目標", "100件", "150件", "200件"),
                 ("実績", "110件", "160件", ""),
                 ("達成度", "2", "1", ""))
    pairs, extra = transposed_to_pairs(years, YEARS_SHAPE, KAWASAKI, "r.txt")
    assert [(h.text, h.ref, v.text, v.ref) for h, v in pairs] == [
        ("2024年度事業目標", None, "200件", "S!D2"),
        ("2023年度実績", None, "160件", "S!C3"),
        ("2023年度達成度", None, "1", "S!C4"),
    ]
    assert [(h.text, h.ref, v.text, v.ref) for h, v in extra] == [
        ("事業目標 2022年度", None, "100件", "S!B2"), ("事業目標 2023年度", None, "150件", "S!C2"),
        ("実績 2022年度", None, "110件", "S!B3"), ("達成度 2022年度", None, "2", "S!B4"),
    ]


@pytest.mark.parametrize(("rows", "message"), [
    ((("区分", "2022年度"), ("予算", "100"), ("達成度", "2")),
     "r.txt: S!A2, cannot place the row '予算': it is none of shapes.transposed rows."),
    ((("区分", "2022年度"), ("達成度", "2", "1")),
     "r.txt: S!C2, cannot place the cell '1': no column word is printed above it."),
    ((("区分", "次年度"), ("達成度", "2")),
     "r.txt: S!B1, the year column '次年度' names no fiscal year."),
    ((("区分", "2022年度"), ("実績", "110件"), ("達成度", "")),
     "r.txt: S!A1, the year grid has no filled status row, so the report's year cannot be told."),
])
def test_a_cell_the_year_grid_cannot_place_is_refused_by_name(
        rows: tuple[tuple[str, ...], ...], message: str) -> None:
    with pytest.raises(LayoutError) as error:
        transposed_to_pairs(grid(*rows), YEARS_SHAPE, KAWASAKI, "r.txt")
    assert str(error.value) == message


def _document(*blocks: Block) -> Document:
    return Document(source="r.txt", input_format="text", blocks=blocks)


def test_the_document_keeps_other_blocks_in_place_and_joins_a_year_grid_to_its_block() -> None:
    heading = Paragraph("73104000 電子申請システム運用事業", line=1, level=2)
    block = grid(("事務事業コード", "73104000"), ("事務事業名", "電子申請システム運用事業"))
    years = grid(("区分", "2023年度"), ("実績", "160件"), ("達成度", "1"))
    counts = grid(("達成度", "事業数"), ("1 目標を大きく上回って達成", "1"))
    reshaped = reshape_document(_document(heading, block, years, counts), KAWASAKI)
    assert [shown(b) if isinstance(b, Grid) else b for b in reshaped.blocks] == [
        heading,
        [[("事務事業コード", "S!A1"), ("事務事業名", "S!A2"), ("2023年度達成度", None),
          ("2023年度実績", None)],
         [("73104000", "S!B1"), ("電子申請システム運用事業", "S!B2"), ("1", "S!B3"),
          ("160件", "S!B2")]],
        shown(counts),
    ]


def test_blocks_printed_in_one_table_are_cut_at_each_starting_key() -> None:
    table = grid(("政策内容", "電子申請"), ("最終評価", "◎"), ("政策内容", "キャッシュレス"),
                 ("最終評価", "○"))
    reshaped = reshape_document(_document(table), TOTTORI)
    assert [shown(b) for b in reshaped.blocks if isinstance(b, Grid)] == [
        [[("政策内容", "S!A1"), ("最終評価", "S!A2")], [("電子申請", "S!B1"), ("◎", "S!B2")]],
        [[("政策内容", "S!A3"), ("最終評価", "S!A4")], [("キャッシュレス", "S!B3"), ("○", "S!B4")]],
    ]


def test_blocks_under_one_goal_line_each_read_their_indicator_under_it() -> None:
    goal = Paragraph("目標1 行政手続のオンライン化", line=1, level=2)
    blocks = [grid(("政策内容", name), ("最終評価", "○"), ("指標", indicator, "今年度実績値"),
                   ("数値", "", "10件"), ("時点", "", "R4年度末"))
              for name, indicator in (("電子申請", "手続数"), ("キャッシュレス", "窓口数"))]
    reshaped = reshape_document(_document(goal, *blocks), TOTTORI)
    assert [b.text if isinstance(b, Paragraph) else b.rows[0][0].text
            for b in reshaped.blocks] == [goal.text, "指標", "政策内容", goal.text, "指標", "政策内容"]
    assert [b for b in reshaped.blocks if isinstance(b, Paragraph)] == [goal, goal]


def test_a_profile_without_shapes_leaves_the_document_as_read() -> None:
    document = _document(grid(("政策内容", "電子申請"), ("最終評価", "◎")))
    assert reshape_document(document, load_profile(TESTS / "profiles" / "kakuu_city.toml")) is document


def _published(path: Path, profile: str) -> dict[str, list[dict[str, object]]]:
    report = convert(path, profile=TESTS / "profiles" / f"{profile}.toml")
    assert report.failures == []
    items = report.tables["items"][ITEM_FIELDS].astype(object)
    indicators = report.tables["indicators"][INDICATOR_FIELDS].astype(object)
    return {"items": json.loads(items.where(items.notna(), None).to_json(orient="records",
                                                                         force_ascii=False)),
            "indicators": json.loads(indicators.to_json(orient="records", force_ascii=False))}


@pytest.mark.parametrize("rendering", ["txt", "xlsx"])
@pytest.mark.parametrize(("name", "profile"), [
    ("tottori_like_fy2022", "tottori_like"), ("kawasaki_like_fy2023", "kawasaki_like"),
    ("kawasaki_like_fy2024", "kawasaki_like"),
])
def test_each_shape_fixture_converts_to_its_expected_tables(name: str, profile: str,
                                                            rendering: str) -> None:
    expected = json.loads((FIXTURES / f"{name}_expected.json").read_text(encoding="utf-8"))
    assert _published(FIXTURES / f"{name}.{rendering}", profile) == expected


def test_the_xlsx_rendering_points_each_value_to_its_sheet_cell() -> None:
    report = convert(FIXTURES / "kawasaki_like_fy2023.xlsx",
                     profile=TESTS / "profiles" / "kawasaki_like.toml")
    items = report.tables["items"]
    assert list(items["source_ref"]) == ["73104000!B6", "73105000!B6", "73201000!B6"]  # 事務事業名
    assert list(report.tables["indicators"]["source_ref"]) == [
        "73104000!C9", "73104000!D9", "73105000!C9", "73105000!D9", "73201000!C9", "73201000!D9"]


def test_two_years_of_the_kawasaki_like_report_diff_by_status() -> None:
    profile = TESTS / "profiles" / "kawasaki_like.toml"
    old = convert(FIXTURES / "kawasaki_like_fy2023.txt", profile=profile)
    new = convert(FIXTURES / "kawasaki_like_fy2024.txt", profile=profile)
    changes = diff(old, new).tables["item_changes"]
    status = changes[changes["field"] == "status"]
    assert status[["measure_id", "old", "new", "direction"]].values.tolist() == [
        ["7-31-④", "1", "2", "worsened"], ["7-31-⑤", "2", "4", "worsened"],
        ["7-32-①", "3", "2", "improved"]]


def test_the_fixtures_are_what_the_generator_writes(tmp_path: Path) -> None:
    from make_shape_fixtures import main

    main(tmp_path)
    for written in sorted(tmp_path.glob("*.txt")):
        assert written.read_text(encoding="utf-8") == (FIXTURES / written.name).read_text(
            encoding="utf-8")
    for written in sorted(tmp_path.glob("*.xlsx")):
        assert _sheet_values(written) == _sheet_values(FIXTURES / written.name)


def _sheet_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('years = "header"', 'years = "first_column"',
     "shapes.transposed[1].years: 'first_column' is not header"),
    ('rows = { result = ["実績"], status = ["達成度"], plan_next = ["事業目標"] }',
     'rows = { result = ["実績"] }', "shapes.transposed[1].rows.status: required, but missing"),
    ('starts = ["事務事業コード"]\n', "", "shapes.key_value[1].starts: required, but missing"),
    ('when = ["時点"]', 'when = ["時点"]\nyear = ["年度"]',
     "shapes.key_value[1].indicator.year: unknown key (known here: starts, value, when)"),
    ('[tables.indicators.columns]\nindicator = ["成果指標"]\nactual = ["実績値"]\n'
     'target = ["目標値"]\n', "",
     "shapes.key_value[1].indicator: its column words are read by role, so "
     "[tables.indicators.columns] is required, but missing"),
])
def test_a_shapes_mistake_is_named_by_the_profile_check(old: str, new: str, problem: str) -> None:
    text = (TESTS / "profiles" / "kawasaki_like.toml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ProfileError) as error:
        parse_profile(text.replace(old, new), "k.toml")
    assert str(error.value) == f"k.toml: 1 problem(s) in the profile:\n  {problem}"


def test_the_cli_converts_a_key_value_report_and_refuses_a_key_it_cannot_place(tmp_path: Path
                                                                               ) -> None:
    profile = str(TESTS / "profiles" / "tottori_like.toml")
    fixture = FIXTURES / "tottori_like_fy2022.txt"
    result = CliRunner().invoke(main, ["run", str(fixture), "--profile", profile,
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "tottori_like_fy2022" / "items.csv").exists()
    changed = tmp_path / "tottori_like_fy2022.txt"
    changed.write_text(fixture.read_text(encoding="utf-8").replace("主要事業\t", "重点事業\t", 1),
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(changed), "--profile", profile,
                                       "--out", str(tmp_path / "bad")])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "Error: tottori_like_fy2022.txt: line 26, cannot place the key '重点事業': it names no "
        "attachment column and is not one of shapes.key_value extra.")
    assert not (tmp_path / "bad" / "tottori_like_fy2022").exists()


@pytest.mark.parametrize(("cut", "message"), [
    (grid(("達成度の評価", "9")),
     "r.txt: S!A1, the row '達成度の評価' reads as a row of the key–value block above (starting "
     "'政策内容') but stands apart from it (a blank line or page break inside the block?); join "
     "it to the block."),
    (grid(("担当課", "情報政策課"), ("中間評価", "○")),
     "r.txt: S!A1, the row '担当課' reads as a row of the key–value block above (starting "
     "'政策内容') but stands apart from it (a blank line or page break inside the block?); join "
     "it to the block."),
    (grid(("時点", "", "R4年度末")),
     "r.txt: S!A1, the row '時点' reads as a row of the key–value block above (starting "
     "'政策内容') but stands apart from it (a blank line or page break inside the block?); join "
     "it to the block."),
])
def test_rows_cut_off_a_key_value_block_are_refused_not_read_as_text(cut: Grid, message: str
                                                                     ) -> None:
    block = grid(("政策内容", "電子申請"), ("最終評価", "◎"))
    with pytest.raises(LayoutError) as error:
        reshape_document(_document(block, cut), TOTTORI)
    assert str(error.value) == message


def test_a_table_of_its_own_after_a_block_is_left_to_the_stages() -> None:
    block = grid(("政策内容", "電子申請"), ("最終評価", "◎"))
    counts = grid(("進捗評価", "件数"), ("◎ 予定以上", "1"))
    reshaped = reshape_document(_document(block, counts), TOTTORI)
    assert reshaped.blocks[-1] is counts


def test_a_blank_line_inside_a_block_without_indicators_stops_the_run_naming_the_row(
        tmp_path: Path) -> None:
    printed = (FIXTURES / "tottori_like_fy2022.txt").read_text(encoding="utf-8")
    block = "最終評価\t◎\n達成度の評価\t9\n"
    indicator = printed[printed.index("指標\tオンライン申請"):printed.index("\n\n## 1-1-2")]
    assert block in printed
    path = tmp_path / "tottori_like_fy2022.txt"
    path.write_text(printed.replace(block + indicator, "最終評価\t◎\n\n達成度の評価\t9"),
                    encoding="utf-8")
    with pytest.raises(PipelineError) as error:
        convert(path, profile=TESTS / "profiles" / "tottori_like.toml")
    assert str(error.value) == (
        "tottori_like_fy2022.txt: line 31, the row '達成度の評価' reads as a row of the key–value "
        "block above (starting '政策内容') but stands apart from it (a blank line or page break "
        "inside the block?); join it to the block.")


def _tottori_without_measure_names(tmp_path: Path, names_required: bool) -> tuple[Path, Path]:
    """The 鳥取-like report with no 施策 (measure name) row in its first block, and its
    profile, saying or not that a measure may be printed by its id alone."""
    text = (FIXTURES / "tottori_like_fy2022.txt").read_text(encoding="utf-8")
    assert "施策\t行政手続のオンライン化\n" in text
    report = tmp_path / "tottori_like_fy2022.txt"
    report.write_text(text.replace("施策\t行政手続のオンライン化\n", "", 1), encoding="utf-8")
    profile_text = (TESTS / "profiles" / "tottori_like.toml").read_text(encoding="utf-8")
    if not names_required:
        profile_text = profile_text.replace('identify = ["business", "status"]\n',
                                            'identify = ["business", "status"]\n'
                                            "measure_name_required = false\n")
    profile = tmp_path / "tottori.toml"
    profile.write_text(profile_text, encoding="utf-8")
    return report, profile


def test_a_block_whose_measure_has_an_id_but_no_name_key_reads_a_null_name(tmp_path: Path
                                                                           ) -> None:
    report, profile = _tottori_without_measure_names(tmp_path, names_required=False)
    items = convert(report, profile=profile).tables["items"]
    expected = [row["measure_name"] for row in json.loads(
        (FIXTURES / "tottori_like_fy2022_expected.json").read_text(encoding="utf-8"))["items"]]
    assert items["measure_name"].astype(object).where(items["measure_name"].notna(), None
                                                      ).tolist() == [None, *expected[1:]]
    assert items["measure_id"].tolist()[0] == "1-1-①"


def test_a_block_whose_measure_name_is_required_but_missing_names_its_id_cell(tmp_path: Path
                                                                             ) -> None:
    report, profile = _tottori_without_measure_names(tmp_path, names_required=True)
    with pytest.raises(PipelineError) as refused:
        convert(report, profile=profile)
    assert [(f.code, f.line, f.row, f.column, f.value) for f in refused.value.failures] == [
        ("measure_name_missing", 23, 1, "measure_name", "1-1-1")]


# --- choosing a [shapes] profile by itself ---------------------------------------------

def _candidates(*extra):
    from pipeline.profiles import builtin_profile

    return (builtin_profile(), TOTTORI, KAWASAKI, *extra)


@pytest.mark.parametrize("rendering", ["txt", "xlsx"])
@pytest.mark.parametrize(("name", "chosen"), [
    ("tottori_like_fy2022", "tottori_like"), ("kawasaki_like_fy2023", "kawasaki_like"),
    ("kawasaki_like_fy2024", "kawasaki_like"),
])
def test_a_shaped_report_chooses_its_shaped_profile_among_others(name: str, chosen: str,
                                                                 rendering: str) -> None:
    from pipeline.read import read_document
    from pipeline.tidy.choose import choose_profile

    document = read_document(FIXTURES / f"{name}.{rendering}")
    assert choose_profile(document, _candidates()).name == chosen
    assert choose_profile(document, tuple(reversed(_candidates()))).name == chosen


def test_a_list_report_still_chooses_its_list_profile_among_shaped_ones() -> None:
    from pipeline.read import read_document
    from pipeline.tidy.choose import choose_profile

    assert choose_profile(read_document(FIXTURES / "nakano_fy2023.txt"), _candidates()
                          ).name == "nakano"


def test_a_report_no_profile_fits_names_each_profile_and_its_shape() -> None:
    from pipeline.read import read_document
    from pipeline.tidy.choose import choose_profile

    with pytest.raises(LayoutError) as refused:
        choose_profile(read_document(FIXTURES / "trial_minamiyama_town_fy2024.txt"), _candidates())
    assert str(refused.value) == (
        "trial_minamiyama_town_fy2024.txt: no layout profile fits; is this a "
        "progress report? Tried nakano (no attachment header naming 事業内容/事業名/取組内容 and "
        "進捗状況/進捗/進捗度); tottori_like (no attachment header naming 政策内容 and 最終評価, "
        "nor a key–value block starting 政策内容 with keys naming them); kawasaki_like (no "
        "attachment header naming 事務事業名 and {year}達成度, nor a key–value block starting "
        "事務事業コード with keys naming them). For another layout, write a profile and pass it "
        "with --profile (see `pipeline profile show`).")


def test_two_shaped_profiles_that_both_fit_are_named() -> None:
    from pipeline.read import read_document
    from pipeline.tidy.choose import choose_profile

    twin = parse_profile(TOTTORI.text.replace('name = "tottori_like"', 'name = "tottori_twin"'),
                         "twin")
    with pytest.raises(LayoutError) as refused:
        choose_profile(read_document(FIXTURES / "tottori_like_fy2022.txt"), _candidates(twin))
    assert str(refused.value).endswith(
        ": several profiles fit equally (tottori_like, tottori_twin: each claims 7 table(s), "
        "attachment (3), indicators (3), status counts); choose one with --profile.")


# --- keys valid alone that no stage can honour together --------------------------------

def _kawasaki_without_blocks() -> tuple[str, str]:
    text = (TESTS / "profiles" / "kawasaki_like.toml").read_text(encoding="utf-8")
    return text[text.index("[[shapes.key_value]]"):text.index("[[shapes.transposed]]")], ""


@pytest.mark.parametrize(("profile", "old", "new", "problem"), [
    ("tottori_like", "header_rows = 2", "header_rows = 1",
     "tables.indicators.header_rows: 1, but shapes.key_value[1].indicator makes each indicator "
     "a table of two header rows (its column words, then the years of its dates); say 2, or "
     "leave it out"),
    ("kakuu_city", 'identify = ["成果指標"]\n', 'identify = ["成果指標"]\nheader_rows = 1\n',
     "tables.indicators.header_rows: 1 is read only where the indicator columns are named by "
     "role ([tables.indicators.columns]); without them a table of the actual/target words of "
     "[front] always has its row of years"),
    ("tottori_like", 'baseline = ["基準値"]\n', 'baseline = ["基準値"]\nevaluation = ["達成度の評価"]\n',
     "tables.indicators.columns.evaluation: an indicator's evaluation is read on the "
     "indicators' own scale, but the profile has no [indicator_grades]"),
    ("kawasaki_like", *_kawasaki_without_blocks(),
     "shapes.transposed: a year grid is read as part of the key–value block before it, but "
     "the profile has no [[shapes.key_value]]"),
    ("kawasaki_like", 'rows = { result = ["実績"],', 'rows = { change_reason = ["理由"], result = ["実績"],',
     "shapes.transposed[1].rows.change_reason: the row's cell is read under the column's first "
     "word, but tables.items.columns.change_reason has none"),
    ("kawasaki_like", 'result = ["{year}実績"]', 'result = ["実績", "{year}実績"]',
     "shapes.transposed[1].rows.result: the row's cell is read under "
     "tables.items.columns.result's first word with the year for {year}, but '実績' holds no "
     "{year}"),
])
def test_keys_no_stage_can_honour_together_are_refused_naming_the_key(profile: str, old: str,
                                                                    new: str, problem: str
                                                                    ) -> None:
    text = (TESTS / "profiles" / f"{profile}.toml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ProfileError) as error:
        parse_profile(text.replace(old, new, 1), "p.toml")
    assert str(error.value) == f"p.toml: 1 problem(s) in the profile:\n  {problem}"


@pytest.mark.parametrize("profile", ["tottori_like", "kawasaki_like", "gunma_like", "ind_shapes",
                                     "item_shapes", "kakuu_city", "trial_minamiyama"])
def test_every_test_profile_passes_the_combination_checks(profile: str) -> None:
    assert load_profile(TESTS / "profiles" / f"{profile}.toml").name == profile


# --- a block's id and name in one row (番号 | 1-1-1 | name) ----------------------------

ID_AND_NAME = 'measure_name = ["施策", "番号"]'


def _tottori_ids_beside_names(tmp_path: Path, text_changes: list[tuple[str, str]],
                              names_required: bool = True) -> tuple[Path, Path]:
    text = (FIXTURES / "tottori_like_fy2022.txt").read_text(encoding="utf-8")
    for old, new in text_changes:
        assert old in text
        text = text.replace(old, new)
    report = tmp_path / "tottori_like_fy2022.txt"
    report.write_text(text, encoding="utf-8")
    profile_text = (TESTS / "profiles" / "tottori_like.toml").read_text(encoding="utf-8")
    profile_text = profile_text.replace('measure_name = ["施策"]', ID_AND_NAME)
    if not names_required:
        profile_text = profile_text.replace('identify = ["business", "status"]\n',
                                            'identify = ["business", "status"]\n'
                                            "measure_name_required = false\n")
    profile = tmp_path / "tottori.toml"
    profile.write_text(profile_text, encoding="utf-8")
    return report, profile


def _names(report) -> list[str | None]:
    names = report.tables["items"]["measure_name"].astype(object)
    return names.where(names.notna(), None).tolist()


def test_a_measure_key_the_profile_names_as_a_name_key_reads_the_name_in_the_next_cell(
        tmp_path: Path) -> None:
    report, profile = _tottori_ids_beside_names(tmp_path, [
        ("番号\t1-1-1\n施策\t行政手続のオンライン化\n", "番号\t1-1-1\t行政手続のオンライン化\n"),
        ("番号\t2-1-1\n施策\tデジタル人材の育成\n", "番号\t2-1-1\tデジタル人材の育成\n")])
    converted = convert(report, profile=profile)
    expected = json.loads((FIXTURES / "tottori_like_fy2022_expected.json").read_text(
        encoding="utf-8"))["items"]
    assert _names(converted) == [row["measure_name"] for row in expected]
    assert converted.tables["items"]["measure_id"].tolist() == [row["measure_id"] for row in expected]


def test_such_a_key_with_its_id_alone_has_no_name_where_the_profile_allows(tmp_path: Path
                                                                         ) -> None:
    report, profile = _tottori_ids_beside_names(
        tmp_path, [("番号\t1-1-1\n施策\t行政手続のオンライン化\n", "番号\t1-1-1\n")],
        names_required=False)
    assert _names(convert(report, profile=profile))[0] is None


def test_a_name_beside_the_id_and_a_name_key_too_are_refused_naming_the_second(tmp_path: Path
                                                                             ) -> None:
    report, profile = _tottori_ids_beside_names(tmp_path, [
        ("番号\t1-1-1\n施策\t行政手続のオンライン化\n", "施策\t行政手続のオンライン化\n番号\t1-1-1\t行政手続\n")])
    with pytest.raises(PipelineError) as refused:
        convert(report, profile=profile)
    assert str(refused.value) == ("tottori_like_fy2022.txt: line 24, the name '行政手続' beside "
                                  "the id gives the measure_name column a second time in one "
                                  "block.")
