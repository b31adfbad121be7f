"""Measure ids ("1-1-①"), business-name prefixes (☆, (国), 再掲) and plan keywords.

The id pattern, the 再掲 word, the stars and government levels are the profile's
(``[ids]``). The circled measure number is part of the id as printed, and NFKC would
turn it into a plain digit, so ids are read from the printed text and the circle is
never NFKC'd; a damaged layer that already turned "1-1-③" into "1-1-3" is read back to
the circle. Whatever the layout prints, the id is written canonically: goal-policy-circled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.normalize.text import join_wrapped, normalize_text, unify_hyphens
from pipeline.profiles import CIRCLED_NUMBERS, Profile, expand_classes, resolve

@dataclass(frozen=True)
class IdPatterns:
    """A profile's [ids] section, compiled."""

    measure: re.Pattern[str]
    relisted: re.Pattern[str]
    trailing_relisted: re.Pattern[str]
    gov_level: re.Pattern[str] | None
    gov_levels: dict[str, str]
    stars: tuple[str, ...]
    plan_tag: re.Pattern[str] | None
    numerals: str


@lru_cache(maxsize=16)
def id_patterns(profile: Profile | None = None) -> IdPatterns:
    profile = resolve(profile)
    ids = profile.section("ids")
    named = expand_classes(ids["measure"])
    # The 再掲 pattern holds two ids in alternatives, which cannot repeat group names.
    bare = re.sub(r"\(\?P<\w+>", "(?:", named)
    marker = re.escape(ids.get("relisted", ""))
    relisted = re.compile(
        rf"[(（]\s*(?:(?P<relisted>{bare})\s*{marker}|{marker}\s*[:：]?\s*(?P<relisted_after>{bare}))"
        rf"\s*[)）]")
    levels = dict(ids.get("gov_levels", {}))
    words = "|".join(re.escape(word) for word in levels)
    return IdPatterns(
        measure=re.compile(named), relisted=relisted,
        trailing_relisted=re.compile(rf"(?:{relisted.pattern})\s*$"),
        gov_level=re.compile(rf"[(（]\s*(?P<level>{words})\s*[)）]") if words else None,
        gov_levels=levels, stars=tuple(ids.get("stars", ())),
        plan_tag=re.compile(ids["plan_tag"]) if "plan_tag" in ids else None,
        numerals=ids.get("measure_numerals", ""))


MEASURE_ID = id_patterns().measure
RELISTED = id_patterns().relisted


def parse_measure_id(s: str, profile: Profile | None = None) -> tuple[str, int, int, int]:
    """(canonical id, goal, policy, measure): "1－1－3" → ("1-1-③", 1, 1, 3)."""
    patterns = id_patterns(profile)
    match = patterns.measure.fullmatch(s.strip())
    if match is None:
        raise ValueError(f"not a measure id: {s!r}")
    goal, policy = int(match["goal"]), int(match["policy"])
    printed = match["measure"]
    if printed in CIRCLED_NUMBERS:
        measure = CIRCLED_NUMBERS.index(printed) + 1
    elif printed.isdigit():
        measure = int(printed)
    elif printed in patterns.numerals:
        measure = patterns.numerals.index(printed) + 1
    else:
        raise ValueError(f"not a measure id: {s!r}")
    if policy < 1 or not 1 <= measure <= len(CIRCLED_NUMBERS):
        raise ValueError(f"not a measure id: {s!r}")
    return f"{goal}-{policy}-{CIRCLED_NUMBERS[measure - 1]}", goal, policy, measure


def split_measure_cell(s: str, profile: Profile | None = None) -> tuple[str | None, str | None]:
    """(measure id, name) from a cell that may hold both: "1-1-① マイナンバー…"."""
    text = normalize_text(s)
    if text is None:
        return None, None
    match = id_patterns(profile).measure.match(text)
    if match is None:
        return None, text
    measure_id = parse_measure_id(match.group(0), profile)[0]
    return measure_id, normalize_text(text[match.end():])


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


def split_business(cell: str, profile: Profile | None = None) -> BusinessName:
    """Read the stars, levels of government and 再掲 markers, in any order, off the front
    of a (repaired) business name.

    Raises NameConflict for contradicting prefixes, ValueError when no name is left.

    >>> split_business("(1-2-②再掲)☆セルフサービス端末の活用")
    BusinessName(name='セルフサービス端末の活用', gov_level='ward', starred=True, relisted_from='1-2-②')
    """
    patterns = id_patterns(profile)
    text = join_wrapped(cell).strip()
    relisted_from: str | None = None
    starred = False
    level: str | None = None
    problems: list[str] = []
    while True:
        star = next((s for s in patterns.stars if s and text.startswith(s)), None)
        if star is not None:
            starred, text = True, text[len(star):].lstrip()
        elif (relisted := patterns.relisted.match(text)) is not None:
            relisted_from = _one_relisted(relisted_from, relisted, problems, profile)
            text = text[relisted.end():].lstrip()
        elif patterns.gov_level and (gov := patterns.gov_level.match(text)) is not None:
            if level not in (None, gov["level"]):
                problems.append(f"two government levels, ({level}) and ({gov['level']}), "
                                "where a business has one")
            level = level or gov["level"]
            text = text[gov.end():].lstrip()
        else:
            break
    text, relisted_from = _strip_trailing_relisted(text, relisted_from, problems, profile)
    name = normalize_text(text)
    if name is None:
        raise ValueError(f"no business name in {cell!r}")
    read = BusinessName(name, patterns.gov_levels.get(level or "", "ward"), starred, relisted_from)
    if problems:
        raise NameConflict(problems, cell, read)
    return read


def split_measure_name(cell: str, profile: Profile | None = None) -> tuple[str, str | None]:
    """(name, relisted_from): "(1-1-③再掲)ペーパーレスの推進…" → ("ペーパーレスの推進…", "1-1-③").

    Raises NameConflict for two 再掲 markers, ValueError when no name is left.
    """
    text = join_wrapped(cell).strip()
    relisted_from = None
    problems: list[str] = []
    if (relisted := id_patterns(profile).relisted.match(text)) is not None:
        relisted_from = _one_relisted(None, relisted, problems, profile)
        text = text[relisted.end():]
    text, relisted_from = _strip_trailing_relisted(text, relisted_from, problems, profile)
    name = normalize_text(text)
    if name is None:
        raise ValueError(f"no measure name in {cell!r}")
    if problems:
        raise NameConflict(problems, cell, (name, relisted_from))
    return name, relisted_from


def _one_relisted(known: str | None, match: re.Match[str], problems: list[str],
                  profile: Profile | None) -> str | None:
    word = resolve(profile).section("ids").get("relisted", "re-listing")
    try:
        measure_id = parse_measure_id(match["relisted"] or match["relisted_after"], profile)[0]
    except ValueError:
        problems.append(f"a {word} marker naming no possible measure, {match.group(0).strip()}")
        return known
    if known not in (None, measure_id):
        problems.append(f"two {word} markers, {known} and {measure_id}, where a row re-lists "
                        "one measure")
        return known
    return measure_id


def _strip_trailing_relisted(text: str, known: str | None, problems: list[str],
                             profile: Profile | None) -> tuple[str, str | None]:
    # Some layouts print the marker after the name: "ペーパーレスの推進(1-1-③再掲)".
    match = id_patterns(profile).trailing_relisted.search(text)
    if match is None:
        return text, known
    return text[: match.start()], _one_relisted(known, match, problems, profile)


def match_key(name: str, profile: Profile | None = None) -> str:
    """The key that matches a re-listed row to its original, whatever prefixes it carries."""
    try:
        plain = split_business(name, profile).name
    except NameConflict as conflict:
        plain = conflict.read_as.name if isinstance(conflict.read_as, BusinessName) else name
    except ValueError:  # nothing but prefixes: the name is what there is
        plain = name
    key = unify_hyphens("".join(plain.split()))
    for star in id_patterns(profile).stars:
        key = key.replace(star, "")
    return key


def plan_tag(cell: str | None, profile: Profile | None = None) -> str | None:
    """The keyword of a plan cell that says only "(推進)", "(拡充・推進)"…; else None."""
    text = normalize_text(cell)
    pattern = id_patterns(profile).plan_tag
    if text is None or pattern is None:
        return None
    match = pattern.fullmatch(text)
    return match["keyword"] if match else None
