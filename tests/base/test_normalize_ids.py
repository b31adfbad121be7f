import re

import pytest

from conftest import NAKANO, TESTS
from pipeline.normalize.ids import (
    id_patterns,
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
    assert parse_measure_id(raw, profile=NAKANO) == expected


@pytest.mark.parametrize(
    "raw", ["1-1", "0-1-①", "1-0-①", "1-1-0", "1-1-51", "1-1-①a", "マイナンバーカードの普及促進", ""]
)
def test_parse_measure_id_rejects_other_text(raw):
    with pytest.raises(ValueError, match=re.escape(f"not a measure id: {raw!r}")):
        parse_measure_id(raw, profile=NAKANO)


@pytest.mark.parametrize("date", ["2024-01-15", "2024-1-1"])
def test_measure_id_is_not_found_inside_a_date(date):
    assert id_patterns(NAKANO).measure.search(date) is None


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
    assert split_measure_cell(raw, profile=NAKANO) == expected


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
    assert split_business(raw, profile=NAKANO) == BusinessName(*expected)


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
        split_business(raw, profile=NAKANO)
    assert (raised.value.reasons, raised.value.read_as) == (reasons, BusinessName(*read_as))


def test_split_business_without_a_name():
    with pytest.raises(ValueError, match=re.escape("no business name in '☆'")):
        split_business("☆", profile=NAKANO)


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
    assert split_measure_name(raw, profile=NAKANO) == expected


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
    assert match_key(relisted, profile=NAKANO) == match_key(original, profile=NAKANO)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("☆セルフサービス端末の活用", "セルフサービス端末の活用"),
        ("新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備", "新庁舎における区民向けオンライン環境(FreeWi-Fi)の整備"),
    ],
)
def test_match_key(name, expected):
    assert match_key(name, profile=NAKANO) == expected


def test_match_key_keeps_different_businesses_apart():
    assert match_key("ペーパーレスの推進", profile=NAKANO) != match_key("押印等の見直し", profile=NAKANO)


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
    match = id_patterns(NAKANO).relisted.fullmatch(raw)
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
    assert plan_tag(raw, profile=NAKANO) == expected


# --- ids of other shapes ---------------------------------------------------------------

from pathlib import Path  # noqa: E402

from pipeline.normalize.ids import MeasureId, SplitIdReader, measure_number, read_measure_cell  # noqa: E402
from pipeline.profiles import ProfileError, load_profile, parse_profile  # noqa: E402

SHAPES = load_profile(TESTS / "profiles" / "item_shapes.toml")
KANA = "アイウエオカキクケコサシスセソタチツテト"
IROHA = "イロハニホヘトチリヌルヲ"
_WHOLE = r"(?<!{digit})(?P<goal>[1-9]{digit}?)\s*{dash}\s*[(（]\s*(?P<policy>{digit}{1,2})\s*[)）]\s*{dash}\s*(?P<measure>%s)"


def _ids_profile(measure: str, numerals: str):
    text = SHAPES.text
    start, end = text.index("measure = '(?<!"), text.index("goal_heading")
    ids = f"measure = '{_WHOLE % measure}'\nmeasure_numerals = \"{numerals}\"\n"
    return parse_profile(text[:start] + ids + text[end:], f"ids {numerals or measure}")


@pytest.mark.parametrize(("measure", "numerals", "raw", "expected"), [
    (f"[{KANA}]", KANA, "1-(1)-ア", ("1-1-①", 1, 1, 1)),
    (f"[{KANA}]", KANA, "1-(2)-イ", ("1-2-②", 1, 2, 2)),
    (f"[{KANA}]", KANA, "3-(10)-ト", ("3-10-⑳", 3, 10, 20)),
    (f"[{IROHA}]", IROHA, "1-(1)-イ", ("1-1-①", 1, 1, 1)),
    (f"[{IROHA}]", IROHA, "2-(3)-ハ", ("2-3-③", 2, 3, 3)),
    ("[a-z]", "abcdefghijklmnopqrstuvwxyz", "2-(1)-a", ("2-1-①", 2, 1, 1)),
    ("[a-z]", "abcdefghijklmnopqrstuvwxyz", "2-(1)-c", ("2-1-③", 2, 1, 3)),
    ("[A-Z]", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "1－(1)－B", ("1-1-②", 1, 1, 2)),
    ("{circled}", "", "1-(1)-④", ("1-1-④", 1, 1, 4)),
    (r"\d{1,2}", "", "1-(2)-12", ("1-2-⑫", 1, 2, 12)),
])
def test_whole_ids_of_many_shapes_have_one_normal_form(measure, numerals, raw, expected):
    profile = _ids_profile(measure, numerals)
    assert parse_measure_id(raw, profile) == expected
    assert read_measure_cell(f"{raw} 行政手続のオンライン化", profile) == (
        expected[0], raw, "行政手続のオンライン化")


@pytest.mark.parametrize(("printed", "numerals", "expected"), [
    ("ア", KANA, 1), ("ウ", KANA, 3), ("イ", IROHA, 1), ("ロ", IROHA, 2), ("c", "abc", 3),
    ("③", "", 3), ("12", "", 12), ("51", "", None), ("ヌ", KANA, None), ("アイ", KANA, None),
    ("", KANA, None),
])
def test_measure_number_from_its_numeral(printed, numerals, expected):
    assert measure_number(printed, numerals) == expected


def _read(lines):
    """Feed (kind, text) lines to a fresh reader: what each call returned."""
    reader = SplitIdReader(SHAPES)
    return [reader.goal(text) if kind == "goal" else reader.cell(text) for kind, text in lines]


def test_split_ids_read_from_a_heading_a_policy_and_kana_cells():
    assert _read([
        ("goal", "基本目標1 電子県庁の実現"), ("cell", "(1) 電子自治体の推進"), ("cell", ""),
        ("cell", "ア 行政手続のオンライン化"), ("cell", ""), ("cell", "イ　業務の見直し"),
        ("cell", "（２） 地域の情報化"), ("cell", "ア 公衆無線LANの整備"),
        ("goal", "基本目標 2"), ("cell", "(1) 教育の情報化"), ("cell", "ウ 校務の効率化"),
        ("cell", "2-(1)-イ 校務支援"),
    ]) == [
        True, (None, "電子自治体の推進"), (None, None),
        (MeasureId("1-1-①", "基本目標1 (1) ア", 1, 1, 1, "行政手続のオンライン化", "電子自治体の推進"),
         "行政手続のオンライン化"),
        (MeasureId("1-1-①", "基本目標1 (1) ア", 1, 1, 1, "行政手続のオンライン化", "電子自治体の推進"),
         None),
        (MeasureId("1-1-②", "基本目標1 (1) イ", 1, 1, 2, "業務の見直し", "電子自治体の推進"),
         "業務の見直し"),
        (None, "地域の情報化"),
        (MeasureId("1-2-①", "基本目標1 （２） ア", 1, 2, 1, "公衆無線LANの整備", "地域の情報化"),
         "公衆無線LANの整備"),
        True, (None, "教育の情報化"),
        (MeasureId("2-1-③", "基本目標2 (1) ウ", 2, 1, 3, "校務の効率化", "教育の情報化"), "校務の効率化"),
        (MeasureId("2-1-②", "2-(1)-イ", 2, 1, 2, "校務支援"), "校務支援"),
    ]


@pytest.mark.parametrize("text", ["基本目標", "目標1 電子県庁", "(1) 電子自治体の推進", "", None])
def test_a_line_that_is_no_goal_heading_is_not_read_as_one(text):
    assert SplitIdReader(SHAPES).goal(text) is False


@pytest.mark.parametrize(("lines", "message"), [
    ([("cell", "ア 行政手続のオンライン化")],
     "the measure 'ア 行政手続のオンライン化' stands under no goal heading (ids.goal_heading)"),
    ([("goal", "基本目標1"), ("cell", "ア 行政手続のオンライン化")],
     "the measure 'ア 行政手続のオンライン化' stands under no policy (ids.policy_cell)"),
    ([("goal", "基本目標1"), ("cell", "(1) 推進"), ("cell", "ヌ 行政手続")],
     "'ヌ 行政手続' is neither a policy nor a measure of the profile's ids (ids.policy_cell, "
     "ids.measure_cell, ids.measure)"),
    ([("goal", "基本目標1"), ("cell", "(1) 推進"), ("cell", "電子申請の拡充")],
     "'電子申請の拡充' is neither a policy nor a measure of the profile's ids (ids.policy_cell, "
     "ids.measure_cell, ids.measure)"),
])
def test_a_cell_the_split_reader_cannot_place_says_why(lines, message):
    with pytest.raises(ValueError) as refused:
        _read(lines)
    assert str(refused.value) == message


def test_a_new_goal_heading_ends_the_policy_above():
    reader = SplitIdReader(SHAPES)
    reader.goal("基本目標1")
    reader.cell("(1) 推進")
    assert reader.cell("ア 申請")[0] is not None
    reader.goal("基本目標2")
    assert reader.cell("") == (None, None)
    with pytest.raises(ValueError, match="under no policy"):
        reader.cell("イ 申請")


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("goal_heading = '^基本目標\\s*(?P<goal>{digit}+)'\n", "",
     "ids.goal_heading: required with ids.policy_cell, but missing"),
    ("(?P<goal>{digit}+)", "({digit}+)", "ids.goal_heading: the pattern needs the group(s) (?P<goal>…)"),
    ("\\s*(?P<name>.*)$'", "'", "ids.policy_cell: the pattern needs the group(s) (?P<name>…)"),
    ("measure_cell = '^(?P<measure>", "measure_cell = '^(?P<measure>(", "ids.measure_cell: bad pattern"),
    ('continuation = "wrapped_line"', 'continuation = "wrapped"',
     "tables.items.continuation: 'wrapped' is none of none, wrapped_line"),
])
def test_a_bad_split_id_or_continuation_key_is_a_profile_error(old, new, problem):
    assert old in SHAPES.text
    with pytest.raises(ProfileError) as refused:
        parse_profile(SHAPES.text.replace(old, new), "bad")
    assert problem in str(refused.value)


# --- ids of two levels (ids.levels) ------------------------------------------------------

from pipeline.normalize.ids import canonical_id, canonical_order  # noqa: E402

TRIAL = load_profile(TESTS / "profiles" / "trial_minamiyama.toml")
_TRIAL_IDS = ("levels = [\"policy\", \"measure\"]\n"
              "measure = '施策(?P<policy>{digit}{1,2})\\s*{dash}\\s*(?P<measure>{digit}{1,2}(?!{digit}))'\n")

_TRIAL_MEASURE = _TRIAL_IDS.split("\n", 1)[1]  # the measure line, without the levels


def _levels_profile(ids: str):
    """The trial profile with other [ids] levels and measure lines."""
    assert _TRIAL_IDS in TRIAL.text
    return parse_profile(TRIAL.text.replace(_TRIAL_IDS, ids), "levels")


GOAL_MEASURE = ("levels = [\"goal\", \"measure\"]\n"
                "measure = '目標(?P<goal>{digit}{1,2})\\s*{dash}\\s*(?P<measure>{circled})'\n")


@pytest.mark.parametrize(("ids", "raw", "expected"), [
    (_TRIAL_IDS, "施策1-2", ("1-②", None, 1, 2)),
    (_TRIAL_IDS, "施策1－2", ("1-②", None, 1, 2)),
    (_TRIAL_IDS, "施策１-１", ("1-①", None, 1, 1)),
    (_TRIAL_IDS, "施策2 - 1", ("2-①", None, 2, 1)),
    (_TRIAL_IDS, "施策10-3", ("10-③", None, 10, 3)),
    (_TRIAL_IDS, "施策3-12", ("3-⑫", None, 3, 12)),
    (GOAL_MEASURE, "目標2-③", ("2-③", 2, None, 3)),
    (GOAL_MEASURE, "目標12－①", ("12-①", 12, None, 1)),
])
def test_two_level_ids_have_two_numbers_and_no_invented_level(ids, raw, expected):
    profile = _levels_profile(ids)
    assert parse_measure_id(raw, profile) == expected
    assert read_measure_cell(f"{raw} 窓口手続のオンライン化", profile) == (
        expected[0], raw, "窓口手続のオンライン化")


@pytest.mark.parametrize("raw", ["施策1", "施策0-1", "施策1-0", "施策1-2-3", "1-1-①", "1-②",
                                 "施策1-51", ""])
def test_a_two_level_profile_reads_no_other_id(raw):
    with pytest.raises(ValueError, match=re.escape(f"not a measure id: {raw!r}")):
        parse_measure_id(raw, TRIAL)


def test_a_two_level_relisting_names_its_two_level_id():
    assert split_business("(施策1-1再掲)窓口手続のオンライン化", TRIAL) == BusinessName(
        "窓口手続のオンライン化", "municipal", False, "1-①")


@pytest.mark.parametrize(("goal", "policy", "measure", "expected"), [
    (1, 1, 3, "1-1-③"), (None, 1, 2, "1-②"), (2, None, 1, "2-①"), (10, 12, 50, "10-12-㊿"),
])
def test_canonical_id_joins_the_levels_it_has(goal, policy, measure, expected):
    assert canonical_id(goal, policy, measure) == expected


def test_canonical_ids_sort_by_their_numbers_whatever_their_levels():
    assert sorted(["10-1-①", "2-1-⑩", "2-1-②", "1-2-①"], key=canonical_order) == [
        "1-2-①", "2-1-②", "2-1-⑩", "10-1-①"]
    assert sorted(["10-①", "2-⑩", "2-②", "1-①"], key=canonical_order) == [
        "1-①", "2-②", "2-⑩", "10-①"]
    assert [canonical_order(i) for i in ("1-1-③", "2-①", "3-⑫")] == [(1, 1, 3), (0, 2, 1),
                                                                     (0, 3, 12)]


@pytest.mark.parametrize("printed", ["1-2", "施策1-2", "1-1-3", "-②", "1-1-1-①", ""])
def test_canonical_order_refuses_an_id_not_in_normal_form(printed):
    with pytest.raises(ValueError, match=re.escape(f"not a canonical measure id: {printed!r}")):
        canonical_order(printed)


@pytest.mark.parametrize(("ids", "problem"), [
    ('levels = ["measure"]\n' + _TRIAL_MEASURE,
     "ids.levels: ['measure'] is not two or three of goal, policy, measure in that order, "
     "ending with measure"),
    ('levels = ["measure", "policy"]\n' + _TRIAL_MEASURE,
     "ids.levels: ['measure', 'policy'] is not two or three of goal, policy, measure in that "
     "order, ending with measure"),
    ('levels = ["policy", "goal", "measure"]\n' + _TRIAL_MEASURE,
     "ids.levels: ['policy', 'goal', 'measure'] is not two or three of goal, policy, measure "
     "in that order, ending with measure"),
    ('levels = ["goal", "policy"]\n' + _TRIAL_MEASURE,
     "ids.levels: ['goal', 'policy'] is not two or three of goal, policy, measure in that "
     "order, ending with measure"),
    # The old trick: the 施策 number read twice, as a goal no level of the ids has.
    ('levels = ["policy", "measure"]\n'
     "measure = '施策(?=(?P<goal>{digit}))(?P<policy>{digit})\\s*{dash}\\s*(?P<measure>{digit})'\n",
     "ids.measure: the group (?P<goal>…) is no level of ids.levels (policy, measure)"),
    ('levels = ["goal", "measure"]\n' + _TRIAL_MEASURE,
     "ids.measure: the pattern needs the group(s) (?P<goal>…)"),
    # Three levels (the default) need all three groups.
    (_TRIAL_MEASURE, "ids.measure: the pattern needs the group(s) (?P<goal>…)"),
    ('levels = ["policy", "measure"]\n'
     "measure = '施策(?P<policy>{digit}?)\\s*{dash}\\s*(?P<measure>{digit})'\n",
     "ids.measure: the group (?P<policy>…) may match nothing, but it is a number every id prints"),
])
def test_a_bad_id_levels_key_is_a_profile_error(ids, problem):
    with pytest.raises(ProfileError) as refused:
        _levels_profile(ids)
    assert problem in str(refused.value)


def test_ids_split_over_a_heading_and_cells_need_a_goal_level():
    with pytest.raises(ProfileError) as refused:
        parse_profile(SHAPES.text.replace("[ids]\n", '[ids]\nlevels = ["policy", "measure"]\n'),
                      "split")
    assert ("ids.goal_heading: ids split over a heading and cells are read as goal, policy, "
            "measure or goal, measure, but ids.levels is policy, measure") in str(refused.value)


@pytest.mark.parametrize(("cell", "expected"), [
    ("", (None, None)),
    ("(施策1-1再掲)", (None, "1-①")),
    ("行政手続のデジタル化", ("行政手続のデジタル化", None)),
    ("(施策2-1再掲)暮らしのデジタル化", ("暮らしのデジタル化", "2-①")),
])
def test_a_measure_name_that_is_not_required_may_be_absent(cell, expected):
    assert split_measure_name(cell, TRIAL, required=False) == expected


@pytest.mark.parametrize("cell", ["", "(施策1-1再掲)", "  "])
def test_a_required_measure_name_that_is_absent_is_a_value_error(cell):
    with pytest.raises(ValueError, match=re.escape(f"no measure name in {cell!r}")):
        split_measure_name(cell, TRIAL)


# --- levels of government (ids.own_level, ids.gov_levels) --------------------------------

@pytest.mark.parametrize(("profile", "raw", "expected"), [
    # a 町's own programme, and the prefecture's and the state's within its report
    (TRIAL, "スマホ教室の開催", BusinessName("スマホ教室の開催", "municipal", False, None)),
    (TRIAL, "(県)GIS(地図情報)の公開", BusinessName("GIS(地図情報)の公開", "prefectural", False, None)),
    (TRIAL, "☆(国)ガバメントクラウドへの移行", BusinessName("ガバメントクラウドへの移行", "national", True, None)),
    (TRIAL, "(施策1-1再掲)(県)電子申請", BusinessName("電子申請", "prefectural", False, "1-①")),
    # Nakano's (the default own_level, ward) as before
    (NAKANO, "マイナンバーカードの普及", BusinessName("マイナンバーカードの普及", "ward", False, None)),
    (NAKANO, "(都)電子申請の共同運営", BusinessName("電子申請の共同運営", "metropolitan", False, None)),
    (NAKANO, "(区)窓口の見直し", BusinessName("窓口の見直し", "ward", False, None)),
])
def test_an_untagged_business_is_of_the_reports_own_level_of_government(profile, raw, expected):
    assert split_business(raw, profile) == expected


def test_a_tag_the_profile_does_not_name_is_left_in_the_name():
    assert split_business("(都)電子申請", TRIAL) == BusinessName("(都)電子申請", "municipal", False,
                                                             None)


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('own_level = "municipal"', 'own_level = "town"',
     "ids.own_level: 'town' is none of ward, national, metropolitan, prefectural, municipal"),
    ('"県" = "prefectural"', '"県" = "prefecture"',
     "ids.gov_levels.県: 'prefecture' is none of ward, national, metropolitan, prefectural, "
     "municipal"),
    ('own_level = "municipal"', "own_level = 1", "ids.own_level: should be a string"),
])
def test_a_level_of_government_outside_the_vocabulary_is_a_profile_error(old, new, problem):
    assert old in TRIAL.text
    with pytest.raises(ProfileError) as refused:
        parse_profile(TRIAL.text.replace(old, new), "levels")
    assert problem in str(refused.value)


def test_ids_of_two_levels_split_over_a_heading_and_number_cells():
    """柱1 › 1, 柱2 › 4: a goal heading over cells of the measure's number alone (its name
    printed in a cell of its own), with no policy level."""
    text = (TESTS / "profiles" / "aichi_like.toml").read_text(encoding="utf-8")
    reader = SplitIdReader(parse_profile(text, "aichi_like.toml"))
    assert reader.goal("柱2 地域のデジタル化")
    read = [reader.cell(cell) for cell in ("4", "", "5")]
    assert [(m.id, m.raw, m.goal_no, m.policy_no, m.measure_no, name) for m, name in read] == [
        ("2-④", "柱2 4", 2, None, 4, None), ("2-④", "柱2 4", 2, None, 4, None),
        ("2-⑤", "柱2 5", 2, None, 5, None)]


_SPLIT_TWO = ("goal_heading = '^柱(?P<goal>\\d+)'\nmeasure_cell = '^(?P<measure>\\d+)$'\n")
_POLICY_CELL = "policy_cell = '^[(](?P<policy>\\d)[)](?P<name>.*)'\n"


@pytest.mark.parametrize(("ids", "problem"), [
    ('levels = ["goal", "measure"]\nmeasure = \'(?P<goal>\\d)-(?P<measure>\\d)\'\n'
     + _SPLIT_TWO + _POLICY_CELL,
     "ids.policy_cell: ids.levels is goal, measure, with no policy for a policy cell to give"),
    ("measure = '(?P<goal>\\d)-(?P<policy>\\d)-(?P<measure>\\d)'\n" + _SPLIT_TWO,
     "ids.policy_cell: required with ids.goal_heading, but missing"),
])
def test_split_ids_have_a_policy_cell_exactly_where_their_levels_have_a_policy(ids, problem):
    text = (TESTS / "profiles" / "aichi_like.toml").read_text(encoding="utf-8")
    start, end = text.index("[ids]\n"), text.index("own_level", text.index("[ids]\n"))
    with pytest.raises(ProfileError) as refused:
        parse_profile(text[:start] + "[ids]\n" + ids + text[end:], "split")
    assert str(refused.value).splitlines() == ["split: 1 problem(s) in the profile:",
                                               "  " + problem]
