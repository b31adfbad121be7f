"""Layout profiles: what one ward's report calls its columns, grades, ids and notes.

A profile is a TOML file (read with the standard library's ``tomllib``) of header words,
patterns and vocabulary; ``nakano.toml`` ships here and is the default. The stages take
a ``Profile`` and hold no layout words of their own: supporting another ward or a
changed layout is a new file, not new code. ``load_profile`` checks a file whole and
raises one ``ProfileError`` listing every problem (unknown key, bad pattern, …).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.errors import ProfileError
from pipeline.profiles.model import (GradeEntry, IndicatorScale, ItemScale, Layout,
                                     NotAssessed, build, toml_key)
from pipeline.profiles.spec import ID_LEVELS, check_spec, id_levels
from schemas.vocabulary import STATUS_ORDER as STATUSES

ITEM_COLUMNS = ("measure", "business", "status", "change_reason", "result", "plan_next",
                "plan_later", "departments")
CIRCLED_NUMBERS = (
    "".join(map(chr, range(0x2460, 0x2474)))
    + "".join(map(chr, range(0x3251, 0x3260)))
    + "".join(map(chr, range(0x32B1, 0x32C0)))
)
_CLASSES = {"{digit}": "[0-9０-９]", "{dash}": "[-－‐‑‒–—―−ー]",
            "{circled}": f"[{CIRCLED_NUMBERS}]"}
_YEAR = "{year}"


@dataclass(frozen=True)
class Grade:
    """One grade of the report's scale as printed, and what it means."""

    mark: str  # the canonical printed form: status_mark
    forms: tuple[str, ...]  # every printed form, the mark first
    meanings: tuple[str, ...]  # words of the legend's text for this grade
    status: str | None  # the canonical status it maps to, where one fits
    rank: int | None  # 1 = best; None for the "not assessed" value
    # The least share of its target an indicator of this grade reaches (1.0: 100%), where
    # the scale grades by share (愛知県's A ≥ 100% / B ≥ 80% …); None: not by share.
    share_from: float | None = None


@dataclass(frozen=True, kw_only=True, eq=False)
class Profile(Layout):
    """A parsed, checked layout profile: its sections as typed attributes
    (``profile.tables.items.columns.status``), with the compiled words and scales the
    stages match by. Build one with ``load_profile`` or ``parse_profile``."""

    origin: str = field(metadata=toml_key(""))  # the file it was read from, for messages
    text: str = field(repr=False, metadata=toml_key(""))  # the TOML as read

    @property
    def name(self) -> str:
        return self.about.name

    @property
    def description(self) -> str:
        return self.about.description

    @property
    def sha256(self) -> str:
        """The content hash: what a manifest key records (not the file's path)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    # --- header words -------------------------------------------------------------------

    def compact(self, text: str | None) -> str:
        """A header cell for matching: spaces, wraps and ignored characters removed."""
        squeezed = re.sub(r"\s+", "", text or "")
        for char in self.text_rules.ignore:
            squeezed = squeezed.replace(char, "")
        return squeezed

    def word_patterns(self, words: Sequence[str]) -> tuple[re.Pattern[str], ...]:
        """Header words compiled ({year} → the year pattern), memoised per profile."""
        memo = self.__dict__.setdefault("_word_patterns", {})
        key = tuple(words)
        if key not in memo:
            memo[key] = tuple(_compile_word(self, word) for word in words)
        return memo[key]

    @cached_property
    def item_columns(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        """Each attachment column's header words, compiled."""
        columns = self.tables.items.columns.named()
        return {column: self.word_patterns(words) for column, words in columns.items()}

    @cached_property
    def year_column_shapes(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        """The attachment columns whose words hold ``{year}``, with any text in its place:
        a header of that shape whose year cannot be read is refused by name, never kept as
        an unknown column."""
        columns = self.tables.items.columns.named()
        return {column: tuple(re.compile(".+?".join(re.escape(piece) for piece in
                                                      self.compact(word).split(_YEAR)))
                              for word in words if _YEAR in word)
                for column, words in columns.items() if any(_YEAR in word for word in words)}

    # --- grades -------------------------------------------------------------------------

    @cached_property
    def grades(self) -> tuple[Grade, ...]:
        """The scale, best first, then the "not assessed" value if there is one."""
        return _scale(self.item_scale)

    def scale(self, name: str = "items") -> tuple[Grade, ...]:
        """A grade scale by the name ``[tables.legend] scale`` gives it: "items" is
        ``[grades]``, "indicators" the indicators' own ``[indicator_grades]``."""
        return self.grades if name == "items" else self.indicator_grades

    def table_required(self, kind: str) -> bool:
        """Whether a report must print the table (``[tables.<kind>] required``, default
        true): a report without an optional one converts, its checks said not done."""
        return bool(getattr(self.tables, kind).required)

    @cached_property
    def indicator_grades(self) -> tuple[Grade, ...]:
        """The indicators' own scale ([indicator_grades], same keys as [grades]), best
        first, then its "not assessed" value; () for a profile without one."""
        return _scale(self.indicator_scale)

    @cached_property
    def grade_by_form(self) -> dict[str, Grade]:
        return {form: grade for grade in self.grades for form in grade.forms}


def _compile_word(profile: Profile, word: str) -> re.Pattern[str]:
    pieces = profile.compact(word).split(_YEAR)
    year = f"(?:{profile.text_rules.year})"
    return re.compile(year.join(re.escape(piece) for piece in pieces))


def _scale(scale: ItemScale | IndicatorScale) -> tuple[Grade, ...]:
    ordered: list[GradeEntry] = list(scale.grade)
    if scale.order == "worst_first":
        ordered.reverse()
    grades = [_grade(entry, rank) for rank, entry in enumerate(ordered, start=1)]
    if scale.not_assessed is not None:
        grades.append(_grade(scale.not_assessed, None))
    return tuple(grades)


def _grade(entry: GradeEntry | NotAssessed, rank: int | None) -> Grade:
    return Grade(mark=entry.mark, forms=(entry.mark, *entry.forms), meanings=entry.meanings,
                 status=getattr(entry, "status", None), rank=rank,
                 share_from=getattr(entry, "share_from", None))


def expand_classes(pattern: str) -> str:
    """A profile's id pattern with {digit}, {dash} and {circled} spelled out."""
    for name, chars in _CLASSES.items():
        pattern = pattern.replace(name, chars)
    return pattern


def parse_profile(text: str, origin: str) -> Profile:
    """A profile from TOML text; every problem found is listed in one ProfileError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{origin}: not a TOML file: {error}.") from None
    problems = check_spec(data) + _check_values(data)
    if problems:
        raise ProfileError(f"{origin}: {len(problems)} problem(s) in the profile:\n"
                           + "\n".join(f"  {p}" for p in problems))
    profile: Profile = build(Profile, data, origin=origin, text=text)
    return profile


def _check_values(data: dict[str, Any]) -> list[str]:
    problems = []
    for where, pattern in _patterns(data):
        try:
            compiled = re.compile(expand_classes(pattern).replace(_YEAR, ""))
        except re.error as error:
            problems.append(f"{where}: bad pattern {pattern!r}: {error}")
            continue
        is_id = where == "ids.measure"
        needed = id_levels(data.get("ids", {})) if is_id else _NEEDED_GROUPS.get(where, ())
        missing = [g for g in needed if g not in compiled.groupindex]
        if missing:
            problems.append(f"{where}: the pattern needs the group(s) "
                            + ", ".join(f"(?P<{g}>…)" for g in missing))
        if is_id:
            problems += [f"{where}: the group (?P<{g}>…) is no level of ids.levels "
                         f"({', '.join(needed)})" for g in ID_LEVELS
                         if g in compiled.groupindex and g not in needed]
        # The id's groups are read as numbers: one that may match nothing reads none.
        for group in _groups_matching_nothing(compiled, needed if is_id else ()):
            problems.append(f"{where}: the group (?P<{group}>…) may match nothing, but it "
                            "is a number every id prints")
    for scale in ("grades", "indicator_grades"):
        for number, grade in enumerate(data.get(scale, {}).get("grade", []), start=1):
            status = grade.get("status")
            if status is not None and status not in STATUSES:
                problems.append(f"{scale}.grade[{number}].status: {status!r} is none of "
                                + ", ".join(STATUSES))
    columns = data.get("tables", {}).get("items", {}).get("columns", {})
    for column in data.get("tables", {}).get("items", {}).get("identify", []):
        if column not in columns:
            problems.append(f"tables.items.identify: {column!r} is not a column of "
                            "tables.items.columns")
    return problems


# ids.measure needs the groups of its levels (ids.levels), read as numbers.
_NEEDED_GROUPS = {"title.municipality": ("municipality",), "title.year_line": ("year",),
                  "front.goal": ("number", "text"),
                  "front.footnote": ("number",), "legend.entry": ("mark", "meaning"),
                  "ids.plan_tag": ("keyword",), "tables.indicators.cells.year": ("year",),
                  "tables.indicators.cells.qualifier": ("qualifier",)}


def _groups_matching_nothing(compiled: re.Pattern[str], groups: tuple[str, ...]) -> list[str]:
    """The named groups of a pattern whose shortest match is the empty string."""
    # The parse tree knows each group's shortest match; typeshed has no stub for it.
    import re._parser as parser  # type: ignore[import-not-found]

    shortest: dict[int, int] = {}

    def walk(node: Any) -> None:
        if isinstance(node, parser.SubPattern):
            for op, argument in node.data:
                if op is parser.SUBPATTERN and argument[0] is not None:
                    shortest[argument[0]] = argument[3].getwidth()[0]
                walk(argument)
        elif isinstance(node, (list, tuple)):
            for part in node:
                walk(part)

    walk(parser.parse(compiled.pattern, compiled.flags))
    return [group for group in groups
            if group in compiled.groupindex and shortest.get(compiled.groupindex[group]) == 0]


def _patterns(data: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for section, key in (("text", "year"), ("title", "municipality"), ("title", "year_line"),
                         ("front", "goal"),
                         ("front", "section"), ("front", "footnote"), ("legend", "entry"),
                         ("ids", "measure"), ("ids", "plan_tag")):
        value = data.get(section, {}).get(key)
        if isinstance(value, str):
            found.append((f"{section}.{key}", value))
    cells = data.get("tables", {}).get("indicators", {}).get("cells", {})
    for key in ("year", "qualifier"):
        if isinstance(cells.get(key), str):
            found.append((f"tables.indicators.cells.{key}", cells[key]))
    return found


def load_profile(path: Path) -> Profile:
    """Read and check a profile file; a missing or bad one is a ProfileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(f"{path}: no such profile file.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path}: cannot read the profile: {error}.") from None
    return parse_profile(text, str(path))


def builtin_text(name: str = "nakano") -> str:
    """The TOML text of a profile shipped in the package."""
    return resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")


_BUILTIN: dict[str, Profile] = {}


def builtin_profile(name: str = "nakano") -> Profile:
    if name not in _BUILTIN:
        _BUILTIN[name] = parse_profile(builtin_text(name), f"built-in profile {name!r}")
    return _BUILTIN[name]


BUILTIN_NAMES = ("nakano",)


def given_profile(profile: Profile | Path | str | None) -> Profile | None:
    """The profile an entry point was given, loaded and checked: a path → that file, a
    Profile as is; None stays None: no profile given, the built-in one that fits each
    report is chosen (``tidy.frames.profile_choice``), never a silent default."""
    if profile is None or isinstance(profile, Profile):
        return profile
    return load_profile(Path(profile))
