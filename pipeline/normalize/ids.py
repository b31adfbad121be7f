"""Measure ids ("1-1-①"), business-name prefixes (☆, (国), 再掲) and plan keywords.

The id pattern, the 再掲 word, the stars and government levels are the profile's
(``[ids]``). The circled measure number is part of the id as printed, and NFKC would
turn it into a plain digit, so ids are read from the printed text and the circle is
never NFKC'd; a damaged layer that already turned "1-1-③" into "1-1-3" is read back to
the circle. Whatever the layout prints, the id is written canonically: its levels'
numbers joined by "-", the measure circled (goal-policy-measure "1-1-①"; an id of two
levels, ``[ids] levels = ["policy", "measure"]``, "1-②").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.normalize.text import join_wrapped, normalize_text, unify_hyphens
from pipeline.profiles import CIRCLED_NUMBERS, Profile, expand_classes

@dataclass(frozen=True)
class IdPatterns:
    """A profile's [ids] section, compiled."""

    measure: re.Pattern[str]
    relisted: re.Pattern[str]
    trailing_relisted: re.Pattern[str]
    bare_relisted: re.Pattern[str] | None  # "(再掲)": a marker naming no measure
    gov_level: re.Pattern[str] | None
    gov_levels: dict[str, str]
    own_level: str  # an untagged business's: the report's own level of government
    stars: tuple[str, ...]
    plan_tag: re.Pattern[str] | None
    numerals: str
    levels: tuple[str, ...]  # ids.levels: ("goal", "policy", "measure") or fewer


@lru_cache(maxsize=16)
def id_patterns(profile: Profile) -> IdPatterns:
    ids = profile.ids
    named = expand_classes(ids.measure)
    # The 再掲 pattern holds two ids in alternatives, which cannot repeat group names.
    bare = re.sub(r"\(\?P<\w+>", "(?:", named)
    marker = re.escape(ids.relisted or "")
    relisted = re.compile(
        rf"[(（]\s*(?:(?P<relisted>{bare})\s*{marker}|{marker}\s*[:：]?\s*(?P<relisted_after>{bare}))"
        rf"\s*[)）]")
    levels = dict(ids.gov_levels)
    words = "|".join(re.escape(word) for word in levels)
    return IdPatterns(
        measure=re.compile(named), relisted=relisted,
        trailing_relisted=re.compile(rf"(?:{relisted.pattern})\s*$"),
        bare_relisted=re.compile(rf"^\s*[(（]\s*{marker}\s*[)）]|[(（]\s*{marker}\s*[)）]\s*$")
        if marker else None,
        gov_level=re.compile(rf"[(（]\s*(?P<level>{words})\s*[)）]") if words else None,
        gov_levels=levels, own_level=ids.own_level,
        stars=ids.stars,
        plan_tag=re.compile(ids.plan_tag) if ids.plan_tag is not None else None,
        numerals=ids.measure_numerals, levels=ids.levels)


def parse_measure_id(s: str, profile: Profile
                     ) -> tuple[str, int | None, int | None, int]:
    """(canonical id, goal, policy, measure): "1－1－3" → ("1-1-③", 1, 1, 3); a level the
    profile's ids do not have (``ids.levels``) is None: 施策1-2 → ("1-②", None, 1, 2)."""
    patterns = id_patterns(profile)
    match = patterns.measure.fullmatch(s.strip())
    if match is None:
        raise ValueError(f"not a measure id: {s!r}")
    goal, policy = (int(match[level]) if level in patterns.levels else None
                    for level in ("goal", "policy"))
    measure = measure_number(match["measure"], patterns.numerals)
    if any(number is not None and number < 1 for number in (goal, policy)) or measure is None:
        raise ValueError(f"not a measure id: {s!r}")
    return canonical_id(goal, policy, measure), goal, policy, measure


def measure_number(printed: str, numerals: str = "") -> int | None:
    """A measure's number from its printed numeral: a circled number, digits, or one of the
    profile's ``measure_numerals`` (アイウ…, イロハ…, abc…: its position + 1); None for
    anything else or a number past the last circled one."""
    if len(printed) == 1 and printed in CIRCLED_NUMBERS:
        number = CIRCLED_NUMBERS.index(printed) + 1
    elif printed.isdigit():
        number = int(printed)
    elif len(printed) == 1 and printed in numerals:
        number = numerals.index(printed) + 1
    else:
        return None
    return number if 1 <= number <= len(CIRCLED_NUMBERS) else None


def canonical_id(goal: int | None, policy: int | None, measure: int) -> str:
    """The one normal form of every profile's ids: the numbers of its levels joined by "-",
    the measure circled ("1-1-①"), whatever the report prints (1-(1)-ア, 基本目標1 › (1) ›
    ア); an id of two levels has two numbers (施策1-2 → "1-②"), never an invented goal.
    The printed id is kept beside it (items.measure_id_raw)."""
    numbers = [str(number) for number in (goal, policy) if number is not None]
    return "-".join([*numbers, CIRCLED_NUMBERS[measure - 1]])


_CANONICAL = re.compile(rf"(?:(\d+)-)?(\d+)-([{CIRCLED_NUMBERS}])")


def canonical_order(measure_id: str) -> tuple[int, int, int]:
    """A canonical id's numbers, to sort by, whatever profile wrote it: "1-1-③" → (1, 1, 3),
    a two-level "2-①" → (0, 2, 1). Raises ValueError for anything else."""
    match = _CANONICAL.fullmatch(measure_id)
    if match is None:
        raise ValueError(f"not a canonical measure id: {measure_id!r}")
    return (int(match[1] or 0), int(match[2]), CIRCLED_NUMBERS.index(match[3]) + 1)


def split_measure_cell(s: str, profile: Profile) -> tuple[str | None, str | None]:
    """(measure id, name) from a cell that may hold both: "1-1-① マイナンバー…"."""
    measure_id, _, name = read_measure_cell(s, profile)
    return measure_id, name


def read_measure_cell(s: str, profile: Profile
                      ) -> tuple[str | None, str | None, str | None]:
    """(canonical id, id as printed, name) from a cell that may hold a whole id and a name:
    "1-(1)-ア 行政手続…" → ("1-1-①", "1-(1)-ア", "行政手続…")."""
    text = normalize_text(s)
    if text is None:
        return None, None, None
    match = id_patterns(profile).measure.match(text)
    if match is None:
        return None, None, text
    measure_id = parse_measure_id(match.group(0), profile)[0]
    return measure_id, match.group(0).strip(), normalize_text(text[match.end():])


@dataclass(frozen=True)
class MeasureId:
    """A measure's id read from its parts: ``id`` the normal form (1-1-①), ``raw`` the
    parts as printed joined with " " ("基本目標1 (1) ア"), the three numbers, the measure's
    ``name`` and its policy's ``policy_name`` (None where the id was printed whole)."""

    id: str
    raw: str
    goal_no: int | None
    policy_no: int | None
    measure_no: int
    name: str | None
    policy_name: str | None = None


class SplitIdReader:
    """Reads ids split over a heading line and cells, in document order (``[ids]``
    ``goal_heading``, ``policy_cell``, ``measure_cell``; a cell holding a whole id, the
    ``[ids] measure`` pattern, is read too).

    - ``goal(text) -> bool``: whether a line (a Paragraph, or a row of one cell) is a goal
      heading (基本目標1 …); if so it is the goal of the cells that follow, and no policy
      is current until the next policy cell.
    - ``cell(text) -> (MeasureId | None, name | None)``: one cell of the id column, e.g. an
      indicator table's 項目. A policy cell ``(1) 電子自治体の推進`` → (None, its name): the
      policy of the measures that follow. A measure cell ``ア 行政手続のオンライン化`` →
      (its MeasureId, its name). A blank cell → (the current measure, None): the row goes
      on under the measure above (None while only a policy row was seen). Anything else,
      or a measure under no goal heading or no policy, raises ValueError saying why in
      one sentence (the caller names the cell).

    For example (tests/base/test_normalize_ids.py runs it)::

        reader = SplitIdReader(profile)
        reader.goal("基本目標1 電子県庁の実現")     # True
        reader.cell("(1) 電子自治体の推進")         # (None, "電子自治体の推進")
        reader.cell("ア 行政手続のオンライン化")     # (MeasureId("1-1-①", "基本目標1 (1) ア", 1, 1, 1, …), …)
        reader.cell("")                          # the same MeasureId, None
    """

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        ids = self.profile.ids
        self.numerals = ids.measure_numerals
        self._goal = _compiled(ids.goal_heading)
        self._policy = _compiled(ids.policy_cell)
        self._measure = _compiled(ids.measure_cell)
        self.has_policy = "policy" in ids.levels  # 基本目標1 › (1) › ア, or 柱1 › 4
        self.goal_no: int | None = None
        self.goal_raw = ""
        self.policy: tuple[int, str, str | None] | None = None  # number, as printed, name
        self.current: MeasureId | None = None

    @property
    def splits(self) -> bool:
        """Whether the profile splits ids at all: a goal heading and measure cells, and
        policy cells where its ids have a policy level."""
        return (None not in (self._goal, self._measure)
                and (self._policy is not None or not self.has_policy))

    def goal(self, text: str | None) -> bool:
        line = normalize_text(text)
        match = self._goal.match(line) if self._goal and line else None
        if match is None:
            return False
        self.goal_no, self.goal_raw = int(match["goal"]), _printed_part(match, "goal")
        self.policy, self.current = None, None
        return True

    def is_policy(self, text: str | None) -> bool:
        """Whether a cell is a policy cell ((1) 電子自治体の推進), without reading it."""
        line = normalize_text(text)
        return bool(self._policy and line and self._policy.match(line))

    def cell(self, text: str | None) -> tuple[MeasureId | None, str | None]:
        line = normalize_text(text)
        if line is None:
            return self.current, None
        whole = read_measure_cell(line, self.profile)
        if whole[0] is not None:
            _, goal_no, policy_no, measure_no = parse_measure_id(whole[1] or "", self.profile)
            self.current = MeasureId(whole[0], whole[1] or "", goal_no, policy_no, measure_no,
                                     whole[2])
            return self.current, whole[2]
        if self._policy and (match := self._policy.match(line)) is not None:
            self.policy = (int(match["policy"]), _printed_part(match, "policy"),
                           normalize_text(match["name"]))
            self.current = None
            return None, self.policy[2]
        if self._measure and (match := self._measure.match(line)) is not None:
            return self._measure_of(match, line)
        raise ValueError(f"{line!r} is neither a policy nor a measure of the profile's ids "
                         "(ids.policy_cell, ids.measure_cell, ids.measure)")

    def _measure_of(self, match: re.Match[str], line: str) -> tuple[MeasureId, str | None]:
        number = measure_number(match["measure"], self.numerals)
        if number is None:
            raise ValueError(f"{line!r}: {match['measure']!r} is not a measure number of the "
                             "profile (ids.measure_numerals)")
        if self.goal_no is None:
            raise ValueError(f"the measure {line!r} stands under no goal heading (ids.goal_heading)")
        if self.policy is None and self.has_policy:
            raise ValueError(f"the measure {line!r} stands under no policy (ids.policy_cell)")
        name = normalize_text(match["name"]) if "name" in match.re.groupindex else None
        policy_no, policy_raw, policy_name = self.policy or (None, "", None)
        raw = " ".join(part for part in (self.goal_raw, policy_raw,
                                         _printed_part(match, "measure")) if part)
        self.current = MeasureId(canonical_id(self.goal_no, policy_no, number), raw,
                                 self.goal_no, policy_no, number, name, policy_name)
        return self.current, name


def _compiled(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(expand_classes(pattern)) if pattern else None


def _printed_part(match: re.Match[str], group: str) -> str:
    """The id part of a heading or cell as printed: up to its name, else up to its number
    ("(1) 電子自治体の推進" → "(1)", "基本目標1 電子県庁" → "基本目標1")."""
    text = match.string
    if "name" in match.re.groupindex and match.start("name") >= 0:
        return text[match.start():match.start("name")].strip()
    end = match.end(group)
    closing = re.match(r"\s*[)）]", text[end:])
    return text[match.start():end + (closing.end() if closing else 0)].strip()


@dataclass(frozen=True)
class BusinessName:
    """A business row's name with its printed prefixes read into fields."""

    name: str
    gov_level: str  # schemas.vocabulary.GOV_LEVELS: a tag's ((国) national), else ids.own_level
    starred: bool  # ☆ / ★: a business the plan marks as a priority
    relisted_from: str | None  # canonical measure id of the original row


class NameConflict(ValueError):
    """A name whose printed prefixes contradict each other ("(国)(都)…", two 再掲 markers).

    ``reasons`` say what contradicts what; ``read_as`` is the name read with the first
    of each prefix kept, so that a caller can report the cell and go on.
    """

    def __init__(self, reasons: list[str], cell: str,
                 read_as: BusinessName | tuple[str | None, str | None]):
        super().__init__(f"{'; '.join(reasons)} in {cell!r}")
        self.reasons = reasons
        self.read_as = read_as


def split_business(cell: str, profile: Profile) -> BusinessName:
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
    read = BusinessName(name, patterns.gov_levels[level] if level else patterns.own_level,
                        starred, relisted_from)
    if problems:
        raise NameConflict(problems, cell, read)
    return read


def split_measure_name(cell: str, profile: Profile, required: bool = True
                       ) -> tuple[str | None, str | None]:
    """(name, relisted_from): "(1-1-③再掲)ペーパーレスの推進…" → ("ペーパーレスの推進…", "1-1-③").

    Raises NameConflict for two 再掲 markers, ValueError when no name is left and
    ``required`` (else the name is None: a measure printed by its id alone).
    """
    text = join_wrapped(cell).strip()
    relisted_from = None
    problems: list[str] = []
    if (relisted := id_patterns(profile).relisted.match(text)) is not None:
        relisted_from = _one_relisted(None, relisted, problems, profile)
        text = text[relisted.end():]
    text, relisted_from = _strip_trailing_relisted(text, relisted_from, problems, profile)
    name = normalize_text(text)
    if name is None and required:
        raise ValueError(f"no measure name in {cell!r}")
    if problems:
        raise NameConflict(problems, cell, (name, relisted_from))
    return name, relisted_from


def _one_relisted(known: str | None, match: re.Match[str], problems: list[str],
                  profile: Profile) -> str | None:
    word = profile.ids.relisted or "re-listing"
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


# relisted_from of a row marked "(再掲)" alone, before relisted.py finds its original.
UNNAMED_ORIGINAL = ""


def _strip_trailing_relisted(text: str, known: str | None, problems: list[str],
                             profile: Profile) -> tuple[str, str | None]:
    # Some layouts print the marker after the name: "ペーパーレスの推進(1-1-③再掲)"; some
    # name no measure, "ペーパーレスの推進(再掲)" (UNNAMED_ORIGINAL: found by its name).
    patterns = id_patterns(profile)
    match = patterns.trailing_relisted.search(text)
    if match is not None:
        return text[: match.start()], _one_relisted(known, match, problems, profile)
    bare = patterns.bare_relisted.search(text) if patterns.bare_relisted else None
    if bare is None:
        return text, known
    return text[: bare.start()] + text[bare.end():], UNNAMED_ORIGINAL if known is None else known


def match_key(name: str, profile: Profile) -> str:
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


def plan_tag(cell: str | None, profile: Profile) -> str | None:
    """The keyword of a plan cell that says only "(推進)", "(拡充・推進)"…; else None."""
    text = normalize_text(cell)
    pattern = id_patterns(profile).plan_tag
    if text is None or pattern is None:
        return None
    match = pattern.fullmatch(text)
    return match["keyword"] if match else None
