"""Damaged cells of the audit (issue 21): each is repaired to the clean reading or refused
by name, never read silently as another value. The seed report is mutated in one place
and its tables compared whole with the clean conversion's."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import NAKANO, SEED

from pipeline.errors import Failure, LayoutError, ValidationFailed
from pipeline.read import read_document
from pipeline.tidy.frames import document_to_frames

SEED_TEXT = SEED.read_text(encoding="utf-8")
LINES = SEED_TEXT.splitlines(keepends=True)


def convert_text(tmp_path: Path, text: str) -> tuple[dict[str, pd.DataFrame], list[Failure]]:
    """The tables and warnings of the seed's text as mutated, under the seed's own name."""
    path = tmp_path / SEED.name
    path.write_text(text, encoding="utf-8")
    frames, _, warnings = document_to_frames(read_document(path), "nakano_fy2023", profile=NAKANO)
    return frames, warnings


@pytest.fixture(scope="module")
def clean_frames(tmp_path_factory) -> dict[str, pd.DataFrame]:
    frames, warnings = convert_text(tmp_path_factory.mktemp("clean"), SEED_TEXT)
    assert warnings == []
    return frames


def replaced(old: str, new: str) -> str:
    assert SEED_TEXT.count(old) >= 1
    return SEED_TEXT.replace(old, new, 1)


def assert_same_tables(frames: dict[str, pd.DataFrame], clean: dict[str, pd.DataFrame]) -> None:
    assert sorted(frames) == sorted(clean)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, clean[name], obj=name)


INVISIBLE = [("\u200b", "zero-width space"), ("\u00ad", "soft hyphen"),
             ("\ufeff", "zero-width no-break space"), ("\u2060", "word joiner"),
             ("\u200e", "left-to-right mark"), ("\u202a", "left-to-right embedding")]
HEADERS = [("令和6年度の取組予定", "令和6年度の{}取組予定"),
           ("令和6年度の取組予定", "令和{}6年度の取組予定"),
           ("令和7年度以降の取組予定", "令和7年度以降{}の取組予定"),
           ("取組結果 (令和5年度)", "取組{}結果 (令和5年度)"),
           ("スケジュールの変更理由", "スケジュール{}の変更理由"),
           ("所管課", "所{}管課")]


@pytest.mark.parametrize(("char", "_what"), INVISIBLE)
@pytest.mark.parametrize(("header", "damaged"), HEADERS)
def test_an_invisible_character_in_a_header_is_repaired(tmp_path, clean_frames, char, _what,
                                                        header, damaged):
    """Once moved the whole column of that page to items.extra without a word."""
    frames, warnings = convert_text(tmp_path, replaced(header, damaged.format(char)))
    assert warnings == []
    assert_same_tables(frames, clean_frames)


@pytest.mark.parametrize(("char", "_what"), INVISIBLE)
@pytest.mark.parametrize(("clean", "damaged"), [
    ("(国)自治体間の健診受診情報の共有", "({}国)自治体間の健診受診情報の共有"),
    ("(国)電子処方箋の仕組みへの対応", "(国{})電子処方箋の仕組みへの対応"),
    ("(都)電子申請サービスの共同運営", "({}都)電子申請サービスの共同運営"),
])
def test_an_invisible_character_in_a_government_tag_keeps_its_level(
        tmp_path, clean_frames, char, _what, clean, damaged):
    """A soft hyphen inside (国) once flipped gov_level from national to ward."""
    frames, warnings = convert_text(tmp_path, replaced(clean, damaged.format(char)))
    assert warnings == []
    assert_same_tables(frames, clean_frames)


# One of each kind the repair removes: format characters (Cf) and control characters
# (Cc) that are not line breaks or tabs (those the text reader reads as cell and line
# separators, so they cannot stand inside a name of a text report).
NAME_DAMAGE = [("\u200b", "Cf"), ("\u00ad", "Cf"), ("\ufeff", "Cf"), ("\u2060", "Cf"),
               ("\u200f", "Cf"), ("\U000e0041", "Cf"), ("\x01", "Cc"), ("\x07", "Cc"),
               ("\x1b", "Cc"), ("\x7f", "Cc"), ("\x9f", "Cc")]


@pytest.mark.parametrize(("char", "_category"), NAME_DAMAGE)
@pytest.mark.parametrize(("clean", "damaged"), [
    ("コンビニ交付サービスの利用促進", "コンビニ交付{}サービスの利用促進"),
    ("マイナンバーカードの普及促進\t", "マイナンバー{}カードの普及促進\t"),
    ("1-1-③\tペーパーレスの推進と押印の見直し", "1-1-③\tペーパーレス{}の推進と押印の見直し"),
    ("\t\t押印等の見直し\t", "\t\t押印等{}の見直し\t"),
])
def test_business_and_measure_names_are_free_of_control_characters(
        tmp_path, clean_frames, char, _category, clean, damaged):
    frames, warnings = convert_text(tmp_path, replaced(clean, damaged.format(char)))
    assert warnings == []
    assert_same_tables(frames, clean_frames)


@pytest.mark.parametrize(("printed", "reason"), [
    ("平成31年5月1日", "平成 ended on 2019-04-30"),
    ("令和1年4月30日", "令和 began on 2019-05-01"),
])
def test_a_date_that_never_existed_warns_and_is_left_out(tmp_path, clean_frames, printed, reason):
    cell = "夜間日曜開庁などカード受取りの利便性を図った。"
    frames, warnings = convert_text(tmp_path, replaced(cell, printed + "に" + cell))
    assert [(w.code, w.line, w.row, w.column, w.value, w.message) for w in warnings] == [
        ("impossible_date", 64, 1, "result", printed,
         f"{printed!r} is not a possible date ({reason}); the text is kept and the date is "
         "left out of date_mentions")]
    assert frames["items"].loc[0, "result"] == printed + "に" + clean_frames["items"].loc[0, "result"]
    assert_same_tables({"date_mentions": frames["date_mentions"]},
                       {"date_mentions": clean_frames["date_mentions"]})


@pytest.mark.parametrize(("printed", "month", "day"), [("平成31年4月30日", 4, 30),
                                                       ("令和元年5月1日", 5, 1)])
def test_a_date_on_the_last_or_first_day_of_an_era_is_read(tmp_path, printed, month, day):
    cell = "夜間日曜開庁などカード受取りの利便性を図った。"
    frames, warnings = convert_text(tmp_path, replaced(cell, printed + "に" + cell))
    assert warnings == []
    mentions = frames["date_mentions"]
    read = mentions[mentions["raw"] == printed]
    assert read[["row_no", "field", "year", "month", "day"]].values.tolist() == [
        [1, "result", 2019, month, day]]


@pytest.mark.parametrize("line", [
    "2-1-①\t(1-1-③再掲)ペーパーレスの推進と押印の見直し\tペーパーレスの推進",
    "2-1-④\t統合型GISの活用\t(1-2-②再掲)セルフサービス端末の活用",
])
def test_a_relisted_row_printed_twice_is_refused_like_any_other(tmp_path, line):
    found = [text for text in LINES if text.startswith(line)]
    assert len(found) == 1
    with pytest.raises(ValidationFailed) as raised:
        convert_text(tmp_path, SEED_TEXT.replace(found[0], found[0] * 2, 1))
    codes = [(f.code, f.column) for f in raised.value.failures]
    assert ("duplicate_business", "business") in codes
    assert any("re-lists this business from" in f.message for f in raised.value.failures)


@pytest.mark.parametrize("header", ["令和X年度の取組予定", "令和六十年度の取組予定", "令和年度の取組予定"])
def test_a_plan_header_whose_year_cannot_be_read_is_refused_by_name(tmp_path, header):
    text = SEED_TEXT.replace("令和6年度の取組予定", header, 1)
    with pytest.raises(LayoutError) as raised:
        convert_text(tmp_path, text)
    assert str(raised.value).endswith(
        f"the attachment header {header!r} is shaped like the plan_next column's but names no "
        "fiscal year that can be read; the report is refused rather than the column kept as an "
        "unknown one.")


def test_a_header_lacking_a_column_where_it_prints_an_unknown_one_warns(tmp_path, clean_frames):
    """xlsx swap_cells seed 210 of bench/fuzz_long.py: a row's (継続) swapped into the
    header's 令和7年度以降取組予定 cell emptied plan_later under it, the text in extra unseen."""
    frames, warnings = convert_text(tmp_path, replaced("令和7年度以降の取組予定", "(継続)"))
    assert warnings == [Failure(
        code="column_missing", source=SEED.name, table="items", line=63, column="plan_later",
        value="(継続)", severity="warning",
        message="the attachment header has no plan_later column and prints '(継続)', which the "
                "profile does not know: plan_later is left empty and those cells are kept in "
                "items.extra (if one is the plan_later column, add it to "
                "tables.items.columns.plan_later)")]
    page = frames["items"]["source_line"].between(64, 70)  # the rows under that header
    assert frames["items"].loc[page, "plan_later"].isna().all()
    assert frames["items"].loc[page, "extra"].tolist() == [
        '{"(継続)": "(推進)"}', '{"(継続)": "(推進)"}', '{"(継続)": "(拡充)"}',
        '{"(継続)": "(検討)"}', '{"(継続)": "新たな電子申請サービスが提供される。"}',
        '{"(継続)": "(拡充)"}', '{"(継続)": "システムの再構築を行い、運用を開始する。"}']
    columns = ["plan_later", "plan_later_tag", "plan_later_from_fy", "extra"]
    assert_same_tables({**frames, "items": frames["items"].drop(columns=columns)},
                       {**clean_frames, "items": clean_frames["items"].drop(columns=columns)})
    pd.testing.assert_frame_equal(frames["items"][~page], clean_frames["items"][~page])


def test_an_honest_extra_column_beside_every_column_of_the_profile_does_not_warn(tmp_path):
    header = next(line for line in LINES if line.startswith("実施内容"))
    row = LINES[LINES.index(header) + 1]
    text = SEED_TEXT.replace(header + row, header.replace("\t所管課", "\t所管課\t備考")
                             + row.rstrip("\n") + "\t重点\n", 1)
    frames, warnings = convert_text(tmp_path, text)
    assert warnings == []
    assert frames["items"]["extra"].dropna().tolist() == ['{"備考": "重点"}']
