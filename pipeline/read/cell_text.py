"""A spreadsheet cell's value and number format → the text the sheet shows.

An author who types 105 or 令和6年3月1日 into Excel stores a number or a date serial
and a format; the report means what is printed. This renders the common formats a
Japanese ward's sheet uses: General, 0 / 0.0 / #,##0, percentages, literal units
("件", "0"件), and dates in Western (yyyy/m/d, yyyy"年"m"月"d"日") and era forms
(ggge"年"m"月"d"日" → 令和6年3月1日, with 元年 for [$-ja-JP-x-gannen]). Exotic
formats fall back to the General text of the value, never to a serial number. A
number no float can hold (a cell's ``1e400`` reads as infinity) is refused with
``UnreadableCell``, never shown as ``inf``; so is a cell of a type the format does not
have (``t="zz"``), whose raw text (a shared-string index) is not what the sheet shows.

Stdlib only: the reader passes plain values.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any

# (first day, name, abbreviation, letter); newest first.
_ERAS = ((date(2019, 5, 1), "令和", "令", "R"), (date(1989, 1, 8), "平成", "平", "H"),
         (date(1926, 12, 25), "昭和", "昭", "S"), (date(1912, 7, 30), "大正", "大", "T"))
_WEEKDAYS = "月火水木金土日"
_BRACKET = re.compile(r"\[[^\]]*\]")
_DATE_TOKEN = re.compile(r'"[^"]*"|\\.|ggg|gg|g|ee|e|yyyy|yy|mmmm|mmm|mm|m|dd|d|aaaa|aaa|hh|h|ss|s|.',
                         re.IGNORECASE)
_NUMBER_PART = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")
# openpyxl's name for built-in format 14, which Japanese Excel shows as yyyy/m/d.
_LOCALE_SHORT_DATE = "mm-dd-yy"


# The cell types openpyxl leaves after reading a sheet (t="str" becomes "s", a formula "f").
_CELL_TYPES = {"n", "s", "b", "d", "e", "f", "inlineStr"}


class UnreadableCell(ValueError):
    """A cell whose shown text is lost in reading it: a number beyond what a float holds,
    or a type the format does not have."""


def number_text(cell: Any) -> str | None:
    """The shown text of an openpyxl cell (duck-typed: ``value``, ``number_format``,
    ``data_type``, ``coordinate``, ``parent.title``)."""
    where = f"the cell {cell.parent.title}!{cell.coordinate}"
    if cell.data_type not in _CELL_TYPES:
        raise UnreadableCell(f"{where} has the type {cell.data_type!r}, which the format does "
                             "not have; the file was not read.")
    try:
        return display_text(cell.value, cell.number_format or "General")
    except UnreadableCell:
        raise UnreadableCell(f"{where} holds a number too large to read (beyond ±1.8e308); the "
                             "file was not read.") from None


def display_text(value: Any, number_format: str = "General") -> str | None:
    """``value`` as a sheet with ``number_format`` shows it; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date | time):
        return date_text(value, number_format)
    if isinstance(value, float) and not math.isfinite(value):
        raise UnreadableCell(f"{value} is no number a sheet can show")
    if isinstance(value, int | float):
        return number_format_text(value, number_format)
    return str(value)


def _sections(number_format: str) -> list[str]:
    return re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', number_format)


def number_format_text(value: float, number_format: str) -> str:
    """1234.5 with '#,##0.0"件"' → '1,234.5件'; 0.623 with '0.0%' → '62.3%'."""
    sections = _sections(number_format)
    section = sections[1] if value < 0 and len(sections) > 1 else sections[0]
    section = _BRACKET.sub("", section)
    if value < 0 and len(sections) > 1:
        value = -value
    if section.strip().lower() in ("general", ""):
        return _general(value)
    literal = re.sub(r'"([^"]*)"|\\(.)|_.|\*.', lambda m: m.group(1) or m.group(2) or "", section)
    match = _NUMBER_PART.search(literal)
    if match is None:
        return literal
    pattern = match.group(0)
    if "%" in literal:
        value = value * 100
    decimals = len(pattern.split(".", 1)[1]) if "." in pattern else 0
    shown = f"{value:,.{decimals}f}" if "," in pattern else f"{value:.{decimals}f}"
    return literal[:match.start()] + shown + literal[match.end():]


def _general(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.11g}" if isinstance(value, float) else str(value)


def date_text(value: datetime | date | time, number_format: str) -> str:
    """A date in its format: 'ggge"年"m"月"d"日"' → 令和6年3月1日, 'yyyy/m/d' → 2024/3/1."""
    gannen = "gannen" in number_format.lower()
    section = _BRACKET.sub("", _sections(number_format)[0])
    if section.strip().lower() in ("general", "", _LOCALE_SHORT_DATE):
        section = "yyyy/m/d" if not isinstance(value, time) else "h:mm"
    tokens = _DATE_TOKEN.findall(section)
    parts = []
    for index, token in enumerate(tokens):
        parts.append(_date_token(value, token, tokens, index, gannen))
    return "".join(parts)


def _date_token(value: Any, token: str, tokens: list[str], index: int, gannen: bool) -> str:
    lower = token.lower()
    day = value.date() if isinstance(value, datetime) else value
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if lower in ("ggg", "gg", "g", "ee", "e") and isinstance(day, date):
        era = next((e for e in _ERAS if day >= e[0]), None)
        if era is None:
            return str(day.year) if lower.startswith("e") else ""
        if lower.startswith("g"):
            return {"ggg": era[1], "gg": era[2], "g": era[3]}[lower]
        year = day.year - era[0].year + 1
        return "元" if gannen and year == 1 else (f"{year:02d}" if lower == "ee" else str(year))
    if lower in ("mm", "m") and _is_minute(tokens, index):
        return f"{value.minute:02d}" if lower == "mm" else str(value.minute)
    table = {"yyyy": lambda: str(day.year), "yy": lambda: f"{day.year % 100:02d}",
             "mmmm": lambda: f"{day.month}月", "mmm": lambda: f"{day.month}月",
             "mm": lambda: f"{day.month:02d}", "m": lambda: str(day.month),
             "dd": lambda: f"{day.day:02d}", "d": lambda: str(day.day),
             "aaaa": lambda: _WEEKDAYS[day.weekday()] + "曜日", "aaa": lambda: _WEEKDAYS[day.weekday()],
             "hh": lambda: f"{value.hour:02d}", "h": lambda: str(value.hour),
             "ss": lambda: f"{value.second:02d}", "s": lambda: str(value.second)}
    reader = table.get(lower)
    if reader is None:
        return token
    try:
        return reader()
    except AttributeError:  # a time-only format part on a date, or the reverse
        return ""


def _is_minute(tokens: list[str], index: int) -> bool:
    """m after an hour or before seconds is minutes, as Excel reads it."""
    before = [t.lower() for t in tokens[:index] if t.strip() and t not in (":",)]
    after = [t.lower() for t in tokens[index + 1:] if t.strip() and t not in (":",)]
    return bool(before and before[-1] in ("h", "hh")) or bool(after and after[0] in ("s", "ss"))
