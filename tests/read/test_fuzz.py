"""Seeded damage to the shipped text report (tests/fuzzing.py): every case is refused in
one sentence naming the file, converted equal, changed only where the damage is, or
flagged by a warning — never silently different, never an internal error."""

from __future__ import annotations

import copy
import random

import pytest

from pipeline.errors import Failure
from tests.fuzzing import SUBJECTS, LineDiff, flip_byte, judge, run_case, shrink_page_box

TEXT = SUBJECTS["text"]
XLSX = SUBJECTS["xlsx"]
PDF = SUBJECTS["pdf"]
SEEDS = range(30)  # 7 mutators: about 35 s of CPU for the whole file
TEXT_CASES = [(mutator, seed) for mutator in TEXT.mutators for seed in SEEDS]
# Cases the long run (bench/fuzz_long.py) found silent, each fixed in the stage named.
FOUND_BY_THE_LONG_RUN = [
    ("insert_separator", 8),  # \v inside the legend line ×・・・未着手 (tidy/legend_table.py)
    ("insert_separator", 1095),  # \v inside the legend's heading
    ("flip_byte", 104),  # イ → ガ in an indicator's name: its rows are the same rows, renamed
    ("flip_byte", 113),  # I → Y in another's (the checker's _rekeyed)
    ("insert_separator", 278),  # U+2029 inside "GIS": a wrap mid-word, joined with a space
    ("delete_line", 78),  # the heading after ※3: the note ran on into the legend (tidy/structure.py)
    ("swap_cells", 351),  # a result moved to the reason's column: a tab moved is visible (the checker)
]


BINARY_CASES = [(subject, mutator, seed) for subject in ("pdf", "xlsx", "docx")
                for mutator in SUBJECTS[subject].mutators
                for seed in range(5)] + [
    ("pdf", "flip_in_page_dict", 164),  # "/Contents 19 00R": pdfium read page 1 as blank
    ("pdf", "flip_in_page_dict", 98),  # 841.889764 → 841.989764: boxes move 0.0 to 0.2 pt
    ("pdf", "shrink_page_box", 178),
    ("xlsx", "swap_cells", 210),  # (継続) swapped into 別紙!H9: plan_later lacking, warned
    ("xlsx", "swap_cells", 345),  # 別紙!E9 blank: the cells after it placed by the header
    ("xlsx", "swap_cells", 364),  # the legend's △ entry moved into a merged cell (the checker)
    ("pdf", "shrink_page_box", 278),  # the legend's heading cut off: the legend with it, warned  # page 1's top text (the title) outside: a warning quotes it
]


@pytest.fixture(scope="module")
def clean_conversions(tmp_path_factory):
    return {name: subject.convert(subject.clean_bytes(), tmp_path_factory.mktemp(name))
            for name, subject in SUBJECTS.items() if name != "text"}


@pytest.mark.parametrize(("subject", "mutator", "seed"), BINARY_CASES)
def test_damaged_pdf_and_office_files_are_never_silently_different(
        clean_conversions, tmp_path, subject, mutator, seed):
    verdict = run_case(SUBJECTS[subject], clean_conversions[subject], mutator, seed,
                       tmp_path / "case")
    assert verdict.outcome not in ("silent", "internal"), verdict.detail


@pytest.fixture(scope="module")
def clean_text(tmp_path_factory):
    clean = TEXT.convert(TEXT.clean_bytes(), tmp_path_factory.mktemp("clean"))
    assert clean.tables is not None, clean.error
    return clean


@pytest.mark.parametrize(("mutator", "seed"), TEXT_CASES + FOUND_BY_THE_LONG_RUN)
def test_damaged_text_is_never_silently_different(clean_text, tmp_path, mutator, seed):
    verdict = run_case(TEXT, clean_text, mutator, seed, tmp_path / "case")
    assert verdict.outcome not in ("silent", "internal"), verdict.detail


def test_the_checker_sees_a_value_changed_on_an_untouched_line(clean_text, tmp_path):
    original = TEXT.clean_bytes()
    damaged = TEXT.convert(original, tmp_path / "same")
    damaged.tables["items"].loc[5, "result"] = "別の結果"
    verdict = judge(clean_text, damaged, (TEXT.target,), LineDiff.of(original, original))
    assert verdict.outcome == "silent"
    assert verdict.detail.startswith("1 unexplained: items ('nakano_fy2023', 6): result ")


def test_the_checker_calls_an_unchanged_conversion_equal(clean_text, tmp_path):
    original = TEXT.clean_bytes()
    assert judge(clean_text, TEXT.convert(original, tmp_path / "same"), (TEXT.target,),
                 LineDiff.of(original, original)).outcome == "equal"


def test_a_flipped_byte_is_found_on_its_line():
    original = b"a\tb\nc\td\n"
    damaged = flip_byte(original, random.Random(1)).data
    assert LineDiff.of(original, damaged).changed_damaged in (frozenset({1}), frozenset({2}))


# ---- the checker's rules, each shown able to fail ------------------------------------

def _edited(conversion, table, row_no, column, value):
    """A copy of a conversion with one value of one item's row changed."""
    edited = copy.deepcopy(conversion)
    frame = edited.tables[table]
    frame.loc[frame["row_no"] == row_no, column] = value
    return edited


def _line_changed(original: bytes, line: int) -> LineDiff:
    """The diff of the text report with one visible character added to one line."""
    lines = original.split(b"\n")
    lines[line - 1] += "変".encode()
    return LineDiff.of(original, b"\n".join(lines))


@pytest.mark.parametrize(("changed_line", "outcome"), [
    (134, "touched"),  # the id line of 2-1-②, a page above the row: the row inherits from it
    (139, "touched"),  # the id repeated at the top of the row's page
    (132, "silent"),  # the line of the measure before it
    (141, "silent"),  # a row below it
])
def test_a_row_is_touched_by_a_change_to_its_measure_s_lines_above_it(
        clean_text, changed_line, outcome):
    # line 140 is a row of 2-1-② without its own id cell
    damaged = _edited(clean_text, "items", 61, "measure_name", "別の施策")
    verdict = judge(clean_text, damaged, (TEXT.target,),
                    _line_changed(TEXT.clean_bytes(), changed_line))
    assert verdict.outcome == outcome, verdict.detail


@pytest.mark.parametrize(("changed_line", "outcome"), [
    (73, "touched"),  # the row re-listed (row 8): the 再掲 row takes its result
    (132, "touched"),  # the 再掲 row's own line
    (74, "silent"),  # the row after the original
])
def test_a_relisted_row_is_touched_by_a_change_to_the_row_it_relists(
        clean_text, changed_line, outcome):
    damaged = _edited(clean_text, "items", 55, "result", "別の結果")
    verdict = judge(clean_text, damaged, (TEXT.target,),
                    _line_changed(TEXT.clean_bytes(), changed_line))
    assert verdict.outcome == outcome, verdict.detail


@pytest.mark.parametrize(("row_no", "cells", "outcome"), [
    (11, {("別紙", 20)}, "touched"),  # row 11 is 別紙!C20: a cell of its own sheet row
    (11, {("別紙", 21)}, "silent"),
    (11, {("表紙", 20)}, "silent"),  # the same row of another sheet
    (69, {("別紙", 20)}, "touched"),  # 別紙!C78 re-lists row 11 and takes its result
    (69, {("別紙", 21)}, "silent"),
])
def test_an_xlsx_row_is_touched_by_the_cells_of_its_sheet_rows(clean_conversions, row_no,
                                                               cells, outcome):
    clean = clean_conversions["xlsx"]
    damaged = _edited(clean, "items", row_no, "result", "別の結果")
    verdict = judge(clean, damaged, (XLSX.target,), touched=frozenset(cells))
    assert verdict.outcome == outcome, verdict.detail


def _note_edited(conversion, ref, text):
    edited = copy.deepcopy(conversion)
    notes = edited.tables["footnotes"]
    notes.loc[notes["ref"] == ref, "text"] = text
    return edited


@pytest.mark.parametrize(("changed_line", "outcome"), [
    (47, "touched"),  # the note's own line (※3)
    (49, "touched"),  # the heading that ends it: changed, the note may run on
    (43, "silent"),  # a line of ※2 above it
    (51, "silent"),  # the paragraph after the heading
])
def test_a_footnote_is_touched_by_its_lines_and_the_line_that_ends_it(
        clean_text, changed_line, outcome):
    damaged = _note_edited(clean_text, "※3", "令和3年度以降の累計とその後")
    verdict = judge(clean_text, damaged, (TEXT.target,),
                    _line_changed(TEXT.clean_bytes(), changed_line))
    assert verdict.outcome == outcome, verdict.detail


def test_a_footnote_s_continuation_lines_are_its_own(clean_text):
    # ※1 is read from line 41 and continued on line 43 (なお、…); line 45 is ※2
    lines = TEXT.clean_bytes().split(b"\n")
    assert lines[42].decode().startswith("なお、") and lines[44].decode().startswith("※2")
    note = clean_text.tables["footnotes"].set_index("ref").loc["※1", "text"]
    damaged = _note_edited(clean_text, "※1", note + "別")
    outcomes = [judge(clean_text, damaged, (TEXT.target,),
                      _line_changed(TEXT.clean_bytes(), line)).outcome for line in (43, 45, 47)]
    assert outcomes == ["touched", "touched", "silent"]


@pytest.mark.parametrize(("changed_line", "outcome"), [
    (26, "touched"),  # the indicator's own line: its name is read there
    (27, "silent"),  # the next indicator's line
])
def test_an_indicator_renamed_is_the_same_rows_with_a_changed_name(clean_text, changed_line,
                                                                  outcome):
    renamed = _edited_indicator(clean_text, "オンラインによる申請受付件数", "オンラガンによる申請受付件数")
    verdict = judge(clean_text, renamed, (TEXT.target,),
                    _line_changed(TEXT.clean_bytes(), changed_line))
    assert verdict.outcome == outcome, verdict.detail
    if outcome == "silent":  # said as the name changed, not as rows lost and added
        assert verdict.detail.startswith("4 unexplained: indicators (")  # its 4 values
        assert "row lost" not in verdict.detail and "row added" not in verdict.detail


def test_a_row_renamed_and_moved_to_another_line_stays_lost_and_added(clean_text):
    renamed = _edited_indicator(clean_text, "オンラインによる申請受付件数", "オンラガンによる申請受付件数")
    frame = renamed.tables["indicators"]
    frame.loc[frame["indicator"] == "オンラガンによる申請受付件数", "source_ref"] = "line 27"
    verdict = judge(clean_text, renamed, (TEXT.target,),
                    _line_changed(TEXT.clean_bytes(), 26))
    assert verdict.outcome == "silent" and "row added" in verdict.detail


def _edited_indicator(conversion, name, new_name):
    edited = copy.deepcopy(conversion)
    for table in ("indicators", "indicator_evaluations"):
        frame = edited.tables[table]
        frame.loc[frame["indicator"] == name, "indicator"] = new_name
    return edited


def test_date_mentions_are_matched_by_what_they_say_not_by_their_place(clean_text):
    original = TEXT.clean_bytes()
    reordered = copy.deepcopy(clean_text)
    reordered.tables["date_mentions"] = reordered.tables["date_mentions"].iloc[::-1]
    assert judge(clean_text, reordered, (TEXT.target,),
                 LineDiff.of(original, original)).outcome == "equal"
    moved = _edited(clean_text, "date_mentions", 17, "row_no", 18)  # 令和5年9月 of row 17
    verdict = judge(clean_text, moved, (TEXT.target,), LineDiff.of(original, original))
    assert verdict.outcome == "silent"
    # one row whose row_no changed (_rekeyed), not a row lost and one added
    assert verdict.detail == (
        "1 unexplained: date_mentions ('nakano_fy2023', 17, 'result', '令和5年9月', 2023, 9, "
        "None, 2023, False, 1): row_no 17 → 18")


def test_a_line_swapped_away_is_followed_to_where_it_now_stands():
    diff = LineDiff.of(b"a\tb\nx\ny\nd\te\n", b"d\te\nx\ny\na\tb\n")
    assert diff.moved == {1: 4, 2: 2, 3: 3, 4: 1, 5: 5}
    assert (diff.moved_away, diff.moved_in) == (frozenset({1, 4}), frozenset({1, 4}))


def test_items_renumbered_by_a_deleted_line_are_the_same_items(clean_text, tmp_path):
    original = TEXT.clean_bytes()
    lines = original.split(b"\n")
    assert lines[157].decode().strip() == "(1-3-③再掲)新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備"
    damaged_bytes = b"\n".join(lines[:157] + lines[158:])
    damaged = TEXT.convert(damaged_bytes, tmp_path / "case")
    # row 77 and its department are lost with their line; rows 78–113 are numbered one less
    assert judge(clean_text, damaged, (TEXT.target,),
                 LineDiff.of(original, damaged_bytes)).outcome == "touched"
    # the same loss where no line was taken away is silent
    unchanged = LineDiff.of(original, original)
    verdict = judge(clean_text, damaged, (TEXT.target,), unchanged)
    assert verdict.outcome == "silent"


def test_a_fact_differs_only_where_a_line_changed(clean_text, tmp_path):
    original = TEXT.clean_bytes()
    lines = original.split(b"\n")
    assert lines[58].decode().strip() == "×・・・未着手"
    without_the_line = b"\n".join(lines[:58] + lines[59:])
    damaged = TEXT.convert(without_the_line, tmp_path / "case")
    assert damaged.facts["legend"] == clean_text.facts["legend"][:3]
    assert judge(clean_text, damaged, (TEXT.target,),
                 LineDiff.of(original, without_the_line)).outcome == "touched"
    unchanged = copy.deepcopy(clean_text)
    unchanged.facts["legend"] = clean_text.facts["legend"][:3]
    verdict = judge(clean_text, unchanged, (TEXT.target,), LineDiff.of(original, original))
    assert verdict.outcome == "silent"
    assert verdict.detail.startswith("1 unexplained: report (): legend ")


@pytest.mark.parametrize("seed", [1031, 1057])  # bench/fuzz_long.py's: a flip in a /MediaBox
def test_a_page_box_changed_by_a_flip_moves_every_box_of_its_page_with_it(
        clean_conversions, tmp_path, seed):
    verdict = run_case(PDF, clean_conversions["pdf"], "flip_in_page_dict", seed, tmp_path)
    assert verdict.outcome == "touched", verdict.detail


def _boxes_moved(conversion, page, shift_of):
    """A copy whose items on ``page`` have their boxes moved by shift_of(row_no)."""
    moved = copy.deepcopy(conversion)
    items = moved.tables["items"]
    for index in items.index[items["source_page"] == page]:
        box = [float(v) for v in items.at[index, "source_bbox"].split(",")]
        shift = shift_of(int(items.at[index, "row_no"]))
        items.at[index, "source_bbox"] = ",".join(
            f"{v + d:.1f}" for v, d in zip(box, shift))
    return moved


@pytest.mark.parametrize(("touched", "shift_of", "outcome"), [
    ({("page box", 4)}, lambda row: (0, -1, 0, -1), "touched"),  # the page's top moved 1 pt
    (set(), lambda row: (0, -1, 0, -1), "silent"),  # no page box was changed
    ({("page box", 5)}, lambda row: (0, -1, 0, -1), "silent"),  # another page's was
    ({("page box", 4)}, lambda row: (0, -1, 0, -2), "silent"),  # the boxes grew
    ({("page box", 4)}, lambda row: (0, -1 - row % 2, 0, -1 - row % 2), "silent"),  # not as one
    # a 0.1 pt move read off boxes rounded to 0.1 pt: 0.0, 0.1 or 0.2 (fuzz_long seed 98)
    ({("page box", 4)}, lambda row: (0, 0.1 * (row % 3), 0, 0.1 * ((row + 1) % 3)), "touched"),
    ({("page box", 4)}, lambda row: (0, 0.1 + 0.3 * (row % 2), 0, 0.1 + 0.3 * (row % 2)),
     "silent"),  # 0.1 and 0.4: more than rounding
])
def test_boxes_move_with_their_page_box_only_all_by_one_shift(clean_conversions, touched,
                                                               shift_of, outcome):
    clean = clean_conversions["pdf"]
    verdict = judge(clean, _boxes_moved(clean, 4, shift_of), (PDF.target,),
                    touched=frozenset(touched))
    assert verdict.outcome == outcome, verdict.detail


def test_a_shrunk_page_box_keeps_every_offset_and_names_its_page():
    original = PDF.clean_bytes()
    mutation = shrink_page_box(original, random.Random(0))
    assert len(mutation.data) == len(original)
    assert mutation.touched == frozenset({("page box", 7)})
    changed = [at for at, (old, new) in enumerate(zip(original, mutation.data)) if old != new]
    assert original.rfind(b"/MediaBox", 0, changed[0]) > original.rfind(b"]", 0, changed[0])


@pytest.mark.parametrize(("quoted", "outcome"), [
    ("令和6年9月9日 第2次中野区地域情報化推進計画改定版の進捗状況等について 区では", "flagged"),
    ("令和6年9月9日 第2次中野区地域情報化推進計画改定版の進捗状況等…", "silent"),  # cut short
    (None, "silent"),
])
def test_a_fact_lost_is_named_by_a_warning_that_quotes_it(clean_text, quoted, outcome):
    damaged = copy.deepcopy(clean_text)
    damaged.facts["title"] = None
    damaged.warnings = [Failure(code="text_outside_page", source=TEXT.target, page=1,
                                value=quoted, severity="warning", message="…")]
    original = TEXT.clean_bytes()
    verdict = judge(clean_text, damaged, (TEXT.target,), LineDiff.of(original, original))
    assert verdict.outcome == outcome, verdict.detail


@pytest.mark.parametrize(("clean", "damaged", "visible"), [
    ("1\t統合型GISの活用\n", "1\t統合型G\u2029ISの活用\n", {1}),  # a wrap mid-word: "G IS"
    ("1\t統合型GISの活用\n", "1\t統合\u2029型GISの活用\n", set()),  # joined as it was
    ("1\tR6.5\n", "1\tR6\u200b.5\n", set()),  # not a line separator
])
def test_a_line_separator_splitting_a_latin_word_is_a_visible_change(clean, damaged, visible):
    assert LineDiff.of(clean.encode(), damaged.encode()).visible == frozenset(visible)


@pytest.mark.parametrize(("quoted", "outcome"), [
    ("【進捗状況の凡例】 ◎・・・目標を大きく上回る、スケジュールを前倒しするなど、予定を上回る取組となった",
     "flagged"),
    ("【進捗状況の凡例】", "silent"),  # no entry of it
])
def test_a_legend_lost_is_named_by_a_warning_quoting_an_entry_of_it(clean_text, quoted, outcome):
    damaged = copy.deepcopy(clean_text)
    damaged.facts["legend"] = []
    damaged.warnings = [Failure(code="text_outside_page", source=TEXT.target, page=3,
                                value=quoted, severity="warning", message="…")]
    original = TEXT.clean_bytes()
    verdict = judge(clean_text, damaged, (TEXT.target,), LineDiff.of(original, original))
    assert verdict.outcome == outcome, verdict.detail


@pytest.mark.parametrize(("clean", "damaged", "visible"), [
    ("1\t\t令和5年7月に導入した。\t(継続)\n", "1\t令和5年7月に導入した。\t\t(継続)\n", {1}),
    ("1\t\t令和5年7月に導入した。\n", "1\t\t令和5年7月に\u200b導入した。\n", set()),
])
def test_a_cell_moved_to_another_column_is_a_visible_change(clean, damaged, visible):
    """text swap_cells seed 351: a result swapped with the empty reason cell beside it was
    invisible (tabs are white space), so its date mention's field change was called silent."""
    assert LineDiff.of(clean.encode(), damaged.encode()).visible == frozenset(visible)


@pytest.mark.parametrize(("moved", "outcome"), [
    ({"△・・・予定よりも遅れて取り組んだ"}, "touched"),  # xlsx swap_cells seed 364: 別紙!A6
    ({"予定どおり取り組んだ"}, "silent"),  # another entry's text
    (set(), "silent"),
])
def test_a_legend_entry_lost_is_touched_by_a_swap_that_moved_its_cell(clean_conversions, moved,
                                                                     outcome):
    clean = clean_conversions["xlsx"]
    damaged = copy.deepcopy(clean)
    damaged.facts["legend"] = [e for e in clean.facts["legend"] if e["mark"] != "△"]
    verdict = judge(clean, damaged, (XLSX.target,), moved=frozenset(moved))
    assert verdict.outcome == outcome, verdict.detail


def test_a_swap_of_sheet_cells_names_the_text_it_moved():
    mutation = XLSX.mutators["swap_cells"](XLSX.clean_bytes(), random.Random(364))
    assert mutation.moved == frozenset({"△・・・予定よりも遅れて取り組んだ"})  # and an empty cell


@pytest.mark.parametrize(("column", "outcome"), [
    ("plan_later", "flagged"),  # a header without plan_later: its values and extra, warned
    ("plan_next", "silent"),  # a warning on another column
])
def test_a_header_warning_on_a_column_names_that_column_s_values(clean_conversions, column,
                                                                 outcome):
    clean = clean_conversions["xlsx"]
    damaged = _edited(clean, "items", 11, "plan_later", None)
    damaged = _edited(damaged, "items", 11, "plan_later_tag", None)
    damaged = _edited(damaged, "items", 11, "extra", '{"(継続)": "(推進)"}')
    damaged.warnings = [Failure(code="column_missing", source=XLSX.target, table="items",
                                column=column, value="(継続)", severity="warning", message="…")]
    verdict = judge(clean, damaged, (XLSX.target,))
    assert verdict.outcome == outcome, verdict.detail
