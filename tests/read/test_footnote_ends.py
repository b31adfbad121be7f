"""Where a footnote (※N) ends (issue 21, bench/fuzz_long.py's text delete_line seed 78):
with the section heading after the notes deleted, the last note ran on through the
legend's heading and its entries, so the legend's cells were read twice, once as the
note's text. The legend's heading ends a note like a heading or a table does."""

import pytest
from conftest import NAKANO, SEED

from pipeline.read.text import text_to_document
from pipeline.records import Document, Paragraph
from pipeline.tidy.frames import document_to_frames
from pipeline.tidy.structure import paragraphs_to_footnotes

SEED_TEXT = SEED.read_text(encoding="utf-8")


def test_a_note_run_on_by_a_deleted_heading_stops_at_the_legend():
    assert SEED_TEXT.count("### 3 今後の予定\n") == 1
    damaged = SEED_TEXT.replace("### 3 今後の予定\n", "")
    clean_frames, clean_facts, _ = document_to_frames(text_to_document(SEED_TEXT, "r.txt"), "r",
                                                      profile=NAKANO)
    frames, facts, warnings = document_to_frames(text_to_document(damaged, "r.txt"), "r",
                                                 profile=NAKANO)
    notes = dict(zip(frames["footnotes"]["ref"], frames["footnotes"]["text"]))
    # what the document now prints under ※3 up to the legend: the section's paragraph
    # and the attachment's title; the legend is the legend's alone
    assert notes["※3"] == ("令和3年度以降の累計第2次計画策定以来の社会状況の変化やデジタル技術の"
                           "進展、国・都の動向等を踏まえ令和7年度に計画の改定を行う。"
                           "第2次中野区地域情報化推進計画改定版進捗状況一覧")
    assert facts["legend"] == clean_facts["legend"]
    assert len(facts["legend"]) == 4
    assert {ref: text for ref, text in notes.items() if ref != "※3"} == {
        ref: text for ref, text in zip(clean_frames["footnotes"]["ref"],
                                       clean_frames["footnotes"]["text"]) if ref != "※3"}
    assert warnings == []


@pytest.mark.parametrize(("after", "continues"), [
    ("【進捗状況の凡例】", False),
    ("【 凡 例 】", False),  # spaced out: headings are matched without spaces
    ("【進捗状況凡例】", False),  # without の, which the profile ignores
    ("3 今後の予定", False),
    ("※4 別の注", False),
    ("◎・・・予定を上回る", True),  # an entry without its heading is the note's text
    ("なお、累計は年度末の値", True),
])
def test_a_note_ends_at_the_legend_heading_as_at_a_section(after, continues):
    document = Document("r.txt", "text", (Paragraph("※3 累計", line=1), Paragraph(after, line=3)))
    notes = paragraphs_to_footnotes(document, NAKANO)
    assert [p.text for p in notes[0].paragraphs] == ["※3 累計", after][:2 if continues else 1]
