"""The keys a profile may have, and the type of each: unknown keys are mistakes.

A typo (``[tables.item]``, ``heading`` for ``headings``) would otherwise be ignored and
the built-in words silently missing; so every key is checked against this tree.
"""

from __future__ import annotations

from typing import Any

_WORDS = list  # a list of strings
# A dict value is a nested section; a tuple says "a list of tables with these keys";
# "map" is a table of free keys with string values.
SPEC: dict[str, Any] = {
    "profile": {"name": str, "description": str},
    "text": {"year": str, "ignore": _WORDS},
    "title": {"ends_with": _WORDS, "municipality": str},
    "front": {"goal": str, "section": str, "footnote": str, "footnote_ref": str,
              "actual": _WORDS, "target": _WORDS},
    "tables": {
        "indicators": {"identify": _WORDS, "header_rows": int,
                       "columns": {"measure": _WORDS, "indicator": _WORDS, "baseline": _WORDS,
                                   "previous": _WORDS, "actual": _WORDS, "target": _WORDS,
                                   "evaluation": _WORDS},
                       "cells": {"year": str, "qualifier": str}},
        "status_summary": {"category": _WORDS, "count": _WORDS},
        "items": {"identify": _WORDS,
                  "columns": {"measure": _WORDS, "business": _WORDS, "status": _WORDS,
                              "change_reason": _WORDS, "result": _WORDS, "plan_next": _WORDS,
                              "plan_later": _WORDS, "departments": _WORDS}},
    },
    "legend": {"heading": _WORDS, "entry": str},
    "grades": {"order": str, "decorated": bool,
               "grade": ({"mark": str, "forms": _WORDS, "meanings": _WORDS, "status": str},),
               "not_assessed": {"mark": str, "forms": _WORDS, "meanings": _WORDS}},
    "indicator_grades": {"order": str, "decorated": bool,
                         "grade": ({"mark": str, "forms": _WORDS, "meanings": _WORDS,
                                    "status": str},),
                         "not_assessed": {"mark": str, "forms": _WORDS, "meanings": _WORDS}},
    "ids": {"measure": str, "measure_numerals": str, "relisted": str, "stars": _WORDS,
            "gov_levels": "map", "plan_tag": str},
    "departments": {"separators": _WORDS, "suffixes": _WORDS, "suffix_only": _WORDS,
                    "known": _WORDS},
}
REQUIRED = ("profile.name", "text.year", "front.goal", "front.footnote",
            "tables.indicators.identify", "tables.status_summary.category",
            "tables.status_summary.count", "tables.items.identify",
            "tables.items.columns.business", "tables.items.columns.status",
            "tables.items.columns.result", "grades.grade", "ids.measure")
_GOV_LEVELS = ("ward", "national", "metropolitan")


def check_spec(data: dict[str, Any]) -> list[str]:
    """Every unknown key, wrong type and missing required key, as one sentence each."""
    problems = _check(data, SPEC, "")
    for dotted in REQUIRED:
        node: Any = data
        for key in dotted.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            problems.append(f"{dotted}: required, but missing")
    for scale in ("grades", "indicator_grades"):
        order = data.get(scale, {}).get("order", "best_first")
        if order not in ("best_first", "worst_first"):
            problems.append(f"{scale}.order: {order!r} is neither best_first nor worst_first")
    indicators = data.get("tables", {}).get("indicators", {})
    if indicators.get("header_rows", 2) not in (1, 2):
        problems.append(f"tables.indicators.header_rows: {indicators['header_rows']!r} is "
                        "neither 1 nor 2")
    columns = indicators.get("columns")
    if isinstance(columns, dict) and "indicator" not in columns:
        problems.append("tables.indicators.columns.indicator: required when the indicator "
                        "columns are named by role, but missing")
    levels = data.get("ids", {}).get("gov_levels", {})
    for word, level in levels.items() if isinstance(levels, dict) else ():
        if level not in _GOV_LEVELS:
            problems.append(f"ids.gov_levels.{word}: {level!r} is none of " + ", ".join(_GOV_LEVELS))
    return problems


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
    if not isinstance(node, spec) or spec is int and isinstance(node, bool):
        what = {bool: "true or false", int: "a whole number"}.get(spec, "a string")
        return [f"{where}: should be {what}"]
    return []
