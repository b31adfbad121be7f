"""Damaged text reports (issue 21): each case once ran to exit 0 with a value lost or
wrong. Now a report either converts to exactly the clean tables or is refused with one
sentence naming the line."""

import pandas as pd
import pytest
from conftest import SEED

from pipeline.errors import InputError, LayoutError, PipelineError
from pipeline.extract.text import decode_report_bytes, report_lines, text_to_document
from pipeline.run import document_to_frames

SEED_TEXT = SEED.read_text(encoding="utf-8")
# What str.splitlines splits at beyond \n, \r\n and \r: none of them ends a line.
OTHER_SEPARATORS = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def frames_of(text: str, name: str = "r.txt"):
    frames, _, warnings = document_to_frames(text_to_document(text, name), "r")
    return frames, warnings


def replaced(old: str, new: str) -> str:
    assert SEED_TEXT.count(old) == 1, old
    return SEED_TEXT.replace(old, new)


@pytest.fixture(scope="module")
def clean():
    return frames_of(SEED_TEXT)[0]


def assert_same_tables(frames, clean):
    assert sorted(frames) == sorted(clean)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, clean[name], obj=name)


@pytest.mark.parametrize("separator", OTHER_SEPARATORS)
@pytest.mark.parametrize(("old", "new"), [
    # pdftotext starts each page with a form feed: here before a heading after the tables
    ("\n### 3 今後の予定", "\n{}### 3 今後の予定"),
    ("\nICT資格の「ITパスポート試験」取得者数", "\n{}ICT資格の「ITパスポート試験」取得者数"),
    # inside the last indicator's name (the case that lost it and its 4 values)
    ("ICT資格の「ITパスポート試験」", "ICT資格の{}「ITパスポート試験」"),
    ("\t\tコンビニ交付サービスの利用促進", "\t\tコンビニ交付{}サービスの利用促進"),
])
def test_other_separators_neither_end_a_line_nor_change_a_value(clean, separator, old, new):
    frames, warnings = frames_of(replaced(old, new.format(separator)))
    assert_same_tables(frames, clean)
    assert warnings == []


@pytest.mark.parametrize(("text", "lines"), [
    ("a\tb\nc\n", ["a\tb", "c"]),
    ("a\r\nb\rc", ["a", "b", "c"]),
    ("a\n\nb\n", ["a", "", "b"]),
    ("\fpage 2\n", ["\npage 2"]),
    ("x\u2028y\x85z\vw\x1cv\n", ["x\ny\nz\nw\nv"]),
])
def test_report_lines_end_only_at_line_ends(text, lines):
    assert report_lines(text) == lines


@pytest.mark.parametrize(("raw", "message"), [
    # a byte that is not UTF-8 on line 3: form feeds and U+2028 do not count as lines
    ("中\f野\n区\u2028".encode() + b"\n\xff",
     "r.txt: the text is UTF-8 up to byte 15 (line 3), where a byte that is not UTF-8 "
     "follows (ff); the file is damaged there."),
    ("中\r野\r\n区".encode() + b"\n\xff",
     "r.txt: the text is UTF-8 up to byte 13 (line 4), where a byte that is not UTF-8 "
     "follows (ff); the file is damaged there."),
])
def test_decode_errors_count_lines_as_the_reader_does(raw, message):
    with pytest.raises(InputError) as error:
        decode_report_bytes(raw, "r.txt")
    assert str(error.value) == message
