"""Write the key–value and transposed-layout fixtures, text and .xlsx, from one content source.

    python tests/make_shape_fixtures.py

tottori_like_fy2022 (鳥取県's 工程表: one key–value block per 政策内容 under a 目標 heading)
(the second block stands under the first one's 目標 line, with a heading of its own)
and kawasaki_like_fy2023 / _fy2024 (川崎市's 評価票: one sheet per 事務事業, the fiscal years
as columns). The text puts each item's blocks under a heading line, tables as
tab-separated rows; the workbook has a front sheet and one sheet per item, every table
cell ruled. Both renderings print the same cells, so both convert to the same tables
(tests/tidy/test_reshape.py, against tests/fixtures/*_expected.json).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Border, Side
from openpyxl.worksheet.worksheet import Worksheet

FIXTURES = Path(__file__).parent / "fixtures"
FIXED_TIME = datetime(2024, 4, 1)
Table = list[list[str]]
Block = str | Table  # a line of text ("## " starts a heading), or a table
Sheet = tuple[str, list[Block]]  # sheet name, its blocks

TOTTORI_FRONT: list[Block] = [
    "# 鳥取県型デジタル化推進工程表(令和4年度)の評価について",
    "令和4年度の工程表の取組について、中間評価(9月末時点)と最終評価(年度末時点)を行った。",
    "## 1. 進捗評価の状況",
    [["進捗評価", "件数"], ["◎ 予定以上", "1"], ["○ 予定どおり", "1"], ["△ やや遅れ", "1"]],
    "【進捗評価の区分】",
    "◎:予定以上",
    "○:予定どおり",
    "△:やや遅れ",
]
_INDICATOR_HEAD = ["指標", "", "基準値", "年度当初値", "今年度目標値", "今年度実績値", "長期的目標値"]
TOTTORI_SHEETS: list[Sheet] = [
    ("政策1", ["## 目標1 行政手続のオンライン化", [
        ["政策内容", "電子申請の対象手続の拡大"],
        ["番号", "1-1-1"],
        ["施策", "行政手続のオンライン化"],
        ["担当課", "デジタル改革推進課、行政改革推進課"],
        ["主要事業", "電子申請システムの運用"],
        ["令和4年度の取組実績", "令和4年10月に市町村と共同で120手続をオンライン化した。"],
        ["中間評価", "○"],
        ["最終評価", "◎"],
        ["達成度の評価", "9"],
        ["指標", "オンライン申請できる手続数", *_INDICATOR_HEAD[2:]],
        ["数値", "", "12件", "85件", "150件", "205件", "400件"],
        ["時点", "", "H28", "R3年度末", "R4年度末", "R4年度末", "R8年度末"],
    ]]),
    ("政策2", ["## 1-1-2 窓口キャッシュレス決済の導入", [  # under 政策1's 目標1 line
        ["政策内容", "窓口キャッシュレス決済の導入"],
        ["番号", "1-1-2"],
        ["施策", "行政手続のオンライン化"],
        ["担当課", "会計指導課"],
        ["主要事業", "キャッシュレス決済端末の設置"],
        ["令和4年度の取組実績", "本庁舎と総合事務所の窓口に決済端末を設置した。"],
        ["中間評価", "△"],
        ["最終評価", "○"],
        ["達成度の評価", "8"],
        ["指標", "キャッシュレス決済ができる窓口数", "基準値", "", "今年度目標値", "今年度実績値",
         "長期的目標値"],
        ["数値", "", "0か所", "", "20か所", "20か所", "60か所"],
        ["時点", "", "R2.4.1", "", "R4年度末", "R4年度末", "R7年度末"],
    ]]),
    ("政策3", ["## 目標2 デジタル人材の育成", [
        ["政策内容", "職員向けデジタル研修の実施"],
        ["番号", "2-1-1"],
        ["施策", "デジタル人材の育成"],
        ["担当課", "人材育成課"],
        ["主要事業", "デジタル研修"],
        ["令和4年度の取組実績", "講師の確保が遅れ、研修は2回にとどまった。"],
        ["中間評価", "○"],
        ["最終評価", "△"],
        ["達成度の評価", "6"],
        ["指標", "研修の受講者数", "基準値", "年度当初値", "今年度目標値", "今年度実績値",
         "長期的目標値"],
        ["数値", "", "50人", "180人", "300人", "240人", "1,000人"],
        ["時点", "", "H30年度", "R3年度末", "R4年度末", "R4年度末", "R8年度末"],
    ]]),
]


def kawasaki_front(year: int) -> list[Block]:
    return [
        f"# 川崎型市デジタル化施策 進行管理・評価票({year}年度)について",
        f"{year}年度の事務事業について、達成度を評価した。",
        "## 1. 達成度の状況",
        [["達成度", "事業数"], ["1 目標を大きく上回って達成", "1"], ["2 目標を達成", "1"],
         ["3 目標を一定程度達成", "1"], ["4 目標を下回った", "0"], ["5 取組が進まなかった", "0"]]
        if year == 2023 else
        [["達成度", "事業数"], ["1 目標を大きく上回って達成", "0"], ["2 目標を達成", "2"],
         ["3 目標を一定程度達成", "0"], ["4 目標を下回った", "1"], ["5 取組が進まなかった", "0"]],
        "【達成度の区分】",
        "1:目標を大きく上回って達成",
        "2:目標を達成",
        "3:目標を一定程度達成",
        "4:目標を下回った",
        "5:取組が進まなかった",
    ]


# Per 事務事業: code, 施策名, name, 担当, and per fiscal year (事業目標, 実績, 達成度).
KAWASAKI_BUSINESSES = [
    ("73104000", "電子行政の推進", "電子申請システム運用事業", "デジタル化施策推進室", {
        2022: ("オンライン手続を100件に拡大", "110件をオンライン化", "2"),
        2023: ("オンライン手続を150件に拡大", "160件をオンライン化", "1"),
        2024: ("オンライン手続を200件に拡大", "190件をオンライン化", "2"),
        2025: ("オンライン手続を250件に拡大", "", ""),
    }),
    ("73105000", "電子行政の推進", "窓口キャッシュレス化推進事業", "区政推進課", {
        2022: ("区役所5か所に導入", "区役所3か所に導入", "3"),
        2023: ("区役所7か所に導入", "区役所7か所に導入", "2"),
        2024: ("支所を含む全窓口に導入", "支所の導入が翌年度に延期", "4"),
        2025: ("支所を含む全窓口に導入", "", ""),
    }),
    ("73201000", "情報システムの最適化", "行政情報システム標準化事業", "情報管理課", {
        2022: ("標準仕様との差異の確認", "2022年12月までに20業務の差異を確認", "2"),
        2023: ("移行計画の策定", "2023年9月に移行計画を策定し、事業者を選定", "3"),
        2024: ("10業務の移行", "2025年1月までに10業務を移行", "2"),
        2025: ("全業務の移行", "", ""),
    }),
]


POLICIES = {"7": "基本政策7 市民生活を支える行政サービスの向上"}
# Per 事務事業: its 成果指標, unit, and per fiscal year (目標値, 実績値).
INDICATORS = {
    "73104000": ("オンライン化した手続数", "件", {2023: ("150", "160"), 2024: ("200", "190")}),
    "73105000": ("キャッシュレス決済ができる窓口数", "か所", {2023: ("7", "7"), 2024: ("12", "7")}),
    "73201000": ("標準化システムに移行した業務数", "業務", {2023: ("0", "0"), 2024: ("10", "10")}),
}


def kawasaki_sheets(year: int) -> list[Sheet]:
    sheets: list[Sheet] = []
    for code, policy, name, department, by_year in KAWASAKI_BUSINESSES:
        years = [year - 1, year, year + 1]
        grid = [["区分", *(f"{y}年度" for y in years)]]
        for index, key in enumerate(("事業目標", "実績", "達成度")):
            grid.append([key, *(by_year[y][index] if y <= year or index == 0 else ""
                                for y in years)])
        indicator, unit, figures = INDICATORS[code]
        target, actual = figures[year]
        sheets.append((code, [f"## {code} {name}", POLICIES[code[0]],
                              [["事務事業コード", code], ["施策名", policy],
                               ["事務事業名", name], ["担当", department],
                               ["成果指標", indicator, "目標値", "実績値"],
                               ["数値", "", f"{target}{unit}", f"{actual}{unit}"],
                               ["時点", "", f"{year}年度", f"{year}年度"]],
                              grid]))
    return sheets


REPORTS: dict[str, tuple[list[Block], list[Sheet]]] = {
    "tottori_like_fy2022": (TOTTORI_FRONT, TOTTORI_SHEETS),
    "kawasaki_like_fy2023": (kawasaki_front(2023), kawasaki_sheets(2023)),
    "kawasaki_like_fy2024": (kawasaki_front(2024), kawasaki_sheets(2024)),
}


def blocks_text(blocks: list[Block]) -> str:
    """The text rendering: each block on its own, a blank line between blocks."""
    return "\n\n".join(block if isinstance(block, str) else
                       "\n".join("\t".join(row) for row in block) for block in blocks) + "\n"


def write_blocks(sheet: Worksheet, blocks: list[Block]) -> None:
    """A sheet of blocks: a row per line of text (a heading takes two), every table cell
    ruled, a blank row after each table."""
    ruled = Border(*(Side(style="thin"),) * 4)
    row = 1
    for block in blocks:
        if isinstance(block, str):
            sheet.cell(row=row, column=1, value=block.lstrip("# "))
            row += 2 if block.startswith("#") else 1
            continue
        for cells in block:
            for column, text in enumerate(cells, start=1):
                sheet.cell(row=row, column=column, value=text or None).border = ruled
            row += 1
        row += 1


def report_text(front: list[Block], sheets: list[Sheet]) -> str:
    """The text rendering of a front part and its item sheets, in order."""
    return blocks_text(front + [block for _, sheet in sheets for block in sheet])


def report_workbook(front: list[Block], sheets: list[Sheet]) -> Workbook:
    """The workbook rendering: a front sheet, then one sheet per item, tables ruled."""
    book = Workbook()
    book.remove(book.active)
    for title, blocks in [("表紙", front), *sheets]:
        write_blocks(book.create_sheet(title), blocks)
    return book


def main(folder: Path = FIXTURES) -> None:
    for name, (front, sheets) in REPORTS.items():
        (folder / f"{name}.txt").write_text(report_text(front, sheets), encoding="utf-8")
        book = report_workbook(front, sheets)
        book.properties.created = book.properties.modified = FIXED_TIME  # reproducible files
        book.save(folder / f"{name}.xlsx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES)
