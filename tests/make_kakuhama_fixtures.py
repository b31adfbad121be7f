"""Write the blind-trial fixtures of issue 17 (session 29), text and .xlsx, from one source.

    python tests/make_kakuhama_fixtures.py

kakuhama_city_fy2023 and _fy2024: a made-up 市's DX推進計画 "KPI及びその進捗状況", laid out
as 浜松市's web page copied to Markdown — a shape no other fixture models: one block per
目標 under headings (取組項目N › 目標N_… › 主な取組 › 実績 › 進捗 › 担当課), the text under a heading being
its value; a KPI table (a Markdown pipe table) inside each block with its year in every
value header and a 達成率 column; grades A–D where D is 評価できない (not a rank), defined
by thresholds (110%超 / 95%以上110%以下 / 95%未満); a count table 件数 / 割合 with a 合計
row; a (再掲) block repeating another 取組項目's 目標. Its profile
(tests/profiles/kakuhama_city.toml) was written from the docs and the CLI's messages alone.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from make_shape_fixtures import write_blocks

FIXTURES = Path(__file__).parent / "fixtures"
FIXED_TIME = datetime(2025, 4, 1)
Table = list[list[str]]
Block = str | Table  # a line of text ("#" starts a heading), or a table


def _goal(no: int, name: str, business: str, kpi: str, values: tuple[str, str, str],
          share: str, result: str, grade: str, departments: str, year: str,
          relisted: bool = False) -> list[Block]:
    """One 目標 block: its heading, 主な取組, the KPI table, then 実績 / 進捗 / 担当課."""
    baseline, target, actual = values
    return [f"### 目標{no}_{name}" + ("(再掲)" if relisted else ""),
            "#### 主な取組", business,
            [["KPI", "基準値(令和4年度)", f"目標値({year})", f"実績値({year})", "達成率"],
             [kpi, baseline, target, actual, share]],
            "#### 実績", result,
            "#### 進捗", grade,
            "#### 担当課", departments]


def report(year: str, grades: dict[str, str], actuals: dict[str, tuple[str, str]],
           results: dict[str, str], counts: list[str]) -> list[Block]:
    """One year's report; ``grades``, ``actuals`` (target, actual, share) and ``results`` by 目標
    key ("1-1" …), ``counts`` the 件数 / 割合 cells of A, B, C, D and 合計."""
    def goal(key: str, no: int, name: str, business: str, kpi: str, baseline: str,
             departments: str, relisted: bool = False) -> list[Block]:
        source = "1-1" if relisted else key
        target, actual, share = actuals[source]
        return _goal(no, name, business, kpi, (baseline, target, actual), share,
                     results[source], grades[source], departments, year, relisted)

    a, b, c, d, total = counts
    return [
        "# 架空浜市DX推進計画 KPI及びその進捗状況",
        f"{year}末時点のKPIの進捗状況を取りまとめました。",
        "## 進捗の状況",
        [["進捗", "件数", "割合"], ["A 目標より進んでいる", *a.split("/")],
         ["B 目標どおり", *b.split("/")], ["C 遅れている", *c.split("/")],
         ["D 評価できない", *d.split("/")], ["合計", *total.split("/")]],
        "【進捗の区分】",
        "A：目標より進んでいる(達成率110%超)",
        "B：目標どおり(達成率95%以上110%以下)",
        "C：遅れている(達成率95%未満)",
        "D：評価できない(実績値の公表前等)",
        "## 取組項目1 行政手続のオンライン化",
        *goal("1-1", 1, "オンラインで申請できる手続を増やす", "電子申請システムの対象手続の拡大",
              "オンライン申請できる手続数", "120手続", "デジタル推進課"),
        *goal("1-2", 2, "窓口の待ち時間を短くする", "窓口予約システムの導入",
              "窓口の平均待ち時間", "25分", "市民課、区政推進課"),
        "## 取組項目2 暮らしのデジタル化",
        *goal("2-1", 1, "公共施設をオンラインで予約できるようにする",
              "施設予約システムの対象施設の拡大", "オンライン予約できる施設の割合", "30%",
              "資産経営課"),
        *goal("2-2", 2, "マイナンバーカードの利用を広げる", "マイナンバーカードの利活用の推進",
              "マイナンバーカードで受けられるサービス数", "5サービス", "デジタル推進課"),
        # 取組項目1's 目標1 printed again under 取組項目2, marked (再掲) and naming no id
        *goal("2-3", 3, "オンラインで申請できる手続を増やす", "電子申請システムの対象手続の拡大",
              "オンライン申請できる手続数", "120手続", "デジタル推進課", relisted=True),
        "## 取組項目3 デジタル人材の育成",
        *goal("3-1", 1, "デジタル研修の受講者を増やす", "職員向けデジタル研修の実施",
              "研修を受講した職員数", "100人", "人事課"),
        *goal("3-2", 2, "データを活用できる職員を育てる", "データ分析研修の実施",
              "データ分析研修の修了者数", "20人", "人事課、デジタル推進課"),
    ]


REPORTS: dict[str, list[Block]] = {
    "kakuhama_city_fy2023": report(
        "令和5年度",
        grades={"1-1": "B", "1-2": "C", "2-1": "C", "2-2": "B", "3-1": "A", "3-2": "D"},
        actuals={"1-1": ("210手続", "210手続", "100.0%"), "1-2": ("20分", "22分", "90.9%"),
                 "2-1": ("60%", "45%", "75.0%"), "2-2": ("8サービス", "8サービス", "100.0%"),
                 "3-1": ("200人", "260人", "130.0%"), "3-2": ("40人", "—", "—")},
        results={"1-1": "転入・転出など90手続をオンライン化した。",
                 "1-2": "発券機を更新したが、待ち時間は短くならなかった。",
                 "2-1": "体育館とテニスコートの予約をオンライン化した。",
                 "2-2": "図書館カードとの一体化を始めた。",
                 "3-1": "全職員向けのeラーニングを始めた。",
                 "3-2": "研修の内容を検討した。"},
        counts=["1/16.7%", "2/33.3%", "2/33.3%", "1/16.7%", "6/100.0%"]),
    "kakuhama_city_fy2024": report(
        "令和6年度",
        grades={"1-1": "A", "1-2": "B", "2-1": "C", "2-2": "B", "3-1": "D", "3-2": "A"},
        actuals={"1-1": ("300手続", "350手続", "116.7%"), "1-2": ("17分", "16分", "106.3%"),
                 "2-1": ("80%", "60%", "75.0%"), "2-2": ("12サービス", "12サービス", "100.0%"),
                 "3-1": ("300人", "—", "—"), "3-2": ("60人", "70人", "116.7%")},
        results={"1-1": "子育て・介護の手続を中心に130手続をオンライン化した。",
                 "1-2": "窓口の予約制を始め、平均待ち時間が6分短くなった。",
                 "2-1": "公民館の予約をオンライン化したが、学校施設は調整が遅れている。",
                 "2-2": "証明書のコンビニ交付の対象を広げた。",
                 "3-1": "受講者数は令和7年6月に集計して公表する。",
                 "3-2": "データ分析研修を3回開いた。"},
        counts=["2/33.3%", "2/33.3%", "1/16.7%", "1/16.7%", "6/100.0%"]),
}


def blocks_markdown(blocks: list[Block]) -> str:
    """The text rendering, as a web page copied to Markdown: headings and lines as they
    are, each table as a pipe table with its header rule, a blank line between blocks."""
    def pipe(row: list[str]) -> str:
        return "| " + " | ".join(row) + " |"

    return "\n\n".join(block if isinstance(block, str) else "\n".join(
        [pipe(block[0]), pipe(["---"] * len(block[0])), *map(pipe, block[1:])])
        for block in blocks) + "\n"


def report_workbook(blocks: list[Block]) -> Workbook:
    """The workbook rendering: one sheet, a row per line of text, every table cell ruled."""
    book = Workbook()
    book.active.title = "KPI"
    write_blocks(book.active, blocks)
    return book


def main(folder: Path = FIXTURES) -> None:
    for name, blocks in REPORTS.items():
        (folder / f"{name}.md").write_text(blocks_markdown(blocks), encoding="utf-8")
        book = report_workbook(blocks)
        book.properties.created = book.properties.modified = FIXED_TIME  # reproducible files
        book.save(folder / f"{name}.xlsx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES)
