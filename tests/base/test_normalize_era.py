import re

import pytest

from pipeline.normalize.era import (
    DateMention,
    ImpossibleDate,
    era_to_year,
    find_date_mentions,
    fiscal_year_of,
    parse_fiscal_year,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令和5年度", 2023),
        ("令和 5 年度", 2023),
        ("令 和 5 年 度", 2023),
        ("令和５年度", 2023),
        ("R5年度", 2023),
        ("R5", 2023),
        ("Ｒ５", 2023),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("平成32年度", 2020),  # printed before the era changed: still a valid year
        ("H30年度", 2018),
        ("昭和63年度", 1988),
        ("2023年度", 2023),
        ("取組結果 (令和5年度)", 2023),
        ("令和6年度の取組予定", 2024),
        ("令和6年度取組予定", 2024),
        ("令和7年度以降の取組予定", 2025),
        ("令和7年度以降取組予定", 2025),
        ("㋿5年度", 2023),
        ("実施内容", None),
        ("所管課", None),
        ("", None),
        ("R6.5", None),  # a month, not a fiscal year
        ("令和6年3月", None),  # a calendar month, whose fiscal year is 2023, not 2024
        ("H2O", None),
    ],
)
def test_parse_fiscal_year(raw, expected):
    assert parse_fiscal_year(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("令和0年度", "令和0年 is not a possible year"),
        ("R0", "R0年 is not a possible year"),
        ("平成99年度", "平成99年 is not a possible year"),
        ("令和100年度", "令和100年 is not a possible year"),
    ],
)
def test_parse_fiscal_year_rejects_impossible_years(raw, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_fiscal_year(raw)


@pytest.mark.parametrize(
    ("era", "era_year", "expected"),
    [("令和", "元", 2019), ("R", "6", 2024), ("平成", "32", 2020), ("S", "64", 1989)],
)
def test_era_to_year(era, era_year, expected):
    assert era_to_year(era, era_year) == expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2024, 3, 2023), (2024, 4, 2024), (2023, 12, 2023), (2024, 1, 2023), (2019, 5, 2019)],
)
def test_fiscal_year_of(year, month, expected):
    assert fiscal_year_of(year, month) == expected


def test_fiscal_year_of_rejects_month_13():
    with pytest.raises(ValueError, match="month 13 does not exist"):
        fiscal_year_of(2024, 13)


# (cell, context fiscal year, [(raw, year, month, day, fiscal_year, inferred), ...])
@pytest.mark.parametrize(
    ("cell", "context", "expected"),
    [
        (
            "令和6年3月に東京都被災者生活再建支援システムにマイナポータル連携が実装された。"
            "令和6年度は区の対応についての検討を行う。",
            2023,
            [("令和6年3月", 2024, 3, None, 2023, False), ("令和6年度", None, None, None, 2024, False)],
        ),
        ("令和5年10月にホームページのリニューアルを行った。", 2023,
         [("令和5年10月", 2023, 10, None, 2023, False)]),
        ("区では、令和 6 年 3 月に策定した", 2023, [("令和 6 年 3 月", 2024, 3, None, 2023, False)]),
        ("新庁舎移転時(R6.5)にセルフサービス端末によるサービスの提供を開始する。", 2023,
         [("R6.5", 2024, 5, None, 2024, False)]),
        ("また、令和9年度に行う現行の児相システムリプレースに向けて", 2023,
         [("令和9年度", None, None, None, 2027, False)]),
        ("令和7年度から都が提供する電子申請サービスが決定される。", 2023,
         [("令和7年度", None, None, None, 2025, False)]),
        ("一部のデータについては令和6年4月から公開予定である。", 2023,
         [("令和6年4月", 2024, 4, None, 2024, False)]),
        ("2024年9月9日に開始", 2024, [("2024年9月9日", 2024, 9, 9, 2024, False)]),
        ("令和6年(2024年)9月9日に開始", 2024, [("令和6年(2024年)9月9日", 2024, 9, 9, 2024, False)]),
        ("令和６年３月", 2023, [("令和６年３月", 2024, 3, None, 2023, False)]),
        ("令和6年3⽉、工事が終了した。", 2023, [("令和6年3⽉", 2024, 3, None, 2023, False)]),
        ("9/1のGovTech東京の事業開始に伴い同団体へ人材育成支援事業が移管された。", 2023,
         [("9/1", 2023, 9, 1, 2023, True)]),
        ("5月の新庁舎開庁に向け移転作業を実施する。", 2024, [("5月", 2024, 5, None, 2024, True)]),
        ("1月から運用を開始する。", 2024, [("1月", 2025, 1, None, 2024, True)]),
        ("5月の新庁舎開庁に向け移転作業を実施する。", None, [("5月", None, 5, None, None, True)]),
        (
            "補助金を活用して19手続をびったりサービスにて公開開始した(令和4年度の5手続に加え、合計24手続を公開中)。",
            2023,
            [("令和4年度", None, None, None, 2022, False)],
        ),
        ("夜間日曜開庁などカード受取りの利便性を図った。(令和5年度交付数44,025件)", 2023,
         [("令和5年度", None, None, None, 2023, False)]),
        ("0/15", 2023, []),
        ("2/30", 2023, []),
        ("13月", 2023, []),
        ("1/15件", 2023, []),
        ("44,025件", 2023, []),
        ("実績等に基づき外国人対応が多い窓口等に59台を配備し、運用した。", 2023, []),
    ],
)
def test_find_date_mentions(cell, context, expected):
    assert find_date_mentions(cell, context) == ([DateMention(*fields) for fields in expected], [])


@pytest.mark.parametrize(
    ("cell", "mentions", "impossible"),
    [
        ("令和0年度から", [], [("令和0年度", "令和0年 is not a possible year")]),
        ("令和6年2月30日に開始", [], [("令和6年2月30日", "'令和6年2月30日' is not a possible date")]),
        ("令和6年(2023年)9月9日", [],
         [("令和6年(2023年)9月9日", "'令和6年(2023年)9月9日' gives two different years")]),
        # The impossible date is not read again as a shorter possible one (令和6年), and
        # the possible mentions around it are kept.
        ("令和6年2月30日に開始し、令和6年4月から運用", [("令和6年4月", 2024, 4, None, 2024, False)],
         [("令和6年2月30日", "'令和6年2月30日' is not a possible date")]),
        ("令和999年度", [], [("令和999年度", "令和999年 is not a possible year")]),
    ],
)
def test_find_date_mentions_sets_impossible_dates_apart(cell, mentions, impossible):
    assert find_date_mentions(cell, 2023) == ([DateMention(*fields) for fields in mentions],
                                              [ImpossibleDate(*fields) for fields in impossible])


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("平成31年5月1日", "平成 ended on 2019-04-30"),
        ("平成31年5月", "平成 ended on 2019-04-30"),
        ("平成32年3月31日", "平成 ended on 2019-04-30"),
        ("H31.5.1", "平成 ended on 2019-04-30"),
        ("令和1年4月30日", "令和 began on 2019-05-01"),
        ("令和元年4月", "令和 began on 2019-05-01"),
        ("R1.4.30", "令和 began on 2019-05-01"),
        ("昭和64年1月8日", "昭和 ended on 1989-01-07"),
        ("平成元年1月7日", "平成 began on 1989-01-08"),
        ("昭和元年12月24日", "昭和 began on 1926-12-25"),
        ("昭和元年11月", "昭和 began on 1926-12-25"),
    ],
)
def test_a_date_outside_its_era_never_existed(cell, reason):
    assert find_date_mentions(cell, 2023) == (
        [], [ImpossibleDate(cell, f"{cell!r} is not a possible date ({reason})")])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("平成31年4月30日", (2019, 4, 30, 2019)),
        ("H31.4.30", (2019, 4, 30, 2019)),
        ("平成31年4月", (2019, 4, None, 2019)),
        ("令和元年5月1日", (2019, 5, 1, 2019)),
        ("令和元年5月", (2019, 5, None, 2019)),
        ("R1.5.1", (2019, 5, 1, 2019)),
        ("昭和64年1月7日", (1989, 1, 7, 1988)),
        ("平成元年1月8日", (1989, 1, 8, 1988)),
        ("平成元年1月", (1989, 1, None, 1988)),  # its last days are 平成's
        ("昭和元年12月25日", (1926, 12, 25, 1926)),
    ],
)
def test_the_days_at_an_era_boundary_are_real(cell, expected):
    assert find_date_mentions(cell, 2023) == ([DateMention(cell, *expected, False)], [])


@pytest.mark.parametrize(("cell", "fiscal_year"), [("平成32年度", 2020), ("平成31年度", 2019),
                                                   ("令和元年度", 2019), ("H32年度", 2020)])
def test_a_fiscal_year_past_its_era_still_counts_on(cell, fiscal_year):
    """Plans printed before 2019 name 平成32年度 for 2020: a year, not a calendar day."""
    assert find_date_mentions(cell, 2023) == (
        [DateMention(cell, None, None, None, fiscal_year, False)], [])


@pytest.mark.parametrize("header", ["取組結果 (令和0年度)", "令和100年度", "平成47年度"])
def test_parse_fiscal_year_refuses_an_impossible_year(header):
    with pytest.raises(ValueError, match="is not a possible year"):
        parse_fiscal_year(header)
