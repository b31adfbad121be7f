"""The blind trial of issue 17: a made-up prefecture's (東海県) IT-plan follow-up laid out as
愛知県's あいちITプラン フォローアップ is — one indicator table per 柱 whose rows are 評価指標
under numbered 事業, each indicator graded A–D by its share of the target, a count table of
indicators per grade with one column per fiscal year and a total row, the grading rule as a
table — converts with tests/profiles/aichi_like.toml, written from docs/profiles.md and the
profile commands only.

The plain tests check the pieces the trial was stopped at; the conversion tests compare
both editions, in both renderings (text, .xlsx), whole with the expected values.
"""

import pytest

from conftest import TESTS
from pipeline.errors import LayoutError
from pipeline.profiles import load_profile, parse_profile
from pipeline.read.text import text_to_document
from pipeline.tidy.front import status_rows_to_records, status_total_failures
from pipeline.tidy.repair import repair_document
from pipeline.tidy.structure import classify_grid, document_to_report, grid_to_status_rows
from pipeline.records import Grid

FIXTURES = TESTS / "fixtures"
PROFILE = load_profile(TESTS / "profiles" / "aichi_like.toml")

COUNTS = "評価\t令和4年度\t令和5年度\nA\t4\t5\nB\t3\t3\nC\t2\t2\nD\t2\t1\n計\t11\t11\n"
RULES = ("評価\t評価の基準\nA\t目標値に対する達成率が100%以上\n"
         "B\t目標値に対する達成率が80%以上100%未満\n")


def _grid(text: str) -> Grid:
    document = repair_document(text_to_document(text, "r.txt"))
    grids = [block for block in document.blocks if isinstance(block, Grid)]
    assert len(grids) == 1
    return grids[0]


@pytest.mark.parametrize(("table", "kind"), [(COUNTS, "status_summary"), (RULES, "legend")])
def test_a_table_headed_like_the_counts_is_counts_only_with_a_count_column(table, kind):
    """評価 | 評価の基準 shares its first header word with the counts (評価 | 令和5年度): a count
    table needs a count cell beside its category cell, so the rule table is the legend."""
    assert classify_grid(_grid(table), PROFILE) == kind


def test_a_count_table_of_one_column_per_year_gives_a_count_per_year():
    rows = grid_to_status_rows(_grid(COUNTS), PROFILE, "r.txt")
    records = status_rows_to_records(tuple(rows), "r", "r.txt", document_to_report(
        text_to_document(RULES, "r.txt"), PROFILE).indicator_grades)
    assert [(r.status_mark, r.fiscal_year, r.count, r.grade_rank, r.status) for r in records] == [
        ("A", 2022, 4, 1, "exceeded"), ("A", 2023, 5, 1, "exceeded"),
        ("B", 2022, 3, 2, "on_schedule"), ("B", 2023, 3, 2, "on_schedule"),
        ("C", 2022, 2, 3, "delayed"), ("C", 2023, 2, 3, "delayed"),
        ("D", 2022, 2, 4, "not_started"), ("D", 2023, 1, 4, "not_started")]
    assert status_total_failures(tuple(rows), "r.txt") == []


def test_a_total_that_is_not_the_sum_of_its_column_is_an_error_naming_it():
    rows = grid_to_status_rows(_grid(COUNTS.replace("計\t11\t11", "計\t11\t12")), PROFILE, "r.txt")
    failures = status_total_failures(tuple(rows), "r.txt")
    assert [(f.code, f.line, f.value, f.message) for f in failures] == [
        ("status_total_mismatch", 6, "12", "the total 計 of 令和5年度 is 12, but its counts sum to 11")]


@pytest.mark.parametrize(("table", "message"), [
    ("評価\t令和4年度\t件数\nA\t4\t5\n",
     "r.txt: line 1, the status-count table has several count columns, but '件数' names no "
     "fiscal year."),
    ("評価\t令和4年度\t令和5年度\nA\t4\n",
     "r.txt: line 2, a status-count row should have a label and 2 count(s), found 2 cells."),
])
def test_a_count_table_that_cannot_be_read_is_one_sentence(table, message):
    text = (TESTS / "profiles" / "aichi_like.toml").read_text(encoding="utf-8")
    profile = parse_profile(text.replace('count = ["{year}"]', 'count = ["{year}", "件数"]'),
                            "aichi_like.toml")
    with pytest.raises(LayoutError) as error:
        grid_to_status_rows(_grid(table), profile, "r.txt")
    assert str(error.value) == message
