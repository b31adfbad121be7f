"""The table registry: one declaration per table, and records that cannot drift from it."""

import dataclasses
import subprocess
import sys

import pytest
from conftest import ROOT

from schemas.records import FootnoteRecord, ItemDepartmentRecord
from schemas.registry import DIFF_TABLES, HISTORY_TABLES, TABLES

ALL_TABLES = [*TABLES.values(), *DIFF_TABLES.values(), *HISTORY_TABLES.values()]


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_record_fields_are_the_models_columns_in_order(table):
    assert [field.name for field in dataclasses.fields(table.record)] == table.columns


def test_report_tables_in_output_order_with_their_keys():
    assert [(t.name, t.primary_key) for t in TABLES.values()] == [
        ("items", ["report_id", "row_no"]),
        ("item_departments", ["report_id", "row_no", "department"]),
        ("indicators", ["report_id", "goal_no", "indicator", "kind", "fiscal_year", "qualifier"]),
        ("indicator_evaluations", ["report_id", "goal_no", "indicator"]),
        ("status_summary", ["report_id", "status_mark", "fiscal_year"]),
        ("footnotes", ["report_id", "ref"]),
        ("date_mentions", []),
    ]


def test_a_misspelt_record_field_fails_where_the_record_is_made():
    with pytest.raises(TypeError, match="unexpected keyword argument 'departmnet'"):
        ItemDepartmentRecord(report_id="r", row_no=1, departmnet="デジタル政策課")
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'department'"):
        ItemDepartmentRecord(report_id="r", row_no=1)


@pytest.mark.parametrize(("row", "message"), [
    ({"report_id": "r", "row_no": 1, "departmnet": "デジタル政策課"},
     "item_departments record: unknown key(s) ['departmnet'], missing key(s) ['department']"),
    ({"report_id": "r", "row_no": 1},
     "item_departments record: unknown key(s) [], missing key(s) ['department']"),
    (FootnoteRecord(report_id="r", ref="※1", text="注", source_file="r.txt", source_ref="line 1"),
     "item_departments rows are ItemDepartmentRecord records, not FootnoteRecord"),
])
def test_building_a_table_fails_on_an_unknown_or_missing_key(row, message):
    with pytest.raises(TypeError) as raised:
        TABLES["item_departments"].to_frame([row])
    assert str(raised.value) == message


def test_a_value_outside_a_categorical_column_is_refused_not_nulled():
    row = {"report_id": "r", "row_no": 1, "field": "reslut", "raw": "5月", "year": None,
           "month": 5, "day": None, "fiscal_year": None, "inferred": True}
    with pytest.raises(ValueError, match=r"date_mentions.field: \['reslut'\] are not among"):
        TABLES["date_mentions"].to_frame([row])


def test_an_empty_table_keeps_its_columns_and_types():
    frame = TABLES["footnotes"].to_frame([])
    assert list(frame.columns) == ["report_id", "ref", "text", "source_file", "source_ref"]
    assert len(frame) == 0


def test_the_normalisers_share_the_vocabulary_without_loading_pandas():
    code = ("import sys, pipeline.normalize.marks, pipeline.normalize.ids, "
            "pipeline.normalize.era; print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout == "False\n"


def test_schemas_import_nothing_from_pipeline():
    imports = [line for path in sorted((ROOT / "schemas").glob("*.py"))
               for line in path.read_text(encoding="utf-8").splitlines()
               if line.lstrip().startswith(("import pipeline", "from pipeline"))]
    assert imports == []
