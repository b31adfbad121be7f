"""The table registry: every published table declared once, with its model, primary key
and record type. The orchestrator, the writer, the datapackage, the README check and the
tests all take their table lists from here.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from schemas import records
from schemas.tables import (
    DateMentions,
    Footnotes,
    IndicatorEvaluations,
    Indicators,
    ItemDepartments,
    Items,
    StatusSummary,
)


@dataclass(frozen=True)
class Table:
    """One published table: its file stem, pandera model and record dataclass."""

    name: str
    model: type[pa.DataFrameModel]
    record: type[Any]  # a dataclass whose fields are the model's columns, in order

    @property
    def columns(self) -> list[str]:
        return list(self.model.to_schema().columns)

    @property
    def primary_key(self) -> list[str]:
        """The model's unique columns (Config.unique); [] for a table without a key."""
        unique = self.model.to_schema().unique
        return [unique] if isinstance(unique, str) else list(unique or [])

    def to_frame(self, rows: Iterable[Any]) -> pd.DataFrame:
        """A DataFrame with exactly the model's columns, in its order and dtypes.

        Each row is an instance of ``record`` or a mapping with exactly the table's
        columns as keys; anything else (an unknown key, a missing one, another record
        type, a value outside a categorical column's categories) is a TypeError or
        ValueError here, never a column of nulls.
        """
        names, dtypes = self._layout
        values = [self._values(row, names) for row in rows]
        columns = list(zip(*values)) if values else [()] * len(names)
        built = {name: _column(column, dtype, f"{self.name}.{name}")
                 for name, column, dtype in zip(names, columns, dtypes)}
        if any(column is None for column in built.values()):  # a value of an unusual type
            slow = pd.DataFrame.from_records(values, columns=names)
            built = {name: _as_dtype(slow[name], dtype, f"{self.name}.{name}")
                     if column is None else column
                     for (name, column), dtype in zip(built.items(), dtypes)}
        return pd.DataFrame(built, index=pd.RangeIndex(len(values)), columns=names)

    @functools.cached_property
    def _layout(self) -> tuple[list[str], list[Any]]:
        """The model's column names and dtypes, checked once against the record's fields."""
        schema = self.model.to_schema()
        names = list(schema.columns)
        fields = [field.name for field in dataclasses.fields(self.record)]
        if fields != names:
            raise TypeError(f"{self.name}: {self.record.__name__} has the fields {fields}, "
                            f"but the model's columns are {names}")
        return names, [column.dtype.type for column in schema.columns.values()]

    def _values(self, row: Any, names: list[str]) -> tuple[Any, ...]:
        if isinstance(row, self.record):
            return operator.attrgetter(*names)(row)
        if isinstance(row, Mapping):
            unknown = [key for key in row if key not in names]
            missing = [name for name in names if name not in row]
            if unknown or missing:
                raise TypeError(f"{self.name} record: unknown key(s) {unknown}, "
                                f"missing key(s) {missing}")
            return tuple(row[name] for name in names)
        raise TypeError(f"{self.name} rows are {self.record.__name__} records, "
                        f"not {type(row).__name__}")


def _column(values: tuple[Any, ...], dtype: Any, column: str) -> Any:
    """One column straight from the records' values, as ``_as_dtype`` would make it from
    a frame's column; None when a value is of a type the direct path does not take (an
    int in a text column, say), which ``_as_dtype`` then converts as pandas does."""
    kinds = {type(value) for value in values} - {type(None)}
    if isinstance(dtype, pd.CategoricalDtype):
        if not kinds <= {str}:
            return None
        unknown = sorted({v for v in values if v is not None and v not in dtype.categories})
        if unknown:
            raise ValueError(f"{column}: {unknown} are not among its categories "
                             f"{list(dtype.categories)}")
        return pd.Categorical(values, categories=dtype.categories, ordered=dtype.ordered)
    text = str(dtype)
    if text == "bool":  # a missing flag stays missing (object), for the model to report
        if kinds <= {bool}:
            return np.array(values, dtype=bool if None not in values else object)
        return None
    if text in ("str", "string"):
        return pd.array(values, dtype=dtype) if kinds <= {str} else None
    if text == "Int64":
        return pd.array(values, dtype=dtype) if kinds <= {int} else None
    if text == "float64" and kinds <= {float, int}:
        return np.array([np.nan if value is None else value for value in values], dtype=float)
    return None


def _as_dtype(values: pd.Series, dtype: Any, column: str) -> pd.Series:
    present = values.notna()
    if isinstance(dtype, pd.CategoricalDtype):
        unknown = sorted({str(v) for v in values[present] if v not in dtype.categories})
        if unknown:
            raise ValueError(f"{column}: {unknown} are not among its categories "
                             f"{list(dtype.categories)}")
        return pd.Series(pd.Categorical(values.astype(object).where(present, None),
                                        categories=dtype.categories, ordered=dtype.ordered),
                         index=values.index)
    if str(dtype) == "bool":
        # A missing flag stays missing (object), for the model to report, not False.
        return values.astype(bool) if present.all() else values
    nulled = values.astype(object).where(present, None)
    if str(dtype) in ("str", "string"):
        return nulled.astype("str").where(present, None)
    return nulled.astype(dtype)


def _registry(*tables: Table) -> dict[str, Table]:
    return {table.name: table for table in tables}


# Each report folder's tables, in output order.
TABLES = _registry(
    Table("items", Items, records.ItemRecord),
    Table("item_departments", ItemDepartments, records.ItemDepartmentRecord),
    Table("indicators", Indicators, records.IndicatorRecord),
    Table("indicator_evaluations", IndicatorEvaluations, records.IndicatorEvaluationRecord),
    Table("status_summary", StatusSummary, records.StatusSummaryRecord),
    Table("footnotes", Footnotes, records.FootnoteRecord),
    Table("date_mentions", DateMentions, records.DateMentionRecord),
)

if TYPE_CHECKING:
    DIFF_TABLES: dict[str, Table]
    HISTORY_TABLES: dict[str, Table]


def __getattr__(name: str) -> Any:
    """DIFF_TABLES and HISTORY_TABLES, made when first asked for: their models and records
    load with `pipeline diff` and `pipeline history`, not with every run."""
    if name == "DIFF_TABLES":  # the tables `pipeline diff` writes
        from schemas.diff import IndicatorChanges, IndicatorEvaluationChanges, ItemChanges

        made = _registry(
            Table("item_changes", ItemChanges, records.ItemChangeRecord),
            Table("indicator_changes", IndicatorChanges, records.IndicatorChangeRecord),
            Table("indicator_evaluation_changes", IndicatorEvaluationChanges,
                  records.IndicatorEvaluationChangeRecord),
        )
    elif name == "HISTORY_TABLES":  # the tables `pipeline history` writes
        from schemas.history import (
            HistoryItems,
            IndicatorEvaluationHistory,
            IndicatorHistory,
            ItemHistory,
        )

        made = _registry(
            Table("item_history", ItemHistory, records.ItemHistoryRecord),
            Table("items", HistoryItems, records.HistoryItemRecord),
            Table("indicator_history", IndicatorHistory, records.IndicatorHistoryRecord),
            Table("indicator_evaluation_history", IndicatorEvaluationHistory,
                  records.IndicatorEvaluationHistoryRecord),
        )
    else:
        raise AttributeError(f"module 'schemas.registry' has no attribute {name!r}")
    globals()[name] = made  # made once: later lookups find the module attribute
    return made
