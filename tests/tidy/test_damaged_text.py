"""Damaged text reports (issue 21): each case once ran to exit 0 with a value lost or
wrong. Now a report either converts to exactly the clean tables or is refused with one
sentence naming the line."""

import pandas as pd
import pandera.pandas as pa
import pytest
from conftest import NAKANO, SEED

from pipeline.errors import InputError, LayoutError, PipelineError
from pipeline.read.text import decode_report_bytes, report_lines, text_to_document
from pipeline.normalize.numbers import NumberOutOfRange, parse_count, parse_quantity
from pipeline.tidy.frames import document_to_frames
from schemas.registry import TABLES

SEED_TEXT = SEED.read_text(encoding="utf-8")
# What str.splitlines splits at beyond \n, \r\n and \r: none of them ends a line.
OTHER_SEPARATORS = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def frames_of(text: str, name: str = "r.txt"):
    frames, _, warnings = document_to_frames(text_to_document(text, name), "r", profile=NAKANO)
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


LAST_ROW = "ICT資格の「ITパスポート試験」取得者数 ※3\t22名\t29名\t20名\t30名\n"


@pytest.mark.parametrize(("old", "new", "message"), [
    # a line break inside the name of the last indicator of a goal: it and its 4 values
    # were lost (the rest of the row read as a line of text)
    ("ICT資格の「ITパスポート試験」", "ICT資格の\n「ITパスポート試験」",
     "r.txt: line 39, the line 'ICT資格の' stands between two rows of a table (lines 38 and "
     "40) but is not a row: a line break inside a cell has split a row; join it to the line "
     "it belongs to."),
    ("AI・RPAの活用", "AI・\nRPAの活用",
     "r.txt: line 36, the line 'AI・' stands between two rows of a table (lines 35 and 37) "
     "but is not a row: a line break inside a cell has split a row; join it to the line it "
     "belongs to."),
    # a blank line inside the table: the last row read as a line of text
    ("情報セキュリティ事故発生件数\t9件\t10件\t0件\t0件\n",
     "情報セキュリティ事故発生件数\t9件\t10件\t0件\t0件\n\n",
     "r.txt: line 40, the row 'ICT資格の「ITパスポート試験」取得者数 ※3 | 22名 | 29名 | 20名 | 30名' "
     "has the 5 columns of the indicator table above but stands apart from it (a blank line "
     "or page break inside the table?); join it to the table."),
    ("AI・RPAの活用による業務改善数\t7件\t8件\t7件\t15件\n",
     "AI・RPAの活用による業務改善数\t7件\t8件\t7件\t15件\n\n",
     "r.txt: line 38, the row '標準化システムへ移行した事業数 | 0/15 | 0/15 | 1/15 | 15/15' has the 5 "
     "columns of the indicator table above but stands apart from it (a blank line or page "
     "break inside the table?); join it to the table."),
    # one cell missing: the values went under the wrong years
    ("\t3.2%\t3.4%", "\t3.4%",
     "r.txt: line 28, the indicator row '区が特に力を入れていると感じる施策が「情報化の推進」である割合 | "
     "3.4% | 5% | 10%' has 4 cells where its header has 5: a cell is missing, and which year "
     "each value is for cannot be told."),
    ("\t22名\t29名", "\t29名",
     "r.txt: line 39, the indicator row 'ICT資格の「ITパスポート試験」取得者数 ※3 | 29名 | 20名 | 30名' has "
     "4 cells where its header has 5: a cell is missing, and which year each value is for "
     "cannot be told."),
    ("\t3.2%\t3.4%", "\t\t3.4%",
     "r.txt: line 28, the indicator row '区が特に力を入れていると感じる施策が「情報化の推進」である割合' has no "
     "value in column 2; a report prints — for no figure."),
    (LAST_ROW, "\t22名\t29名\t20名\t30名\n",
     "r.txt: line 39, the indicator row ' | 22名 | 29名 | 20名 | 30名' has values but no indicator "
     "name."),
    (LAST_ROW, "ICT資格の\t\t\t\t\n「ITパスポート試験」取得者数 ※3\t22名\t29名\t20名\t30名\n",
     "r.txt: line 39, the indicator row 'ICT資格の' has a name but no values, and the next row "
     "does not hold its values alone; a report prints — for no figure."),
    (LAST_ROW, "ICT資格の「ITパスポート試験」取得者数 ※3\t\t\t\t\n",
     "r.txt: line 39, the indicator row 'ICT資格の「ITパスポート試験」取得者数 ※3' has a name but no "
     "values, and the next row does not hold its values alone; a report prints — for no "
     "figure."),
    # values no column may hold
    ("\t7件\t8件", "\t" + "9" * 400 + "件\t8件",
     "r.txt: line 36, indicator 'AI・RPAの活用による業務改善数', actual 2022: a number of 400 "
     "characters is too large for a value (at most about 1.8e308)."),
    ("\t7件\t8件", "\t123456789012345678901件\t8件",
     "r.txt: line 36, indicator 'AI・RPAの活用による業務改善数', actual 2022: '123456789012345678901' "
     "has more significant digits than a value keeps (it would be stored as "
     "1.2345678901234568e+20)."),
    ("\t9件\t10件\t0件\t0件", "\t9件\t10件\t0件\t0/" + "1" * 320,
     "r.txt: line 38, indicator '情報セキュリティ事故発生件数', target 2025: a number of 320 characters "
     "is too large for a value (at most about 1.8e308)."),
    ("予定どおり取り組んだ\t105", "予定どおり取り組んだ\t" + "1" * 21,
     "r.txt: line 15, the status count of '○ 予定どおり取り組んだ': '111111111111111111111' is too "
     "large for a count (at most 9,223,372,036,854,775,807)."),
    ("予定どおり取り組んだ\t105", "予定どおり取り組んだ\t1_05",
     "r.txt: line 15, the status-count row '○ 予定どおり取り組んだ' | '1_05' is not a mark, label and "
     "count."),
])
def test_a_damaged_front_part_is_refused_naming_the_line(old, new, message):
    with pytest.raises(LayoutError) as error:
        frames_of(replaced(old, new))
    assert str(error.value) == message


def test_a_name_on_a_row_of_its_own_is_joined_to_the_values_below(clean):
    frames, warnings = frames_of(replaced(LAST_ROW, "ICT資格の「ITパスポート試験」取得者数 ※3\t\t\t\t\n"
                                                    "\t22名\t29名\t20名\t30名\n"))
    expected = clean["indicators"].copy()
    expected.loc[expected["source_ref"] == "line 39", "source_ref"] = "line 40"
    pd.testing.assert_frame_equal(frames["indicators"], expected)
    assert warnings == []


# Control characters too: the cell repair (normalize/text.strip_invisible) removes them
# from every cell, front part and items alike, before the front part's own check.
@pytest.mark.parametrize("format_character", ["\ufeff", "\u200b", "\u200e", "\u00ad", "\u2060",
                                              "\x05", "\x1b", "\x07", "\x00"])
@pytest.mark.parametrize(("old", "new"), [
    ("\t62.3%", "\t62.3{}%"),
    ("区内のマイナンバーカード交付率", "区内の{}マイナンバーカード交付率"),
    ("予定どおり取り組んだ\t105", "予定どおり{}取り組んだ\t10{}5"),
    ("目標 1 ICTを活用した", "目標 1 {}ICTを活用した"),
    ("※3 令和3年度以降の累計", "※3 令和3年度{}以降の累計"),
])
def test_format_characters_print_nothing_and_are_removed(clean, format_character, old, new):
    frames, warnings = frames_of(replaced(old, new.format(format_character, format_character)))
    for name in ("indicators", "status_summary", "footnotes"):
        pd.testing.assert_frame_equal(frames[name], clean[name], obj=name)
    assert warnings == []


@pytest.mark.parametrize(("printed", "message"), [
    ("1" + "0" * 400 + "件", "a number of 401 characters is too large for a value (at most about 1.8e308)"),
    ("約 2" + "0" * 305 + "億件", "a number of 306 characters is too large for a value (at most about 1.8e308)"),
    ("1/" + "9" * 309, "a number of 309 characters is too large for a value (at most about 1.8e308)"),
    ("12345678901234567件", "'12345678901234567' has more significant digits than a value keeps "
                          "(it would be stored as 1.2345678901234568e+16)"),
    ("0.30000000000000000001%", "'0.30000000000000000001' has more significant digits than a "
                                "value keeps (it would be stored as 0.3)"),
])
def test_a_number_no_float_holds_as_printed_is_refused(printed, message):
    with pytest.raises(NumberOutOfRange) as error:
        parse_quantity(printed)
    assert str(error.value) == message


@pytest.mark.parametrize(("printed", "value"), [
    ("9007199254740992件", 9007199254740992.0), ("0.1%", 0.1), ("約 179 万件", 1790000.0),
    ("1.5億円", 150000000.0), ("1" + "0" * 300 + "件", 1e300),
])
def test_numbers_a_float_holds_are_read(printed, value):
    assert parse_quantity(printed).value == value


@pytest.mark.parametrize(("printed", "count"), [
    ("105", 105), ("0", 0), ("１０５", 105), ("1,234", 1234), (" 7 ", 7),
    ("9223372036854775807", 2**63 - 1),
])
def test_parse_count(printed, count):
    assert parse_count(printed) == count


@pytest.mark.parametrize(("printed", "error"), [
    ("9223372036854775808", NumberOutOfRange), ("1" * 21, NumberOutOfRange),
    ("1_05", ValueError), ("-1", ValueError), ("٣", ValueError), ("1.5", ValueError),
    ("", ValueError), ("1,23", ValueError),
])
def test_parse_count_refuses(printed, error):
    with pytest.raises(error):
        parse_count(printed)


@pytest.mark.parametrize(("table", "column", "value", "check"), [
    ("indicators", "value", float("inf"), "finite"),
    ("indicators", "value", float("-inf"), "finite"),
    ("indicators", "denominator", float("inf"), "finite"),
    ("indicators", "unit", "\x05%", "no_control_characters"),
    ("indicators", "unit", "\ufeff%", "no_control_characters"),
    ("indicators", "indicator", "区内の\u200bマイナンバーカード交付率", "no_control_characters"),
    ("indicators", "raw", "62.3\x7f%", "no_control_characters"),
    ("status_summary", "label", "予定どおり\u2028取り組んだ", "no_control_characters"),
    ("footnotes", "text", "令和3年度以降の\x85累計", "no_control_characters"),
])
def test_the_contract_refuses_values_no_report_prints(clean, table, column, value, check):
    frame = clean[table].copy()
    frame.loc[0, column] = value
    with pytest.raises(pa.errors.SchemaErrors) as error:
        TABLES[table].model.validate(frame, lazy=True)
    cases = error.value.failure_cases
    assert [(row.column, row.check, row.index) for row in cases.itertuples()] == [(column, check, 0)]


def test_a_status_row_cut_off_by_a_blank_line_is_refused():
    with pytest.raises(LayoutError) as error:
        frames_of(replaced("\n× 未着手\t0\n", "\n\n× 未着手\t0\n"))
    assert str(error.value) == (
        "r.txt: line 18, the row '× 未着手 | 0' reads as a status count but stands apart from "
        "the status-count table above (a blank line or page break inside the table?); join "
        "it to the table.")


def test_a_footnote_lost_to_a_line_break_in_its_mark_is_a_warning(clean):
    frames, warnings = frames_of(replaced("※2 fm (ファイルメーター)", "※\n2 fm (ファイルメーター)"))
    assert sorted(frames["footnotes"]["ref"]) == ["※1", "※3"]
    assert [warning.describe() for warning in warnings] == [
        "r.txt, table indicators, line 35, column note_refs: the indicator "
        "'本庁舎の執務室等で保有し、組織で共有している文書量 (fm)' points to footnote ※2, but the report "
        "holds no note ※2 (value '※2')"]


def test_a_footnote_printed_in_a_box_of_cells_is_still_a_footnote(clean):
    frames, _ = frames_of(replaced("※3 令和3年度以降の累計", "※3\t令和3年度以降の累計"))
    pd.testing.assert_frame_equal(frames["footnotes"], clean["footnotes"])
