"""A Frictionless Data Package descriptor generated from the pandera models.

The schemas are the one place where columns are defined; this turns them into the
descriptor that frictionless, Open Data portals and people read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from schemas import TABLES, Table

MISSING_VALUES = [""]


def field_descriptor(name: str, column: Any) -> dict[str, Any]:
    dtype = column.dtype.type
    field: dict[str, Any] = {"name": name, "type": _frictionless_type(dtype)}
    if column.description:
        field["description"] = column.description
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    if isinstance(dtype, pd.CategoricalDtype):
        field["categories"] = [str(c) for c in dtype.categories]
        field["categoriesOrdered"] = bool(dtype.ordered)
        constraints["enum"] = [str(c) for c in dtype.categories]
    for check in column.checks:
        stats = check.statistics or {}
        if "pattern" in stats:
            constraints["pattern"] = str(stats["pattern"]).strip("^$")
        if "min_value" in stats:
            constraints["minimum"] = stats["min_value"]
        if "max_value" in stats:
            constraints["maximum"] = stats["max_value"]
    if constraints:
        field["constraints"] = constraints
    return field


def _frictionless_type(dtype: Any) -> str:
    text = str(dtype)
    if text == "Int64":
        return "integer"
    if text.startswith("float"):
        return "number"
    if text == "bool":
        return "boolean"
    return "string"


def datapackage(name: str, title: str | None, csv_encoding: str,
                tables: Mapping[str, Table] = TABLES) -> dict[str, Any]:
    """The descriptor of one output folder (a report's by default): every table as a CSV
    resource with its schema."""
    resources = []
    for table in tables.values():
        schema = table.model.to_schema()
        table_schema: dict[str, Any] = {
            "fields": [field_descriptor(n, c) for n, c in schema.columns.items()],
            "missingValues": MISSING_VALUES,
        }
        if table.primary_key:
            table_schema["primaryKey"] = table.primary_key
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": csv_encoding,
            "description": (table.model.__doc__ or "").strip(), "schema": table_schema,
        })
    return {"profile": "tabular-data-package", "name": _package_name(name),
            "title": title or name, "resources": resources}


def _package_name(name: str) -> str:
    """Frictionless names are lower-case letters, digits, '-', '_' and '.'."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in name.lower())
