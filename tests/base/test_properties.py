"""Property-based: whatever a cell, a row or a whole report holds, the only outcomes are
values, the normaliser's documented ValueError, a valid report or PipelineError records —
never another exception. Seeds are fixed (derandomize) so CI runs the same examples.
"""

from __future__ import annotations

import re
from functools import partial

from conftest import NAKANO, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError, PipelineError, ValidationFailed
from pipeline.read.text import decode_report_bytes, text_to_document
from pipeline.normalize import era, ids, marks, numbers, text
from pipeline.records import Cell, Document, Grid, Paragraph
from pipeline.tidy.relisted import resolve_relisted
from pipeline.tidy.frames import document_to_frames
from pipeline.tidy.structure import document_to_report
from pipeline.tidy.front import footnotes_to_records, indicator_tables_to_records
from pipeline.tidy.status_counts import status_rows_to_records
from pipeline.tidy.items import item_departments, raw_items_to_records
from schemas.registry import TABLES

SEED_TEXT = SEED.read_text(encoding="utf-8")


def fixed(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- generated cells -------------------------------------------------------------------

# What report cells are made of: the seed's own characters, and the look-alikes, era
# names, digits (ASCII and full-width), circled numbers, marks, brackets, dashes, radicals
# and spaces that make normalisation hard.
_PIECES = sorted(set(SEED_TEXT) - {"\t", "\n"}) + list(
    "０１２３４５６７８９①②③⑳㉑㊿◎○△×〇◯✕☆★※＊*()（）[]「」-－—―‐ーｰ~〜/.,、。:："
    " \u3000\t\n\r⻑⼀⽉ｶﾞABCxyz") + [
    "令和", "平成", "昭和", "R", "H", "S", "元", "年", "年度", "月", "日", "再掲", "(国)", "(都)",
    "(区)", "約", "万", "億", "件", "%", "/", "1-1-①", "(1-1-③再掲)", "令和6年", "2024年",
    "99", "0", "13", "32", "2/30", "R6.5", "(推進)", "目標", "実績"]
cells = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)
any_text = st.one_of(cells, st.text(max_size=20))


def only_value_errors(function, *args):
    """Call a normaliser: its result, or None when it raised its documented ValueError."""
    try:
        return function(*args)
    except ValueError:
        return None


@fixed(1500)
@given(cell=any_text, context=st.one_of(st.none(), st.integers(1900, 2200)))
def test_every_normaliser_returns_a_value_or_value_error(cell, context):
    grades = NAKANO.grade_by_form
    for function in (text.repair_text, text.fold_chars, text.unspace_letters, text.join_wrapped,
                     text.clean_text, partial(text.split_departments, profile=NAKANO),
                     text.is_dash, text.unify_hyphens, era.parse_fiscal_year,
                     numbers.parse_quantity, numbers.strip_note_refs,
                     partial(marks.normalize_mark, grades=grades),
                     partial(marks.is_status_mark, grades=grades),
                     *(partial(function, profile=NAKANO) for function in (
                         ids.parse_measure_id, ids.split_measure_cell, ids.split_business,
                         ids.split_measure_name, ids.match_key, ids.plan_tag))):
        only_value_errors(function, cell)
    assert len(text.fold_chars(cell)) == len(cell)  # spans of the folded copy slice the cell
    mentions, impossible = era.find_date_mentions(cell, context)
    for mention in mentions:
        assert mention.raw and mention.raw in cell
        for year in (mention.year, mention.fiscal_year):
            assert year is None or 1900 <= year <= 2200
        assert mention.month is None or 1 <= mention.month <= 12
    assert all(date.raw in cell for date in impossible)


@fixed(300)
@given(era_name=st.sampled_from(list(era.ERA_BASE)), number=st.integers(-5, 1000),
       month=st.integers(-1, 14), day=st.integers(-1, 33))
def test_era_years_and_dates_out_of_range_are_value_errors_or_impossible(era_name, number,
                                                                        month, day):
    only_value_errors(era.era_to_year, era_name, str(number))
    only_value_errors(era.parse_fiscal_year, f"取組結果 ({era_name}{number}年度)")
    mentions, impossible = era.find_date_mentions(f"{era_name}{number}年{month}月{day}日", 2023)
    assert len(mentions) + len(impossible) <= 3


# --- the text reader -------------------------------------------------------------------

@fixed(400)
@given(raw=st.one_of(st.binary(max_size=200),
                     st.builds(lambda cut: SEED.read_bytes()[:cut], st.integers(0, 4000)),
                     st.builds(lambda t, enc: t.encode(enc, errors="replace"), any_text,
                               st.sampled_from(["utf-8", "cp932", "utf-16", "utf-16-le",
                                                "utf-16-be", "latin-1"]))))
def test_the_text_reader_decodes_or_says_why_not(raw):
    try:
        decoded = decode_report_bytes(raw, "r.txt")
    except InputError as error:
        assert str(error).startswith("r.txt: ") and "\n" not in str(error)
        return
    for input_format in ("text", "markdown"):
        document = text_to_document(decoded, "r.txt", input_format)
        assert all(isinstance(block, (Grid, Paragraph)) for block in document.blocks)


# --- generated rows --------------------------------------------------------------------

_HEADER = ("実施内容", "", "事業内容", "進捗状況", "スケジュールの変更理由", "取組結果 (令和5年度)",
           "令和6年度の取組予定", "令和7年度以降の取組予定", "所管課")
_SEED_ROWS = [line.split("\t") for line in SEED_TEXT.splitlines()
              if "\t" in line and line.split("\t")[3:4] and marks.is_status_mark(line.split("\t")[3], NAKANO.grade_by_form)]
seed_cells = st.sampled_from(sorted({cell for row in _SEED_ROWS for cell in row}))
rows = st.one_of(
    st.sampled_from(_SEED_ROWS),
    st.lists(st.one_of(seed_cells, cells), min_size=0, max_size=11),
    st.builds(lambda row, i, value: row[:i] + [value] + row[i + 1:],
              st.sampled_from(_SEED_ROWS), st.integers(0, 8), st.one_of(seed_cells, cells)),
)


def _attachment(generated: list[list[str]]) -> Document:
    grid_rows = [tuple(Cell(value, line=1) for value in _HEADER)]
    grid_rows += [tuple(Cell(value, line=n) for value in row) for n, row in enumerate(generated, 2)]
    return Document(source="r.txt", input_format="text", blocks=(Grid(tuple(grid_rows), line=1),))


@fixed(700)
@given(generated=st.lists(rows, min_size=1, max_size=6))
def test_attachment_rows_become_records_or_named_errors(generated):
    try:
        raw = document_to_report(_attachment(generated), profile=NAKANO)
        items, mentions, _ = raw_items_to_records(raw.items, "r", "r.txt", profile=NAKANO)
        items, _ = resolve_relisted(items, "r.txt", profile=NAKANO)
        status_rows_to_records(raw.status_rows, "r", "r.txt", raw.grades)
        indicator_tables_to_records(raw.indicator_tables, "r", "r.txt", profile=NAKANO)
        footnotes_to_records(raw.footnotes, "r", "r.txt", profile=NAKANO)
    except PipelineError as error:
        assert str(error).startswith("r.txt: ")
        return
    TABLES["items"].to_frame(items)
    TABLES["date_mentions"].to_frame(mentions)


# --- whole mutated copies of the seed --------------------------------------------------

_LINES = SEED_TEXT.splitlines()


def _kind_of_line(line: str) -> str:
    cells = line.split("\t")
    if len(cells) == 1:
        return "paragraph"
    if "事業内容" in line or "指標項目" in line or "取組の数" in line or "実績" in line:
        return "header"
    if len(cells) == 2:
        return "status_count"
    return "item" if len(cells) > 6 else "indicator"


_LINES_BY_KIND: dict[str, list[int]] = {}
for _n, _line in enumerate(_LINES):
    if _line.strip():
        _LINES_BY_KIND.setdefault(_kind_of_line(_line), []).append(_n)
_ERA_YEAR = re.compile(r"(令和|平成)\s*(\d+)")


def _swap_cells(lines, n, i, j):
    cells = lines[n].split("\t")
    i, j = i % len(cells), j % len(cells)
    cells[i], cells[j] = cells[j], cells[i]
    lines[n] = "\t".join(cells)


def _set_cell(lines, n, i, value):
    cells = lines[n].split("\t")
    cells[i % len(cells)] = value
    lines[n] = "\t".join(cells)


def _era_year(lines, n, year):
    lines[n] = _ERA_YEAR.sub(lambda m: f"{m[1]}{year}", lines[n], count=1)


def _delete(lines, n, start, length):
    line = lines[n]
    start %= max(len(line), 1)
    lines[n] = line[:start] + line[start + length:]


def _double_tags(lines, n):
    lines[n] = re.sub(r"\((国|都)\)", r"(\1)(都)", lines[n]).replace("☆", "☆(国)(都)", 1)


def _repeat_line(lines, n):
    lines.insert(n, lines[n])


def _drop_line(lines, n):
    del lines[n]


def _replace_line(lines, n, cells):
    lines[n] = "\t".join(cells)


# Every kind of line equally likely, so the 4 status-count rows are hit as often as the
# 113 attachment rows.
line_no = st.one_of([st.sampled_from(numbers_) for numbers_ in _LINES_BY_KIND.values()])
mutation = st.one_of(
    st.tuples(st.just(_swap_cells), line_no, st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just(_set_cell), line_no, st.integers(0, 9),
              st.sampled_from(["◎", "○", "△", "×", "済", "", "-", "〇", "○○", "(国)(都)",
                               "(9-9-⑨再掲)", "1-1-①", "令和6年2月30日", "令和0年度", "☆"])),
    st.tuples(st.just(_era_year), st.sampled_from(range(len(_LINES))),
              st.sampled_from([0, 1, 5, 31, 32, 47, 99, 100, 999])),
    st.tuples(st.just(_delete), line_no, st.integers(0, 200), st.integers(1, 30)),
    st.tuples(st.just(_double_tags), line_no),
    st.tuples(st.just(_repeat_line), line_no),
    st.tuples(st.just(_drop_line), st.sampled_from(range(len(_LINES)))),
)


def _mutated(lines: list[str], mutations) -> str:
    lines = list(lines)
    for change, n, *args in mutations:
        if n < len(lines):
            change(lines, n, *args)
    return "\n".join(lines) + "\n"


# The front part and the first attachment rows: every kind of table, small enough that
# the stages run in milliseconds, so that many mutations can be tried.
_SHORT = _LINES[:max(_LINES_BY_KIND["item"][:12]) + 1]
short_line_no = st.one_of([st.sampled_from([n for n in numbers_ if n < len(_SHORT)])
                           for numbers_ in _LINES_BY_KIND.values()])
short_mutation = st.one_of(
    mutation.map(lambda m: (m[0], m[1] % len(_SHORT), *m[2:])),
    st.tuples(st.just(_replace_line), short_line_no, rows),
)


@fixed(600)
@given(mutations=st.lists(short_mutation, min_size=1, max_size=4))
def test_every_stage_gives_records_or_a_named_error_on_a_mutated_short_report(mutations):
    try:  # the reader refuses a row split by a line break
        document = text_to_document(_mutated(_SHORT, mutations), "r.txt")
        raw = document_to_report(document, profile=NAKANO)
        items, mentions, _ = raw_items_to_records(raw.items, "r", "r.txt", profile=NAKANO)
        items, _ = resolve_relisted(items, "r.txt", profile=NAKANO)
        records = {"items": items, "item_departments": item_departments(items),
                   "indicators": indicator_tables_to_records(raw.indicator_tables, "r", "r.txt", profile=NAKANO),
                   "indicator_evaluations": [],
                   "status_summary": status_rows_to_records(raw.status_rows, "r", "r.txt", raw.grades),
                   "footnotes": footnotes_to_records(raw.footnotes, "r", "r.txt", profile=NAKANO), "date_mentions": mentions}
    except PipelineError as error:
        assert str(error).startswith("r.txt: ")
        return
    for name, table in TABLES.items():
        table.to_frame(records[name])


@fixed(60)
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_a_mutated_seed_is_a_valid_report_or_failure_records(mutations):
    try:  # the reader refuses a row split by a line break
        document = text_to_document(_mutated(_LINES, mutations), "r.txt")
        frames, _, warnings = document_to_frames(document, "r", profile=NAKANO)
    except ValidationFailed as failed:
        assert failed.failures and all(f.source == "r.txt" and f.severity == "error"
                                       for f in failed.failures)
        return
    except PipelineError as error:
        assert str(error).startswith("r.txt: ")
        return
    assert all(warning.severity == "warning" for warning in warnings)
    for name, table in TABLES.items():
        table.model.validate(frames[name])

