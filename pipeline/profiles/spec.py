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
        "indicators": {"identify": _WORDS},
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
    "ids": {"measure": str, "measure_numerals": str, "relisted": str, "stars": _WORDS,
            "gov_levels": "map", "plan_tag": str},
    "departments": {"separators": _WORDS, "suffixes": _WORDS, "suffix_only": _WORDS,
                    "known": _WORDS},
    # Reports that print no list (pipeline/reshape.py documents each key).
    "shapes": {
        "key_value": ({"starts": _WORDS, "extra": _WORDS, "measure_name": _WORDS,
                       "indicator": {"starts": _WORDS, "value": _WORDS, "when": _WORDS,
                                     "actual": _WORDS, "target": _WORDS}},),
        "transposed": ({"years": str,
                        "rows": {column: _WORDS for column in (
                            "measure", "business", "status", "change_reason", "result",
                            "plan_next", "plan_later", "departments")}},),
    },
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
    order = data.get("grades", {}).get("order", "best_first")
    if order not in ("best_first", "worst_first"):
        problems.append(f"grades.order: {order!r} is neither best_first nor worst_first")
    problems.extend(_check_shapes(data.get("shapes", {})))
    levels = data.get("ids", {}).get("gov_levels", {})
    for word, level in levels.items() if isinstance(levels, dict) else ():
        if level not in _GOV_LEVELS:
            problems.append(f"ids.gov_levels.{word}: {level!r} is none of " + ", ".join(_GOV_LEVELS))
    return problems


def _check_shapes(shapes: Any) -> list[str]:
    """A key-value block needs its starting key; a transposed grid reads its years from
    its header row (the only way so far) and needs a status row to find the report's year."""
    if not isinstance(shapes, dict):
        return []
    problems = []
    for n, shape in enumerate(shapes.get("key_value", []), start=1):
        if isinstance(shape, dict) and not shape.get("starts"):
            problems.append(f"shapes.key_value[{n}].starts: required, but missing")
    for n, shape in enumerate(shapes.get("transposed", []), start=1):
        if not isinstance(shape, dict):
            continue
        if shape.get("years", "header") != "header":
            problems.append(f"shapes.transposed[{n}].years: {shape['years']!r} is not header")
        if not isinstance(shape.get("rows"), dict) or "status" not in shape["rows"]:
            problems.append(f"shapes.transposed[{n}].rows.status: required, but missing")
    if len(shapes.get("transposed", [])) > 1:
        problems.append("shapes.transposed: one transposed grid per profile")
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
    if not isinstance(node, spec):
        return [f"{where}: should be {'true or false' if spec is bool else 'a string'}"]
    return []
