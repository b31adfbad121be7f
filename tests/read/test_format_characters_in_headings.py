"""A format character (category Cf: BOM, zero-width space, soft hyphen, direction marks)
before or among a Markdown heading's # marks (issue 21). It prints nothing, so the line
is still a heading; fuzzing found the heading read as text, and the footnote above it
taking in the heading and the whole section under it with no word."""

import pandas as pd
import pytest
from conftest import NAKANO, SEED

from pipeline.read.text import text_to_document
from pipeline.records import Paragraph
from pipeline.tidy.frames import document_to_frames

SEED_TEXT = SEED.read_text(encoding="utf-8")
HEADING = "### 3 今後の予定"


@pytest.fixture(scope="module")
def clean():
    return document_to_frames(text_to_document(SEED_TEXT, "r.txt"), "r", NAKANO)[0]


@pytest.mark.parametrize("character", ["\ufeff", "\u200b", "\u00ad", "\u200e", "\u2060"])
@pytest.mark.parametrize("printed", ["{}### 3 今後の予定", "#{}## 3 今後の予定",
                                     "###{} 3 今後の予定", "### {}3 今後の予定"])
def test_a_heading_with_a_format_character_is_still_a_heading(clean, character, printed):
    assert SEED_TEXT.count(HEADING) == 1
    text = SEED_TEXT.replace(HEADING, printed.format(character))
    document = text_to_document(text, "r.txt")
    line = SEED_TEXT[:SEED_TEXT.index(HEADING)].count("\n") + 1
    assert [block for block in document.blocks if block.line == line] == [
        Paragraph(text="3 今後の予定", line=line, level=3)]
    tables, _, warnings = document_to_frames(document, "r", NAKANO)
    pd.testing.assert_frame_equal(tables["footnotes"], clean["footnotes"])
    assert warnings == []
