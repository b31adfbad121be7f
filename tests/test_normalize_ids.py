import re

import pytest

from pipeline.normalize.ids import (
    MEASURE_ID,
    RELISTED,
    BusinessName,
    NameConflict,
    match_key,
    parse_measure_id,
    plan_tag,
    split_business,
    split_measure_cell,
    split_measure_name,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1-1-①", ("1-1-①", 1, 1, 1)),
        ("2-5-③", ("2-5-③", 2, 5, 3)),
        ("1-7-③", ("1-7-③", 1, 7, 3)),
        (" 2-1-② ", ("2-1-②", 2, 1, 2)),
        ("1－1－①", ("1-1-①", 1, 1, 1)),
        ("1‐1‐①", ("1-1-①", 1, 1, 1)),
        ("１-１-①", ("1-1-①", 1, 1, 1)),
        ("1ー1ー①", ("1-1-①", 1, 1, 1)),
        # Already damaged by NFKC: read back to the circled form.
        ("1-1-3", ("1-1-③", 1, 1, 3)),
        ("2-2-5", ("2-2-⑤", 2, 2, 5)),
        ("3-1-21", ("3-1-㉑", 3, 1, 21)),
        ("1-1-⑳", ("1-1-⑳", 1, 1, 20)),
        ("1-1-㊿", ("1-1-㊿", 1, 1, 50)),
        # a plan with ten or more goals
        ("10-1-①", ("10-1-①", 10, 1, 1)),
        ("12-3-②", ("12-3-②", 12, 3, 2)),
    ],
)
def test_parse_measure_id(raw, expected):
    assert parse_measure_id(raw) == expected


@pytest.mark.parametrize(
    "raw", ["1-1", "0-1-①", "1-0-①", "1-1-0", "1-1-51", "1-1-①a", "マイナンバーカードの普及促進", ""]
)
def test_parse_measure_id_rejects_other_text(raw):
    with pytest.raises(ValueError, match=re.escape(f"not a measure id: {raw!r}")):
        parse_measure_id(raw)


@pytest.mark.parametrize("date", ["2024-01-15", "2024-1-1"])
def test_measure_id_is_not_found_inside_a_date(date):
    assert MEASURE_ID.search(date) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1-1-① マイナンバーカードの普及促進", ("1-1-①", "マイナンバーカードの普及促進")),
        ("1-2-②\u3000統合型GISの活用", ("1-2-②", "統合型GISの活用")),
        ("2-1-④統合型GISの活用", ("2-1-④", "統合型GISの活用")),
        ("1-1-3 ペーパーレスの推進と押印の見直し", ("1-1-③", "ペーパーレスの推進と押印の見直し")),
        ("1-1-①", ("1-1-①", None)),
        ("マイナンバーカードの普及促進", (None, "マイナンバーカードの普及促進")),
        ("(1-1-③再掲)ペーパーレスの推進と押印の見直し", (None, "(1-1-③再掲)ペーパーレスの推進と押印の見直し")),
        ("", (None, None)),
    ],
)
def test_split_measure_cell(raw, expected):
    assert split_measure_cell(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "(2-2-⑤再掲)(国)共通化(クラウドサービス)「ガバメントクラウド」の提供",
            ("共通化(クラウドサービス)「ガバメントクラウド」の提供", "national", False, "2-2-⑤"),
        ),
        (
            "(2-2-⑤再掲)(国)事業者による標準準拠システム開発(「ガバメントクラウド」上でのサービス提供)",
            ("事業者による標準準拠システム開発(「ガバメントクラウド」上でのサービス提供)", "national", False, "2-2-⑤"),
        ),
        ("☆セルフサービス端末の活用", ("セルフサービス端末の活用", "ward", True, None)),
        ("(1-2-②再掲)セルフサービス端末の活用", ("セルフサービス端末の活用", "ward", False, "1-2-②")),
        ("(都)TDPF運営組織設立", ("TDPF運営組織設立", "metropolitan", False, None)),
        ("(国)自治体間の健診受診情報の共有", ("自治体間の健診受診情報の共有", "national", False, None)),
        (
            "(1-3-③再掲)新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備",
            ("新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備", "ward", False, "1-3-③"),
        ),
        ("ペーパーレスの推進", ("ペーパーレスの推進", "ward", False, None)),
        # Look-alike spellings of the same prefixes.
        ("（1-1-③再掲）ペーパーレスの推進", ("ペーパーレスの推進", "ward", False, "1-1-③")),
        ("(1-1-③ 再掲)ペーパーレスの推進", ("ペーパーレスの推進", "ward", False, "1-1-③")),
        ("(1-1-3再掲)ペーパーレスの推進", ("ペーパーレスの推進", "ward", False, "1-1-③")),
        ("（国）電子処方箋の仕組みへの対応", ("電子処方箋の仕組みへの対応", "national", False, None)),
        ("★(都)デジタル人材の共同活用・紹介", ("デジタル人材の共同活用・紹介", "metropolitan", True, None)),
        ("(国)(2-2-⑤再掲)共通化(クラウド\nサービス)", ("共通化(クラウドサービス)", "national", False, "2-2-⑤")),
        ("押印等の見直し(1-1-③再掲)", ("押印等の見直し", "ward", False, "1-1-③")),
    ],
)
def test_split_business(raw, expected):
    assert split_business(raw) == BusinessName(*expected)


@pytest.mark.parametrize(
    ("raw", "reasons", "read_as"),
    [
        ("(国)(都)TDPF運営組織設立",
         ["two government levels, (国) and (都), where a business has one"],
         ("TDPF運営組織設立", "national", False, None)),
        ("(1-1-①再掲)(1-1-②再掲)ペーパーレスの推進",
         ["two 再掲 markers, 1-1-① and 1-1-②, where a row re-lists one measure"],
         ("ペーパーレスの推進", "ward", False, "1-1-①")),
        ("(1-0-①再掲)ペーパーレスの推進",
         ["a 再掲 marker naming no possible measure, (1-0-①再掲)"],
         ("ペーパーレスの推進", "ward", False, None)),
    ],
)
def test_split_business_names_contradictions_and_keeps_the_first(raw, reasons, read_as):
    with pytest.raises(NameConflict) as raised:
        split_business(raw)
    assert (raised.value.reasons, raised.value.read_as) == (reasons, BusinessName(*read_as))


def test_split_business_without_a_name():
    with pytest.raises(ValueError, match=re.escape("no business name in '☆'")):
        split_business("☆")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(1-1-③再掲)ペーパーレスの推進と押印の見直し", ("ペーパーレスの推進と押印の見直し", "1-1-③")),
        ("(1-2-②再掲)統合型GISの活用", ("統合型GISの活用", "1-2-②")),
        ("ペーパーレスの推進と押印の見直し", ("ペーパーレスの推進と押印の見直し", None)),
        ("（２-１-③再掲）窓口支援システムの導入", ("窓口支援システムの導入", "2-1-③")),
    ],
)
def test_split_measure_name(raw, expected):
    assert split_measure_name(raw) == expected


@pytest.mark.parametrize(
    ("relisted", "original"),
    [
        ("(1-2-②再掲)セルフサービス端末の活用", "☆セルフサービス端末の活用"),
        (
            "(2-2-⑤再掲)(国)共通化(クラウドサービス)「ガバメントクラウド」の提供",
            "(国)共通化(クラウドサービス)「ガバメントクラウド」の提供",
        ),
        (
            "(1-3-③再掲)新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備",
            "新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備",
        ),
        ("(2-1-③再掲)新庁舎の窓口支援システムの導入", "新庁舎の窓口支援システムの導入"),
        ("(1-1-③再掲)ペーパーレスの推進と押印の見直し", "ペーパーレスの推進と押印の見直し"),
        ("(1-3-③再掲)庁外施設における区民向けオンライン環境(Free\nWi‐Fi)の拡充",
         "庁外施設における区民向けオンライン環境(Free Wi-Fi)の拡充"),
    ],
)
def test_match_key_matches_relisted_row_to_original(relisted, original):
    assert match_key(relisted) == match_key(original)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("☆セルフサービス端末の活用", "セルフサービス端末の活用"),
        ("新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備", "新庁舎における区民向けオンライン環境(FreeWi-Fi)の整備"),
    ],
)
def test_match_key(name, expected):
    assert match_key(name) == expected


def test_match_key_keeps_different_businesses_apart():
    assert match_key("ペーパーレスの推進") != match_key("押印等の見直し")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(1-1-③再掲)", "1-1-③"),
        ("（1-1-③再掲）", "1-1-③"),
        ("(1-1-③ 再掲)", "1-1-③"),
        ("(再掲 1-1-③)", "1-1-③"),
    ],
)
def test_relisted_pattern(raw, expected):
    match = RELISTED.fullmatch(raw)
    assert match is not None
    assert (match["relisted"] or match["relisted_after"]) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(推進)", "推進"),
        ("(継続)", "継続"),
        ("(拡充)", "拡充"),
        ("(拡充・推進)", "拡充・推進"),
        ("（検討）", "検討"),
        ("(稼働)", "稼働"),
        (" (推進) ", "推進"),
        ("ホームページ運用保守を行う。 (適宜、リビジョンアップ)", None),
        ("(適宜、リビジョンアップ)", None),
        ("システムの再構築を行う。", None),
        ("—", None),
        ("", None),
        (None, None),
        ("()", None),
        ("(推進)(継続)", None),
    ],
)
def test_plan_tag(raw, expected):
    assert plan_tag(raw) == expected
