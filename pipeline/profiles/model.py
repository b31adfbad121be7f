"""A layout profile's sections as frozen, typed dataclasses: the one list of its keys.

``Layout`` is the TOML file, typed: each class is a table (``[tables.items.columns]`` is
``ItemColumns``), each field a key of it, its type the value's (``Words`` a list of
strings). ``spec.SPEC``, against which a file is checked before it is read, is derived
from these classes (``spec_tree``), so a key the code reads is a key a file may hold,
and a misspelt key in either is an error. A field whose TOML key differs from its name
(``[grades]`` is ``item_scale``: ``Profile.grades`` is the compiled scale; ``[text]`` is
``text_rules``: ``Profile.text`` is the TOML) says so in its metadata; a default is what a profile that leaves the key out means.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any

Words = tuple[str, ...]  # a list of strings: header words, marks, names
# The levels an id may have, outermost first: a profile's ids.levels is these, or a
# shorter run of them ending with the measure (施策1-2: policy and measure).
ID_LEVELS: Words = ("goal", "policy", "measure")
_EMPTY: Mapping[str, str] = types.MappingProxyType({})


def toml_key(name: str) -> dict[str, str]:
    """A field's metadata naming its TOML key, where it is not the field's name."""
    return {"toml": name}


@dataclass(frozen=True, kw_only=True)
class NamedWords:
    """A table of word lists keyed by column (or role) name: the names the profile gives,
    in the order it gives them (a header cell's columns are listed in that order)."""

    order: Words = field(default=(), repr=False, metadata={"toml": ""})

    def named(self) -> dict[str, Words]:
        """The columns the profile names, with their words, in its order."""
        return {name: getattr(self, name) for name in self.order}

    def words(self, name: str) -> Words:
        """A column's words; () where the profile names none."""
        return getattr(self, name) or ()


@dataclass(frozen=True, kw_only=True)
class About:
    name: str
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class TextRules:
    year: str  # a fiscal year as a header prints it (a pattern)
    ignore: Words = ()  # characters header matching drops


@dataclass(frozen=True, kw_only=True)
class Title:
    ends_with: Words = ()
    municipality: str | None = None
    # a front line naming the report's year (a pattern with (?P<year>…)), where the
    # title names none
    year_line: str | None = None


@dataclass(frozen=True, kw_only=True)
class Front:
    goal: str
    section: str | None = None
    footnote: str
    footnote_ref: str | None = None
    actual: Words = ()
    target: Words = ()


@dataclass(frozen=True, kw_only=True)
class IndicatorColumns(NamedWords):
    # measure_name: the measure's name in a cell of its own (事業名); extra: columns kept
    # as printed in indicators.extra (所管課, 達成率)
    measure: Words | None = None
    measure_name: Words | None = None
    indicator: Words | None = None
    baseline: Words | None = None
    previous: Words | None = None
    actual: Words | None = None
    target: Words | None = None
    evaluation: Words | None = None
    extra: Words | None = None
    share: Words | None = None


@dataclass(frozen=True, kw_only=True)
class IndicatorCells:
    year: str | None = None
    qualifier: str | None = None


@dataclass(frozen=True, kw_only=True)
class IndicatorsTable:
    identify: Words
    header_rows: int = 2
    # "carried": a goal line stands over every indicator table up to the next one;
    # "each_table": each table has a goal line of its own
    goal_line: str = "each_table"
    columns: IndicatorColumns | None = None  # None: 実績/目標 over the years
    cells: IndicatorCells = IndicatorCells()


@dataclass(frozen=True, kw_only=True)
class StatusSummary:
    """The count table: its header words, the scale it counts ("items": the items by
    [grades], or "indicators": the evaluations by [indicator_grades]), and the words of its
    total row (計), which is checked against the counts."""

    category: Words = ()
    count: Words = ()
    required: bool = True
    scale: str = "items"
    total: Words = ()
    share: Words = ()  # a share column (割合): each count's printed share, checked


@dataclass(frozen=True, kw_only=True)
class ItemColumns(NamedWords):
    measure: Words | None = None
    business: Words | None = None
    status: Words | None = None
    change_reason: Words | None = None
    result: Words | None = None
    plan_next: Words | None = None
    plan_later: Words | None = None
    departments: Words | None = None


@dataclass(frozen=True, kw_only=True)
class ItemsTable:
    identify: Words = ()
    required: bool = True
    columns: ItemColumns = ItemColumns()
    continuation: str = "none"
    measure_name_required: bool = True


@dataclass(frozen=True, kw_only=True)
class LegendTable:
    """A legend printed as a table: its header words, the columns of the mark and the
    meaning, and the scale it defines ("items": [grades], "indicators")."""

    identify: Words = ()
    mark: Words = ()
    meaning: Words = ()
    scale: str = "items"


@dataclass(frozen=True, kw_only=True)
class SkipRule:
    """A table passed over, and why."""

    identify: Words
    why: str


@dataclass(frozen=True, kw_only=True)
class Tables:
    indicators: IndicatorsTable
    status_summary: StatusSummary = StatusSummary()
    items: ItemsTable = ItemsTable()
    legend: LegendTable = LegendTable()
    skip: tuple[SkipRule, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LegendLines:
    heading: Words = ()
    entry: str | None = None


@dataclass(frozen=True, kw_only=True)
class GradeEntry:
    mark: str
    forms: Words = ()
    meanings: Words = ()
    status: str | None = None


@dataclass(frozen=True, kw_only=True)
class IndicatorGradeEntry(GradeEntry):
    # the least share of its target the grade stands for (1.0 = 100%), checked against
    # each evaluated row's share (its share column, else actual / target)
    share_from: float | None = None


@dataclass(frozen=True, kw_only=True)
class NotAssessed:
    mark: str
    forms: Words = ()
    meanings: Words = ()


@dataclass(frozen=True, kw_only=True)
class ItemScale:
    order: str = "best_first"
    decorated: bool = False
    grade: tuple[GradeEntry, ...] = ()
    not_assessed: NotAssessed | None = None


@dataclass(frozen=True, kw_only=True)
class IndicatorScale:
    order: str = "best_first"
    decorated: bool = False
    grade: tuple[IndicatorGradeEntry, ...] = ()
    not_assessed: NotAssessed | None = None


@dataclass(frozen=True, kw_only=True)
class Ids:
    measure: str
    levels: Words = ID_LEVELS
    measure_numerals: str = ""
    relisted: str | None = None
    stars: Words = ()
    gov_levels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    own_level: str = "ward"
    plan_tag: str | None = None
    goal_heading: str | None = None
    policy_cell: str | None = None
    measure_cell: str | None = None

    # A mappingproxy does not pickle; a profile must, to reach a worker however started.
    def __getstate__(self) -> dict[str, Any]:
        return {**vars(self), "gov_levels": dict(self.gov_levels)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state, gov_levels=types.MappingProxyType(state["gov_levels"]))


@dataclass(frozen=True, kw_only=True)
class Departments:
    separators: Words = ()
    suffixes: Words = ()
    suffix_only: Words = ()
    known: Words = ()


@dataclass(frozen=True, kw_only=True)
class KeyValueIndicator:
    starts: Words = ()
    value: Words = ()
    when: Words = ()


@dataclass(frozen=True, kw_only=True)
class KeyValueShape:
    starts: Words = ()
    extra: Words = ()
    measure_name: Words = ()
    indicator: KeyValueIndicator | None = None


@dataclass(frozen=True, kw_only=True)
class TransposedShape:
    years: str = "header"
    rows: ItemColumns = ItemColumns()  # checked: it has the status row


@dataclass(frozen=True, kw_only=True)
class HeadingsShape:
    """One item per block of headings and the lines under them (a web page's copy)."""

    starts: str  # the heading line a block starts at (a pattern)
    extra: Words = ()
    measure_column: bool = False  # a KPI table in a block takes the block's measure


@dataclass(frozen=True, kw_only=True)
class Shapes:
    """Reports that print no list (pipeline/tidy/reshape.py documents each key). A block's
    indicator columns are named by role in [tables.indicators.columns], not here."""

    key_value: tuple[KeyValueShape, ...] = ()
    headings: tuple[HeadingsShape, ...] = ()
    transposed: tuple[TransposedShape, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False)
class Layout:
    """A profile's TOML, typed: one field a section."""

    about: About = field(metadata=toml_key("profile"))
    text_rules: TextRules = field(metadata=toml_key("text"))  # Profile.text: the TOML
    title: Title = Title()
    front: Front
    tables: Tables
    legend: LegendLines = LegendLines()
    item_scale: ItemScale = field(default=ItemScale(), metadata=toml_key("grades"))
    indicator_scale: IndicatorScale = field(default=IndicatorScale(),
                                            metadata=toml_key("indicator_grades"))
    ids: Ids
    departments: Departments = Departments()
    shapes: Shapes = Shapes()


# --- the spec, and the values, from the classes ------------------------------------------

def _keyed_fields(cls: type) -> list[tuple[str, str, Any]]:
    """(TOML key, field name, type) of each field a file may give."""
    hints = typing.get_type_hints(cls)
    return [(f.metadata.get("toml", f.name), f.name, hints[f.name]) for f in fields(cls)
            if f.metadata.get("toml", f.name)]


def _unwrap(kind: Any) -> Any:
    """``X | None`` → X."""
    if isinstance(kind, types.UnionType):
        (kind,) = (arg for arg in typing.get_args(kind) if arg is not type(None))
    return kind


def spec_tree(cls: type) -> dict[str, Any]:
    """The keys a table of ``cls`` may hold, in spec.py's notation: a dict a table, a
    one-tuple a list of tables, ``list`` a list of strings, "map" a table of strings."""
    return {key: _spec_of(_unwrap(kind)) for key, _, kind in _keyed_fields(cls)}


def _spec_of(kind: Any) -> Any:
    if is_dataclass(kind):
        return spec_tree(kind)  # type: ignore[arg-type]
    origin = typing.get_origin(kind)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return list if item is str else (spec_tree(item),)
    if origin is Mapping:
        return "map"
    return kind


def missing_keys(cls: type, table: dict[str, Any], where: str = "") -> list[str]:
    """Each key a table of ``cls`` must hold (a field without a default) and does not, as
    one sentence; a section left out is read as empty, a wrong type is spec.py's."""
    problems = []
    for key, name, kind in _keyed_fields(cls):
        path = f"{where}.{key}" if where else key
        kind, value = _unwrap(kind), table.get(key)
        required = _required(cls, name)
        entry_kind = typing.get_args(kind)[0] if typing.get_origin(kind) is tuple else None
        if is_dataclass(kind):
            if isinstance(value, dict) or value is None and required:
                problems += missing_keys(kind, value or {}, path)  # type: ignore[arg-type]
        elif is_dataclass(entry_kind):
            problems += [problem for n, entry in enumerate(value if isinstance(value, list) else [],
                                                           start=1)
                         if isinstance(entry, dict)
                         for problem in missing_keys(entry_kind, entry, f"{path}[{n}]")]  # type: ignore[arg-type]
        elif value is None and required:
            problems.append(f"{path}: required, but missing")
    return problems


def _required(cls: type, name: str) -> bool:
    (found,) = (f for f in fields(cls) if f.name == name)
    return found.default is MISSING and found.default_factory is MISSING


def build(cls: type[Any], table: dict[str, Any], **given: Any) -> Any:
    """An instance of ``cls`` from a checked TOML table (and the fields no file gives,
    ``given``); a key left out takes the field's default."""
    values: dict[str, Any] = dict(given)
    for key, name, kind in _keyed_fields(cls):
        if key in table:
            values[name] = _value(_unwrap(kind), table[key])
    if issubclass(cls, NamedWords):
        values["order"] = tuple(key for key in table if key in values)  # key == name here
    return cls(**values)


def _value(kind: Any, value: Any) -> Any:
    if is_dataclass(kind):
        return build(kind, value)  # type: ignore[arg-type]
    origin = typing.get_origin(kind)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(value) if item is str else tuple(build(item, entry) for entry in value)
    if origin is Mapping:
        return types.MappingProxyType(dict(value))
    return value  # a share_from of 1 stays 1, as printed in messages
