"""`pipeline history`: the seed (FY2023), the FY2024 fixture and the FY2025 fixture, followed.

tests/fixtures/nakano_fy2025_synthetic.txt is the FY2024 fixture moved on one year:
- statuses move again: 1-1-② 施設予約システムの拡充 ○ → △, 1-2-② ☆セルフサービス端末の活用
  ◎ → ○, 1-5-⑤ スポーツ施設… × → △, 2-1-② 児童相談所… △ → ○, and 2-2-④ 庁内情報
  ネットワーク… stays △ (late two years running);
- reworded: 1-6-① ICTサポーターの養成 → ICTサポーターの育成;
- moved: ユニファイド・コミュニケーションの導入, 2-2-③ → 2-2-①;
- removed: 1-6-① 区民のモバイル機器に関する実態把握; added: 2-4-③ 情報セキュリティ研修のオンライン化;
- indicators: the FY2024 actual of オンラインによる申請受付件数 revised, 約 231 万件 → 約 235 万件.

The expected tables are tests/golden/history/*.csv, compared whole; when a change to them is
intended and reviewed, regenerate them with `pipeline history DIR --no-csv-bom` on the three
fixtures converted by `pipeline run … --no-csv-bom` and copy the three CSV files over.
"""

import dataclasses
import itertools
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE_PDF, SEED

from pipeline import __version__
from pipeline.cli import main
from pipeline.compare.diff import diff_reports
from pipeline.errors import InputError
from pipeline.compare.folder import ReportFolder, read_report_folder
from pipeline.compare.history import build_history, history_changes
from pipeline.compare.history_report import render_history_html
from pipeline.compare.history_run import history_paths
from pipeline.job import RunSettings, file_sha256
from pipeline.batch.report import convert
from pipeline.output.write import write_table
from schemas.registry import HISTORY_TABLES

FY2024 = ROOT / "tests" / "fixtures" / "nakano_fy2024_synthetic.txt"
FY2025 = ROOT / "tests" / "fixtures" / "nakano_fy2025_synthetic.txt"
GOLDEN = ROOT / "tests" / "golden" / "history"
# The data dictionary and the guide, where the README's tables and queries moved (issue 19).
TABLES_DOC = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")


def convert_into(folder: Path, *paths: Path) -> dict[str, Path]:
    converted = {}
    for path in paths:
        outcome = convert(path, RunSettings(out_dir=folder, csv_bom=False, dataset=False))
        assert outcome.ok, (outcome.error, [f.describe() for f in outcome.failures])
        converted[path.stem] = outcome.output
    return converted


@pytest.fixture(scope="session")
def three_years(tmp_path_factory) -> dict[str, Path]:
    return convert_into(tmp_path_factory.mktemp("normalized"), SEED, FY2024, FY2025)


@pytest.fixture(scope="session")
def reports(three_years):
    return [read_report_folder(folder) for folder in three_years.values()]


def csv_text(frame: pd.DataFrame, tmp_path: Path, name: str) -> str:
    write_table(frame, tmp_path / name, csv_bom=False)
    return (tmp_path / f"{name}.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_tables_are_the_golden_ones_for_any_order_of_reports(reports, order, tmp_path):
    result = build_history([reports[index] for index in order])
    for table in ("item_history", "items", "indicator_history"):
        expected = (GOLDEN / f"{table}.csv").read_text(encoding="utf-8")
        assert csv_text(getattr(result, table), tmp_path, table) == expected, table


# item_key, fiscal_year, measure_id, business, change, previous_measure_id, previous_business
FOLLOWED = [
    ("2023-1-3-①-01", 2023, "1-3-①", "オンラインを活用した相談・講座開催", "first", None, None),
    ("2023-1-3-①-01", 2024, "1-3-①", "オンラインを活用した相談・講座の開催", "renamed", None,
     "オンラインを活用した相談・講座開催"),
    ("2023-1-3-①-01", 2025, "1-3-①", "オンラインを活用した相談・講座の開催", "same", None, None),
    ("2023-1-6-①-01", 2023, "1-6-①", "ICTサポーターの養成", "first", None, None),
    ("2023-1-6-①-01", 2024, "1-6-①", "ICTサポーターの養成", "same", None, None),
    ("2023-1-6-①-01", 2025, "1-6-①", "ICTサポーターの育成", "renamed", None, "ICTサポーターの養成"),
    ("2023-2-2-③-03", 2023, "2-2-③", "ユニファイド・コミュニケーションの導入", "first", None, None),
    ("2023-2-2-③-03", 2024, "2-2-③", "ユニファイド・コミュニケーションの導入", "same", None, None),
    ("2023-2-2-③-03", 2025, "2-2-①", "ユニファイド・コミュニケーションの導入", "moved", "2-2-③", None),
    ("2023-2-5-①-03", 2023, "2-5-①", "ICT関連資格の取得支援", "first", None, None),
    ("2023-2-5-①-03", 2024, "2-5-②", "ICT関連資格の取得支援の拡充", "renamed_moved", "2-5-①",
     "ICT関連資格の取得支援"),
    ("2023-2-5-①-03", 2025, "2-5-②", "ICT関連資格の取得支援の拡充", "same", None, None),
    ("2024-2-1-②-02", 2024, "2-1-②", "生成AIを活用した議事録作成支援", "new", None, None),
    ("2024-2-1-②-02", 2025, "2-1-②", "生成AIを活用した議事録作成支援", "same", None, None),
]


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(value) else (value.item() if hasattr(value, "item") else value)
                  for value in record) for record in frame.itertuples(index=False)]


def test_renamed_and_moved_items_keep_their_keys(reports):
    history = build_history(reports).item_history
    followed = history[history["item_key"].isin({row[0] for row in FOLLOWED})]
    columns = ["item_key", "fiscal_year", "measure_id", "business", "change",
               "previous_measure_id", "previous_business"]
    assert sorted(rows(followed[columns])) == FOLLOWED


def test_the_items_table_says_what_became_of_each_item(reports):
    items = build_history(reports).items.set_index("item_key")
    assert items.loc["2023-2-2-④-01", ["business", "latest_status_mark", "years_on_schedule",
                                       "years_delayed"]].tolist() == [
        "庁内情報ネットワークの無線LAN環境の整備", "△", 1, 2]
    assert items.loc["2023-2-5-①-03", ["names", "measure_ids"]].tolist() == [
        "ICT関連資格の取得支援 → ICT関連資格の取得支援の拡充", "2-5-① → 2-5-②"]
    assert sorted(items.index[items["disappeared"]]) == [
        "2023-1-2-①-01", "2023-1-5-④-02", "2023-1-6-①-03", "2023-1-6-①-05"]
    assert len(items) == 105 + 3 + 1


def test_a_revised_figure_keeps_both_prints(reports):
    history = build_history(reports).indicator_history
    online = history[(history["indicator"] == "オンラインによる申請受付件数")
                     & (history["kind"] == "actual") & (history["value_fiscal_year"] == 2024)]
    assert rows(online[["fiscal_year", "raw", "latest", "revised", "previous_value"]]) == [
        (2024, "約 231 万件", False, False, None), (2025, "約 235 万件", True, True, 2310000.0)]


def _year(fiscal_year: int, names: list[str]) -> ReportFolder:
    """A report of one measure, 2-1-②, listing these business names, all ○."""
    items = pd.DataFrame({
        "row_no": range(1, len(names) + 1), "measure_id": "2-1-②", "goal_no": 2,
        "policy_no": 1, "measure_no": 2, "business": names, "status_mark": "○",
        "status": "on_schedule", "grade_rank": 2,
        "departments": "デジタル政策課", "is_relisted": False})
    return ReportFolder(f"fy{fiscal_year}", fiscal_year, items, pd.DataFrame(columns=[
        "goal_no", "indicator", "kind", "fiscal_year", "value", "unit", "approx",
        "denominator", "raw"]))


@pytest.mark.parametrize(("before", "after", "keys"), [
    # Split, one half keeping the name: it keeps the key, the other half is new.
    (["施設予約システムの拡充"], ["施設予約システムの拡充", "施設予約システムのオンライン決済"],
     ["2023-2-1-②-01", "2024-2-1-②-02"]),
    # Split into halves both below the threshold (0.72, 0.55): the item disappears.
    (["ペーパーレスの推進と押印の見直し"], ["ペーパーレスの推進", "押印の見直し"],
     ["2024-2-1-②-01", "2024-2-1-②-02"]),
    # Merged: the key of the most similar (0.90 against 0.81); the other one disappears.
    (["保育所利用関係申請のRPA活用", "保育所利用関係申請のAI-OCR活用"],
     ["保育所利用関係申請のRPA・AI-OCR活用"], ["2023-2-1-②-02"]),
])
def test_splits_and_merges_keep_at_most_one_key(before, after, keys):
    history = build_history([_year(2023, before), _year(2024, after)]).item_history
    assert history.loc[history["fiscal_year"] == 2024, "item_key"].tolist() == keys


def _diff_changes(old, new) -> list[tuple]:
    """The diff's item changes in the history's terms."""
    kinds = {"added": "appeared", "removed": "disappeared"}
    found = []
    for change in diff_reports(old, new).item_changes.itertuples():
        row_old = None if pd.isna(change.row_no_old) else int(change.row_no_old)
        row_new = None if pd.isna(change.row_no_new) else int(change.row_no_new)
        if change.change in kinds:
            found.append((kinds[change.change], None, None, row_old, row_new))
        elif change.change == "renamed":
            found.append(("renamed", change.old, change.new, row_old, row_new))
        elif change.field == "measure_id":
            found.append(("moved", change.old, change.new, row_old, row_new))
        elif change.field == "status":
            found.append((change.direction, change.old, change.new, row_old, row_new))
    return sorted(found, key=str)


@pytest.mark.parametrize("pair", [(0, 1), (1, 2)])
def test_consecutive_years_change_as_the_diff_of_that_pair_says(reports, pair):
    old, new = (reports[index] for index in pair)
    changes = [(c.kind, c.old, c.new, c.row_no_old, c.row_no_new)
               for c in history_changes(build_history(reports).item_history)
               if c.fiscal_year == new.fiscal_year]
    assert sorted(changes, key=str) == _diff_changes(old, new)
    assert len(changes) == (13 if pair == (0, 1) else 8)


def test_a_missing_year_pairs_the_years_either_side_as_the_diff_does(reports):
    seed, fy2025 = reports[0], reports[2]
    history = build_history([fy2025, seed]).item_history
    changes = [(c.kind, c.old, c.new, c.row_no_old, c.row_no_new)
               for c in history_changes(history)]
    assert sorted(changes, key=str) == _diff_changes(seed, fy2025)
    assert sorted(set(history["fiscal_year"])) == [2023, 2025]


def _indicator_year(fiscal_year: int, printed: list[tuple[int, float | None, str]]
                    ) -> ReportFolder:
    indicators = pd.DataFrame([
        {"goal_no": 2, "indicator": "AI・RPAの活用による業務改善数", "kind": "actual",
         "fiscal_year": year, "value": value, "unit": "件" if value is not None else None,
         "approx": False, "denominator": None, "raw": raw} for year, value, raw in printed])
    return dataclasses.replace(_year(fiscal_year, ["生成AIの活用"]), indicators=indicators)


def test_a_later_dash_does_not_replace_a_figure_and_a_revision_is_flagged():
    history = build_history([
        _indicator_year(2023, [(2023, 8.0, "8件")]),
        _indicator_year(2024, [(2023, 9.0, "9件")]),
        _indicator_year(2025, [(2023, None, "—")])]).indicator_history
    assert rows(history[["fiscal_year", "raw", "latest", "revised", "previous_value"]]) == [
        (2023, "8件", False, False, None), (2024, "9件", True, True, 8.0),
        (2025, "—", False, False, None)]


def test_keys_do_not_depend_on_report_ids_or_folder_names(three_years, tmp_path):
    for folder, name in zip(three_years.values(), ("zz_last", "aa_first", "mm_middle")):
        copy = shutil.copytree(folder, tmp_path / "renamed" / name)
        meta = json.loads((copy / "report.json").read_text(encoding="utf-8"))
        (copy / "report.json").write_text(json.dumps(meta | {"report_id": name}), encoding="utf-8")
    result, _ = history_paths(tmp_path / "renamed", tmp_path / "out")
    golden = pd.read_csv(GOLDEN / "item_history.csv")
    assert result.item_history["item_key"].tolist() == golden["item_key"].tolist()
    assert sorted(set(result.item_history["report_id"])) == ["aa_first", "mm_middle", "zz_last"]


def test_the_same_reports_give_byte_identical_outputs(three_years, tmp_path):
    directory = next(iter(three_years.values())).parent
    first, _ = history_paths(directory, tmp_path / "one", csv_bom=False)
    history_paths(directory, tmp_path / "two", csv_bom=False)
    for name in sorted(p.name for p in (tmp_path / "one").iterdir()):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    for table in ("item_history", "items", "indicator_history"):
        assert ((tmp_path / "one" / f"{table}.csv").read_text(encoding="utf-8")
                == (GOLDEN / f"{table}.csv").read_text(encoding="utf-8"))


def test_history_json_lists_the_reports_followed(three_years, tmp_path):
    history_paths(next(iter(three_years.values())).parent, tmp_path / "out")
    meta = json.loads((tmp_path / "out" / "history.json").read_text(encoding="utf-8"))
    assert meta == {
        "municipality": "中野区", "title": "第2次中野区地域情報化推進計画改定版の進捗状況等について",
        "fiscal_years": [2023, 2024, 2025],
        "reports": [{"fiscal_year": year, "report_id": path.stem, "input_format": "text",
                     "source_sha256": file_sha256(path)}
                    for year, path in zip((2023, 2024, 2025), (SEED, FY2024, FY2025))],
        "left_out": [], "row_counts": {"item_history": 315, "items": 109, "indicator_history": 120,
                                       "indicator_evaluation_history": 0},
        "pipeline_version": __version__}


# --- one report per fiscal year ------------------------------------------------------------

def test_the_pdf_and_its_text_copy_give_one_fy2023(tmp_path):
    convert_into(tmp_path / "normalized", SAMPLE_PDF, SEED, FY2024)
    result, _ = history_paths(tmp_path / "normalized", tmp_path / "out")
    assert [(r.fiscal_year, r.report_id) for r in result.reports] == [
        (2023, "nakano_fy2023_sample"), (2024, "nakano_fy2024_synthetic")]
    assert result.left_out == (("nakano_fy2023", "nakano_fy2023_sample"),)
    assert sorted(result.item_history["fiscal_year"].value_counts().to_dict().items()) == [
        (2023, 105), (2024, 105)]
    meta = json.loads((tmp_path / "out" / "history.json").read_text(encoding="utf-8"))
    assert meta["left_out"] == [{"report_id": "nakano_fy2023", "same_as": "nakano_fy2023_sample"}]


def _reworded_copy(folder: Path, target: Path) -> Path:
    copy = shutil.copytree(folder, target)
    items = pd.read_parquet(copy / "items.parquet")
    items.loc[items["row_no"] == 7, "business"] = "施設予約システムの刷新"
    items.to_parquet(copy / "items.parquet", index=False)
    meta = json.loads((copy / "report.json").read_text(encoding="utf-8"))
    (copy / "report.json").write_text(json.dumps(meta | {"report_id": target.name}), encoding="utf-8")
    return copy


def test_two_reports_of_one_year_whose_items_differ_are_an_error_naming_both(three_years,
                                                                             tmp_path):
    directory = tmp_path / "normalized"
    original = shutil.copytree(three_years["nakano_fy2023"], directory / "nakano_fy2023")
    copy = _reworded_copy(original, directory / "nakano_fy2023_copy")
    result = CliRunner().invoke(main, ["history", str(directory)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {original} and {copy} are both FY2023 reports, but their items differ: "
        "1 change(s), the first renamed 1-1-② 施設予約システムの拡充 → 施設予約システムの刷新; "
        "keep one of them in "
        f"{directory}.\n")
    assert not (directory / "history").exists()


def test_reports_of_two_municipalities_are_refused(three_years, tmp_path):
    directory = tmp_path / "normalized"
    shutil.copytree(three_years["nakano_fy2023"], directory / "nakano_fy2023")
    other = shutil.copytree(three_years["nakano_fy2024_synthetic"], directory / "suginami")
    meta = json.loads((other / "report.json").read_text(encoding="utf-8"))
    (other / "report.json").write_text(json.dumps(meta | {"municipality": "杉並区"}),
                                       encoding="utf-8")
    with pytest.raises(InputError) as raised:
        history_paths(directory)
    assert str(raised.value) == (f"{directory}: reports of 2 municipalities (中野区, 杉並区); a "
                                 "history follows one plan, so give a folder of one "
                                 "municipality's reports.")


# --- the command line ------------------------------------------------------------------------

TERMINAL = (
    "中野区: FY2023–FY2025, 3 report(s), 109 items followed (4 appeared after FY2023, "
    "4 disappeared)\n"
    "  changes between consecutive years: 4 appeared, 4 disappeared, 3 reworded, 2 moved to "
    "another measure, 3 status improved, 5 status worsened\n"
    "  late (delayed or not started) two years running or more: 2 item(s)\n")


def test_history_of_normalized_goes_to_normalized_history_by_default(three_years, tmp_path,
                                                                     monkeypatch):
    shutil.copytree(next(iter(three_years.values())).parent, tmp_path / "normalized")
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # the second run reads past the history folder the first one wrote
        result = CliRunner().invoke(main, ["history"])
        assert result.exit_code == 0, result.output
        assert result.output == TERMINAL + (
            "→ normalized/history/ (item_history, items, indicator_history, indicator_evaluation_history, history.html, history.xlsx)\n")
    written = sorted(p.name for p in (tmp_path / "normalized" / "history").iterdir())
    assert written == ["datapackage.json", "history.html", "history.json", "history.xlsx",
                       "indicator_evaluation_history.csv", "indicator_evaluation_history.parquet",
                       "indicator_history.csv", "indicator_history.parquet", "item_history.csv",
                       "item_history.parquet", "items.csv", "items.parquet"]
    assert not [p for p in (tmp_path / "normalized").iterdir() if p.name.startswith(".")]
    csv = (tmp_path / "normalized" / "history" / "item_history.csv").read_bytes()
    assert csv.startswith("\ufeffitem_key,fiscal_year,".encode())


def _empty_folder(tmp_path: Path) -> Path:
    (tmp_path / "empty").mkdir()
    return tmp_path / "empty"


def _a_file(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    return tmp_path / "notes.txt"


def _folder_without_status(tmp_path: Path, seed_folder: Path) -> Path:
    copy = shutil.copytree(seed_folder, tmp_path / "old" / "nakano_fy2023")
    pd.read_parquet(copy / "items.parquet").drop(columns=["status"]).to_parquet(
        copy / "items.parquet", index=False)
    return tmp_path / "old"


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp_path, _: tmp_path / "missing", "{dir}: no such folder."),
    (lambda tmp_path, _: _empty_folder(tmp_path),
     "{dir}: no report folders (written by `pipeline run`) in this folder."),
    (lambda tmp_path, _: _a_file(tmp_path),
     "{dir}: not a folder; give the folder `pipeline run` wrote (default normalized/)."),
    (_folder_without_status, "{dir}/nakano_fy2023/items.parquet: the column(s) status are "
                             "missing; convert the report again with `pipeline run`."),
])
def test_an_unusable_directory_gets_one_sentence_and_exit_1(three_years, tmp_path, make, message):
    directory = make(tmp_path, three_years["nakano_fy2023"])
    result = CliRunner().invoke(main, ["history", str(directory), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == f"Error: {message.format(dir=directory)}\n"
    assert not (tmp_path / "out").exists()


def test_a_history_of_one_report_lists_its_items_once(three_years, tmp_path):
    shutil.copytree(three_years["nakano_fy2023"], tmp_path / "one" / "nakano_fy2023")
    result = CliRunner().invoke(main, ["history", str(tmp_path / "one")])
    assert result.exit_code == 0, result.output
    assert result.output == ("中野区: FY2023, 1 report(s), 105 items followed (0 appeared after "
                             f"FY2023, 0 disappeared)\n→ {tmp_path / 'one' / 'history'}/ "
                             "(item_history, items, indicator_history, indicator_evaluation_history, history.html, history.xlsx)\n")


def test_an_unwritable_output_gets_one_sentence(three_years, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "history"
    result = CliRunner().invoke(main, ["history", str(next(iter(three_years.values())).parent),
                                       "--out", str(out)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {out}: cannot write the history (File exists: "
                             f"{tmp_path / 'file'}).\n")


def test_a_killed_historys_staging_folder_is_removed_by_the_next(three_years, tmp_path):
    directory = shutil.copytree(next(iter(three_years.values())).parent, tmp_path / "normalized")
    leftover = directory / ".history.staging-999999999-abc"  # no such process
    leftover.mkdir()
    history_paths(directory)
    assert not leftover.exists() and (directory / "history" / "history.html").is_file()


def test_history_help_shows_an_example():
    result = CliRunner().invoke(main, ["history", "--help"])
    assert result.exit_code == 0
    assert "Example: pipeline history normalized --out normalized/history" in result.output


def test_the_datapackage_describes_every_history_table(three_years, tmp_path):
    history_paths(next(iter(three_years.values())).parent, tmp_path / "out")
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "history-fy2023-fy2025"
    assert [(r["name"], r["path"], r["schema"]["primaryKey"]) for r in package["resources"]] == [
        (table.name, f"{table.name}.csv", table.primary_key) for table in HISTORY_TABLES.values()]
    fields = package["resources"][0]["schema"]["fields"]
    assert fields[0]["name"] == "item_key" and fields[0]["constraints"]["required"] is True


@pytest.mark.parametrize(("table", "column"), [
    (table.name, column) for table in HISTORY_TABLES.values() for column in table.columns])
def test_every_history_column_is_in_the_data_dictionary(table, column):
    heading = f"### `{table}`" + (" (history)" if table == "items" else "")
    section = TABLES_DOC.split(heading + "\n", 1)[1].split("###", 1)[0]
    assert f"| `{column}` |" in section


def test_the_guides_duckdb_query_finds_the_items_late_two_years_running(three_years, tmp_path):
    import duckdb

    query = GUIDE.split("```sql\n-- duckdb: items late (△ or ×) in two consecutive reports\n",
                         1)[1].split("```", 1)[0]
    history_paths(next(iter(three_years.values())).parent, tmp_path / "history")
    late = duckdb.sql(query.replace("'normalized/history/item_history.parquet'",
                                    f"'{tmp_path / 'history' / 'item_history.parquet'}'"))
    assert late.fetchall() == [
        ("2023-1-5-⑤-04", 2024, 2025, "1-5-⑤", "スポーツ施設におけるキャッシュレス化", "×", "△"),
        ("2023-2-2-④-01", 2024, 2025, "2-2-④", "庁内情報ネットワークの無線LAN環境の整備", "△", "△")]


# --- the page's language ---------------------------------------------------------------------

class _Text(HTMLParser):
    """The words a reader sees: text outside tags (tooltips' titles included), not the CSS."""

    def __init__(self, page: str):
        super().__init__()
        self.parts: list[str] = []
        self.in_style = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.parts.append(data)


INTERNAL_NAMES = ("on_schedule", "not_started", "exceeded", "delayed", "item_key",
                  "business", "measure", "status", "followed", "appeared", "FY20", "goal",
                  "actual", "target", "text", "markdown")


@pytest.mark.parametrize("report", ["history", "one"])
def test_history_html_speaks_japanese_and_shows_no_internal_name(reports, report):
    result = build_history(reports if report == "history" else reports[:1])
    seen = "".join(_Text(render_history_html(result)).parts)
    assert [name for name in INTERNAL_NAMES if name in seen] == []
    assert ("中野区: 令和5年度から令和7年度までの進捗状況" if report == "history"
            else "中野区: 令和5年度の進捗状況") in seen


def test_history_html_in_english_on_request(reports):
    page = render_history_html(build_history(reports), lang="en")
    assert "<title>中野区: progress from 令和5年度 (FY2023) to 令和7年度 (FY2025)</title>" in page
    assert '<html lang="en">' in page and "Every item, year by year" in page


def test_history_html_labels_every_year_and_the_actuals_values(reports):
    page = render_history_html(build_history(reports))
    chart = page[page.index('aria-label="区内のマイナンバーカード交付率"'):]
    chart = chart[:chart.index("</svg>")]
    axis = [label for label in ("令和4", "令和5", "令和6", "令和7", "令和8")
            if f">{label}</text>" in chart]
    assert axis == ["令和4", "令和5", "令和6", "令和7", "令和8"]
    values = [v for v in ("62.3", "68.3", "75.1", "80.2") if f'class="value">{v}</text>' in chart]
    ticks = [t for t in ("0", "25", "50", "75", "100") if f'font-size="10">{t}</text>' in chart]
    assert (values, ticks) == (["62.3", "68.3", "75.1", "80.2"], ["0", "25", "50", "75", "100"])
    assert 'font-size="10">(%)</text>' in chart
