"""The keys a profile may have, and the type of each: unknown keys are mistakes.

A typo (``[tables.item]``, ``heading`` for ``headings``) would otherwise be ignored and
the built-in words silently missing; so every key is checked against this tree.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.profiles.model import ID_LEVELS, Layout, missing_keys, spec_tree
from schemas.vocabulary import GOV_LEVELS

# The tree of keys, from the classes of model.py: a dict value is a nested section; a
# tuple says "a list of tables with these keys"; "map" is a table of free keys with
# string values; ``list`` a list of strings.
SPEC: dict[str, Any] = spec_tree(Layout)
# Required only of a profile whose reports print an attachment (tables.items.required);
# the keys every profile needs are the fields of model.py without a default.
ITEMS_REQUIRED = ("tables.items.identify", "tables.items.columns.business",
                  "tables.items.columns.status", "tables.items.columns.result")
# Required but where the conditions of check_spec say otherwise.
REQUIRED = (*ITEMS_REQUIRED, "grades.grade")
_SCALES = {"items": "grades", "indicators": "indicator_grades"}  # scale → its section
CONTINUATIONS = ("none", "wrapped_line")
# Split ids: the goal from a heading line, the policy and the measure from cells; the
# groups each pattern needs (a measure cell's name is optional: 番号 | 事業名 print it
# in a cell of its own).
SPLIT_ID_GROUPS = {"goal_heading": ("goal",), "policy_cell": ("policy", "name"),
                   "measure_cell": ("measure",)}
# The levels split ids may have: a goal heading, policy cells and measure cells, or a goal
# heading over measure cells (柱1 › 4).
SPLIT_ID_LEVELS = (ID_LEVELS, ("goal", "measure"))


def check_spec(data: dict[str, Any]) -> list[str]:
    """Every unknown key, wrong type and missing required key, as one sentence each."""
    problems = _check(data, SPEC, "")
    items = data.get("tables", {}).get("items", {}) if isinstance(data.get("tables"), dict) else {}
    no_items = isinstance(items, dict) and items.get("required") is False
    only_indicators_graded = no_items and "indicator_grades" in data
    problems += missing_keys(Layout, data)
    for dotted in REQUIRED:
        if no_items and dotted in ITEMS_REQUIRED:
            continue
        if only_indicators_graded and dotted == "grades.grade":
            continue  # no items to grade: the indicators' scale is the report's
        node: Any = data
        for key in dotted.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            problems.append(f"{dotted}: required, but missing")
    problems += _check_tables(data)
    for scale in ("grades", "indicator_grades"):
        order = data.get(scale, {}).get("order", "best_first")
        if order not in ("best_first", "worst_first"):
            problems.append(f"{scale}.order: {order!r} is neither best_first nor worst_first")
    indicators = data.get("tables", {}).get("indicators", {})
    if indicators.get("header_rows", 2) not in (1, 2):
        problems.append(f"tables.indicators.header_rows: {indicators['header_rows']!r} is "
                        "neither 1 nor 2")
    if indicators.get("goal_line", "each_table") not in ("each_table", "carried"):
        problems.append(f"tables.indicators.goal_line: {indicators['goal_line']!r} is "
                        "neither each_table nor carried")
    columns = indicators.get("columns")
    if isinstance(columns, dict) and "indicator" not in columns:
        problems.append("tables.indicators.columns.indicator: required when the indicator "
                        "columns are named by role, but missing")
    problems.extend(_check_shapes(data.get("shapes", {}), columns))
    problems.extend(_check_unhonoured(data))
    levels = data.get("ids", {}).get("gov_levels", {})
    for word, level in levels.items() if isinstance(levels, dict) else ():
        if level not in GOV_LEVELS:
            problems.append(f"ids.gov_levels.{word}: {level!r} is none of " + ", ".join(GOV_LEVELS))
    own = data.get("ids", {}).get("own_level", "ward")
    if isinstance(own, str) and own not in GOV_LEVELS:
        problems.append(f"ids.own_level: {own!r} is none of " + ", ".join(GOV_LEVELS))
    continuation = data.get("tables", {}).get("items", {}).get("continuation", "none")
    if continuation not in CONTINUATIONS:
        problems.append(f"tables.items.continuation: {continuation!r} is none of "
                        + ", ".join(CONTINUATIONS))
    return problems + _check_levels(data.get("ids", {})) + _check_split_ids(data.get("ids", {}))


def id_levels(ids: dict[str, Any]) -> tuple[str, ...]:
    """The levels a profile's ids have (``ids.levels``), outermost first; the three of
    ID_LEVELS unless it says otherwise."""
    levels = ids.get("levels") if isinstance(ids, dict) else None
    return tuple(levels) if isinstance(levels, list) and levels else ID_LEVELS


def _check_levels(ids: dict[str, Any]) -> list[str]:
    """ids.levels names levels of ID_LEVELS, outermost first, at least two, the measure last."""
    levels = ids.get("levels") if isinstance(ids, dict) else None
    if not isinstance(levels, list) or not all(isinstance(v, str) for v in levels):
        return []  # the type is _check's
    ordered = [level for level in ID_LEVELS if level in levels]
    if (len(levels) < 2 or ordered != levels or levels[-1] != "measure"):
        return [f"ids.levels: {levels!r} is not two or three of {', '.join(ID_LEVELS)} in "
                "that order, ending with measure"]
    return []


def _check_split_ids(ids: dict[str, Any]) -> list[str]:
    """The split-id patterns come together, each with its groups: a goal heading and
    measure cells, and policy cells exactly where the ids have a policy level."""
    from pipeline.profiles import expand_classes  # spec is imported by profiles itself

    given = [key for key in SPLIT_ID_GROUPS if isinstance(ids.get(key), str)]
    if not given:
        return []
    levels = id_levels(ids)
    needed = [key for key in SPLIT_ID_GROUPS if key != "policy_cell" or "policy" in levels]
    problems = [f"ids.{key}: required with ids.{given[0]}, but missing"
                for key in needed if key not in given]
    if levels not in SPLIT_ID_LEVELS:
        problems.append(f"ids.{given[0]}: ids split over a heading and cells are read as "
                        + " or ".join(", ".join(shape) for shape in SPLIT_ID_LEVELS)
                        + f", but ids.levels is {', '.join(levels)}")
    elif "policy_cell" in given and "policy" not in levels:
        problems.append(f"ids.policy_cell: ids.levels is {', '.join(levels)}, with no policy "
                        "for a policy cell to give")
    for key in given:
        try:
            compiled = re.compile(expand_classes(ids[key]))
        except re.error as error:
            problems.append(f"ids.{key}: bad pattern {ids[key]!r}: {error}")
            continue
        missing = [g for g in SPLIT_ID_GROUPS[key] if g not in compiled.groupindex]
        if missing:
            problems.append(f"ids.{key}: the pattern needs the group(s) "
                            + ", ".join(f"(?P<{g}>…)" for g in missing))
    return problems


def _check_shapes(shapes: Any, columns: Any) -> list[str]:
    """A key-value block needs its starting key, and its indicator the role words of the
    indicator columns; a transposed grid reads its years from its header row (the only
    way so far) and needs a status row to find the report's year."""
    if not isinstance(shapes, dict):
        return []
    problems = []
    for n, shape in enumerate(shapes.get("key_value", []), start=1):
        if isinstance(shape, dict) and not shape.get("starts"):
            problems.append(f"shapes.key_value[{n}].starts: required, but missing")
        if isinstance(shape, dict) and shape.get("indicator") and not columns:
            problems.append(f"shapes.key_value[{n}].indicator: its column words are read by "
                            "role, so [tables.indicators.columns] is required, but missing")
    for n, shape in enumerate(shapes.get("transposed", []), start=1):
        if not isinstance(shape, dict):
            continue
        if shape.get("years", "header") != "header":
            problems.append(f"shapes.transposed[{n}].years: {shape['years']!r} is not header")
        if not isinstance(shape.get("rows"), dict) or "status" not in shape["rows"]:
            problems.append(f"shapes.transposed[{n}].rows.status: required, but missing")
    if len(shapes.get("transposed", [])) > 1:
        problems.append("shapes.transposed: one transposed grid per profile")
    headings = shapes.get("headings", [])
    for n, shape in enumerate(headings, start=1):
        if isinstance(shape, dict) and isinstance(shape.get("starts"), str):
            try:  # the character classes ({digit} …) stand for one character each
                re.compile(re.sub(r"\{(?:digit|dash|circled)\}", ".", shape["starts"]))
            except re.error as error:
                problems.append(f"shapes.headings[{n}].starts: bad pattern "
                                f"{shape['starts']!r}: {error}")
    if len(headings) > 1:
        problems.append("shapes.headings: one heading block per profile")
    return problems


def _check_unhonoured(data: dict[str, Any]) -> list[str]:
    """Keys each valid alone that no stage can honour together, one sentence each naming
    the key: read as given, they would be ignored or give a confusing error on a cell."""
    tables, shapes = _table(data, "tables"), _table(data, "shapes")
    indicators = _table(tables, "indicators")
    columns = _table(indicators, "columns")
    problems = []
    if indicators.get("header_rows") == 1 and not columns:
        problems.append("tables.indicators.header_rows: 1 is read only where the indicator "
                        "columns are named by role ([tables.indicators.columns]); without "
                        "them a table of the actual/target words of [front] always has its "
                        "row of years")
    for n, shape in enumerate(shapes.get("headings", []), start=1):
        if isinstance(shape, dict) and shape.get("measure_column") and "measure" not in columns:
            problems.append(f"shapes.headings[{n}].measure_column: true, but "
                            "tables.indicators.columns.measure names no word for the measure "
                            "column it gives each indicator table")
    blocks = [n for n, shape in enumerate(shapes.get("key_value", []), start=1)
              if isinstance(shape, dict) and shape.get("indicator")]
    if indicators.get("header_rows") == 1 and blocks:
        problems.append(f"tables.indicators.header_rows: 1, but shapes.key_value[{blocks[0]}]"
                        ".indicator makes each indicator a table of two header rows (its "
                        "column words, then the years of its dates); say 2, or leave it out")
    if "evaluation" in columns and "indicator_grades" not in data:
        problems.append("tables.indicators.columns.evaluation: an indicator's evaluation is "
                        "read on the indicators' own scale, but the profile has no "
                        "[indicator_grades]")
    transposed = [shape for shape in shapes.get("transposed", []) if isinstance(shape, dict)]
    if transposed and not shapes.get("key_value"):
        problems.append("shapes.transposed: a year grid is read as part of the key–value "
                        "block before it, but the profile has no [[shapes.key_value]]")
    words = _table(_table(tables, "items"), "columns")
    for n, shape in enumerate(transposed, start=1):
        for column in _table(shape, "rows"):
            first = (words.get(column) or [None])[0]
            if first is None:
                problems.append(f"shapes.transposed[{n}].rows.{column}: the row's cell is "
                                f"read under the column's first word, but "
                                f"tables.items.columns.{column} has none")
            elif column == "result" and "{year}" not in first:
                problems.append(f"shapes.transposed[{n}].rows.result: the row's cell is read "
                                f"under tables.items.columns.result's first word with the "
                                f"year for {{year}}, but {first!r} holds no {{year}}")
    return problems


def _table(node: dict[str, Any], key: str) -> dict[str, Any]:
    """``node[key]`` where it is a table, else an empty one (a wrong type is _check's)."""
    value = node.get(key)
    return value if isinstance(value, dict) else {}


def _check(node: Any, spec: Any, where: str) -> list[str]:
    if isinstance(spec, dict):
        if not isinstance(node, dict):
            return [f"{where}: should be a table ([{where}])"]
        problems = []
        for key, value in node.items():
            path = f"{where}.{key}" if where else key
            if key not in spec:
                problems.append(f"{path}: unknown key (known here: {', '.join(spec)})")
            else:
                problems.extend(_check(value, spec[key], path))
        return problems
    if isinstance(spec, tuple):
        if not isinstance(node, list) or not all(isinstance(v, dict) for v in node):
            return [f"{where}: should be a list of tables ([[{where}]])"]
        return [p for n, entry in enumerate(node, start=1)
                for p in _check(entry, spec[0], f"{where}[{n}]")]
    if spec == "map":
        if not isinstance(node, dict) or not all(isinstance(v, str) for v in node.values()):
            return [f"{where}: should be a table of strings"]
        return []
    if spec is list:
        if not isinstance(node, list) or not all(isinstance(v, str) for v in node):
            return [f"{where}: should be a list of strings"]
        return []
    if spec is float and isinstance(node, int) and not isinstance(node, bool):
        return []  # 1 is as good a share as 1.0
    if not isinstance(node, spec) or spec in (int, float) and isinstance(node, bool):
        what = {bool: "true or false", int: "a whole number", float: "a number"}.get(spec, "a string")
        return [f"{where}: should be {what}"]
    return []


def _check_tables(data: dict[str, Any]) -> list[str]:
    """The keys required together: a status-count table's words unless it is optional,
    a legend table's three word lists and a scale the profile has."""
    tables = data.get("tables", {}) if isinstance(data.get("tables"), dict) else {}
    problems = []
    summary = tables.get("status_summary", {})
    if isinstance(summary, dict) and summary.get("required", True) is not False:
        problems += [f"tables.status_summary.{key}: required, but missing (or say "
                     "required = false: a report may print no status-count table)"
                     for key in ("category", "count") if key not in summary]
    scale = summary.get("scale", "items") if isinstance(summary, dict) else "items"
    if scale not in _SCALES:
        problems.append(f"tables.status_summary.scale: {scale!r} is neither items nor indicators")
    elif _SCALES[scale] not in data:
        problems.append(f"tables.status_summary.scale: {scale!r}, but the profile has no "
                        f"[{_SCALES[scale]}] for the table to count by")
    legend = tables.get("legend")
    if isinstance(legend, dict):
        problems += [f"tables.legend.{key}: required, but missing"
                     for key in ("identify", "mark", "meaning") if key not in legend]
        scale = legend.get("scale", "items")
        if scale not in _SCALES:
            problems.append(f"tables.legend.scale: {scale!r} is neither items nor indicators")
        elif _SCALES[scale] not in data:
            problems.append(f"tables.legend.scale: {scale!r}, but the profile has no "
                            f"[{_SCALES[scale]}] for the legend to define")
    return problems
