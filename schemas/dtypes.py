"""Column types of the models, where pandera's own would cost more than the check is worth.

``Text`` is pandas' ``str`` column type (``StringDtype(na_value=nan)``, pyarrow-backed),
exactly as ``Series[str]``: same name in failure records (``dtype('string[pyarrow]')``),
same ``.type``. pandera's ``str`` answers a column that already has that type with one
True per row, and then reshapes the (empty) failures and formats them into a message for
every column of every table: most of a report's validation time. A column of that type
holds only strings and missing values, so ``Text`` answers it with one True; any other
column type is checked as pandera checks it, row by row, with the same failure cases.
"""

from __future__ import annotations

from typing import Any

from pandera.dtypes import immutable
from pandera.engines import pandas_engine


@pandas_engine.Engine.register_dtype
@immutable(init=True)
class Text(pandas_engine.STRING):
    """pandas' ``str`` column type, checked once per column when the column has it."""

    def check(self, pandera_dtype: Any, data_container: Any = None) -> Any:
        try:
            resolved = pandas_engine.Engine.dtype(pandera_dtype)
        except TypeError:
            return False
        if resolved.type == self.type:
            return True
        return super().check(pandera_dtype, data_container)
