"""Write the changed-layout fixtures from tests/fixtures/nakano_fy2024_synthetic.txt.

    python tests/make_layout_fixtures.py

Each is the same FY2024 report retyped the way a next year's report drifts: the
attachment's columns reordered (所管課 third, 変更理由 after the result) and renamed
with the profile's synonyms (a different one on each page, some spaced out or in
full-width characters), the count table's header and the legend reworded, and the
departments separated by 、. Two more drop a column: 変更理由, and 令和N年度以降.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.profiles import builtin_profile
from pipeline.read.text import text_to_document
from pipeline.normalize.text import split_departments
from pipeline.tidy.repair import repair_document
from pipeline.tidy.structure import document_to_report

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE = FIXTURES / "nakano_fy2024_synthetic.txt"
# The new column order; None is the measure name's header cell (merged with 実施内容).
ORDER = ("measure", None, "business", "departments", "status", "result", "change_reason",
         "plan_next", "plan_later")
SYNONYMS = {
    "measure": ["実施内容"],
    "business": ["事業名", "取組内容", "事業内容", "事 業 名"],
    "departments": ["担当課", "所管部署", "担当部署", "所管課"],
    "status": ["進捗", "進捗度", "進 捗 度", "進捗状況"],
    "result": ["令和6年度の取組実績", "取組実績（令和６年度）", "令和6年度実績", "取組結果 (令和6年度)"],
    "change_reason": ["変更理由", "遅延理由", "スケジュールの変更理由"],
    "plan_next": ["令和7年度の取組予定", "今後の予定 (令和7年度)", "令和7年度の予定", "令和７年度取組予定"],
    "plan_later": ["今後の予定 (令和8年度以降)", "令和8年度以降の予定", "令和8年度以降取組予定"],
}
FRONT = {
    "進捗状況の区分\t取組の数": "進捗区分\t件数",
    "【進捗状況の凡例】": "【凡例】",
    "◎・・・目標を大きく上回る、スケジュールを前倒しするなど、予定を上回る取組となった":
        "◎・・・予定を上回る取組となった",
    "○・・・予定どおり取り組んだ": "○・・・予定どおり実施",
    "△・・・予定よりも遅れて取り組んだ": "△・・・予定より遅れて実施",
}
VARIANTS = {
    "nakano_fy2024_reordered.txt": (),
    "nakano_fy2024_no_reason.txt": ("change_reason",),
    "nakano_fy2024_no_later.txt": ("plan_later",),
}


def retype(text: str, dropped: tuple[str, ...]) -> str:
    report = document_to_report(repair_document(text_to_document(text, SOURCE.name)), profile=builtin_profile())
    by_line = {item.business.line: item for item in report.items}
    columns = [c for c in ORDER if c not in dropped]
    lines, page = [], -1
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped in FRONT:
            lines.append(line.replace(stripped, FRONT[stripped]))
        elif line.startswith("実施内容\t"):
            page += 1
            lines.append("\t".join("" if c is None else SYNONYMS[c][page % len(SYNONYMS[c])]
                                   for c in columns))
        elif number in by_line:
            lines.append("\t".join(_cell(by_line[number], c, number) for c in columns))
        else:
            lines.append(line)
    return "\n".join(lines)


def _cell(item, column: str | None, line: int) -> str:
    if column in ("measure", None):
        cell = item.measure_id if column == "measure" else item.measure_name
        return _printed(cell) if cell.line == line else ""
    cell = getattr(item, column)
    if column == "departments":
        return "、".join(split_departments(cell.text, profile=builtin_profile()))
    return _printed(cell)


def _printed(cell) -> str:
    return (cell.printed or cell.text or "").strip()


def main() -> None:
    text = SOURCE.read_text(encoding="utf-8")
    for name, dropped in VARIANTS.items():
        (FIXTURES / name).write_text(retype(text, dropped), encoding="utf-8")


if __name__ == "__main__":
    main()
