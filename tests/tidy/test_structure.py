"""Recognising the report's tables and placing each attachment cell, on real rows."""

import pytest

from conftest import NAKANO
from pipeline.errors import LayoutError
from pipeline.read.text import text_to_document
from pipeline.tidy.repair import repair_document
from pipeline.tidy.structure import classify_grid, document_to_report

HEADER = "実施内容\t\t事業内容\t進捗状況\tスケジュールの変更理由\t取組結果 (令和5年度)\t令和6年度取組予定\t令和7年度以降取組予定\t所管課"


def items_of(text: str):
    return document_to_report(text_to_document(text, "r.txt"), profile=NAKANO).items


def placed(item) -> list:
    cells = (item.measure_id, item.measure_name, item.business, item.status, item.change_reason,
             item.result, item.plan_next, item.plan_later, item.departments)
    return [(cell.text or "") for cell in cells]


def test_continuation_rows_carry_the_merged_measure_down():
    text = (HEADER + "\n"
            "1-1-③\tペーパーレスの推進と押印の見直し\tペーパーレスの推進\t○\t\t各所管において紙の電子化を行い…\t(継続)\t(継続)\t新区役所整備課\n"
            "\t\t押印等の見直し\t○\t\t各所管で手続を見直し、廃止を進めた。\t(継続)\t(継続)\t新区役所整備課\n")
    first, second = items_of(text)
    assert placed(second) == ["1-1-③", "ペーパーレスの推進と押印の見直し", "押印等の見直し", "○", "",
                              "各所管で手続を見直し、廃止を進めた。", "(継続)", "(継続)", "新区役所整備課"]
    assert second.measure_id.line == 2  # provenance of the carried cell: where it was printed


def test_a_measure_repeated_on_the_next_page_is_one_measure():
    page = "2-1-②\tAI・RPAの利用促進\t{}\t○\t\t結果\t(継続)\t(継続)\t税務課\n"
    other_header = "実施内容\t事業内容\t進捗状況\tスケジュールの変更理由\t取組結果 (令和5年度)\t令和6年度取組予定\t令和7年度以降の取組予定\t所管課\t"
    text = HEADER + "\n" + page.format("生成AIの活用") + "\n" + other_header + "\n" + page.format("多言語AI通訳システムの充実")
    items = items_of(text)
    assert [placed(i)[:3] for i in items] == [["2-1-②", "AI・RPAの利用促進", "生成AIの活用"],
                                             ["2-1-②", "AI・RPAの利用促進", "多言語AI通訳システムの充実"]]
    assert items[0].measure_id is items[1].measure_id


# The 2-3-① page of the seed: a 10-column header, a row with its departments one cell
# to the right, and a row that lost its two leading empty cells.
SHIFTED_PAGE = (
    HEADER + "\t\n"
    "2-3-①\t情報システムの標準化・共通化(クラウドサービス)\t住民基本台帳業務の標準仕様と現行システム及び事務や関連システム等の対応度調査\t○\t\tベンダとフィット&ギャップを実施した。\t—\t—\t戸籍住民課\t\n"
    "\t\t(2-2-⑤再掲)(国)共通化(クラウドサービス)「ガバメントクラウド」の提供\t\t\t\t\t\t\t\n"
    "\t\t住民基本台帳業務の標準化・共通化への移行\t○\t\t移行スケジュールを策定し、予算要求を行った。\t構築作業を開始するとともに条例等の改正を行う。\t標準準拠システムへの移行\t\t戸籍住民課\n"
    "1期の標準化・共通化への移行\t○\t\t移行スケジュールを策定し、予算要求を行った。\t構築作業を開始するとともに条例等の改正を行う。\t標準準拠システムへの移行\t\t税務課 介護保険課 福祉推進課 障害福祉課 学務課\t\t\n"
)


def test_a_measure_name_cut_by_a_page_break_is_joined_on_every_row():
    """LibreOffice draws a merged name cell on both pages and clips it: page 2's first row
    shows only the rest of the name, with no id."""
    row = "{}\t{}\t{}\t○\t\t結果\t(推進)\t(推進)\tデジタル政策課\n"
    text = (HEADER + "\n" + row.format("2-4-②", "システムや機器、運用管理について統合等の",
                                      "調達ガイドラインの運用(PDCAサイクル)")
            + "\n" + HEADER + "\n" + row.format("", "見直し", "調達ガイドラインの改定(評価方法の見直し)"))
    items = items_of(text)
    assert [(i.measure_id.text, i.measure_name.text) for i in items] == [
        ("2-4-②", "システムや機器、運用管理について統合等の\n見直し")] * 2


def test_a_name_without_id_below_the_first_row_of_a_page_is_an_error():
    row = "{}\t{}\t{}\t○\t\t結果\t(推進)\t(推進)\tデジタル政策課\n"
    text = HEADER + "\n" + row.format("2-4-②", "統合等の見直し", "A") + row.format("", "別の名前", "B")
    with pytest.raises(LayoutError) as error:
        items_of(text)
    assert str(error.value) == ("r.txt: line 3, cannot place the cell '別の名前': a measure name "
                                "without a measure id.")


def test_shifted_and_short_rows_are_aligned_by_their_status_mark():
    items = items_of(SHIFTED_PAGE)
    assert [placed(i)[2:] for i in items] == [
        ["住民基本台帳業務の標準仕様と現行システム及び事務や関連システム等の対応度調査", "○", "",
         "ベンダとフィット&ギャップを実施した。", "—", "—", "戸籍住民課"],
        ["(2-2-⑤再掲)(国)共通化(クラウドサービス)「ガバメントクラウド」の提供", "", "", "", "", "", ""],
        ["住民基本台帳業務の標準化・共通化への移行", "○", "", "移行スケジュールを策定し、予算要求を行った。",
         "構築作業を開始するとともに条例等の改正を行う。", "標準準拠システムへの移行", "戸籍住民課"],
        ["1期の標準化・共通化への移行", "○", "", "移行スケジュールを策定し、予算要求を行った。",
         "構築作業を開始するとともに条例等の改正を行う。", "標準準拠システムへの移行",
         "税務課 介護保険課 福祉推進課 障害福祉課 学務課"],
    ]
    assert {placed(i)[0] for i in items} == {"2-3-①"}


def test_a_cell_that_fits_no_column_is_named():
    text = HEADER + "\n1-1-①\t名\t事業\t○\t理由\t結果\t予定\t以降\t余分\t戸籍住民課\n"
    with pytest.raises(LayoutError) as error:
        items_of(text)
    assert str(error.value) == ("r.txt: line 2, cannot place the cell '余分': the row has more "
                                "filled cells than the attachment has columns.")


def test_a_first_row_without_measure_is_an_error():
    with pytest.raises(LayoutError) as error:
        items_of(HEADER + "\n\t\t押印等の見直し\t○\t\t結果\t(継続)\t(継続)\t課\n")
    assert str(error.value) == "r.txt: line 2, the first attachment row has no measure id (実施内容)."


def test_a_one_row_box_is_read_as_its_line_of_text():
    text = "目標 1\tICTを活用した行政サービスの提供\n\n指標項目\t実績\n\t令和4年度\nA\t1件\n\n" + HEADER + "\n"
    text += "1-1-①\t名\t事業\t○\t\t結果\t(推進)\t(推進)\t課\n"
    report = document_to_report(text_to_document(text, "r.txt"), NAKANO)
    assert report.indicator_tables[0].goal.text == "目標 1\tICTを活用した行政サービスの提供"  # its cells apart as printed


def test_an_unknown_table_is_named():
    with pytest.raises(LayoutError) as error:
        items_of("氏名\t住所\n山田\t中野\n\n" + HEADER + "\n")
    assert str(error.value) == (
        "r.txt: line 1, a table starting '氏名' is none of the report's tables; the profile "
        "looks for status counts (進捗状況の区分/進捗区分/区分/取組の数/件数/事業数), indicators "
        "(指標項目), attachment (事業内容/事業名/取組内容 and 進捗状況/進捗/進捗度).")


def test_a_text_without_attachment_is_not_a_report():
    with pytest.raises(LayoutError) as error:
        items_of("今日は晴れ。\n")
    assert str(error.value) == ("r.txt: no attachment table (事業内容/進捗状況 header) was found; "
                                "is this a progress report?")


@pytest.mark.parametrize(("header", "kind"), [
    (HEADER, "items"),
    ("実 施 内 容\t事 業 内 容\t進 捗 状 況", "items"),  # a spaced-out damaged text layer
    ("実施内容\t事業内容\t進捗状\n況", "items"),  # a PDF header cell wrapped mid-word
    ("指標項目\t実績\t\t目標\t", "indicators"),
    ("進捗状況の区分\t取組の数", "status_summary"),
    ("氏名\t住所", "unrecognised"),
])
def test_tables_are_recognised_by_their_header_words(header, kind):
    grid = text_to_document(header.replace("\n", "\\n") + "\n", "r.txt").blocks[0]
    grid = type(grid)(rows=(tuple(type(c)(text=c.text.replace("\\n", "\n")) for c in grid.rows[0]),))
    assert classify_grid(grid, profile=NAKANO) == kind



def test_every_attachment_cell_of_the_seed_is_placed_exactly_once(seed_text):
    """Each filled cell is a header, one field of one item, or a measure id/name that a
    page repeats for a measure it continues (then stitched to the first one)."""
    document = repair_document(text_to_document(seed_text, "nakano_fy2023.txt"))
    report = document_to_report(document, profile=NAKANO)
    own_fields = ("business", "status", "change_reason", "result", "plan_next", "plan_later",
                  "departments")
    placed = [id(getattr(item, name)) for item in report.items for name in own_fields]
    measures = {id(cell): cell for item in report.items for cell in (item.measure_id, item.measure_name)}
    placed += list(measures)
    assert len(placed) == len(set(placed))  # nothing is used twice
    repeated, unplaced = [], []
    for grid in document.blocks:
        if not hasattr(grid, "rows") or classify_grid(grid, profile=NAKANO) != "items":
            continue
        for row in grid.rows[1:]:
            for cell in row:
                if cell.is_blank or id(cell) in set(placed):
                    continue
                stitched = any(cell.text == m.text for m in measures.values())
                (repeated if stitched else unplaced).append((cell.line, cell.text))
    assert unplaced == []
    assert repeated == [(139, "2-1-②"), (139, "AI・RPAの利用促進"),
                        (187, "2-3-①"), (187, "情報システムの標準化・共通化(クラウドサービス)")]


def test_a_report_without_a_reason_column_places_cells_by_its_header():
    header = "実施内容\t\t事業内容\t進捗状況\t取組結果 (令和6年度)\t令和7年度の取組予定\t令和8年度以降の取組予定\t所管課"
    text = header + "\n1-1-①\tマイナンバーカードの普及促進\tコンビニ交付サービスの利用促進\t△\t利用促進を図った。\t(推進)\t(推進)\t戸籍住民課\n"
    (item,) = items_of(text)
    assert placed(item)[3:] == ["△", "", "利用促進を図った。", "(推進)", "(推進)", "戸籍住民課"]


def test_the_cells_under_a_blank_header_cell_are_not_the_next_column_s():
    """xlsx swap_cells seed 345 of bench/fuzz_long.py: 別紙!E9 (スケジュールの変更理由)
    swapped with an empty cell; a row's result was squeezed into the blank column's place
    and read as plan_next."""
    header = HEADER.replace("スケジュールの変更理由", "")
    (item,) = items_of(header + "\n1-1-①\t名\t事業\t○\t\t利用方針を決定した。\t\t(継続)\t課\n")
    assert placed(item)[3:] == ["○", "", "利用方針を決定した。", "", "(継続)", "課"]


def test_a_filled_cell_under_a_blank_header_cell_is_refused():
    header = HEADER.replace("スケジュールの変更理由", "")
    with pytest.raises(LayoutError) as error:
        items_of(header + "\n1-1-①\t名\t事業\t△\t遅れた\t結果\t予定\t以降\t課\n")
    assert str(error.value) == ("r.txt: line 2, cannot place the cell '遅れた': the attachment "
                                "header's cell for its column is blank.")


def test_a_header_column_of_unknown_meaning_is_kept_as_an_extra_column():
    header = "実施内容\t\t事業内容\t進捗状況\t評価\t取組結果 (令和5年度)\t所管課"
    (item,) = items_of(header + "\n1-1-①\t名\t事業\t○\tA\t結果\t課\n")
    assert [(label, cell.text) for label, cell in item.extra] == [("評価", "A")]
    assert placed(item)[3:] == ["○", "", "結果", "", "", "課"]
