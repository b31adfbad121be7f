"""The seed report end to end, compared whole with reviewed golden outputs.

To accept a reviewed change: pipeline run tests/fixtures/nakano_fy2023.txt --out /tmp/g --no-csv-bom --no-dataset,
then copy /tmp/g/nakano_fy2023/*.csv and *.json over tests/golden/nakano_fy2023/.
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEED, TESTS

from pipeline.job import RunSettings
from pipeline.batch.report import convert
from schemas.registry import TABLES

GOLDEN = TESTS / "golden" / "nakano_fy2023"


def test_the_golden_folder_holds_every_registered_table():
    assert sorted(p.stem for p in GOLDEN.glob("*.csv")) == sorted(TABLES)


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory) -> Path:
    outcome = convert(SEED, RunSettings(out_dir=tmp_path_factory.mktemp("out"), csv_bom=False))
    assert outcome.error is None and outcome.failures == []
    return outcome.output


@pytest.mark.parametrize("table", list(TABLES))
def test_seed_tables_equal_golden_csv(seed_output, table):
    produced = (seed_output / f"{table}.csv").read_text(encoding="utf-8")
    assert produced == (GOLDEN / f"{table}.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["report.json", "datapackage.json"])
def test_seed_metadata_equals_golden(seed_output, name):
    produced = json.loads((seed_output / name).read_text(encoding="utf-8"))
    assert produced == json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("table", list(TABLES))
def test_parquet_holds_the_same_values_as_csv(seed_output, table):
    parquet = pd.read_parquet(seed_output / f"{table}.parquet")
    as_text = [["" if pd.isna(value) else str(value) for value in row]
               for row in parquet.astype(object).values.tolist()]
    csv = pd.read_csv(seed_output / f"{table}.csv", dtype=str, keep_default_na=False)
    assert as_text == csv.values.tolist()


def test_seed_counts_the_issue_names(seed_output):
    items = pd.read_parquet(seed_output / "items.parquet")
    own, relisted = items[~items["is_relisted"]], items[items["is_relisted"]]
    assert (len(items), len(own), len(relisted)) == (113, 105, 8)
    assert set(own["status_mark"].astype(str)) == {"○"}
    assert relisted["relisted_row_no"].notna().all()
    indicators = pd.read_parquet(seed_output / "indicators.parquet")
    assert indicators.groupby("indicator").size().tolist() == [4] * 10


def test_csv_starts_with_a_bom_by_default(tmp_path):
    outcome = convert(SEED, RunSettings(out_dir=tmp_path))
    assert (outcome.output / "items.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert not (outcome.output / "items.parquet").read_bytes().startswith(b"\xef\xbb\xbf")
