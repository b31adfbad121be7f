"""A next year's report retyped in another layout gives the same items, with no option.

The fixtures are written by tests/make_layout_fixtures.py from the FY2024 report in the
seed's layout: columns reordered and renamed with synonyms (a different one per page),
the count table and legend reworded, departments separated by 、; and two that drop a
column (変更理由, 令和N年度以降).
"""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.read.text import text_to_document
from pipeline.tidy.frames import document_to_frames
from conftest import NAKANO, ROOT, TESTS

FIXTURES = TESTS / "fixtures"
LATER = ["plan_later", "plan_later_tag", "plan_later_from_fy"]


def frames_of(name: str) -> dict[str, pd.DataFrame]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    frames, _, _ = document_to_frames(text_to_document(text, name), "r", profile=NAKANO)
    return frames


@pytest.fixture(scope="module")
def seed_layout() -> dict[str, pd.DataFrame]:
    return frames_of("nakano_fy2024_synthetic.txt")


def _rows(frame: pd.DataFrame, drop: list[str]) -> list[list]:
    kept = frame.drop(columns=drop + ["source_line", "source_file", "source_ref"], errors="ignore").astype(object)
    return kept.where(kept.notna(), None).values.tolist()


@pytest.mark.parametrize(("name", "missing"), [
    ("nakano_fy2024_reordered.txt", []),
    ("nakano_fy2024_no_reason.txt", ["change_reason"]),
    ("nakano_fy2024_no_later.txt", LATER),
])
def test_a_changed_layout_gives_the_seed_layouts_items(seed_layout, name, missing):
    frames = frames_of(name)
    items = frames["items"]
    assert list(items.columns) == list(seed_layout["items"].columns)
    assert _rows(items, missing) == _rows(seed_layout["items"], missing)
    assert items[missing].isna().all().all()  # a column the report lacks is null
    assert (frames["item_departments"].values.tolist()
            == seed_layout["item_departments"].values.tolist())
    assert _rows(frames["status_summary"], []) == _rows(seed_layout["status_summary"], [])


def test_the_reordered_report_prints_its_departments_with_commas():
    text = (FIXTURES / "nakano_fy2024_reordered.txt").read_text(encoding="utf-8")
    assert "企画課、区民サービス課、子ども・若者相談課" in text
    assert "進捗区分\t件数" in text and "【凡例】" in text


def test_a_department_in_no_list_of_the_profile_is_a_warning():
    text = (FIXTURES / "nakano_fy2024_synthetic.txt").read_text(encoding="utf-8")
    _, _, warnings = document_to_frames(text_to_document(text, "r.txt"), "r", profile=NAKANO)
    assert [w.describe() for w in warnings if w.code == "unknown_department"] == [
        f"r.txt, table items, line {line}, row {row}, column departments: a department in no "
        "list of the profile (a wrapped name, a typo, or a new department to add to "
        "[departments] known) (value '庁舎管理課')" for line, row in ((73, 8), (74, 9))]


def test_diff_reads_report_files_with_the_profile_given(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.profiles import builtin_text

    profile = tmp_path / "ward.toml"
    profile.write_text(builtin_text(), encoding="utf-8")
    result = CliRunner().invoke(main, [
        "diff", str(FIXTURES / "nakano_fy2024_synthetic.txt"),
        str(FIXTURES / "nakano_fy2024_reordered.txt"), "--out", str(tmp_path / "d"),
        "--profile", str(profile)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "nakano_fy2024_synthetic → nakano_fy2024_reordered (FY2024 → FY2024): no changes "
        "(105 items, all indicator values the same)")


def test_the_pdf_reads_the_same_legend_as_its_text_copy():
    from pipeline.read import read_document

    root = ROOT
    _, from_pdf, _ = document_to_frames(read_document(root / "raw" / "nakano_fy2023_sample.pdf"), "p", profile=NAKANO)
    _, from_text, _ = document_to_frames(read_document(FIXTURES / "nakano_fy2023.txt"), "t", profile=NAKANO)
    assert from_pdf["legend"] == from_text["legend"]
    assert [entry["grade"] for entry in from_pdf["legend"]] == ["◎", "○", "△", "×"]
