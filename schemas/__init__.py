"""The published contract: one pandera model per output table, plus cross-table rules.

This package imports nothing from ``pipeline``: it is what a consumer of the data may
rely on, and the pipeline is checked against it.
"""

from schemas.tables import (
    TABLES,
    DateMentions,
    Footnotes,
    Indicators,
    ItemDepartments,
    Items,
    StatusSummary,
)

__all__ = ["TABLES", "DateMentions", "Footnotes", "Indicators", "ItemDepartments", "Items",
           "StatusSummary"]
