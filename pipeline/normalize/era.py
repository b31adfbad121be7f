"""Japanese era years, fiscal years and the dates a cell mentions.

A ward's year runs from 1 April, and its reports print years in the era calendar
("令和5年度", "R6.5") as often as in the Western one. Matching runs on a folded copy
of the cell (full-width digits → ASCII, radicals → ideographs) so that ``raw`` can be
sliced from the printed text with the same span.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.errors import LayoutError
from pipeline.normalize.text import fold_chars, repair_text
from pipeline.records import Cell

# Year 1 of each era is base + 1. Abbreviations are the ones used in printed tables.
ERA_BASE = {"昭和": 1925, "平成": 1988, "令和": 2018}
ERA_BASE |= {"S": ERA_BASE["昭和"], "H": ERA_BASE["平成"], "R": ERA_BASE["令和"]}
_ERA_NAMES = {"昭和": "昭和", "平成": "平成", "令和": "令和", "S": "昭和", "H": "平成", "R": "令和"}
# The last year each closed era actually had.
_ERA_LAST_YEAR = {1925: 64, 1988: 31}
# Plans printed before an era ended count on in it ("平成32年度" is 2020); a plan looks at
# most a decade ahead, so anything past this is a misprint, not an overflow year.
_OVERFLOW_YEARS = 15
_OPEN_ERA_LAST_YEAR = 99
# The first and last day of each era: a date printed outside them never existed
# (平成31年5月1日 is 令和元年5月1日; 令和1年4月30日 is still 平成).
_ERA_DAYS = {
    1925: (datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    1988: (datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    2018: (datetime.date(2019, 5, 1), None),
}

_ERA = r"(?P<era>令和|平成|昭和|(?<![A-Za-z])[RHS])\s*(?P<year>元|\d{1,3})\s*"
_FISCAL_YEAR_HEADER = re.compile(
    r"(?P<era>令和|平成|昭和)(?P<year>元|\d{1,3})年度"
    r"|(?<![A-Za-z])(?P<abbr>[RHS])(?P<abbr_year>元|\d{1,3})(?:年度|(?![\d.年/月A-Za-z]))"
    r"|(?<!\d)(?P<western>(?:19|20)\d{2})年度"
)


def era_to_year(era: str, era_year: str) -> int:
    """The Western year of an era year: ("令和", "5") → 2023, ("平成", "元") → 1989."""
    base = ERA_BASE[era]
    number = 1 if era_year == "元" else int(era_year)
    last = _ERA_LAST_YEAR.get(base)
    limit = last + _OVERFLOW_YEARS if last is not None else _OPEN_ERA_LAST_YEAR
    if not 1 <= number <= limit:
        raise ValueError(f"{era}{era_year}年 is not a possible year")
    return base + number


def parse_fiscal_year(s: str) -> int | None:
    """The first fiscal year named in a header or cell, or None.

    >>> parse_fiscal_year("取組結果 (令和 5 年度)")
    2023
    """
    # Headers print "令 和 5 年 度" and "令和 5 年度"; spaces never separate two years.
    text = re.sub(r"\s+", "", repair_text(s))
    match = _FISCAL_YEAR_HEADER.search(text)
    if match is None:
        return None
    if match["era"]:
        return era_to_year(match["era"], match["year"])
    if match["abbr"]:
        return era_to_year(match["abbr"], match["abbr_year"])
    return int(match["western"])


def header_fiscal_year(cell: Cell, source: str, what: str) -> int | None:
    """The fiscal year a header cell names (None: none); an impossible one (令和0年度) is a
    LayoutError naming the cell as ``what`` ("the attachment header")."""
    try:
        return parse_fiscal_year(cell.text or "")
    except ValueError as error:
        raise LayoutError(f"{source}: {cell.where} {what} {(cell.text or '').strip()!r} names "
                          f"an impossible fiscal year ({error}).") from None



def fiscal_year_text(fiscal_year: int) -> str:
    """A fiscal year written as a header prints it, for a header cell a stage makes up.

    >>> parse_fiscal_year(fiscal_year_text(2022))
    2022
    """
    return f"{fiscal_year}年度"


def fiscal_year_of(year: int, month: int) -> int:
    """The fiscal year a calendar month falls in: April starts a new one."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    return year if month >= 4 else year - 1


@dataclass(frozen=True)
class DateMention:
    """One date or fiscal year named in a cell, with the text as printed.

    A fiscal-year mention ("令和9年度") has only ``fiscal_year``. ``inferred`` is True
    when the cell gave no year and it was taken from the report's fiscal year.
    """

    raw: str
    year: int | None
    month: int | None
    day: int | None
    fiscal_year: int | None
    inferred: bool


_ERA_DATE = re.compile(
    _ERA + r"年\s*(?:\(\s*(?P<western>\d{4})\s*年\s*\)\s*)?"
    r"(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?"
)
_ERA_FISCAL = re.compile(_ERA + r"年度(?:\s*\(\s*\d{4}\s*年度?\s*\))?")
_ERA_DOTTED = re.compile(
    r"(?<![A-Za-z])(?P<era>[RHS])(?P<year>元|\d{1,2})\.(?P<month>\d{1,2})"
    r"(?:\.(?P<day>\d{1,2}))?(?!\d|\.\d)"
)
_ERA_YEAR = re.compile(_ERA + r"年(?:\s*\(\s*(?P<western>\d{4})\s*年\s*\))?")
_WESTERN_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?"
)
_WESTERN_SEPARATED = re.compile(
    r"(?<![\d/.])(?P<year>(?:19|20)\d{2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)"
    r"(?P<day>\d{1,2})(?!\d|[/.-]\d)"
)
_WESTERN_FISCAL = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年度")
_WESTERN_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年")
_MONTH_DAY = re.compile(r"(?<![\d/.,])(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?")
# "M/D" is also how a fraction or a count is printed ("0/15", "3/5件"); only a pair
# that is a real day and not followed by a counter reads as a date.
_SLASH_MONTH_DAY = re.compile(
    r"(?<![\d/.,])(?P<month>\d{1,2})/(?P<day>\d{1,2})(?![\d/])"
    r"(?!\s*(?:件|名|人|団体|台|回|手続|校|施設|業務|枚|本|%|割|者|社|か所|箇所|ヶ所|事業))"
)

@dataclass(frozen=True)
class ImpossibleDate:
    """A dated mention that cannot exist, as printed, and why: it is left out, not guessed."""

    raw: str
    reason: str  # e.g. "'令和6年2月30日' is not a possible date"


# Every form starts with an era name or a digit: positions before the next such character
# cannot start a mention, and are skipped without trying each form there.
_MENTION_START = re.compile(r"[令平昭RHS\d]")

_Reader = Callable[[re.Match[str], str, "int | None"], "DateMention | None"]


def find_date_mentions(s: str, context_fiscal_year: int | None
                       ) -> tuple[list[DateMention], list[ImpossibleDate]]:
    """Every date or fiscal year a cell mentions, in order and not overlapping, and the
    dated mentions that cannot exist ("令和0年度", "令和6年2月30日", "令和6年(2023年)").

    A month without a year ("5月", "9/1") takes its year from ``context_fiscal_year``
    (April–December in that year, January–March in the next) and is marked inferred.
    A yearless mention that cannot exist ("2/30") is taken for a fraction, not a date.
    """
    text = fold_chars(s)
    mentions: list[DateMention] = []
    impossible: list[ImpossibleDate] = []
    position = 0
    while (start := _MENTION_START.search(text, position)) is not None:
        found = _read_at(text, start.start(), s, context_fiscal_year)
        if found is None:
            position = start.start() + 1
            continue
        mention, position = found
        if isinstance(mention, DateMention):
            mentions.append(mention)
        else:
            impossible.append(mention)
    return mentions, impossible


def _read_at(
    text: str, position: int, printed: str, context_fiscal_year: int | None
) -> tuple[DateMention | ImpossibleDate, int] | None:
    # Longer, more specific forms first, so "令和6年3月" is not read as "令和6年"; an
    # impossible long form is not read again as a shorter possible one.
    for pattern, reader in _READERS:
        match = pattern.match(text, position)
        if match is None:
            continue
        raw = printed[match.start():match.end()]
        try:
            mention = reader(match, raw, context_fiscal_year)
        except ValueError as error:
            return ImpossibleDate(raw, str(error)), match.end()
        if mention is not None:
            return mention, match.end()
    return None


def _read_era_date(match: re.Match[str], raw: str, _context: int | None) -> DateMention:
    year = _era_year_checked(match, raw)
    mention = _dated(raw, year, match["month"], match["day"])
    _check_within_era(match["era"], mention, raw)
    return mention


def _check_within_era(era: str, mention: DateMention, raw: str) -> None:
    """A date (or a month, without a day) the era's own days do not reach is refused.

    A year past an era's end still reads as a fiscal year or a year ("平成32年度" is
    2020: plans printed before the change count on), but a day names a calendar date,
    and one that never existed under that name cannot be placed without a guess.
    """
    assert mention.year is not None and mention.month is not None
    first_day, last_day = _ERA_DAYS[ERA_BASE[era]]
    if mention.day is not None:
        earliest = latest = datetime.date(mention.year, mention.month, mention.day)
    else:  # the month overlaps the era if any of its days does
        earliest = datetime.date(mention.year, mention.month, 1)
        latest = (earliest + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
    name = _ERA_NAMES[era]
    if latest < first_day:
        raise ValueError(f"{raw!r} is not a possible date ({name} began on {first_day:%Y-%m-%d})")
    if last_day is not None and earliest > last_day:
        raise ValueError(f"{raw!r} is not a possible date ({name} ended on {last_day:%Y-%m-%d})")


def _read_era_fiscal(match: re.Match[str], raw: str, _context: int | None) -> DateMention:
    return DateMention(raw, None, None, None, era_to_year(match["era"], match["year"]), False)


def _read_era_year(match: re.Match[str], raw: str, _context: int | None) -> DateMention:
    return DateMention(raw, _era_year_checked(match, raw), None, None, None, False)


def _era_year_checked(match: re.Match[str], raw: str) -> int:
    year = era_to_year(match["era"], match["year"])
    # "令和6年(2024年)" prints the year twice; if they disagree, neither can be trusted.
    western = match.groupdict().get("western")
    if western and int(western) != year:
        raise ValueError(f"{raw!r} gives two different years")
    return year


def _read_western_date(match: re.Match[str], raw: str, _context: int | None) -> DateMention:
    return _dated(raw, int(match["year"]), match["month"], match["day"])


def _read_western_fiscal(match: re.Match[str], raw: str, _context: int | None) -> DateMention:
    return DateMention(raw, None, None, None, int(match["year"]), False)


def _read_western_year(match: re.Match[str], raw: str, _context: int | None) -> DateMention:
    return DateMention(raw, int(match["year"]), None, None, None, False)


def _dated(raw: str, year: int, month_text: str, day_text: str | None) -> DateMention:
    month = int(month_text)
    day = int(day_text) if day_text else None
    if not _is_real_day(year, month, day):
        raise ValueError(f"{raw!r} is not a possible date")
    return DateMention(raw, year, month, day, fiscal_year_of(year, month), False)


def _read_yearless(match: re.Match[str], raw: str, context: int | None) -> DateMention | None:
    month = int(match["month"])
    day = int(match["day"]) if match["day"] else None
    # 2000 is a leap year, so 2/29 passes when the year is unknown.
    if not _is_real_day(2000, month, day):
        return None
    if context is None:
        return DateMention(raw, None, month, day, None, True)
    year = context if month >= 4 else context + 1
    return DateMention(raw, year, month, day, context, True)


def _is_real_day(year: int, month: int, day: int | None) -> bool:
    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return False
    return True


_READERS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_ERA_DATE, _read_era_date),
    (_ERA_FISCAL, _read_era_fiscal),
    (_ERA_DOTTED, _read_era_date),
    (_ERA_YEAR, _read_era_year),
    (_WESTERN_DATE, _read_western_date),
    (_WESTERN_SEPARATED, _read_western_date),
    (_WESTERN_FISCAL, _read_western_fiscal),
    (_WESTERN_YEAR, _read_western_year),
    (_MONTH_DAY, _read_yearless),
    (_SLASH_MONTH_DAY, _read_yearless),
)
