"""`pipeline diff`: the seed report (FY2023) against a synthetic next-year report (FY2024).

tests/fixtures/nakano_fy2024_synthetic.txt is the seed moved on one fiscal year, with
these differences, each of which the expected tables below must show, or must not:
- statuses: 1-2-② ☆セルフサービス端末の活用 ○ → ◎ (it is also re-listed under 2-1-④),
  1-5-⑤ スポーツ施設… ○ → ×, 2-1-② 児童相談所… ○ → △, 2-2-④ 庁内情報ネットワーク… ○ → △,
  each with a スケジュールの変更理由;
- removed: 1-5-④ キャッシュレスポイント還元事業の実施, 1-6-① モバイル機器講習会;
  added: 1-7-① オープンデータ利活用コンテストの開催, 2-1-② 生成AIを活用した議事録作成支援;
- renamed: 講座開催 → 講座の開催 (same measure), ICT関連資格の取得支援 (2-5-①) →
  ICT関連資格の取得支援の拡充 (2-5-②); reworded too far to pair: ホームページの統合・全面
  リニューアル → ホームページの運用・改善;
- department renamed: 新区役所整備課 → 庁舎管理課; one added (総務課 + デジタル政策課);
- no change: departments reordered, names and plans differing only in width or spacing
  (（…）, "ネットワーク の整備", ５月), results that report the plan as done (する → した);
- indicators: one year on, two values revised (an actual, a target).
"""

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED

from pipeline.cli import main
from pipeline.compare.diff import diff_reports, plan_carried_out
from pipeline.compare.diff_report import render_html, render_markdown
from pipeline.compare.folder import read_report_folder
from pipeline.job import RunSettings
from pipeline.compare.matching import RENAME_THRESHOLD, match_items, name_ratio, text_key
from pipeline.batch.report import convert
from schemas.diff import IndicatorChanges, ItemChanges

SYNTHETIC = ROOT / "tests" / "fixtures" / "nakano_fy2024_synthetic.txt"


@pytest.fixture(scope="session")
def normalized(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("normalized")
    folders = {}
    for path in (SEED, SYNTHETIC):
        outcome = convert(path, RunSettings(out_dir=out, csv_bom=False))
        assert outcome.ok, (outcome.error, [f.describe() for f in outcome.failures])
        folders[path.stem] = outcome.output
    return folders


@pytest.fixture(scope="session")
def result(normalized):
    return diff_reports(read_report_folder(normalized["nakano_fy2023"]),
                        read_report_folder(normalized["nakano_fy2024_synthetic"]))


def rows(frame: pd.DataFrame) -> list[tuple]:
    """A table as plain tuples, missing values as None, so whole tables compare with ==."""
    return [tuple(None if pd.isna(value) else (value.item() if hasattr(value, "item") else value)
                  for value in record) for record in frame.itertuples(index=False)]


S1 = "セルフサービス端末の活用"
SPORTS = "スポーツ施設におけるキャッシュレス化"
CHILD = "児童相談所における相談援助業務モバイルシステムの導入"
LAN = "庁内情報ネットワークの無線LAN環境の整備"

EXPECTED_ITEM_CHANGES = [
    ("changed", "1-1-②", "施設予約システムの拡充", "施設予約システムの拡充", "plan_later",
     "システムの再構築を行い、運用を開始する。", "新システムの運用を開始し、オンライン決済を導入する。", None, 7, 7),
    ("changed", "1-1-③", "ペーパーレスの推進", "ペーパーレスの推進", "departments", "新区役所整備課", "庁舎管理課", None, 8, 8),
    ("changed", "1-1-③", "押印等の見直し", "押印等の見直し", "departments", "新区役所整備課", "庁舎管理課", None, 9, 9),
    ("added", "1-2-①", "ホームページの運用・改善", None, None, None, None, None, None, 10),
    ("removed", "1-2-①", "ホームページの統合・全面リニューアル", "ホームページの統合・全面リニューアル",
     None, None, None, None, 10, None),
    ("changed", "1-2-②", S1, S1, "status", "○", "◎", "improved", 11, 11),
    ("changed", "1-2-②", S1, S1, "change_reason", None, "証明書発行システムの構築を前倒しで完了したため", None, 11, 11),
    ("changed", "1-2-②", S1, S1, "plan_later", "証明書発行サービスを開始する。", "(推進)", None, 11, 11),
    ("changed", "1-2-③", "区民意識・実態調査のオンライン化", "区民意識・実態調査のオンライン化", "departments",
     "総務課", "総務課 デジタル政策課", None, 13, 13),
    ("renamed", "1-3-①", "オンラインを活用した相談・講座の開催", "オンラインを活用した相談・講座開催", "business",
     "オンラインを活用した相談・講座開催", "オンラインを活用した相談・講座の開催", None, 14, 14),
    ("removed", "1-5-④", "キャッシュレスポイント還元事業の実施", "キャッシュレスポイント還元事業の実施",
     None, None, None, None, 33, None),
    ("changed", "1-5-⑤", "地域事務所におけるキャッシュレス化", "地域事務所におけるキャッシュレス化", "plan_vs_result",
     "現庁舎のキャッシュレスレジ3台を移設し3地域事務所に先行導入する。",
     "現庁舎のキャッシュレスレジ3台を移設し2地域事務所に先行導入した。", None, 35, 34),
    ("changed", "1-5-⑤", SPORTS, SPORTS, "status", "○", "×", "worsened", 37, 36),
    ("changed", "1-5-⑤", SPORTS, SPORTS, "change_reason", None, "新施設予約システムの構築時期が見直されたため", None, 37, 36),
    ("changed", "1-5-⑤", SPORTS, SPORTS, "plan_vs_result",
     "令和7年度に拡充を予定する施設予約システムと合わせて、哲学堂運動施設及び上高田運動施設への導入を検討する。",
     None, None, 37, 36),
    ("changed", "1-6-①", "ICTサポーターの養成", "ICTサポーターの養成", "plan_vs_result",
     None, "第3期ICTサポーターを募集した。", None, 38, 37),
    ("removed", "1-6-①", "モバイル機器講習会", "モバイル機器講習会", None, None, None, None, 42, None),
    ("changed", "1-7-①", "オープンデータの公開数の拡大", "オープンデータの公開数の拡大", "plan_vs_result",
     "(推進)", None, None, 47, 45),
    ("added", "1-7-①", "オープンデータ利活用コンテストの開催", None, None, None, None, None, None, 49),
    ("added", "2-1-②", "生成AIを活用した議事録作成支援", None, None, None, None, None, None, 57),
    ("changed", "2-1-②", CHILD, CHILD, "status", "○", "△", "worsened", 67, 67),
    ("changed", "2-1-②", CHILD, CHILD, "change_reason", None, "システム事業者との調整に時間を要したため", None, 67, 67),
    ("changed", "2-1-②", CHILD, CHILD, "plan_vs_result",
     "一部のケースワークで試行導入を行う。また、令和9年度に行う現行の児相システムリプレースに向けて、"
     "現行システムとの一本化を検討する。",
     "事業者との調整に時間を要し、試行導入は令和7年度に延期した。", None, 67, 67),
    ("changed", "2-2-④", LAN, LAN, "status", "○", "△", "worsened", 84, 84),
    ("changed", "2-2-④", LAN, LAN, "change_reason", None, "機器の調達に遅れが生じたため", None, 84, 84),
    ("changed", "2-2-④", LAN, LAN, "plan_vs_result",
     "みらいステップなかの無線LAN化の実施に関する準備を進める。また、調査検討結果を踏まえてその他の"
     "庁外施設への段階的な整備を検討していく。",
     "みらいステップなかの無線LAN化の準備を進めたが、機器調達が遅れた。", None, 84, 84),
    ("renamed", "2-5-②", "ICT関連資格の取得支援の拡充", "ICT関連資格の取得支援", "business",
     "ICT関連資格の取得支援", "ICT関連資格の取得支援の拡充", None, 109, 111),
    ("changed", "2-5-②", "ICT関連資格の取得支援の拡充", "ICT関連資格の取得支援", "measure_id",
     "2-5-①", "2-5-②", None, 109, 111),
]

CARD = "区内のマイナンバーカード交付率"
ONLINE = "オンラインによる申請受付件数"
MAP = "地図情報に関する窓口及び電話等問い合わせ件数"
SHARE = "区が特に力を入れていると感じる施策が「情報化の推進」である割合"
GROUPS = "区と連携してデジタルデバイドの解消に向けた取組を行う団体数"
PAPER = "本庁舎の執務室等で保有し、組織で共有している文書量 (fm)"
AI = "AI・RPAの活用による業務改善数"
STANDARD = "標準化システムへ移行した事業数"
INCIDENTS = "情報セキュリティ事故発生件数"
PASSPORT = "ICT資格の「ITパスポート試験」取得者数"

# Every value of either report, one row each: the FY2022 columns rolled off the new table,
# FY2023's actuals and FY2025's targets are printed again (AI's actual and ONLINE's target
# revised), FY2024's are new. MAP prints no FY2024 target ("—"), so its FY2024 actual is read
# against the FY2025 one.
# goal, measure, indicator, qualifier, kind, old kind, year, change, old, new, unit, old_raw,
# new_raw, previous_actual, target_value, target_fiscal_year, better, met_target
EXPECTED_INDICATOR_CHANGES = [
    (1, None, CARD, None, "actual", "actual", 2022, "rolled_off", 62.3, None, "%", "62.3%", None, None, 100.0, 2023, "higher", None),
    (1, None, CARD, None, "actual", "actual", 2023, "unchanged", 68.3, 68.3, "%", "68.3% ※1", "68.3% ※1", 62.3, 100.0, 2023, "higher", False),
    (1, None, CARD, None, "actual", None, 2024, "added", None, 75.1, "%", None, "75.1%", 68.3, 100.0, 2024, "higher", False),
    (1, None, CARD, None, "target", "target", 2023, "rolled_off", 100.0, None, "%", "100%", None, None, None, None, "higher", None),
    (1, None, CARD, None, "target", None, 2024, "added", None, 100.0, "%", None, "100%", None, None, None, "higher", None),
    (1, None, CARD, None, "target", "target", 2025, "unchanged", 100.0, 100.0, "%", "100%", "100%", None, None, None, "higher", None),
    (1, None, ONLINE, None, "actual", "actual", 2022, "rolled_off", 1790000.0, None, "件", "約 179 万件", None, None, 1700000.0, 2023, "higher", None),
    (1, None, ONLINE, None, "actual", "actual", 2023, "unchanged", 2000000.0, 2000000.0, "件", "約 200 万件", "約 200 万件", 1790000.0, 1700000.0, 2023, "higher", True),
    (1, None, ONLINE, None, "actual", None, 2024, "added", None, 2310000.0, "件", None, "約 231 万件", 2000000.0, 1850000.0, 2024, "higher", True),
    (1, None, ONLINE, None, "target", "target", 2023, "rolled_off", 1700000.0, None, "件", "170 万件", None, None, None, None, "higher", None),
    (1, None, ONLINE, None, "target", None, 2024, "added", None, 1850000.0, "件", None, "185 万件", None, None, None, "higher", None),
    (1, None, ONLINE, None, "target", "target", 2025, "revised", 2000000.0, 2200000.0, "件", "200 万件", "220 万件", None, None, None, "higher", None),
    (1, None, MAP, None, "actual", "actual", 2022, "rolled_off", None, None, None, "—", None, None, 60000.0, 2025, "higher", None),
    (1, None, MAP, None, "actual", "actual", 2023, "unchanged", None, None, None, "—", "—", None, 60000.0, 2025, "higher", None),
    (1, None, MAP, None, "actual", None, 2024, "added", None, 50000.0, "件", None, "約 5 万件", None, 60000.0, 2025, "higher", False),
    (1, None, MAP, None, "target", "target", 2023, "rolled_off", None, None, None, "—", None, None, None, None, "higher", None),
    (1, None, MAP, None, "target", None, 2024, "added", None, None, None, None, "—", None, None, None, "higher", None),
    (1, None, MAP, None, "target", "target", 2025, "unchanged", 60000.0, 60000.0, "件", "約 6 万件", "約 6 万件", None, None, None, "higher", None),
    (1, None, SHARE, None, "actual", "actual", 2022, "rolled_off", 3.2, None, "%", "3.2%", None, None, 5.0, 2023, "higher", None),
    (1, None, SHARE, None, "actual", "actual", 2023, "unchanged", 3.4, 3.4, "%", "3.4%", "3.4%", 3.2, 5.0, 2023, "higher", False),
    (1, None, SHARE, None, "actual", None, 2024, "added", None, 3.1, "%", None, "3.1%", 3.4, 7.0, 2024, "higher", False),
    (1, None, SHARE, None, "target", "target", 2023, "rolled_off", 5.0, None, "%", "5%", None, None, None, None, "higher", None),
    (1, None, SHARE, None, "target", None, 2024, "added", None, 7.0, "%", None, "7%", None, None, None, "higher", None),
    (1, None, SHARE, None, "target", "target", 2025, "unchanged", 10.0, 10.0, "%", "10%", "10%", None, None, None, "higher", None),
    (1, None, GROUPS, None, "actual", "actual", 2022, "rolled_off", 3.0, None, "団体", "3 団体", None, None, 4.0, 2023, "higher", None),
    (1, None, GROUPS, None, "actual", "actual", 2023, "unchanged", 3.0, 3.0, "団体", "3 団体", "3 団体", 3.0, 4.0, 2023, "higher", False),
    (1, None, GROUPS, None, "actual", None, 2024, "added", None, 5.0, "団体", None, "5 団体", 3.0, 5.0, 2024, "higher", True),
    (1, None, GROUPS, None, "target", "target", 2023, "rolled_off", 4.0, None, "団体", "4 団体", None, None, None, None, "higher", None),
    (1, None, GROUPS, None, "target", None, 2024, "added", None, 5.0, "団体", None, "5 団体", None, None, None, "higher", None),
    (1, None, GROUPS, None, "target", "target", 2025, "unchanged", 6.0, 6.0, "団体", "6 団体", "6 団体", None, None, None, "higher", None),
    (2, None, PAPER, None, "actual", "actual", 2022, "rolled_off", 5900.0, None, "fm", "約 5,900fm", None, None, 3600.0, 2023, "lower", None),
    (2, None, PAPER, None, "actual", "actual", 2023, "unchanged", 3900.0, 3900.0, "fm", "約 3,900fm", "約 3,900fm", 5900.0, 3600.0, 2023, "lower", False),
    (2, None, PAPER, None, "actual", None, 2024, "added", None, 3200.0, "fm", None, "約 3,200fm", 3900.0, 3300.0, 2024, "lower", True),
    (2, None, PAPER, None, "target", "target", 2023, "rolled_off", 3600.0, None, "fm", "約 3,600fm", None, None, None, None, "lower", None),
    (2, None, PAPER, None, "target", None, 2024, "added", None, 3300.0, "fm", None, "約 3,300fm", None, None, None, "lower", None),
    (2, None, PAPER, None, "target", "target", 2025, "unchanged", 3000.0, 3000.0, "fm", "約 3,000fm", "約 3,000fm", None, None, None, "lower", None),
    (2, None, AI, None, "actual", "actual", 2022, "rolled_off", 7.0, None, "件", "7件", None, None, 7.0, 2023, "higher", None),
    (2, None, AI, None, "actual", "actual", 2023, "revised", 8.0, 9.0, "件", "8件", "9件", 7.0, 7.0, 2023, "higher", True),
    (2, None, AI, None, "actual", None, 2024, "added", None, 12.0, "件", None, "12件", 9.0, 11.0, 2024, "higher", True),
    (2, None, AI, None, "target", "target", 2023, "rolled_off", 7.0, None, "件", "7件", None, None, None, None, "higher", None),
    (2, None, AI, None, "target", None, 2024, "added", None, 11.0, "件", None, "11件", None, None, None, "higher", None),
    (2, None, AI, None, "target", "target", 2025, "unchanged", 15.0, 15.0, "件", "15件", "15件", None, None, None, "higher", None),
    (2, None, STANDARD, None, "actual", "actual", 2022, "rolled_off", 0.0, None, None, "0/15", None, None, 1.0, 2023, "higher", None),
    (2, None, STANDARD, None, "actual", "actual", 2023, "unchanged", 0.0, 0.0, None, "0/15", "0/15", 0.0, 1.0, 2023, "higher", False),
    (2, None, STANDARD, None, "actual", None, 2024, "added", None, 6.0, None, None, "6/15", 0.0, 8.0, 2024, "higher", False),
    (2, None, STANDARD, None, "target", "target", 2023, "rolled_off", 1.0, None, None, "1/15", None, None, None, None, "higher", None),
    (2, None, STANDARD, None, "target", None, 2024, "added", None, 8.0, None, None, "8/15", None, None, None, "higher", None),
    (2, None, STANDARD, None, "target", "target", 2025, "unchanged", 15.0, 15.0, None, "15/15", "15/15", None, None, None, "higher", None),
    (2, None, INCIDENTS, None, "actual", "actual", 2022, "rolled_off", 9.0, None, "件", "9件", None, None, 0.0, 2023, "lower", None),
    (2, None, INCIDENTS, None, "actual", "actual", 2023, "unchanged", 10.0, 10.0, "件", "10件", "10件", 9.0, 0.0, 2023, "lower", False),
    (2, None, INCIDENTS, None, "actual", None, 2024, "added", None, 4.0, "件", None, "4件", 10.0, 0.0, 2024, "lower", False),
    (2, None, INCIDENTS, None, "target", "target", 2023, "rolled_off", 0.0, None, "件", "0件", None, None, None, None, "lower", None),
    (2, None, INCIDENTS, None, "target", None, 2024, "added", None, 0.0, "件", None, "0件", None, None, None, "lower", None),
    (2, None, INCIDENTS, None, "target", "target", 2025, "unchanged", 0.0, 0.0, "件", "0件", "0件", None, None, None, "lower", None),
    (2, None, PASSPORT, None, "actual", "actual", 2022, "rolled_off", 22.0, None, "名", "22名", None, None, 20.0, 2023, "higher", None),
    (2, None, PASSPORT, None, "actual", "actual", 2023, "unchanged", 29.0, 29.0, "名", "29名", "29名", 22.0, 20.0, 2023, "higher", True),
    (2, None, PASSPORT, None, "actual", None, 2024, "added", None, 41.0, "名", None, "41名", 29.0, 25.0, 2024, "higher", True),
    (2, None, PASSPORT, None, "target", "target", 2023, "rolled_off", 20.0, None, "名", "20名", None, None, None, None, "higher", None),
    (2, None, PASSPORT, None, "target", None, 2024, "added", None, 25.0, "名", None, "25名", None, None, None, "higher", None),
    (2, None, PASSPORT, None, "target", "target", 2025, "unchanged", 30.0, 30.0, "名", "30名", "30名", None, None, None, "higher", None),
]


def test_item_changes_whole_table(result):
    assert list(result.item_changes.columns) == list(ItemChanges.to_schema().columns)
    assert rows(result.item_changes) == EXPECTED_ITEM_CHANGES


def test_indicator_changes_whole_table(result):
    assert list(result.indicator_changes.columns) == list(IndicatorChanges.to_schema().columns)
    assert rows(result.indicator_changes) == EXPECTED_INDICATOR_CHANGES


def sides_of_the_rows(changes: pd.DataFrame) -> tuple[Counter, Counter]:
    """The values the rows of indicator_changes hold, of the old report and of the new, as
    (indicator, qualifier, role, year) with their count: a row of both counts on each side."""
    old = changes[changes["change"].isin(["removed", "rolled_off", "unchanged", "revised"])]
    new = changes[changes["change"].isin(["added", "unchanged", "revised"])]
    return (Counter(zip(old["indicator"], old["qualifier"], old["old_kind"], old["fiscal_year"])),
            Counter(zip(new["indicator"], new["qualifier"], new["kind"], new["fiscal_year"])))


def values_of(indicators: pd.DataFrame) -> Counter:
    qualifiers = indicators["qualifier"].where(indicators["qualifier"].notna(), None)
    return Counter(zip(indicators["indicator"], qualifiers, indicators["kind"],
                       indicators["fiscal_year"]))


def test_every_value_of_either_report_is_in_exactly_one_row(result):
    old, new = sides_of_the_rows(result.indicator_changes)
    assert (old, new) == (values_of(result.old.indicators), values_of(result.new.indicators))
    assert result.indicator_changes["change"].value_counts().to_dict() == {
        "added": 20, "rolled_off": 20, "unchanged": 18, "revised": 2, "removed": 0}


def test_status_movements_count_every_item_once(result):
    # Rows: FY2023 mark, columns: FY2024 mark, — = not in that report. The column sums
    # are the FY2024 front-page counts (◎1 ○101 △2 ×1); re-listed rows are not counted.
    assert result.status_movements.to_dict("split") == {
        "index": ["◎", "○", "△", "×", "—"], "columns": ["◎", "○", "△", "×", "—"],
        "data": [[0, 0, 0, 0, 0],
                 [1, 98, 2, 1, 3],
                 [0, 0, 0, 0, 0],
                 [0, 0, 0, 0, 0],
                 [0, 3, 0, 0, 0]]}
    assert result.matched == 102


@pytest.mark.parametrize("stem", ["nakano_fy2023", "nakano_fy2024_synthetic"])
def test_a_report_against_itself_has_no_changes(normalized, stem):
    tables = read_report_folder(normalized[stem])
    same = diff_reports(tables, tables)
    assert same.item_changes.empty
    assert set(same.indicator_changes["change"]) == {"unchanged"}
    assert len(same.indicator_changes) == len(tables.indicators) == 40
    assert same.matched == 105
    assert int(pd.Series(same.status_movements.values.diagonal()).sum()) == 105


def test_the_other_way_round_mirrors_items_and_statuses(normalized):
    backwards = diff_reports(read_report_folder(normalized["nakano_fy2024_synthetic"]),
                             read_report_folder(normalized["nakano_fy2023"]))
    changes = backwards.item_changes
    assert changes["change"].value_counts().to_dict() == {
        "changed": 14, "added": 3, "removed": 3, "renamed": 2}
    # FY2025's plan cannot be set beside FY2023's result: no plan_vs_result rows.
    assert changes["field"].value_counts(sort=False).to_dict() == {
        "status": 4, "business": 2, "measure_id": 1, "starred": 0, "departments": 3,
        "change_reason": 4, "result": 0, "plan_next": 0, "plan_vs_result": 0, "plan_later": 2}
    status = changes[changes["field"] == "status"]
    assert rows(status[["business", "old", "new", "direction"]]) == [
        (S1, "◎", "○", "worsened"), (SPORTS, "×", "○", "improved"),
        (CHILD, "△", "○", "improved"), (LAN, "△", "○", "improved")]


def test_relisted_rows_are_left_out_of_matching(normalized):
    old = read_report_folder(normalized["nakano_fy2023"]).items
    new = read_report_folder(normalized["nakano_fy2024_synthetic"]).items
    pairs = match_items(old, new)
    assert len(old) == len(new) == 113  # 8 of them re-listed (再掲)
    assert len(pairs) == 102 + 3 + 3
    assert not any(pair.old and pair.old["is_relisted"] for pair in pairs)


@pytest.mark.parametrize(("printed", "compared"), [
    ("(推進)", "(推進)"),
    ("（推進）", "(推進)"),
    ("利用状況を確認しながら 台数の増設", "利用状況を確認しながら台数の増設"),
    ("５月の新庁舎開庁", "5月の新庁舎開庁"),
    ("区民活動センター（モバイルルータ及びタブレット貸出）", "区民活動センター(モバイルルータ及びタブレット貸出)"),
    ("Free Wi‐Fi", "FreeWi-Fi"),
    ("—", None),
    ("-", None),
    ("", None),
    (None, None),
])
def test_text_is_compared_without_width_spacing_or_dashes(printed, compared):
    assert text_key(printed) == compared


@pytest.mark.parametrize(("plan", "tag", "result", "carried_out"), [
    ("システム改修を行う。", None, "システム改修を行った。", True),
    ("事務運用方針を決定する。", None, "事務運用方針を決定した。", True),
    ("準備を進める。", None, "準備を進めた。", True),
    ("引き続き検討していく。", None, "引き続き検討した。", True),
    ("サービスが決定される。", None, "サービスが決定された。", True),
    ("データ提供スキームの構築及び提供開始", None, "データ提供スキームの構築及び提供開始", True),
    ("3台を移設し3地域事務所に先行導入する。", None, "3台を移設し2地域事務所に先行導入した。", False),
    ("(推進)", "推進", "オープンデータの公開数を拡大した。", True),
    ("(推進)", "推進", None, False),
    (None, None, None, True),
    (None, None, "第3期ICTサポーターを募集した。", False),
    ("導入を検討する。", None, "—", False),
])
def test_a_plan_is_carried_out_by_a_result_that_reports_it_as_done(plan, tag, result, carried_out):
    assert plan_carried_out({"plan_next": plan, "plan_next_tag": tag}, {"result": result}) is carried_out


@pytest.mark.parametrize(("old", "new", "renamed"), [
    ("オンラインを活用した相談・講座開催", "オンラインを活用した相談・講座の開催", True),  # 0.97
    ("ICT関連資格の取得支援", "ICT関連資格の取得支援の拡充", True),  # 0.89
    ("民間電子申請サービスを活用したアンケートの強化", "電子申請サービスを活用したアンケートの実施", True),  # 0.86
    ("議場システム", "議場システムの運用", True),  # 0.80
    ("ホームページの統合・全面リニューアル", "ホームページの運用・改善", False),
    ("生成AIの活用", "生成AIの全庁展開", False),  # 0.62: a new undertaking as much as a new name
    ("調達ガイドラインの運用(PDCAサイクル)", "セキュリティ運用(PDCAサイクル)", False),  # 0.62
])
def test_rename_threshold(old, new, renamed):
    assert (name_ratio(old, new) >= RENAME_THRESHOLD) is renamed


# --- the command line -----------------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


TERMINAL_SUMMARY = (
    "nakano_fy2023 → nakano_fy2024_synthetic (FY2023 → FY2024): 3 added, 3 removed, 2 renamed, "
    "12 changed, 89 unchanged items\n"
    "  status: 1 improved, 3 worsened (○→◎ 1, ○→× 1, ○→△ 2)\n"
    "  fields: 4 status, 1 measure_id, 3 departments, 4 change_reason, 6 plan_vs_result, 2 plan_later\n"
    "  indicators: 0 new, 0 no longer listed; values: 19 added (in 10 indicators), 2 revised (in 2 indicators); 5 of 10 actuals for FY2024 met their target\n")


def test_diff_of_two_report_files_writes_every_output_and_summarises(tmp_path):
    out = tmp_path / "diff"
    result = invoke("diff", str(SEED), str(SYNTHETIC), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == TERMINAL_SUMMARY + (
        f"→ {out}/ (item_changes, indicator_changes, indicator_evaluation_changes, summary.md, summary.html, diff.xlsx)\n")
    assert sorted(p.name for p in out.iterdir()) == [
        "diff.xlsx", "indicator_changes.csv", "indicator_changes.parquet",
        "indicator_evaluation_changes.csv", "indicator_evaluation_changes.parquet",
        "item_changes.csv", "item_changes.parquet", "summary.html", "summary.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diff"]  # no staging left behind
    assert rows(pd.read_parquet(out / "item_changes.parquet")) == EXPECTED_ITEM_CHANGES
    assert rows(pd.read_parquet(out / "indicator_changes.parquet")) == EXPECTED_INDICATOR_CHANGES
    assert (out / "item_changes.csv").read_bytes().startswith("\ufeffchange,measure_id,".encode())


def test_diff_of_normalised_folders_goes_to_normalized_diff_by_default(normalized, tmp_path,
                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", str(normalized["nakano_fy2023"]),
                    str(normalized["nakano_fy2024_synthetic"]), "--no-csv-bom")
    assert result.exit_code == 0, result.output
    target = Path("normalized") / "diff" / "nakano_fy2023__nakano_fy2024_synthetic"
    assert result.output == TERMINAL_SUMMARY + (
        f"→ {target}/ (item_changes, indicator_changes, indicator_evaluation_changes, summary.md, summary.html, diff.xlsx)\n")
    assert (tmp_path / target / "item_changes.csv").read_bytes().startswith(b"change,measure_id,")


def test_a_report_against_itself_says_no_changes(normalized, tmp_path):
    folder = str(normalized["nakano_fy2023"])
    result = invoke("diff", folder, folder, "--out", str(tmp_path / "same"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "Warning: NEW (nakano_fy2023, FY2023) is the same fiscal year as OLD (nakano_fy2023, "
        "FY2023): the changes are between two reports of one year (another printing, or a "
        "corrected report), not a year's progress.",
        "nakano_fy2023 → nakano_fy2023 (FY2023 → FY2023): no changes (105 items, all indicator "
        "values the same)"]
    assert len(pd.read_csv(tmp_path / "same" / "item_changes.csv")) == 0


def _wrong_count(tmp_path: Path) -> Path:
    path = tmp_path / "wrong_count.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace(
        "○ 予定どおり取り組んだ\t105", "○ 予定どおり取り組んだ\t104"), encoding="utf-8")
    return path


def _empty_folder(tmp_path: Path) -> Path:
    (tmp_path / "not_a_report").mkdir()
    return tmp_path / "not_a_report"


def _other_file(tmp_path: Path) -> Path:
    (tmp_path / "notes.odt").write_bytes(b"PK\x03\x04")
    return tmp_path / "notes.odt"


def _empty_file(tmp_path: Path) -> Path:
    (tmp_path / "empty.txt").write_bytes(b"")
    return tmp_path / "empty.txt"


@pytest.mark.parametrize(("make_old", "message"), [
    (lambda tmp_path: tmp_path / "missing", "{old}: no such file or folder."),
    (_empty_folder, "{old}: no items.parquet in this folder; give a folder written by "
                    "`pipeline run`, or a report file."),
    (_other_file, "{old}: neither a folder written by `pipeline run` nor a report file "
                  "(.pdf, .txt, .tsv, .md, .xlsx, .docx)."),
    (_empty_file, "empty.txt: the file is empty."),
    (_wrong_count, "wrong_count.txt: 1 validation failure(s); `pipeline run {old}` lists them."),
])
def test_an_unusable_input_gets_one_sentence_exit_1_and_nothing_written(tmp_path, make_old,
                                                                        message):
    old = make_old(tmp_path)
    out = tmp_path / "out"
    result = invoke("diff", str(old), str(SEED), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == f"Error: {message.format(old=old)}\n"
    assert not out.exists()


def test_a_folder_with_items_but_no_indicators_is_named(normalized, tmp_path):
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / "items.parquet").write_bytes((normalized["nakano_fy2023"] / "items.parquet").read_bytes())
    result = invoke("diff", str(folder), str(SEED), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {folder}: no indicators.parquet in this folder; give a "
                             "folder written by `pipeline run`, or a report file.\n")


def test_diff_help_shows_an_example():
    result = invoke("diff", "--help")
    assert result.exit_code == 0
    assert ("Example: pipeline diff tests/fixtures/nakano_fy2023.txt "
            "tests/fixtures/nakano_fy2024_synthetic.txt") in result.output
    assert all((ROOT / name).is_file() for name in ("tests/fixtures/nakano_fy2023.txt",
                                                    "tests/fixtures/nakano_fy2024_synthetic.txt"))


# --- summary.md --------------------------------------------------------------------------------

def test_summary_markdown_tables_read_like_the_changes(result):
    markdown = render_markdown(result)
    assert markdown.startswith("# 令和5年度から令和6年度への変化\n")
    assert ("| 令和5年度 ＼ 令和6年度 | ◎ | ○ | △ | × | — |\n"
            "|---|---|---|---|---|---|\n"
            "| ◎ | 0 | 0 | 0 | 0 | 0 |\n"
            "| ○ | 1 | 98 | **2** | **1** | **3** |\n"
            "| △ | 0 | 0 | 0 | 0 | 0 |\n"
            "| × | 0 | 0 | 0 | 0 | 0 |\n"
            "| — | 0 | 3 | 0 | 0 | 0 |\n") in markdown
    assert ("## 進捗状況が悪化した事業\n\n"
            "| 実施内容 | 事業内容 | 進捗状況 | スケジュールの変更理由 | 取組結果 |\n"
            "|---|---|---|---|---|\n"
            "| 1-5-⑤ | スポーツ施設におけるキャッシュレス化 | **○ → ×** | "
            "新施設予約システムの構築時期が見直されたため | — |\n"
            "| 2-1-② | 児童相談所における相談援助業務モバイルシステムの導入 | **○ → △** | "
            "システム事業者との調整に時間を要したため | 事業者との調整に時間を要し、試行導入は令和7年度に延期した。 |\n"
            "| 2-2-④ | 庁内情報ネットワークの無線LAN環境の整備 | **○ → △** | "
            "機器の調達に遅れが生じたため | みらいステップなかの無線LAN化の準備を進めたが、機器調達が遅れた。 |\n"
            ) in markdown
    assert ("| 2-5-① → 2-5-② | ICT関連資格の取得支援 → ICT関連資格の取得支援の拡充 |\n") in markdown
    assert ("| 2 | 情報セキュリティ事故発生件数 | 4件 | 10件 | −6件 | 0件 | **未達成** |\n"
            ) in markdown
    for internal in ("plan_vs_result", "change_reason", "on_schedule", "not_started"):
        assert internal not in markdown, internal


def test_summary_markdown_in_english_on_request(result):
    markdown = render_markdown(result, "en")
    assert markdown.startswith("# Changes from 令和5年度 (FY2023) to 令和6年度 (FY2024)\n")
    assert ("## Items that worsened\n\n"
            "| measure | business | status | reason given | result |\n") in markdown
    assert ("| 2 | 情報セキュリティ事故発生件数 | 4件 | 10件 | −6件 | 0件 | **not met** |\n"
            ) in markdown


def test_summary_html_needs_nothing_from_outside(result):
    page = render_html(result)
    assert page.startswith("<!DOCTYPE html>\n") and "<style>" in page
    for outside in ("http:", "https:", "//", "<script", "<link", "src=", "@import", "url("):
        assert outside not in page, outside


def test_the_pdf_and_text_forms_of_a_report_diff_alike(normalized, tmp_path):
    """The ward's PDF against its text copy: no change; PDF against next year's PDF
    (tests/pdfgen.py prints the fixture): the same changes as between the texts."""
    import pdfgen

    next_year_pdf = pdfgen.build_report_pdf(tmp_path / "nakano_fy2024_synthetic.pdf",
                                            pdfgen.LAYOUTS["a3_landscape_merged"], SYNTHETIC)
    converted = [convert(path, RunSettings(out_dir=tmp_path / "out"))
                 for path in (ROOT / "raw" / "nakano_fy2023_sample.pdf", next_year_pdf)]
    assert all(outcome.ok for outcome in converted), [o.error for o in converted]
    this_year, next_year = (read_report_folder(outcome.output) for outcome in converted)
    same = diff_reports(this_year, read_report_folder(normalized["nakano_fy2023"]))
    assert same.item_changes.empty and set(same.indicator_changes["change"]) == {"unchanged"}
    from_pdf = diff_reports(this_year, next_year)
    assert rows(from_pdf.item_changes) == EXPECTED_ITEM_CHANGES
    assert rows(from_pdf.indicator_changes) == EXPECTED_INDICATOR_CHANGES


@pytest.mark.parametrize("lang, heading", [("ja", "<h1>令和5年度から令和6年度への変化</h1>"),
                                           ("en", "<h1>Changes from 令和5年度 (FY2023) to "
                                                  "令和6年度 (FY2024)</h1>")])
def test_diff_and_history_pages_in_the_language_asked_for(tmp_path, lang, heading):
    fy2024 = ROOT / "tests" / "fixtures" / "nakano_fy2024_synthetic.txt"
    result = CliRunner().invoke(main, ["diff", str(SEED), str(fy2024), "--out",
                                      str(tmp_path / "d"), "--lang", lang, "--quiet"])
    assert result.exit_code == 0, result.output
    assert heading in (tmp_path / "d" / "summary.html").read_text(encoding="utf-8")
    for path in (SEED, fy2024):
        assert CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "n"),
                                        "--quiet"]).exit_code == 0
    result = CliRunner().invoke(main, ["history", str(tmp_path / "n"), "--lang", lang, "-q"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "n" / "history" / "history.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
