"""tests/ocr_score.py counts what a scan's reading got right, wrong with a warning, and
wrong in silence: tried on the sample PDF's report altered by hand."""

from dataclasses import replace

import pytest
from conftest import SAMPLE_PDF
from ocr_score import covers, describe, edit_distance, score_cells, score_reports

import pipeline
from pipeline.errors import Failure
from pipeline.read.pdf import pdf_to_document
from pipeline.records import Grid

COUNTS = ("cells", "exact", "warned", "silent", "missing_rows", "extra_rows", "status_cells",
          "status_wrong", "status_undecided", "exact_warned")
RESULT_1 = "夜間日曜開庁などカード受取りの利便性を図った。(令和5年度交付数44,025件)"


@pytest.fixture(scope="module")
def sample():
    return pipeline.convert(SAMPLE_PDF, report_id="nakano_fy2023")


def altered(report, table, change, warnings=()):
    """A copy of the report whose ``table`` is ``change(frame copy)``, with these warnings."""
    tables = {name: frame.copy() for name, frame in report.tables.items()}
    tables[table] = change(tables[table])
    return replace(report, tables=tables, warnings=list(warnings))


def set_cells(row, **values):
    def change(frame):
        for column, value in values.items():
            frame.loc[row, column] = value
        return frame
    return change


def counts(score, table=None):
    source = score.tables[table] if table else score
    get = (lambda name: getattr(source, name)) if table else score.total
    return {name: get(name) for name in COUNTS}


def warning(message="read with doubt", **fields):
    return Failure(code="ocr_doubtful", source="scan.pdf", message=message,
                   severity="warning", **fields)


def test_a_report_against_itself_is_exact_in_every_cell(sample):
    score = score_reports(sample, sample)
    # rows × compared columns (all but report_id and provenance)
    assert {name: table.cells for name, table in score.tables.items()} == {
        "items": 113 * 29, "item_departments": 168 * 2, "indicators": 40 * 17,
        "indicator_evaluations": 0, "status_summary": 4 * 6, "footnotes": 3 * 2,
        "date_mentions": 32 * 8, "report": 5}
    assert counts(score) == dict.fromkeys(COUNTS, 0) | {
        "cells": 4584, "exact": 4584, "status_cells": 113 * 3 + 4 * 4}
    assert score.exact_share == 1.0 and score.silent == [] and score.unused_warnings == []


@pytest.mark.parametrize("warnings, warned, alarms", [
    ((), False, 0),
    ((warning(page=3, value="令和5年度交付数44.025件"),), True, 0),  # what was read, its page
    ((warning(value="(令和5年度交付数44.025件)"),), True, 0),  # no page
    ((warning(table="items", row=1, column="result"),), True, 0),  # the cell by name
    ((warning(table="items", row=1),), True, 28),  # its row: every other cell an alarm
    ((warning(table="items", row=1, column="plan_next"),), False, 4),  # another cell's group
    ((warning(table="items", row=2, column="result"),), False, 1),  # another row
    ((warning(page=4, value="令和5年度交付数44.025件"),), False, 0),  # another page
    ((warning(page=3, value=RESULT_1),), False, 0),  # the true text: the cell does not show it
    ((warning(page=3, value="件"),), False, 0),  # one character names no cell it is part of
    ((warning(page=3, value="令和5年度交付数44025件", message=f"read as much, taken as "
              f"{RESULT_1.replace('44,025', '44.025')!r}"),), True, 0),  # what it showed
    ((warning(page=4, value="件", message=f"taken as {RESULT_1.replace('44,025', '44.025')!r}"),),
     False, 0),  # the same on another page
    ((warning(page=3, message="taken as '44.025'"),), False, 0),  # a part is not the cell
])
def test_a_changed_cell_is_warned_only_when_a_warning_names_it(sample, warnings, warned,
                                                               alarms):
    misread = RESULT_1.replace("44,025", "44.025")
    scan = altered(sample, "items", set_cells(0, result=misread), warnings)
    score = score_reports(scan, sample)
    assert counts(score, "items") == dict.fromkeys(COUNTS, 0) | {
        "cells": 3277, "exact": 3276, "status_cells": 339, "exact_warned": alarms,
        "warned" if warned else "silent": 1}
    assert describe(score.tables["items"].differences) == (
        f"items row 1 (page 3), result: {misread!r} for {RESULT_1!r}")
    assert [d.warned for d in score.silent] == ([] if warned else [False])


@pytest.mark.parametrize("warnings", [(), (warning(page=3, value="◎"),)])
def test_a_wrong_status_mark_is_wrong_warned_or_not(sample, warnings):
    scan = altered(sample, "items", set_cells(4, status_mark="◎", grade_rank=1,
                                              status="exceeded"), warnings)
    score = score_reports(scan, sample)
    assert counts(score, "items") == dict.fromkeys(COUNTS, 0) | {
        "cells": 3277, "exact": 3274, "status_cells": 339, "status_wrong": 3,
        "warned" if warnings else "silent": 3}


def test_an_undecided_status_mark_is_counted_apart_from_a_wrong_one(sample):
    scan = altered(sample, "items", set_cells(7, status_mark=None, grade_rank=None,
                                              status=None),
                   [warning(table="items", row=8, column="status_mark", value="?")])
    score = score_reports(scan, sample)
    assert counts(score, "items") == dict.fromkeys(COUNTS, 0) | {
        "cells": 3277, "exact": 3274, "status_cells": 339, "status_undecided": 3, "warned": 3}


def test_rows_pair_by_position_so_a_dropped_row_shifts_the_rest(sample):
    # the summary's rows are ◎ 0, ○ 105, △ 0, × 0; without ◎ each row meets the next one's
    scan = altered(sample, "status_summary", lambda frame: frame.iloc[1:].reset_index(drop=True))
    score = score_reports(scan, sample)
    assert counts(score, "status_summary") == dict.fromkeys(COUNTS, 0) | {
        "cells": 24, "exact": 1 + 3, "silent": 5 + 5 + 4 + 6, "missing_rows": 1,  # + fiscal_year, empty
        "status_cells": 16, "status_wrong": 4 + 4 + 3, "status_undecided": 4}
    assert [d.read for d in score.silent if d.position == 4] == [None] * 6


def test_an_extra_row_is_counted_with_its_cells(sample):
    scan = altered(sample, "date_mentions",
                   lambda frame: frame.iloc[list(range(len(frame))) + [0]].reset_index(drop=True))
    score = score_reports(scan, sample)
    assert counts(score, "date_mentions") == dict.fromkeys(COUNTS, 0) | {
        "cells": 33 * 8, "exact": 32 * 8, "silent": 8, "extra_rows": 1}
    assert {d.expected for d in score.silent} == {None}
    first = sample.tables["date_mentions"].iloc[0]
    assert [d.read for d in score.silent][:3] == [int(first["row_no"]), first["field"],
                                                  first["raw"]]


def test_the_reports_own_facts_are_compared(sample):
    facts = sample.facts | {"title": sample.facts["title"].replace("推進", "推遊")}
    score = score_reports(replace(sample, facts=facts), sample)
    assert counts(score, "report") == dict.fromkeys(COUNTS, 0) | {
        "cells": 5, "exact": 4, "silent": 1}
    assert describe(score.silent) == (f"report row 1, title: {facts['title']!r} for "
                                      f"{sample.facts['title']!r}")


def test_a_warning_on_an_exact_cell_is_a_false_alarm_and_one_on_no_cell_unused(sample):
    aside = warning(page=99, value="令和5年度")
    alarm = warning(table="items", row=3, column="business")
    score = score_reports(replace(sample, warnings=[aside, alarm]), sample)
    assert counts(score) == dict.fromkeys(COUNTS, 0) | {
        "cells": 4584, "exact": 4584, "status_cells": 355, "exact_warned": 4}  # its group
    assert score.unused_warnings == [aside] and score.warnings == 2


ROW = {"row_no": 12, "status_mark": "○", "grade_rank": 2, "status": "on_schedule",
       "result": RESULT_1, "measure_id": "1-1-①", "measure_id_raw": "1-1-①", "goal_no": 1,
       "value": 62.3, "raw": "62.3%", "unit": "%", "count": 105}


@pytest.mark.parametrize("said, table, column, covered", [
    ("○", "items", "status_mark", True),
    ("○", "items", "status", True),  # the mark's group
    ("〇", "items", "status_mark", False),  # a look-alike read is not the mark shown
    ("◎", "items", "status_mark", False),
    ("44,025件)", "items", "result", True),
    ("夜間日曜開庁 などカード受取り", "items", "result", True),  # spaces are not compared
    ("1-1-①マイナンバーカードの普及促進", "items", "measure_id", True),  # a joined cell
    ("1", "items", "measure_id", True),  # goal_no 1: made from the id's cell
    ("1", "items", "result", False),
    ("62.3%", "indicators", "value", True),  # the value's raw text
    ("62.3", "indicators", "value", True),
    ("62", "indicators", "value", True),  # part of the raw text "62.3%"
    ("105", "status_summary", "count", True),
    ("10", "status_summary", "count", False),  # a number matches only whole
    ("%", "indicators", "unit", True),
])
def test_a_warning_names_a_cell_by_the_value_read(said, table, column, covered):
    assert covers(warning(value=said), table, 1, column, ROW, page=3) is covered
    assert covers(warning(value=said, page=5), table, 1, column, ROW, page=3) is False


# ----------------------------------------------------------------- the reading stage

@pytest.fixture(scope="module")
def sample_document():
    return pdf_to_document(SAMPLE_PDF)


def with_cells(document, change):
    """The document with ``change(cell)`` (a Cell or None to blank it) for every grid cell."""
    blocks = []
    for block in document.blocks:
        if isinstance(block, Grid):
            block = replace(block, rows=tuple(tuple(change(cell) for cell in row)
                                              for row in block.rows))
        blocks.append(block)
    return replace(document, blocks=tuple(blocks))


def test_a_document_against_itself_reads_every_cell_exactly(sample_document):
    score = score_cells(sample_document, sample_document)
    assert (score.cells, score.exact, score.unpaired, score.char_errors) == (828, 828, 0, 0)
    assert (score.marks, score.marks_exact, score.misread) == (105, 105, [])


def test_misread_cells_are_counted_with_their_character_errors(sample_document):
    def misread(cell):
        if cell.text == "○" and cell.page == 4:
            return replace(cell, text="〇")  # the look-alike: one character wrong
        if cell.text and cell.text.startswith("夜間日曜開庁"):
            return replace(cell, text=cell.text.replace("44,025", "44.O25"))
        if cell.text == "戸籍住民課":  # moved off its box: no cell to pair with
            return replace(cell, bbox=(cell.bbox[0] + 500, cell.bbox[1], cell.bbox[2] + 500,
                                       cell.bbox[3]))
        return cell

    score = score_cells(with_cells(sample_document, misread), sample_document)
    on_page_4 = sum(1 for block in sample_document.blocks if isinstance(block, Grid)
                    for row in block.rows for cell in row if cell.text == "○" and cell.page == 4)
    moved = sum(1 for block in sample_document.blocks if isinstance(block, Grid)
                for row in block.rows for cell in row if cell.text == "戸籍住民課")
    assert on_page_4 > 10 and moved >= 2
    assert score.cells == 828 and score.unpaired == moved
    assert score.exact == 828 - on_page_4 - 1 - moved
    assert score.char_errors == on_page_4 + 2  # 〇 for ○; "." for ",", "O" for "0"
    assert score.marks_exact == 105 - on_page_4
    assert ("夜間日曜開庁などカード受取りの利便性を図った。(令和5年度交付数44,025件)",
            "夜間日曜開庁などカード受取りの利便性を図った。(令和5年度交付数44.O25件)") in [
        (twin, scan) for _, twin, scan in score.misread]


@pytest.mark.parametrize("twin, scan, distance", [
    ("○", "○", 0), ("○", "〇", 1), ("62.3%", "62.396", 2), ("令和5年度", "多和5年度", 1),
    ("推進", "", 2), ("", "|", 1), ("1-1-①", "1-1-1", 1), ("予定どおり", "予定とおり", 1),
])
def test_the_edit_distance_of_real_misreadings(twin, scan, distance):
    assert edit_distance(twin, scan) == distance
