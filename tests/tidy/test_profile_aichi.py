"""The blind trial of issue 17: a made-up prefecture's (東海県) IT-plan follow-up laid out as
愛知県's あいちITプラン フォローアップ is — one indicator table per 柱 whose rows are 評価指標
under numbered 事業, each indicator graded A–D by its share of the target, a count table of
indicators per grade with one column per fiscal year and a total row, the grading rule as a
table — converts with tests/profiles/aichi_like.toml, written from docs/profiles.md and the
profile commands only.

The plain tests check the pieces the trial was stopped at; the conversion tests compare
both editions, in both renderings (text, .xlsx), whole with the expected values.
"""

import json
import math

import pandas as pd
import pytest
from openpyxl import load_workbook

import pipeline
from click.testing import CliRunner
from conftest import TESTS
from pipeline.cli import main
from make_aichi_fixtures import text_to_workbook
from pipeline.errors import LayoutError
from pipeline.read.xlsx import xlsx_to_document
from pipeline.profiles import load_profile, parse_profile
from pipeline.profiles.model import ItemsTable
from pipeline.read.text import text_to_document
from pipeline.normalize.ids import SplitIdReader
from pipeline.tidy.front import indicator_tables_to_tables
from pipeline.tidy.status_counts import status_rows_to_records, status_total_failures
from pipeline.tidy.repair import repair_document
from pipeline.tidy.front_tables import grid_to_status_rows
from pipeline.tidy.structure import classify_grid, document_to_report
from pipeline.records import Grid

FIXTURES = TESTS / "fixtures"
PROFILE_FILE = TESTS / "profiles" / "aichi_like.toml"
PROFILE = load_profile(PROFILE_FILE)
EDITIONS = ("aichi_like_fy2023", "aichi_like_fy2024")
RENDERINGS = ("txt", "xlsx")
CASES = [(edition, rendering) for edition in EDITIONS for rendering in RENDERINGS]
EXPECTED = json.loads((FIXTURES / "aichi_like_expected.json").read_text(encoding="utf-8"))
COLUMNS = {name: list(rows[0]) for name, rows in EXPECTED["aichi_like_fy2023"].items()
           if isinstance(rows, list)}

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


# --------------------------------------------------------------------------- the fixtures

def _grids(document) -> list[list[list[str | None]]]:
    return [[[cell.text for cell in row] for row in block.rows]
            for block in document.blocks if isinstance(block, Grid)]


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_workbook_is_the_one_the_generator_writes_from_the_text(edition, tmp_path):
    text = (FIXTURES / f"{edition}.txt").read_text(encoding="utf-8")
    written = tmp_path / f"{edition}.xlsx"
    text_to_workbook(text, f"{edition}.txt").save(written)
    committed, fresh = (load_workbook(path).active for path in (FIXTURES / f"{edition}.xlsx", written))
    assert ([[c.value for c in row] for row in committed.iter_rows()]
            == [[c.value for c in row] for row in fresh.iter_rows()])
    assert sorted(map(str, committed.merged_cells.ranges)) == sorted(map(str, fresh.merged_cells.ranges))


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_workbook_reads_back_as_the_texts_grids_merged_cells_none(edition):
    text = (FIXTURES / f"{edition}.txt").read_text(encoding="utf-8")
    from_text = _grids(text_to_document(text, f"{edition}.txt"))
    from_sheet = _grids(xlsx_to_document(FIXTURES / f"{edition}.xlsx"))
    # a 事業's 番号, 事業名 and 所管課 merged down over its further indicators: None there
    merged = [[[None if cell == "" and j < 3 and grid[0][0] == "番号" else cell
                for j, cell in enumerate(row)] for row in grid] for grid in from_text]
    assert from_sheet == merged


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_expected_values_are_the_texts_printed_cells(edition):
    """Every value of the expected file is printed in the text: its raw is a cell of its
    indicator's line, and each indicator line gives one target and one actual."""
    lines = (FIXTURES / f"{edition}.txt").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.count("\t") == 7 and "%" in line]
    expected = EXPECTED[edition]["indicators"]
    assert len(expected) == 2 * len(rows)
    for row, (target, actual) in zip(rows, zip(expected[::2], expected[1::2])):
        assert (target["indicator"], target["raw"], actual["raw"]) == (row[3], row[4], row[5])
        assert json.loads(target["extra"])["達成率"] == row[6]
    marks = [row[7] for row in rows]
    assert [e["evaluation_mark"] for e in EXPECTED[edition]["indicator_evaluations"]] == marks


# --------------------------------------------------------------------------- conversion

CONVERTED: dict[tuple[str, str], pipeline.Report] = {}


def _converted(edition: str, rendering: str) -> pipeline.Report:
    if (edition, rendering) not in CONVERTED:
        CONVERTED[edition, rendering] = pipeline.convert(FIXTURES / f"{edition}.{rendering}",
                                                         profile=PROFILE_FILE)
    return CONVERTED[edition, rendering]


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """The frame's rows in order as plain values (NA → None, numpy → Python)."""
    def plain(value):
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        return value.item() if hasattr(value, "item") else value
    return [{column: plain(row[column]) for column in columns}
            for row in frame[columns].astype(object).to_dict("records")]


@pytest.mark.parametrize(("edition", "rendering"), CASES)
@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_every_row_is_the_expected_one(edition, rendering, table):
    frame = _converted(edition, rendering).tables[table]
    assert _records(frame, COLUMNS[table]) == EXPECTED[edition][table]


@pytest.mark.parametrize(("edition", "rendering"), CASES)
def test_the_report_is_the_prefectures_of_its_year_without_items_or_doubts(edition, rendering):
    report = _converted(edition, rendering)
    assert {key: report.facts[key] for key in EXPECTED[edition]["report"]} == EXPECTED[edition]["report"]
    assert (report.facts["profile"], report.facts["profile_chosen"],
            report.facts["validation"]["checks_skipped"], report.warnings) == (
        "aichi_like", None, [], [])  # given with --profile: not chosen
    assert (len(report.tables["items"]), len(report.tables["footnotes"])) == (0, 0)


@pytest.mark.parametrize(("edition", "rendering"), CASES)
def test_a_count_that_disagrees_with_the_grades_stops_the_run_naming_it(edition, rendering,
                                                                        tmp_path):
    """The count table counts the indicators (scale = "indicators"): one more A than the
    tables grade, with the total made to agree, is the one failure."""
    year = EXPECTED[edition]["report"]["fiscal_year"]
    counts = [row for row in EXPECTED[edition]["status_summary"]
              if row["status_mark"] == "A" and row["fiscal_year"] == year][0]["count"]
    text = (FIXTURES / f"{edition}.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    first_a = next(n for n, line in enumerate(lines) if line.startswith("A\t"))
    total = next(n for n, line in enumerate(lines) if line.startswith("計\t"))
    for n in (first_a, total):
        cells = lines[n].split("\t")
        lines[n] = "\t".join([*cells[:-1], str(int(cells[-1]) + 1)])
    report = tmp_path / f"{edition}.txt"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(pipeline.ConversionFailed) as failed:
        pipeline.convert(report, profile=PROFILE_FILE)
    assert [(f.code, f.message) for f in failed.value.failures] == [
        ("status_count_mismatch", f"the summary counts {counts + 1} indicator(s) A but the "
                                  f"indicator tables have {counts}")]


# --------------------------------------------------------------------------- diff and history

@pytest.mark.parametrize("rendering", RENDERINGS)
def test_the_diff_moves_the_evaluations_and_names_the_added_and_dropped(rendering):
    comparison = pipeline.diff(*(_converted(edition, rendering) for edition in EDITIONS))
    moves = comparison.tables["indicator_evaluation_changes"]
    columns = ["goal_no", "indicator", "change", "old_mark", "new_mark", "direction"]
    assert moves[columns].astype(object).where(moves[columns].notna(), None).values.tolist() == [
        [2, "スマート農業機器を導入した経営体の数", "changed", "C", "B", "improved"],
        [2, "データを活用したアプリの数", "changed", "D", "C", "improved"],
        [2, "講座の修了者数", "changed", "A", "B", "worsened"],
        [3, "テレワークを実施した職員の割合", "changed", "C", "B", "improved"],
        [3, "RPAで削減した作業時間", "changed", "B", "A", "improved"],
        [3, "生成AIを利用した職員の数", "added", None, "C", None],
        [3, "会議資料の印刷枚数(万枚)", "removed", "A", None, None]]


def test_the_history_follows_each_indicators_values_and_evaluation_over_both_years():
    history = pipeline.history([_converted(edition, "txt") for edition in EDITIONS])
    assert [report.fiscal_year for report in history.result.reports] == [2023, 2024]
    values = history.tables["indicator_history"]
    rows = values[values["indicator"] == "講座の修了者数"]
    assert _records(rows, ["kind", "value_fiscal_year", "fiscal_year", "value", "latest"]) == [
        {"kind": "actual", "value_fiscal_year": 2023, "fiscal_year": 2023, "value": 1310.0, "latest": True},
        {"kind": "actual", "value_fiscal_year": 2024, "fiscal_year": 2024, "value": 1150.0, "latest": True},
        {"kind": "target", "value_fiscal_year": 2023, "fiscal_year": 2023, "value": 1200.0, "latest": True},
        {"kind": "target", "value_fiscal_year": 2024, "fiscal_year": 2024, "value": 1300.0, "latest": True}]
    graded = history.tables["indicator_evaluation_history"]
    farming = graded[graded["indicator"] == "スマート農業機器を導入した経営体の数"]
    assert _records(farming, ["fiscal_year", "evaluation_mark", "direction"]) == [
        {"fiscal_year": 2023, "evaluation_mark": "C", "direction": None},
        {"fiscal_year": 2024, "evaluation_mark": "B", "direction": "improved"}]


# --------------------------------------------------------------------------- the trial's stops

def test_an_attachment_header_naming_a_column_twice_says_which_and_why(tmp_path):
    """The trial's first stop: the attachment's status word 評価 is inside 評価指標 too, and
    the message named neither the column nor the cells."""
    text = PROFILE_FILE.read_text(encoding="utf-8").replace(
        "[tables.items]\nrequired = false\n",
        '[tables.items]\nidentify = ["business", "status"]\nrequired = false\n\n'
        '[tables.items.columns]\nbusiness = ["事業名"]\nstatus = ["評価"]\n'
        'result = ["実績値({year})"]\n')
    profile = tmp_path / "trial.toml"
    profile.write_text(text, encoding="utf-8")
    with pytest.raises(pipeline.ConversionFailed) as failed:
        pipeline.convert(FIXTURES / "aichi_like_fy2023.txt", profile=profile)
    assert str(failed.value) == (
        "aichi_like_fy2023.txt: line 26, the attachment header names the status column twice: "
        "'評価指標' and '評価' both match its words (評価); a word matches a cell it equals or, "
        "failing that, one it is inside.")


def test_a_profile_of_reports_without_an_attachment_names_no_attachment_columns():
    """The trial's second stop: tables.items.required = false still required words for the
    attachment's business, status and result, which the report never prints, and a
    [grades] scale for items it has none of."""
    assert (PROFILE.tables.items, PROFILE.grades) == (ItemsTable(required=False), ())
    result = CliRunner().invoke(main, ["profile", "check", str(PROFILE_FILE)])
    assert (result.exit_code, result.output) == (0, f"{PROFILE_FILE}: profile 'aichi_like' is "
                                                    "valid (no attachment, indicator grades A B C D).\n")


# --------------------------------------------------------------------------- grades by share

def test_an_evaluation_its_printed_share_does_not_earn_is_a_warning_naming_it(tmp_path):
    """電子申請の利用件数 reaches 86.2% of its target, a B; printed A, the A is kept and the
    doubt told."""
    text = (FIXTURES / "aichi_like_fy2023.txt").read_text(encoding="utf-8")
    report = tmp_path / "aichi_like_fy2023.txt"
    report.write_text(text.replace("86.2%\tB", "86.2%\tA").replace("A\t4\t5", "A\t4\t6")
                      .replace("B\t3\t3", "B\t3\t2"), encoding="utf-8")
    converted = pipeline.convert(report, profile=PROFILE_FILE)
    assert [(w.code, w.table, w.line, w.value, w.message) for w in converted.warnings] == [
        ("indicator_grade_disagrees", "indicator_evaluations", 28, "A",
         "the evaluation A of '電子申請の利用件数' is for a share of its target of 100% or more, "
         "but its printed share is 86.2%, which is B's; the printed evaluation is kept")]
    evaluations = converted.tables["indicator_evaluations"]
    assert evaluations.loc[evaluations["indicator"] == "電子申請の利用件数", "evaluation_mark"].tolist() == ["A"]


def test_without_a_share_column_the_share_is_the_actual_over_the_target():
    """Read without its 達成率 column (kept as extra), the share is actual / target: the one
    indicator where less is better (印刷枚数, 96万 against 120万, printed A: its 125.0% is
    target / actual) is the one doubt."""
    text = PROFILE_FILE.read_text(encoding="utf-8").replace(
        'share = ["達成率"]\nextra = ["所管課"]', 'extra = ["所管課", "達成率"]')
    profile = parse_profile(text, "aichi_no_share.toml")
    report = document_to_report(text_to_document(
        (FIXTURES / "aichi_like_fy2023.txt").read_text(encoding="utf-8"), "r.txt"), profile)
    found = indicator_tables_to_tables(report.indicator_tables, "r", "r.txt", profile,
                                       id_reader=lambda: SplitIdReader(profile))
    assert [(f.code, f.line, f.message) for f in found.failures] == [
        ("indicator_grade_disagrees", 45,
         "the evaluation A of '会議資料の印刷枚数(万枚)' is for a share of its target of 100% or "
         "more, but its actual 96万枚 of the target 120万枚 is 80.0%, which is B's; the printed "
         "evaluation is kept")]


def test_profile_check_shows_every_table_and_header_cell_on_one_screen():
    result = CliRunner().invoke(main, ["profile", "check", str(PROFILE_FILE),
                                       str(FIXTURES / "aichi_like_fy2023.txt")])
    columns = ("  番号 → measure; 事業名 → measure_name; 所管課 → extra; 評価指標 → indicator; "
               "目標値(令和5年度) → target; 実績値(令和5年度) → actual; 達成率 → share; 評価 → evaluation")
    assert (result.exit_code, result.output.splitlines()) == (0, [
        f"aichi_like_fy2023.txt with profile 'aichi_like' ({PROFILE_FILE}):",
        "status_summary: line 7 '評価'",
        "  評価 → category; 令和4年度 → count; 令和5年度 → count",
        "indicators: line 26 '番号'", columns,
        "indicators: line 34 '番号'", columns,
        "indicators: line 42 '番号'", columns,
        "legend: line 16 '評価'",
        "  評価 → mark; 評価の基準 → meaning",
        "items: none",
        "skip: none",
        "converts: no error"])
