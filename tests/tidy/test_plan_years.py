"""The years of an attachment header: a plan column headed without a year is the
report's year + 1 (inferred, and said so), and a plan year that cannot follow the year
reported on is refused naming the header cell."""

import pytest

from pipeline.tidy.attachment import find_item_header
from pipeline.errors import LayoutError
from pipeline.profiles import builtin_profile, parse_profile
from pipeline.records import Cell
from pipeline.tidy.items import HeaderYears, header_years

NAKANO = builtin_profile()
# Nakano's words, and a plan_next word without {year} (今後の方向性).
YEARLESS = parse_profile(NAKANO.text.replace('plan_next = ["{year}取組予定"',
                                             'plan_next = ["今後の方向性", "{year}取組予定"'),
                         "yearless plan")


def _header(result: str, plan_next: str, plan_later: str | None, profile=NAKANO):
    texts = ["実施内容", "", "事業内容", "進捗状況", result, plan_next]
    texts += [plan_later] if plan_later is not None else []
    header = find_item_header(tuple(Cell(text=t, line=7) for t in texts + ["所管課"]), profile, "r.txt")
    assert header is not None
    return header


@pytest.mark.parametrize(("result", "plan_next", "plan_later", "expected"), [
    ("取組結果(令和5年度)", "令和6年度取組予定", "令和7年度以降取組予定", HeaderYears(2023, 2024, 2025)),
    ("取組結果(令和5年度)", "令和6年度の取組予定", "令和6年度以降の取組予定", HeaderYears(2023, 2024, 2024)),
    ("取組結果(令和5年度)", "令和6年度取組予定", "令和10年度以降取組予定", HeaderYears(2023, 2024, 2028)),
    ("令和元年度の取組実績", "令和2年度取組予定", None, HeaderYears(2019, 2020, None)),
])
def test_plan_years_that_follow_the_year_reported_on_are_read(result, plan_next, plan_later, expected):
    assert header_years(_header(result, plan_next, plan_later), "r.txt", profile=NAKANO) == expected


@pytest.mark.parametrize(("plan_next", "plan_later", "message"), [
    ("令和60年度取組予定", "令和7年度以降取組予定",
     "r.txt: line 7, the attachment header '令和60年度取組予定' names fiscal year 2078 for the "
     "plan_next column, where a report on fiscal year 2023 plans for 2024."),
    ("令和5年度取組予定", "令和7年度以降取組予定",
     "r.txt: line 7, the attachment header '令和5年度取組予定' names fiscal year 2023 for the "
     "plan_next column, where a report on fiscal year 2023 plans for 2024."),
    ("令和7年度取組予定", "令和8年度以降取組予定",
     "r.txt: line 7, the attachment header '令和7年度取組予定' names fiscal year 2025 for the "
     "plan_next column, where a report on fiscal year 2023 plans for 2024."),
    ("令和6年度取組予定", "令和5年度以降取組予定",
     "r.txt: line 7, the attachment header '令和5年度以降取組予定' names fiscal year 2023 for the "
     "plan_later column, where a report on fiscal year 2023 plans for 2024 to 2028."),
    ("令和6年度取組予定", "令和60年度以降取組予定",
     "r.txt: line 7, the attachment header '令和60年度以降取組予定' names fiscal year 2078 for the "
     "plan_later column, where a report on fiscal year 2023 plans for 2024 to 2028."),
])
def test_a_plan_year_that_cannot_follow_the_year_reported_on_is_refused_naming_the_cell(
        plan_next, plan_later, message):
    with pytest.raises(LayoutError) as refused:
        header_years(_header("取組結果(令和5年度)", plan_next, plan_later), "r.txt", profile=NAKANO)
    assert str(refused.value) == message


def test_a_plan_header_without_a_year_is_the_report_year_plus_one_when_the_profile_allows_it():
    header = _header("取組結果(令和5年度)", "今後の方向性", None, YEARLESS)
    assert header.label("plan_next").text == "今後の方向性"
    assert header_years(header, "r.txt", YEARLESS) == HeaderYears(2023, 2024, None, True)


def test_without_such_a_word_a_plan_header_naming_no_year_is_kept_as_an_extra_column():
    header = _header("取組結果(令和5年度)", "今後の方向性", None, NAKANO)
    assert ("plan_next" in dict(header.columns).values(),
            header_years(header, "r.txt", profile=NAKANO)) == (False, HeaderYears(2023, None, None))


def test_the_result_column_still_needs_its_year():
    with pytest.raises(LayoutError) as refused:
        header_years(_header("取組結果", "今後の方向性", None, YEARLESS), "r.txt", YEARLESS)
    assert str(refused.value) == ("r.txt: line 7, the attachment header's result column names "
                                  "no fiscal year ('取組結果') and neither the title nor a "
                                  "title.year_line line names the report's year.")


def test_a_result_header_without_a_year_is_the_year_the_front_part_names():
    header = _header("取組結果", "今後の方向性", None, YEARLESS)
    assert header_years(header, "r.txt", YEARLESS, front_year=2024) == HeaderYears(
        2024, 2025, None, True, True)
