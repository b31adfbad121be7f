"""Another layout is a file, not code: a made-up city's report (浜松市's A–D scale with
D = cannot assess, ids like 1-(1)-①, its own column words, legend and notes) converts
with tests/profiles/kakuu_city.toml."""

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.job import RunSettings
from pipeline.batch.report import convert
from conftest import TESTS

HERE = TESTS
FIXTURE = HERE / "fixtures" / "kakuu_city_fy2024.txt"
PROFILE = HERE / "profiles" / "kakuu_city.toml"


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    outcome = convert(FIXTURE, RunSettings(out_dir=tmp_path_factory.mktemp("out"), csv_bom=False,
                                           dataset=False, profile=PROFILE))
    assert (outcome.error, outcome.failures) == (None, [])
    return outcome.output


def _table(output: Path, name: str, columns: list[str]) -> list[list[str]]:
    frame = pd.read_csv(output / f"{name}.csv", dtype=str, keep_default_na=False)
    return frame[columns].values.tolist()


def test_items_read_the_letter_scale_and_the_ids(output):
    assert _table(output, "items", ["measure_id", "business", "status_mark", "grade_rank", "status",
                                    "departments", "is_relisted", "relisted_row_no"]) == [
        ["1-1-①", "電子申請の拡充", "A", "1", "exceeded", "デジタル戦略課 市民課", "False", ""],
        ["1-1-①", "窓口キャッシュレス決済の導入", "B", "2", "on_schedule", "市民課", "False", ""],
        ["1-1-②", "施設予約システムの更新", "C", "3", "delayed", "資産経営課", "False", ""],
        ["1-1-②", "電子申請の拡充", "A", "1", "exceeded", "デジタル戦略課 市民課", "True", "1"],
        ["1-2-①", "校務支援システムの導入", "D", "", "", "教育総務課", "False", ""],
        ["1-2-①", "健診予約のオンライン化", "B", "2", "on_schedule", "健康増進課", "False", ""],
    ]
    assert _table(output, "items", ["change_reason", "plan_next_tag", "plan_next_fy"])[2:5] == [
        ["事業者選定が遅れたため", "", "2025"], ["", "拡充", "2025"], ["国の方針の変更", "検討", "2025"]]


def test_the_front_part_reads_with_the_profiles_words(output):
    assert _table(output, "status_summary", ["status_mark", "grade_rank", "status", "label", "count"]) == [
        ["A", "1", "exceeded", "目標より進んでいる", "1"], ["B", "2", "on_schedule", "目標どおり", "2"],
        ["C", "3", "delayed", "遅れている", "1"], ["D", "", "", "評価できない", "1"]]
    assert _table(output, "indicators", ["goal_no", "goal", "kind", "fiscal_year", "value", "note_refs"]) == [
        ["1", "行政手続のデジタル化", "actual", "2023", "40.0", "※1"],
        ["1", "行政手続のデジタル化", "actual", "2024", "55.0", "※1"],
        ["1", "行政手続のデジタル化", "target", "2026", "80.0", "※1"]]
    assert _table(output, "footnotes", ["ref", "text"]) == [["※1", "手続総数に占めるオンライン申請可能な手続の割合"]]
    report = json.loads((output / "report.json").read_text(encoding="utf-8"))
    assert (report["municipality"], report["profile"]) == ("架空市", "kakuu_city")
    assert report["legend"][3] == {"mark": "D", "meaning": "評価できない(事業休止等)", "grade": "D",
                                   "status": None}


def test_without_its_profile_the_report_says_which_profiles_were_tried(tmp_path):
    result = CliRunner().invoke(main, ["run", str(FIXTURE), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "Error: kakuu_city_fy2024.txt: no layout profile fits; is this a progress report? Tried "
        "nakano (no attachment header naming 事業内容/事業名/取組内容 and 進捗状況/進捗/進捗度). "
        "For another layout, write a profile and pass it with --profile (see `pipeline profile "
        "show`).")


@pytest.mark.parametrize(("fixture", "chosen"), [
    ("kakuu_city_fy2024.txt", "kakuu_city"), ("nakano_fy2023.txt", "nakano")])
def test_of_several_profiles_the_one_whose_header_the_report_prints_is_chosen(fixture, chosen):
    from pipeline.read.text import text_to_document
    from pipeline.profiles import builtin_profile, load_profile
    from pipeline.tidy.choose import choose_profile

    text = (HERE / "fixtures" / fixture).read_text(encoding="utf-8")
    candidates = (builtin_profile(), load_profile(PROFILE))
    assert choose_profile(text_to_document(text, fixture), candidates).name == chosen


def test_two_profiles_that_both_fit_are_named():
    from pipeline.errors import LayoutError
    from pipeline.read.text import text_to_document
    from pipeline.profiles import builtin_profile, builtin_text, parse_profile
    from pipeline.tidy.choose import choose_profile

    twin = parse_profile(builtin_text().replace('name = "nakano"', 'name = "nakano_copy"'), "t")
    text = (HERE / "fixtures" / "nakano_fy2023.txt").read_text(encoding="utf-8")
    with pytest.raises(LayoutError) as error:
        choose_profile(text_to_document(text, "n.txt"), (builtin_profile(), twin))
    assert str(error.value) == ("n.txt: several profiles fit equally (nakano, nakano_copy: each "
                                "claims 19 table(s), attachment (16), indicators (2), status "
                                "counts); choose one with --profile.")


def _changed_copy(tmp_path: Path) -> Path:
    """The fixture with 施設予約 C → B and 健診予約 B → D (not assessed), counts to match."""
    text = FIXTURE.read_text(encoding="utf-8")
    for old, new in (("施設予約システムの更新\t資産経営課\tC", "施設予約システムの更新\t資産経営課\tB"),
                     ("健診予約のオンライン化\t健康増進課\tB", "健診予約のオンライン化\t健康増進課\tD"),
                     ("C 遅れている\t1", "C 遅れている\t0"), ("D 評価できない\t1", "D 評価できない\t2")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "kakuu_city_fy2024_changed.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_diff_ranks_the_grades_by_the_reports_own_scale(tmp_path):
    result = CliRunner().invoke(main, ["diff", str(FIXTURE), str(_changed_copy(tmp_path)),
                                       "--profile", str(PROFILE), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "\n  status: 1 improved, 0 worsened (C→B 1, B→D 1)\n" in result.output
    changes = pd.read_csv(tmp_path / "d" / "item_changes.csv", dtype=str, keep_default_na=False)
    assert changes[["business", "field", "old", "new", "direction"]].values.tolist() == [
        ["施設予約システムの更新", "status", "C", "B", "improved"],
        ["健診予約のオンライン化", "status", "B", "D", ""]]
    summary = (tmp_path / "d" / "summary.md").read_text(encoding="utf-8")
    table = summary.split("## 進捗状況の推移")[1].split("\n\n")[2]
    assert table.splitlines() == [
        "| 令和6年度 ＼ 令和6年度 | A | B | C | D | — |", "|---|---|---|---|---|---|",
        "| A | 1 | 0 | 0 | 0 | 0 |", "| B | 0 | 1 | 0 | 1 | 0 |", "| C | 0 | 1 | 0 | 0 | 0 |",
        "| D | 0 | 0 | 0 | 1 | 0 |", "| — | 0 | 0 | 0 | 0 | 0 |"]
