"""Write the acceptance-trial fixture of issue 17, text and .xlsx, from one content source.

    python tests/make_trial_fixtures.py

trial_minamiyama_town_fy2024: a made-up 町's DX推進計画 progress report, of a layout no
other fixture models: a grade-count table, the legend printed as a table (評価 / 評価の基準),
two-level ids 施策N-N, a business row whose result wraps onto a second line, a business
tagged as the prefecture's (県) where the others are the town's own, a yearless 今後の方向性
column and a 参考 table of costs that is no part of the progress list. Its profile
(tests/profiles/trial_minamiyama.toml) was written from the docs and the CLI's messages
alone (tests/tidy/test_profile_trial.py, against tests/fixtures/trial_minamiyama_town_fy2024_expected.json).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from make_shape_fixtures import blocks_text, write_blocks

FIXTURES = Path(__file__).parent / "fixtures"
FIXED_TIME = datetime(2024, 4, 1)
Table = list[list[str]]
Block = str | Table  # a line of text ("#" starts a heading), or a table

TRIAL: list[Block] = [
    "# 南山町DX推進計画の進捗状況について",
    "令和6年度の事業について、達成率により評価を行ったので報告する。",
    "## 1. 評価の状況",
    [["評価区分", "事業数"], ["A 目標を達成", "2"], ["B 概ね達成", "2"], ["C 一部未達成", "1"],
     ["D 未達成", "1"]],
    "## 2. 評価区分",
    [["評価", "評価の基準"], ["A", "目標を達成(達成率100%以上)"], ["B", "概ね達成(達成率80%以上)"],
     ["C", "一部未達成(達成率50%以上)"], ["D", "未達成(達成率50%未満)"]],
    "## 3. 事業の進捗",
    [["施策", "", "事業名", "担当課", "評価", "令和6年度の取組実績", "今後の方向性"],
     ["施策1-1", "行政手続のデジタル化", "窓口手続のオンライン化", "住民課", "A",
      "転入・転出など20手続をオンライン化した。", "拡充"],
     ["施策1-2", "行政手続のデジタル化", "町税のキャッシュレス納付", "税務課、会計室", "B",
      "スマートフォン決済アプリによる納付を開始し、", "継続"],
     ["", "", "", "", "", "利用は全体の12%となった。", ""],  # the result wrapped onto a line
     ["施策2-1", "暮らしのデジタル化", "公共施設予約システムの導入", "生涯学習課", "C",
      "仕様を決定したが、事業者の選定が遅れた。", "見直し"],
     ["施策2-2", "暮らしのデジタル化", "高齢者向けスマホ教室", "福祉課", "D",
      "講師の確保ができず2回の開催にとどまった。", "見直し"],
     ["施策3-1", "行政運営の効率化", "議会資料のペーパーレス化", "議会事務局", "A",
      "全議員にタブレット端末を配布した。", "継続"],
     ["施策3-2", "行政運営の効率化", "(県)GIS(地図情報)の公開", "建設課", "B",
      "防災マップを町ホームページで公開した。", "拡充"]],
    "## 参考 事業費",
    [["区分", "令和6年度決算額(千円)"], ["施策1", "12,400"], ["施策2", "3,100"], ["施策3", "8,250"]],
]
REPORTS: dict[str, list[Block]] = {"trial_minamiyama_town_fy2024": TRIAL}


def report_workbook(blocks: list[Block]) -> Workbook:
    """The workbook rendering: one sheet, a row per line of text, every table cell ruled."""
    book = Workbook()
    book.active.title = "進捗状況"
    write_blocks(book.active, blocks)
    return book


def main(folder: Path = FIXTURES) -> None:
    for name, blocks in REPORTS.items():
        (folder / f"{name}.txt").write_text(blocks_text(blocks), encoding="utf-8")
        book = report_workbook(blocks)
        book.properties.created = book.properties.modified = FIXED_TIME  # reproducible files
        book.save(folder / f"{name}.xlsx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES)
