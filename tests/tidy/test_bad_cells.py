"""Odd cells a user's report may hold: each gives one sentence (or one warning) naming
the cell, never a traceback and never follow-on lines about unrelated columns."""

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPORT_FILES, SEED

from pipeline.cli import main

SEED_TEXT = SEED.read_text(encoding="utf-8")
LINES = SEED_TEXT.splitlines(keepends=True)
FAILED = "Error: 1 of 1 input(s) failed; nothing was written for them.\n"


def run(tmp_path: Path, name: str, text: str, *options: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "out"), *options])


def replaced(old: str, new: str) -> str:
    assert old in SEED_TEXT
    return SEED_TEXT.replace(old, new, 1)


def with_line_repeated(line_no: int, keep_measure: bool = False) -> str:
    line = LINES[line_no - 1]
    if not keep_measure:  # the repeat goes on under the same measure
        line = "\t\t" + "\t".join(line.split("\t")[2:])
    return "".join(LINES[:line_no] + [line] + LINES[line_no:])


def test_an_impossible_date_keeps_the_text_and_warns(tmp_path):
    text = replaced("夜間日曜開庁などカード受取りの利便性を図った。",
                    "令和6年2月30日に夜間日曜開庁などカード受取りの利便性を図った。")
    result = run(tmp_path, "date.txt", text)
    assert result.exit_code == 0, result.output
    assert ("Warning: date.txt, table items, line 64, row 1, column result: '令和6年2月30日' is "
            "not a possible date; the text is kept and the date is left out of date_mentions "
            "(value '令和6年2月30日')\n") in result.output
    folder = tmp_path / "out" / "date"
    assert sorted(p.name for p in folder.iterdir()) == [".pipeline.json", *REPORT_FILES]
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["warnings"] == [{
        "code": "impossible_date", "source": "date.txt", "table": "items", "page": None,
        "line": 64, "row": 1, "column": "result", "value": "令和6年2月30日",
        "message": "'令和6年2月30日' is not a possible date; the text is kept and the date is "
                   "left out of date_mentions",
        "severity": "warning"}]
    items = (folder / "items.csv").read_text(encoding="utf-8-sig")
    assert "令和6年2月30日に夜間日曜開庁などカード受取りの利便性を図った。" in items
    mentions = (folder / "date_mentions.csv").read_text(encoding="utf-8-sig")
    assert "2月30日" not in mentions and mentions.count("\n") == 33  # header + the seed's 32


@pytest.mark.parametrize(("name", "text", "message"), [
    ("tags.txt", replaced("(都)電子申請サービスの共同運営", "(国)(都)電子申請サービスの共同運営"),
     "Error: tags.txt: 1 validation failure(s)\n"
     "  tags.txt, table items, line 68, row 5, column business: the business name carries two "
     "government levels, (国) and (都), where a business has one (value "
     "'(国)(都)電子申請サービスの共同運営・共同調達')\n"),
    ("markers.txt", replaced("(1-2-②再掲)セルフサービス端末の活用",
                             "(1-2-②再掲)(1-1-①再掲)セルフサービス端末の活用"),
     "Error: markers.txt: 1 validation failure(s)\n"
     "  markers.txt, table items, line 150, row 69, column business: the business name carries "
     "two 再掲 markers, 1-2-② and 1-1-①, where a row re-lists one measure (value "
     "'(1-2-②再掲)(1-1-①再掲)セルフサービス端末の活用')\n"),
    ("star.txt", replaced("\t\tコンビニ交付サービスの利用促進\t", "\t\t☆\t"),
     "Error: star.txt: 1 validation failure(s)\n"
     "  star.txt, table items, line 65, row 2, column business: the 事業内容 cell holds only "
     "marks (☆, (国), 再掲), no business name (value '☆')\n"),
    ("year0.txt", replaced("取組結果 (令和5年度)", "取組結果 (令和0年度)"),
     "Error: year0.txt: line 63, the attachment header '取組結果 (令和0年度)' names an impossible "
     "fiscal year (令和0年 is not a possible year).\n"),
    ("plan_year.txt", replaced("令和6年度の取組予定", "令和100年度の取組予定"),
     "Error: plan_year.txt: line 63, the attachment header '令和100年度の取組予定' names an "
     "impossible fiscal year (令和100年 is not a possible year).\n"),
    ("relist.txt", replaced("(1-2-②再掲)セルフサービス端末の活用", "(9-9-⑨再掲)セルフサービス端末の活用"),
     "Error: relist.txt: 1 validation failure(s)\n"
     "  relist.txt, table items, line 150, row 69, column business: re-listed from 9-9-⑨, but "
     "the report has no measure 9-9-⑨ (value '(9-9-⑨再掲)セルフサービス端末の活用')\n"),
    ("duplicate.txt", with_line_repeated(65),
     "Error: duplicate.txt: 1 validation failure(s)\n"
     "  duplicate.txt, table items, line 66, row 3, column business: measure 1-1-① lists this "
     "business twice (value 'コンビニ交付サービスの利用促進')\n"),
    # The repeated row is one a 再掲 row re-lists: the 再掲 row is not reported as well.
    ("duplicate_original.txt", with_line_repeated(76),
     "Error: duplicate_original.txt: 1 validation failure(s)\n"
     "  duplicate_original.txt, table items, line 77, row 12, column business: measure 1-2-② "
     "lists this business twice (value 'セルフサービス端末の活用')\n"),
])
def test_a_bad_cell_is_one_sentence_naming_it(tmp_path, name, text, message):
    result = run(tmp_path, name, text)
    assert (result.exit_code, result.output) == (1, message + FAILED)
    assert not (tmp_path / "out" / Path(name).stem).exists()


def test_bad_cells_in_a_parallel_batch_beside_good_reports(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    bad = {"date": replaced("夜間日曜開庁", "令和6年2月30日に夜間日曜開庁"),
           "tags": replaced("(都)電子申請サービスの共同運営", "(国)(都)電子申請サービスの共同運営"),
           "year0": replaced("取組結果 (令和5年度)", "取組結果 (令和0年度)")}
    for stem, text in {**bad, "good_a": SEED_TEXT, "good_b": SEED_TEXT}.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(folder), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for stem in ("date", "good_a", "good_b"):
        assert sorted(p.name for p in (out / stem).iterdir()) == [".pipeline.json", *REPORT_FILES]
    assert not (out / "tags").exists() and not (out / "year0").exists()
    with (out / "failures.csv").open(encoding="utf-8-sig", newline="") as stream:
        errors = [row for row in csv.DictReader(stream) if row["severity"] == "error"]
    assert [(row["code"], row["source"]) for row in errors] == [
        ("business_name_conflict", "tags.txt"), ("input", "year0.txt")]


def test_the_odd_cells_in_a_parallel_batch_beside_good_reports(tmp_path):
    """Each of these once crashed a --jobs 2 batch with a traceback: now the good reports
    are all written, and failures.csv names every bad cell."""
    folder = tmp_path / "raw"
    folder.mkdir()
    reports = {
        "a_good.txt": SEED_TEXT,
        "b_date.txt": replaced("令和6年3月に東京都被災者", "令和6年2月30日に東京都被災者"),
        "c_tags.txt": replaced("(都)電子申請サービスの共同運営", "(国)(都)電子申請サービスの共同運営"),
        "d_year0.txt": replaced("取組結果 (令和5年度)", "取組結果 (令和0年度)"),
        "e_good.txt": SEED_TEXT,
    }
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(folder), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "a_good", "b_date", "dataset", "e_good"]
    with (out / "failures.csv").open(encoding="utf-8-sig") as stream:
        rows = [(row["severity"], row["code"], row["source"], row["line"], row["column"])
                for row in csv.DictReader(stream)]
    # a_good, b_date and e_good are one report of FY2023 thrice: the dataset keeps a_good.
    assert rows == [("warning", "impossible_date", "b_date.txt", "67", "result"),
                    ("warning", "dataset_year_left_out", "b_date", "", ""),
                    ("error", "business_name_conflict", "c_tags.txt", "68", "business"),
                    ("error", "input", "d_year0.txt", "", ""),
                    ("warning", "dataset_year_left_out", "e_good", "", "")]
