"""Ward IT-plan progress reports (PDF, text, Markdown, Excel, Word) → tidy, validated tables.

The Python API (the ``pipeline`` command is a thin layer over it)::

    import pipeline
    report = pipeline.convert("raw/nakano_fy2023_sample.pdf")   # -> Report
    report.tables["items"]          # a DataFrame with the published dtypes
    report.facts["fiscal_year"]     # report.json
    report.write("normalized")      # normalized/nakano_fy2023_sample/, as `pipeline run`
    pipeline.load("normalized/nakano_fy2023_sample")               # -> Report
    pipeline.diff(old, new)         # Reports, report folders or files -> Comparison
    pipeline.history([r2023, r2024])                               # -> History
    pipeline.run(["raw"], out="normalized", jobs=2)                # -> list[Outcome]

A report that cannot be converted raises ``ConversionFailed`` (a ``PipelineError``)
carrying its failures and warnings as ``Failure`` records. Every name loads when first
used, so that ``import pipeline`` (and the command's start) loads no pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pipeline.api import (
        Comparison,
        ConversionFailed,
        History,
        Report,
        check_profile,
        convert,
        diff,
        draft_profile,
        history,
        load,
        run,
        unexpected_error,
    )
    from pipeline.errors import (
        Failure,
        InputError,
        Interrupted,
        LayoutError,
        OutputError,
        PipelineError,
        ProfileError,
        UnreadablePageError,
        ValidationFailed,
    )
    from pipeline.batch import grouping_notes
    from pipeline.tools.inspect import inspect_document, inspect_page
    from pipeline.job import Outcome, RunSettings
    from pipeline.tools.profile_check import ProfileCheck
    from pipeline.profiles import BUILTIN_NAMES, Profile, builtin_profile, builtin_text, load_profile

_HOMES = {
    **dict.fromkeys(("Comparison", "ConversionFailed", "History", "Report",
                     "check_profile", "convert", "diff", "draft_profile", "history", "load",
                     "run", "unexpected_error"), "pipeline.api"),
    **dict.fromkeys(("Failure", "InputError", "Interrupted", "LayoutError", "OutputError",
                     "PipelineError", "ProfileError", "UnreadablePageError",
                     "ValidationFailed"), "pipeline.errors"),
    **dict.fromkeys(("inspect_document", "inspect_page"), "pipeline.tools.inspect"),
    "grouping_notes": "pipeline.batch",
    "ProfileCheck": "pipeline.tools.profile_check",
    **dict.fromkeys(("Outcome", "RunSettings"), "pipeline.job"),
    **dict.fromkeys(("BUILTIN_NAMES", "Profile", "builtin_profile", "builtin_text",
                     "load_profile"), "pipeline.profiles"),
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({"__version__", *_HOMES})
