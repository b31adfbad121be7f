"""The published contract: one pandera model per output table, the table registry
(``TABLES``, ``DIFF_TABLES``, ``HISTORY_TABLES``), the record types, and cross-table rules.

This package imports nothing from ``pipeline``: it is what a consumer of the data may
rely on, and the pipeline is checked against it. Its names load lazily, so that
``schemas.vocabulary`` (standard library only) can be imported without pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemas.registry import DIFF_TABLES, HISTORY_TABLES, TABLES, Table
    from schemas.tables import (
        DateMentions,
        Footnotes,
        Indicators,
        ItemDepartments,
        Items,
        StatusSummary,
    )

_HOMES = {"TABLES": "schemas.registry", "DIFF_TABLES": "schemas.registry",
          "HISTORY_TABLES": "schemas.registry",
          "Table": "schemas.registry", "DateMentions": "schemas.tables",
          "Footnotes": "schemas.tables", "Indicators": "schemas.tables",
          "ItemDepartments": "schemas.tables", "Items": "schemas.tables",
          "StatusSummary": "schemas.tables"}

__all__ = ["DIFF_TABLES", "HISTORY_TABLES", "TABLES", "DateMentions", "Footnotes", "Indicators",
           "ItemDepartments", "Items", "StatusSummary", "Table"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'schemas' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
