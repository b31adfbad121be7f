"""The schema checks' failure records, cell by cell: what a reader of failures.csv sees
when one cell of a table breaks its model. These hold the validator to its records
whatever makes it fast (schemas/dtypes.py's Text, the frames built from records)."""

import pandas as pd
import pytest
from conftest import NAKANO, SEED

from pipeline.read.text import text_to_document
from pipeline.tidy.frames import document_to_frames
from pipeline.tidy.validate import validate_tables


@pytest.fixture(scope="module")
def seed_frames() -> dict[str, pd.DataFrame]:
    document = text_to_document(SEED.read_text(encoding="utf-8"), "seed.txt", "text")
    frames, _, warnings = document_to_frames(document, "nakano_fy2023", profile=NAKANO)
    assert warnings == []
    return frames


def with_cell(frames, table, column, index, value, dtype=None):
    """The frames with one cell changed; ``dtype`` None: the column becomes object."""
    frame = frames[table].copy()
    series = frame[column].astype(object if dtype is None else dtype)
    series.iloc[index] = value
    frame[column] = series
    return frames | {table: frame}


REQUIRED_FORM = "does not have the required form (str_matches('^(?:\\d+-)?\\d+-[①-⑳㉑-㊿]$'))"
REPEATS = "repeats the key of another row (multiple_fields_uniqueness)"


@pytest.mark.parametrize(("cell", "expected"), [
    (("items", "measure_id", 2, "1-1-3", "str"),
     [("schema", "items", None, 66, 3, "measure_id", "1-1-3", REQUIRED_FORM)]),
    (("items", "departments", 5, None, None),
     [("schema", "items", None, 69, 6, "departments", None,
       "is empty, but the column is required (not_nullable)")]),
    (("items", "source_file", 7, 7, None),  # an int among texts: pandera's row-by-row check
     [("schema", "items", None, 73, 8, "source_file", "7",
       "has the wrong type (dtype('string[pyarrow]'))")]),
    (("indicators", "fiscal_year", 0, 1800, "Int64"),
     [("schema", "indicators", None, None, None, "fiscal_year", "1800",
       "is below the lowest allowed value (greater_than_or_equal_to(1900))"),
      ("implausible_year", "indicators", None, None, None, "fiscal_year", "1800",
       "区内のマイナンバーカード交付率: a year far from the report's (2023)")]),
    (("footnotes", "ref", 1, "※1", "str"),
     [("schema", "footnotes", None, None, None, "report_id", "nakano_fy2023", REPEATS),
      ("schema", "footnotes", None, None, None, "report_id", "nakano_fy2023", REPEATS),
      ("schema", "footnotes", None, None, None, "ref", "※1", REPEATS),
      ("schema", "footnotes", None, None, None, "ref", "※1", REPEATS)]),
    (("date_mentions", "month", 0, 13, "Int64"),
     [("schema", "date_mentions", None, None, 1, "month", "13",
       "is above the highest allowed value (less_than_or_equal_to(12))")]),
    (("item_departments", "row_no", 0, 1.5, "float"),
     [("schema", "item_departments", None, None, None, "row_no", "float64",
       "has the wrong type (dtype('Int64'))")]),
], ids=lambda value: "-".join(map(str, value[:2])) if isinstance(value, tuple) else None)
def test_a_broken_cell_gives_these_failure_records(seed_frames, cell, expected):
    frames = with_cell(seed_frames, *cell)
    failures = validate_tables(frames, 2023, "seed.txt")
    assert [(f.code, f.table, f.page, f.line, f.row, f.column, f.value, f.message)
            for f in failures] == expected
    assert {f.source for f in failures} == {"seed.txt"}


def test_the_seeds_frames_pass(seed_frames):
    assert validate_tables(seed_frames, 2023, "seed.txt") == []


def test_the_cross_table_rules_on_rows_with_missing_names_and_open_re_listings(seed_frames):
    """Two rows of one measure without a business name are one repeated row (as pandas'
    duplicated() says); a re-listing names a measure that does not exist, another one
    whose rows do not hold its name; a grade the summary does not list."""
    from schemas import checks

    items = seed_frames["items"].copy()
    items.loc[3, "business"] = None
    items.loc[4, ["measure_id", "business"]] = [items.loc[3, "measure_id"], None]
    items.loc[10, ["is_relisted", "relisted_row_no", "relisted_from"]] = [True, pd.NA, "9-9-⑨"]
    items.loc[11, ["is_relisted", "relisted_row_no", "relisted_from"]] = [True, pd.NA, "1-1-①"]
    items.loc[12, "status_mark"] = "A"
    repeated = checks.business_unique(items)
    assert len(repeated) == 1 and pd.isna(repeated[0].pop("value"))
    assert repeated == [{"code": "duplicate_business", "table": "items", "row": 5,
                         "column": "business", "message": "measure 1-1-② lists this business twice"}]
    assert checks.relisted_resolved(items) == [
        {"code": "relisted_unresolved", "table": "items", "row": 11, "column": "business",
         "value": "☆セルフサービス端末の活用",
         "message": "re-listed from 9-9-⑨, but the report has no measure 9-9-⑨"},
        {"code": "relisted_unresolved", "table": "items", "row": 12, "column": "business",
         "value": "民間電子申請サービスを活用したアンケートの強化",
         "message": "re-listed from 1-1-①, but no row of 1-1-① has that business name"}]
    assert checks.status_counts_match(items, seed_frames["status_summary"]) == [
        {"code": "status_count_mismatch", "table": "status_summary", "row": None,
         "column": "count", "value": "105",
         "message": "the summary counts 105 item(s) ○ but the attachment has 101"},
        {"code": "status_count_mismatch", "table": "status_summary", "row": None,
         "column": "status_mark", "value": "A",
         "message": "the attachment has 1 item(s) A the summary does not list"}]
