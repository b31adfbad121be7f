"""Records → a DataFrame shaped by a pandera model (the diff's and the history's tables)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa


def records_to_frame(records: list[dict[str, Any]], model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """A DataFrame with exactly the model's columns, in its order and dtypes."""
    columns = model.to_schema().columns
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    for name, column in columns.items():
        dtype = column.dtype.type
        values = frame[name].astype(object).where(frame[name].notna(), None)
        frame[name] = (values.astype(float) if str(dtype) == "float64"
                       else values.astype(dtype))
    return frame
