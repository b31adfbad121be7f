"""One fiscal year, one report, in the combined dataset (pipeline/output/dataset_years.py).

The guide's history example converts FY2023 twice (the PDF and its text copy); the
dataset must count FY2023 once, as `pipeline history` does, and the run must say so.
"""

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE_PDF, SEED

from pipeline.cli import main

FIXTURES = ROOT / "tests" / "fixtures"
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
LEFT_OUT = ("Warning: nakano_fy2023: nakano_fy2023 and nakano_fy2023_sample are both 中野区's "
            "report of FY2023 for the same plan; the dataset keeps nakano_fy2023_sample (a "
            "published format before a text copy, then the first name) and leaves "
            "nakano_fy2023 out, so no year is counted twice. Both folders are kept.")


def run(*args: str):
    return CliRunner().invoke(main, ["run", *args])


def statuses(out) -> list[tuple]:
    duckdb = pytest.importorskip("duckdb")
    query = GUIDE.split("```sql\n-- duckdb: statuses per fiscal year", 1)[1].split("```", 1)[0]
    query = query.split("\n", 2)[2]  # past the comment's two lines
    return duckdb.sql(query.replace("'normalized/dataset/", f"'{out}/dataset/")).fetchall()


def parts(out) -> list[str]:
    return sorted(p.parent.name for p in (out / "dataset" / "items").glob("*/*/part.parquet"))


def test_the_guides_history_example_counts_fy2023_once_and_warns_naming_both(tmp_path):
    out = tmp_path / "normalized"
    inputs = [str(SEED), str(FIXTURES / "nakano_fy2024_synthetic.txt"),
              str(FIXTURES / "nakano_fy2025_synthetic.txt"), str(SAMPLE_PDF)]
    for attempt in range(2):  # the second run skips every report and still says it
        result = run(*inputs, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert LEFT_OUT in result.output.splitlines(), attempt
    assert (2023, "on_schedule", 105) in statuses(out)
    assert parts(out) == ["report_id=nakano_fy2023_sample", "report_id=nakano_fy2024_synthetic",
                          "report_id=nakano_fy2025_synthetic"]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "dataset", "nakano_fy2023", "nakano_fy2023_sample", "nakano_fy2024_synthetic",
        "nakano_fy2025_synthetic"]
    failures = (out / "failures.csv").read_text(encoding="utf-8-sig")
    assert "dataset_year_left_out" in failures


def test_the_report_left_out_returns_when_the_kept_one_goes(tmp_path):
    out = tmp_path / "normalized"
    assert run(str(SEED), str(SAMPLE_PDF), "--out", str(out)).exit_code == 0
    assert parts(out) == ["report_id=nakano_fy2023_sample"]
    shutil.rmtree(out / "nakano_fy2023_sample")
    result = run(str(SEED), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "(unchanged, skipped)" not in result.output  # converted again, with its parts
    assert parts(out) == ["report_id=nakano_fy2023"]
    seal = json.loads((out / "nakano_fy2023" / ".pipeline.json").read_text(encoding="utf-8"))
    assert "dataset_left_out" not in seal and seal["dataset"]


def test_reports_of_other_years_or_plans_are_all_kept(tmp_path):
    out = tmp_path / "normalized"
    other_plan = tmp_path / "other_plan.txt"
    other_plan.write_text(SEED.read_text(encoding="utf-8").replace(
        "第 2 次中野区地域情報化推進計画改定版の進捗状況等について",
        "中野区DX推進計画の進捗状況等について", 1), encoding="utf-8")
    result = run(str(SEED), str(other_plan), str(FIXTURES / "nakano_fy2024_synthetic.txt"),
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "dataset_year_left_out" not in result.output and "the dataset keeps" not in result.output
    assert parts(out) == ["report_id=nakano_fy2023", "report_id=nakano_fy2024_synthetic",
                          "report_id=other_plan"]
