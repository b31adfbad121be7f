"""Measure ids ("1-1-①"), business-name prefixes (☆, (国), 再掲) and plan keywords.

The circled measure number is part of the id as printed, and NFKC would turn it into a
plain digit, so these functions read ids from the printed text and never NFKC the circle.
A damaged layer that already turned "1-1-③" into "1-1-3" is read back to the circle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalize.text import clean_text, join_wrapped, repair_text, unify_hyphens
from schemas.vocabulary import GOV_LEVEL_BY_TAG

# ①–⑳, ㉑–㉟, ㊱–㊿: position + 1 is the number.
CIRCLED_NUMBERS = (
    "".join(map(chr, range(0x2460, 0x2474)))
    + "".join(map(chr, range(0x3251, 0x3260)))
    + "".join(map(chr, range(0x32B1, 0x32C0)))
)
# Between two digits ー can only be a mistyped dash, never a long vowel.
_DASH = "[-－‐‑‒–—―−ー]"
_DIGIT = "[0-9０-９]"


def _id_pattern(named: bool) -> str:
    # One pattern serves both MEASURE_ID (named groups) and RELISTED, which holds two
    # ids in alternatives and so cannot repeat the group names.
    def group(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    measure = f"[{CIRCLED_NUMBERS}]|{_DIGIT}{{1,2}}(?!{_DIGIT})"
    return (
        rf"(?<!{_DIGIT}){group('goal', '[1-9１-９]' + _DIGIT + '?')}\s*{_DASH}\s*"
        rf"{group('policy', _DIGIT + '{1,2}')}\s*{_DASH}\s*{group('measure', measure)}"
    )


MEASURE_ID = re.compile(_id_pattern(named=True))
_ID_TEXT = _id_pattern(named=False)
# "(1-1-③再掲)": this row repeats a business first listed under measure 1-1-③.
RELISTED = re.compile(
    rf"[(（]\s*(?:(?P<relisted>{_ID_TEXT})\s*再掲|再掲\s*[:：]?\s*(?P<relisted_after>{_ID_TEXT}))"
    rf"\s*[)）]"
)
_TRAILING_RELISTED = re.compile(rf"(?:{RELISTED.pattern})\s*$")
_GOV_LEVEL = re.compile(r"[(（]\s*(?P<level>国|都|区)\s*[)）]")
_STARS = "☆★"
# "目標 2 効率的で…": the line over a goal's indicator table (read from compacted or plain text).
GOAL_LINE = re.compile(r"^目標\s*(\d+)\s*(.*)$")
_PLAN_TAG = re.compile(r"\(\s*(?P<keyword>[^()。、]{1,12}?)\s*\)")


def parse_measure_id(s: str) -> tuple[str, int, int, int]:
    """(canonical id, goal, policy, measure): "1－1－3" → ("1-1-③", 1, 1, 3)."""
    match = MEASURE_ID.fullmatch(s.strip())
    if match is None:
        raise ValueError(f"not a measure id: {s!r}")
    goal, policy = int(match["goal"]), int(match["policy"])
    printed = match["measure"]
    measure = CIRCLED_NUMBERS.index(printed) + 1 if printed in CIRCLED_NUMBERS else int(printed)
    if policy < 1 or not 1 <= measure <= len(CIRCLED_NUMBERS):
        raise ValueError(f"not a measure id: {s!r}")
    return f"{goal}-{policy}-{CIRCLED_NUMBERS[measure - 1]}", goal, policy, measure


def split_measure_cell(s: str) -> tuple[str | None, str | None]:
    """(measure id, name) from a cell that may hold both: "1-1-① マイナンバー…"."""
    text = clean_text(s)
    if text is None:
        return None, None
    match = MEASURE_ID.match(text)
    if match is None:
        return None, text
    measure_id = parse_measure_id(match.group(0))[0]
    return measure_id, clean_text(text[match.end():])


@dataclass(frozen=True)
class BusinessName:
    """A business row's name with its printed prefixes read into fields."""

    name: str
    gov_level: str  # "ward", "national" ((国)) or "metropolitan" ((都))
    starred: bool  # ☆ / ★: a business the plan marks as a priority
    relisted_from: str | None  # canonical measure id of the original row


class NameConflict(ValueError):
    """A name whose printed prefixes contradict each other ("(国)(都)…", two 再掲 markers).

    ``reasons`` say what contradicts what; ``read_as`` is the name read with the first
    of each prefix kept, so that a caller can report the cell and go on.
    """

    def __init__(self, reasons: list[str], cell: str, read_as: BusinessName | tuple[str, str | None]):
        super().__init__(f"{'; '.join(reasons)} in {cell!r}")
        self.reasons = reasons
        self.read_as = read_as


def split_business(cell: str) -> BusinessName:
    """Read ☆, (国)/(都) and "(1-1-③再掲)", in any order, off the front of a name.

    Raises NameConflict for contradicting prefixes, ValueError when no name is left.

    >>> split_business("(1-2-②再掲)☆セルフサービス端末の活用")
    BusinessName(name='セルフサービス端末の活用', gov_level='ward', starred=True, relisted_from='1-2-②')
    """
    text = join_wrapped(repair_text(cell)).strip()
    relisted_from: str | None = None
    starred = False
    level: str | None = None
    problems: list[str] = []
    while True:
        if text[:1] and text[0] in _STARS:
            starred, text = True, text[1:].lstrip()
        elif (relisted := RELISTED.match(text)) is not None:
            relisted_from = _one_relisted(relisted_from, relisted, problems)
            text = text[relisted.end():].lstrip()
        elif (gov := _GOV_LEVEL.match(text)) is not None:
            if level not in (None, gov["level"]):
                problems.append(f"two government levels, ({level}) and ({gov['level']}), "
                                "where a business has one")
            level = level or gov["level"]
            text = text[gov.end():].lstrip()
        else:
            break
    text, relisted_from = _strip_trailing_relisted(text, relisted_from, problems)
    name = clean_text(text)
    if name is None:
        raise ValueError(f"no business name in {cell!r}")
    read = BusinessName(name, GOV_LEVEL_BY_TAG[level or "区"], starred, relisted_from)
    if problems:
        raise NameConflict(problems, cell, read)
    return read


def split_measure_name(cell: str) -> tuple[str, str | None]:
    """(name, relisted_from): "(1-1-③再掲)ペーパーレスの推進…" → ("ペーパーレスの推進…", "1-1-③").

    Raises NameConflict for two 再掲 markers, ValueError when no name is left.
    """
    text = join_wrapped(repair_text(cell)).strip()
    relisted_from = None
    problems: list[str] = []
    if (relisted := RELISTED.match(text)) is not None:
        relisted_from = _one_relisted(None, relisted, problems)
        text = text[relisted.end():]
    text, relisted_from = _strip_trailing_relisted(text, relisted_from, problems)
    name = clean_text(text)
    if name is None:
        raise ValueError(f"no measure name in {cell!r}")
    if problems:
        raise NameConflict(problems, cell, (name, relisted_from))
    return name, relisted_from


def _one_relisted(known: str | None, match: re.Match[str], problems: list[str]) -> str | None:
    try:
        measure_id = parse_measure_id(match["relisted"] or match["relisted_after"])[0]
    except ValueError:
        problems.append(f"a 再掲 marker naming no possible measure, {match.group(0).strip()}")
        return known
    if known not in (None, measure_id):
        problems.append(f"two 再掲 markers, {known} and {measure_id}, where a row re-lists "
                        "one measure")
        return known
    return measure_id


def _strip_trailing_relisted(
    text: str, known: str | None, problems: list[str]
) -> tuple[str, str | None]:
    # Some layouts print the marker after the name: "ペーパーレスの推進(1-1-③再掲)".
    match = _TRAILING_RELISTED.search(text)
    if match is None:
        return text, known
    return text[: match.start()], _one_relisted(known, match, problems)


def match_key(name: str) -> str:
    """The key that matches a re-listed row to its original, whatever prefixes it carries."""
    try:
        plain = split_business(name).name
    except NameConflict as conflict:
        plain = conflict.read_as.name if isinstance(conflict.read_as, BusinessName) else name
    except ValueError:  # nothing but prefixes: the name is what there is
        plain = name
    key = unify_hyphens("".join(plain.split()))
    return key.replace("☆", "").replace("★", "")


def plan_tag(cell: str | None) -> str | None:
    """The keyword of a plan cell that says only "(推進)", "(拡充・推進)"…; else None."""
    text = clean_text(cell)
    if text is None:
        return None
    match = _PLAN_TAG.fullmatch(text)
    return match["keyword"] if match else None
