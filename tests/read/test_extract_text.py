"""The text reader: encodings, tab and pipe tables, headings, bad input."""

import pytest

from pipeline.errors import InputError
from pipeline.read.text import decode_report_bytes, text_to_document
from pipeline.records import Grid, Paragraph

SAMPLE = "## 第 2 次中野区地域情報化推進計画改定版の進捗状況等について\n\n進捗状況の区分\t取組の数\n○ 予定どおり取り組んだ\t105\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "shift_jis", "utf-16"])
def test_decodes_each_encoding_reports_come_in(encoding):
    assert decode_report_bytes(SAMPLE.encode(encoding), "r.txt") == SAMPLE


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "r.txt: the file is empty."),
    (b"  \n\n", "r.txt: the file is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "r.txt: this is a binary file, not a text report."),
    ("中野区".encode("euc_jp") + b"\xff\xfe\xfd",
     "r.txt: the text is neither UTF-8 nor Shift_JIS (cp932); save it in one of those encodings."),
    (b"\xef\xbb\xbf\xff\xfe", "r.txt: the file starts with a UTF-8 byte-order mark but is not valid UTF-8."),
])
def test_bad_bytes_get_one_sentence(raw, message):
    with pytest.raises(InputError) as error:
        decode_report_bytes(raw, "r.txt")
    assert str(error.value) == message


def test_tab_rows_form_grids_and_other_lines_paragraphs():
    document = text_to_document(SAMPLE, "r.txt")
    heading, grid = document.blocks
    assert heading == Paragraph(text="第 2 次中野区地域情報化推進計画改定版の進捗状況等について",
                                line=1, level=2)
    assert isinstance(grid, Grid) and grid.line == 3
    assert [[cell.text for cell in row] for row in grid.rows] == [
        ["進捗状況の区分", "取組の数"], ["○ 予定どおり取り組んだ", "105"]]
    assert [cell.line for cell in grid.rows[1]] == [4, 4]


def test_blank_line_separates_two_tables():
    document = text_to_document("a\tb\n\nc\td\n", "r.txt")
    assert [len(block.rows) for block in document.blocks] == [1, 1]


def test_markdown_pipe_tables_read_like_tab_rows():
    markdown = ("| 実施内容 | | 事業内容 |\n|---|---|---|\n"
                "| 1-1-① | マイナンバーカードの普及促進 | コンビニ交付サービスの利用促進 |\n"
                "| | | 押印等の見直し \\| 再 |\n")
    (grid,) = text_to_document(markdown, "r.md", "markdown").blocks
    assert [[cell.text for cell in row] for row in grid.rows] == [
        ["実施内容", "", "事業内容"],
        ["1-1-①", "マイナンバーカードの普及促進", "コンビニ交付サービスの利用促進"],
        ["", "", "押印等の見直し | 再"],
    ]


def test_seed_has_the_tables_it_prints(seed_text):
    document = text_to_document(seed_text, "nakano_fy2023.txt")
    grids = [block for block in document.blocks if isinstance(block, Grid)]
    # status counts, two indicator tables, 16 attachment pages
    assert len(grids) == 19
    assert sum(len(grid.rows) for grid in grids[3:]) == 113 + 16
