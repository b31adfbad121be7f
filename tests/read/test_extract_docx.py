"""The Word reader: body paragraphs and tables in order, spans and vertical merges as
None, cell paragraphs joined by line breaks, deleted and hidden text left out."""

from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.errors import InputError
from pipeline.read.docx import docx_to_document
from pipeline.records import Grid, Paragraph
from conftest import TESTS

PARTS = TESTS / "fixtures" / "nakano_fy2023_parts"


def _vmerge(cell, restart: bool) -> None:
    merge = OxmlElement("w:vMerge")
    if restart:
        merge.set(qn("w:val"), "restart")
    cell._tc.get_or_add_tcPr().append(merge)


def test_spans_and_vertical_merges_read_as_none(tmp_path):
    document = docx.Document()
    document.add_paragraph("別紙")
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "実施内容"
    table.cell(0, 2).text = "事業内容"
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table.cell(1, 0).text = "1-1-①"
    table.cell(1, 1).text = "名前"
    for row in (1, 2, 3):
        _vmerge(table.cell(row, 0), restart=row == 1)
    table.cell(2, 1).text = "二行目"
    cell = table.cell(3, 2)
    cell.text = "デジタル政策課"
    cell.add_paragraph("子育て支援課")
    table.cell(1, 2).text = "事業A"
    table.cell(2, 2).text = "事業B"
    document.add_paragraph("")  # an empty paragraph is no block
    document.add_paragraph("※1 注記")
    document.save(tmp_path / "memo.docx")

    read = docx_to_document(tmp_path / "memo.docx")
    first, grid, note = read.blocks
    assert first == Paragraph("別紙", ref="paragraph 1")
    assert note == Paragraph("※1 注記", ref="paragraph 3")
    assert isinstance(grid, Grid) and grid.ref == "table 1"
    assert [[c.text for c in row] for row in grid.rows] == [
        ["実施内容", None, "事業内容"],
        ["1-1-①", "名前", "事業A"],
        [None, "二行目", "事業B"],
        [None, "", "デジタル政策課\n子育て支援課"],  # "": an empty cell; None: merged
    ]
    assert grid.rows[2][1].ref == "table 1 row 3 column 2"


def test_deleted_and_hidden_text_is_left_out_and_breaks_kept(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("予定")
    paragraph._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a">'
                                  '<w:r><w:delText>削除</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vanish/></w:rPr>'
                                  '<w:t>隠し</w:t></w:r>'))
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:br/><w:t>どおり</w:t>'
                                  '<w:tab/><w:t>取り組んだ</w:t></w:r>'))
    document.save(tmp_path / "memo.docx")
    assert docx_to_document(tmp_path / "memo.docx").blocks == (
        Paragraph("予定\nどおり 取り組んだ", ref="paragraph 1"),)


def test_paragraphs_in_a_content_control_are_read_in_place(tmp_path):
    document = docx.Document()
    document.add_paragraph("前")
    body = document.element.body
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>中</w:t></w:r></w:p>'
                    '</w:sdtContent></w:sdt>')
    body.insert(1, sdt)
    document.save(tmp_path / "memo.docx")
    assert [b.text for b in docx_to_document(tmp_path / "memo.docx").blocks] == ["前", "中"]


def test_the_sample_memo_reads_its_tables_with_merged_headers():
    document = docx_to_document(PARTS / "nakano_fy2023_memo.docx")
    grids = [b for b in document.blocks if isinstance(b, Grid)]
    assert [(g.ref, len(g.rows), len(g.rows[0])) for g in grids] == [
        ("table 1", 5, 2), ("table 2", 7, 5), ("table 3", 7, 5)]
    assert [c.text for c in grids[1].rows[0]] == ["指標項目", "実績", None, "目標", None]
    assert [c.text for c in grids[1].rows[1]] == [None, "令和4年度", "令和5年度", "令和5年度",
                                                  "令和7年度"]
    first = document.blocks[0]
    assert isinstance(first, Paragraph) and first.text == "令和6年(2024年)9月9日"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty.docx: the file is damaged or truncated; it is not a readable Word document (.docx)."),
    (b"PK\x05\x06" + b"\x00" * 18, "empty.docx: the part [Content_Types].xml is missing, "
                                   "and the file cannot be read without it."),
])
def test_a_file_that_is_no_word_document_gets_one_sentence(tmp_path, content, message):
    (tmp_path / "empty.docx").write_bytes(content)
    with pytest.raises(InputError) as raised:
        docx_to_document(tmp_path / "empty.docx")
    assert str(raised.value) == message
