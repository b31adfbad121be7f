"""A wrap inside a line of the front part (issue 21): a line separator in a text report,
a line break in a cell or paragraph. The line joins as a wrap, as a cell's lines do, and
reads exactly as the clean report; fuzzing found the legend changed without a word."""

import pandas as pd
import pytest
from conftest import NAKANO, SEED

from pipeline.read.text import text_to_document
from pipeline.tidy.frames import document_to_frames
from pipeline.tidy.legend_table import legend_lines

SEED_TEXT = SEED.read_text(encoding="utf-8")
# Every separator the text reader keeps inside its line as a wrap (pipeline/read/text.py).
SEPARATORS = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
LEGEND = [
    {"mark": "◎", "meaning": "目標を大きく上回る、スケジュールを前倒しするなど、予定を上回る取組となった",
     "grade": "◎", "status": "exceeded"},
    {"mark": "○", "meaning": "予定どおり取り組んだ", "grade": "○", "status": "on_schedule"},
    {"mark": "△", "meaning": "予定よりも遅れて取り組んだ", "grade": "△", "status": "delayed"},
    {"mark": "×", "meaning": "未着手", "grade": "×", "status": "not_started"},
]


def converted(text: str):
    return document_to_frames(text_to_document(text, "r.txt"), "r", NAKANO)


def replaced(old: str, new: str) -> str:
    assert SEED_TEXT.count(old) == 1, old
    return SEED_TEXT.replace(old, new)


def test_the_seed_prints_the_legend_as_expected():
    assert converted(SEED_TEXT)[1]["legend"] == LEGEND


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize(("old", "new"), [
    ("×・・・未着手", "×・・・未{}着手"),  # fuzz_long seed 8: the meaning was cut to '未'
    ("【進捗状況の凡例】", "【{}進捗状況の凡例】"),  # seed 1095: the heading, and so the legend, lost
    ("【進捗状況の凡例】", "【進捗状況の凡例】{}"),
    ("◎・・・目標を大きく上回る、", "◎・・・目標を大きく{}上回る、"),
    ("○・・・予定どおり", "○・{}・・予定どおり"),  # inside the dots between mark and meaning
    ("△・・・予定", "{}△・・・予定"),  # at the line's start, where pdftotext puts a form feed
])
def test_a_separator_inside_a_legend_line_joins_as_a_wrap(separator, old, new):
    tables, facts, warnings = converted(replaced(old, new.format(separator)))
    assert facts["legend"] == LEGEND
    assert warnings == []


def test_a_legend_printed_as_one_paragraph_keeps_an_entry_a_line():
    lines = SEED_TEXT.split("\n")
    start = next(no for no, line in enumerate(lines) if "【進捗状況の凡例】" in line)
    legend = "\n".join(lines[start:start + 5])
    assert legend.rstrip().endswith("×・・・未着手")
    assert converted(replaced(legend, legend.replace("\n", "\v")))[1]["legend"] == LEGEND


@pytest.mark.parametrize(("text", "lines"), [
    ("×・・・未\n着手", ["×・・・未着手"]),
    ("【\n凡例】\n◎・・・目標\n○・・・予定ど\n おり", ["【凡例】", "◎・・・目標", "○・・・予定どおり"]),
    ("\n×・・・未着手", ["", "×・・・未着手"]),
    ("A・・・done on\ntime", ["A・・・done on time"]),  # Latin words keep their space
])
def test_legend_lines_join_every_piece_that_starts_no_line(text, lines):
    assert legend_lines(text, lambda piece: "・・・" in piece or "【" in piece) == lines


@pytest.fixture(scope="module")
def clean_footnotes():
    return converted(SEED_TEXT)[0]["footnotes"]


@pytest.mark.parametrize("separator", ["\t"] + SEPARATORS)
@pytest.mark.parametrize(("old", "new", "changed"), [
    # Japanese joins directly: a tab (a note printed in a box of cells) or a wrap
    ("指標が交付率から", "指標が{}交付率から", None),
    ("なお、交付率は再交付", "なお、交付率は{}再交付", None),  # in the note's second paragraph
    ("令和3年度以降の累計", "令和3年度{}以降の累計", None),
    ("※1 令和5年5月", "※1{}令和5年5月", None),  # between the mark and the note
    ("の割合である。", "の割合である。{}", None),
    # two Latin letters or digits keep a space between them, as a wrapped cell's do
    ("一般的に1fmは", "一般的に1{}fmは", ("一般的に1fmは", "一般的に1 fmは")),
])
def test_a_tab_or_a_wrap_inside_a_footnote_joins_as_a_cell_s_wrapped_line(
        clean_footnotes, separator, old, new, changed):
    tables, _, warnings = converted(replaced(old, new.format(separator)))
    expected = clean_footnotes.copy()
    if changed is not None:
        expected["text"] = expected["text"].str.replace(*changed, regex=False)
    pd.testing.assert_frame_equal(tables["footnotes"], expected)
    assert warnings == []
