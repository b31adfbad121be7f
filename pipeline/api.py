"""The Python API: what a notebook calls, and what ``cli.py`` is a thin layer over.

    >>> import pipeline
    >>> report = pipeline.convert("tests/fixtures/nakano_fy2023.txt")
    >>> report.report_id, len(report.tables["items"])
    ('nakano_fy2023', 113)
    >>> str(report.tables["items"]["status"].dtype)
    'category'
    >>> report.facts["fiscal_year"], report.warnings
    (2023, [])

A report that cannot be converted raises ``ConversionFailed`` carrying its failures
(errors) and warnings as ``Failure`` records; nothing is written for it.

This module loads no pandas at import (``python -m pipeline`` starts without it): each
function imports the stages it calls.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import Failure, InputError, OutputError, PipelineError
from pipeline.job import (
    InputKey,
    KeySettings,
    Outcome,
    ReportInput,
    RunSettings,
    code_fingerprint,
    unexpected_error,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pandas as pd

    from pipeline.compare.diff import DiffResult
    from pipeline.compare.history import HistoryResult
    from pipeline.tools.profile_check import ProfileCheck

__all__ = ["Comparison", "ConversionFailed", "History", "Report", "check_profile",
           "convert", "diff", "draft_profile", "history", "load", "run", "unexpected_error"]

PathLike = str | Path


class ConversionFailed(PipelineError):
    """A report that cannot be converted (unreadable, not laid out as a report, or its
    tables break the contract). ``str(error)`` is one sentence naming the file;
    ``failures`` lists every error found (empty when the file could not be read at all)
    and ``warnings`` the warnings, both as ``Failure`` records."""

    def __init__(self, message: str, failures: list[Failure], warnings: list[Failure]):
        self.failures = list(failures)
        self.warnings = list(warnings)
        super().__init__(message)


@dataclass
class Report:
    """One converted report: its tables, its report.json facts, its warnings.

    ``tables`` maps each published table (``items``, ``item_departments``,
    ``indicators``, ``status_summary``, ``footnotes``, ``date_mentions``) to a pandas
    DataFrame with the dtypes of ``schemas/`` — the frames ``pipeline run`` writes as
    Parquet. ``facts`` is report.json. A Report with errors does not exist (``convert``
    raises ``ConversionFailed``), so ``failures`` is empty; ``warnings`` are the
    warnings report.json lists. ``folder``: where it was loaded from or last written.
    """

    report_id: str
    tables: dict[str, pd.DataFrame]
    facts: dict[str, Any]
    warnings: list[Failure] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    folder: Path | None = None
    key: InputKey | None = field(default=None, repr=False)  # the seal's key, if it has one

    def write(self, out: PathLike = "normalized", csv_bom: bool = True,
              dataset: bool = True) -> Path:
        """Write OUT/<report_id>/ as ``pipeline run`` does: every table as .parquet and
        .csv, report.json, datapackage.json and the seal, atomically (a complete folder or
        the old one as it was); with ``dataset`` also its OUT/dataset/ parts. The folder's
        path is returned. A folder there that ``pipeline run`` did not write is an
        OutputError, as it is for the command.
        """
        from pipeline.output.datapackage import datapackage
        from pipeline.batch.lock import OutputLock
        from pipeline.output.state import trusted_seal
        from pipeline.output.write import write_report

        out_dir = Path(out)
        target = out_dir / self.report_id
        if (target.exists() and trusted_seal(target) is None
                and not (target / "report.json").is_file()):
            raise OutputError(f"{target}: exists and was not written by `pipeline run`; "
                              "move it away or write elsewhere.")
        # loaded from a folder without a seal: its sources are not known
        key = self.key or InputKey(sources=(), code=code_fingerprint(),
                                   settings=KeySettings(csv_bom=csv_bom))
        key = replace(key, settings=replace(key.settings, csv_bom=csv_bom))
        package = datapackage(self.report_id, self.facts.get("title"),
                              "utf-8-sig" if csv_bom else "utf-8")
        year = self.facts.get("fiscal_year") if dataset else None
        try:
            with OutputLock(out_dir, None):
                folder, _ = write_report(out_dir, self.report_id, self.tables,
                                         {"report.json": self.facts, "datapackage.json": package},
                                         key, self.facts.get("page_count"), year)
        except OSError as error:
            raise OutputError(f"{target}: cannot write the report "
                              f"({error.strerror or error}).") from None
        self.folder = folder
        return folder


def convert(path_or_paths: PathLike | Sequence[PathLike], profile: PathLike | None = None,
            report_id: str | None = None, ocr: str = "auto") -> Report:
    """Convert one report: a file, a report folder of several files, or a list of files
    forming one report (its id: ``report_id``, default their folder's name).

    ``profile``: a layout profile file (TOML); None: the built-in profile that fits.
    ``ocr``: which PDF pages are read by OCR: "auto" (those without a usable text
    layer: scans), "always", or "never" (a scanned page is refused). Nothing is written; ``Report.write`` writes the folder ``pipeline run`` would.
    Raises ``ConversionFailed`` (with the failures and warnings) when the report cannot
    be converted.

        >>> import pipeline
        >>> pipeline.convert("no/such/report.pdf")
        Traceback (most recent call last):
        ...
        pipeline.api.ConversionFailed: no/such/report.pdf: no such file or folder.
    """
    from pipeline.batch.report import convert as convert_report

    report = _report_input(path_or_paths, report_id)
    with _scratch("convert") as work:
        settings = RunSettings(out_dir=work, dataset=False,
                               profile=None if profile is None else Path(profile), ocr=ocr)
        outcome = convert_report(report, settings)
        if outcome.output is None:
            raise ConversionFailed(str(outcome.error), outcome.failures, outcome.warnings)
        converted = load(outcome.output)
    converted.folder = None  # the scratch folder is gone
    return converted


def _report_input(path_or_paths: PathLike | Sequence[PathLike], report_id: str | None
                  ) -> ReportInput:
    if isinstance(path_or_paths, (str, Path)):
        path = Path(path_or_paths)
        report = ReportInput.of_folder(path) if path.is_dir() else ReportInput.of_file(path)
        return report if report_id is None else ReportInput(report_id, report.paths,
                                                            report.given, report.bundle)
    paths = tuple(Path(p) for p in path_or_paths)
    if not paths:
        raise InputError("convert: no report files given.")
    folders = {path.parent for path in paths}
    given = folders.pop() if len(folders) == 1 else Path(".")
    name = report_id or given.resolve().name
    return ReportInput(report_id=name, paths=paths, given=given, bundle=True)


def load(folder: PathLike) -> Report:
    """Read back a folder written by ``pipeline run`` (or ``Report.write``): its tables
    checked against the schemas, with their dtypes, and its report.json.

        >>> import pipeline
        >>> pipeline.load("no/such/folder")
        Traceback (most recent call last):
        ...
        pipeline.errors.InputError: no/such/folder: no report.json here; give a folder written by `pipeline run`.
    """
    import json

    import pandas as pd
    import pandera.errors

    from pipeline.output.state import trusted_seal
    from schemas.registry import TABLES

    folder = Path(folder)
    facts_path = folder / "report.json"
    if not facts_path.is_file():
        raise InputError(f"{folder}: no report.json here; give a folder written by "
                         "`pipeline run`.")
    try:
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{facts_path}: not a readable report.json ({error}).") from None
    tables = {}
    for name, table in TABLES.items():
        path = folder / f"{name}.parquet"
        try:
            frame = _with_categories(pd.read_parquet(path), table.to_frame([]))
            table.model.validate(frame, lazy=True)
        except FileNotFoundError:
            raise InputError(f"{folder}: no {name}.parquet in this report folder; convert "
                             "the report again with `pipeline run`.") from None
        except (OSError, ValueError) as error:
            raise InputError(f"{path}: not a readable Parquet file ({error}).") from None
        except pandera.errors.SchemaErrors as error:
            first = error.failure_cases.iloc[0]
            raise InputError(f"{path}: does not match the {name} schema ({len(error.failure_cases)} "
                             f"problem(s), the first: {first['check']} on column "
                             f"{first['column']}); convert the report again.") from None
        tables[name] = frame
    seal = trusted_seal(folder)
    warnings = [Failure(**entry) for entry in facts.get("warnings", [])]
    return Report(report_id=facts.get("report_id") or folder.name, tables=tables, facts=facts,
                  warnings=warnings, folder=folder, key=None if seal is None else seal.key)


def _with_categories(frame: pd.DataFrame, empty: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns with the registry's categories: Parquet keeps none for a
    column with no value (an empty table, a column all null), whose categories then
    read back as objects, not strings."""
    import pandas as pd

    for column in empty.columns:
        declared = empty[column].dtype
        if isinstance(declared, pd.CategoricalDtype) and column in frame.columns:
            frame[column] = frame[column].astype(object).astype(declared)
    return frame


@dataclass
class Comparison:
    """The diff of two reports: ``tables`` (item_changes, indicator_changes), the whole
    ``result`` (status movements, matched count, both reports' items) and ``output``,
    the folder written (None when nothing was kept)."""

    result: DiffResult
    output: Path | None = None

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        from schemas.registry import DIFF_TABLES

        evaluations = self.result.evaluation_changes
        return {"item_changes": self.result.item_changes,
                "indicator_changes": self.result.indicator_changes,
                "indicator_evaluation_changes": evaluations if evaluations is not None else
                DIFF_TABLES["indicator_evaluation_changes"].to_frame([])}

    def summary_lines(self) -> list[str]:
        """The lines ``pipeline diff`` prints: what changed, in numbers."""
        from pipeline.compare.diff_report import summary_lines

        return summary_lines(self.result)

    def year_warning(self) -> str | None:
        """A sentence when NEW is not a later fiscal year than OLD (swapped arguments?)."""
        from pipeline.compare.diff_run import year_warning

        return year_warning(self.result)


def diff(old: Report | PathLike, new: Report | PathLike, out: PathLike | None = None, *,
         write: bool = False, profile: PathLike | None = None, csv_bom: bool = True,
         lang: str = "ja") -> Comparison:
    """Compare two reports: items added, removed, renamed or changed, indicator values.

    OLD and NEW are Reports, folders written by ``pipeline run``, or report files
    (converted first, with ``profile``). The results (item_changes, indicator_changes,
    indicator_evaluation_changes, summary.md, summary.html in ``lang``) are written to ``out`` when it is given, to
    normalized/diff/<old_id>__<new_id>/ with ``write`` alone, and not kept otherwise.

        >>> import pipeline
        >>> changes = pipeline.diff("tests/fixtures/nakano_fy2023.txt",
        ...                         "tests/fixtures/nakano_fy2024_synthetic.txt")
        >>> sorted(changes.tables), changes.output
        (['indicator_changes', 'indicator_evaluation_changes', 'item_changes'], None)
    """
    from pipeline.compare.diff_run import diff_paths

    with _scratch("diff") as work:
        old_path = _folder_of(old, work / "old")
        new_path = _folder_of(new, work / "new")
        keep = out is not None or write
        target = Path(out) if out is not None else None if write else work / "result"
        result, output = diff_paths(old_path, new_path, target, csv_bom,
                                    None if profile is None else Path(profile), lang)
    return Comparison(result, output if keep else None)


def _folder_of(report: Report | PathLike, work: Path) -> Path:
    """A path as it is; a Report's folder, written into ``work`` when it has none."""
    if not isinstance(report, Report):
        return Path(report)
    if report.folder is not None and (report.folder / "report.json").is_file():
        return report.folder
    return _copy_of(report).write(work, dataset=False)


def _copy_of(report: Report) -> Report:
    """A Report whose ``write`` does not move the caller's ``folder``."""
    return Report(report.report_id, report.tables, report.facts, report.warnings,
                  report.failures, report.folder, report.key)


@dataclass
class History:
    """Every item followed across the years: ``tables`` (item_history, items,
    indicator_history), the whole ``result`` and ``output``, the folder written (None
    when nothing was kept)."""

    result: HistoryResult
    output: Path | None = None

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        from schemas.registry import HISTORY_TABLES

        evaluations = self.result.indicator_evaluation_history
        return {"item_history": self.result.item_history, "items": self.result.items,
                "indicator_history": self.result.indicator_history,
                "indicator_evaluation_history": evaluations if evaluations is not None else
                HISTORY_TABLES["indicator_evaluation_history"].to_frame([])}

    def summary_lines(self) -> list[str]:
        """The lines ``pipeline history`` prints: the years, the items, what was left out."""
        from pipeline.compare.history_report import summary_lines

        return summary_lines(self.result)


def history(reports: PathLike | Iterable[Report | PathLike], out: PathLike | None = None, *,
            write: bool = False, csv_bom: bool = True, lang: str = "ja") -> History:
    """Follow every item of one plan across its fiscal years.

    ``reports``: a folder holding report folders (as ``pipeline run`` writes them), or a
    list of Reports and report folders. The results (item_history, items,
    indicator_history, history.json, history.html in ``lang`` (``ja`` or ``en``),
    history.xlsx, datapackage.json) are written to
    ``out`` when it is given, to FOLDER/history/ with ``write`` alone (a folder given),
    and not kept otherwise.

        >>> import pipeline
        >>> years = [pipeline.convert(f"tests/fixtures/nakano_fy{year}{suffix}.txt")
        ...          for year, suffix in ((2023, ""), (2024, "_synthetic"))]
        >>> [report.fiscal_year for report in pipeline.history(years).result.reports]
        [2023, 2024]
    """
    from pipeline.compare.history_run import history_paths

    with _scratch("history") as work:
        if isinstance(reports, (str, Path)):
            directory = Path(reports)
        else:
            directory = work / "reports"
            _gather(reports, directory)
            if write and out is None:
                raise ValueError("history of a list of reports: give `out`, the folder for "
                                 "the results")
        keep = out is not None or write
        target = Path(out) if out is not None else None if write else work / "result"
        result, output = history_paths(directory, target, csv_bom, lang)
    return History(result, output if keep else None)


def _gather(reports: Iterable[Report | PathLike], directory: Path) -> None:
    """One folder holding each report's folder (written, or linked to where it is)."""
    directory.mkdir(parents=True)
    for report in reports:
        if isinstance(report, Report):
            if (directory / report.report_id).exists():
                raise InputError(f"{report.report_id}: given twice to the history.")
            _copy_of(report).write(directory, dataset=False)
            continue
        folder = Path(report)
        if not (folder / "report.json").is_file():
            raise InputError(f"{folder}: not a folder written by `pipeline run` (no "
                             "report.json).")
        link = directory / folder.resolve().name
        if link.exists():
            raise InputError(f"{folder}: a second report folder named {link.name!r}.")
        link.symlink_to(folder.resolve(), target_is_directory=True)


def run(paths: PathLike | Sequence[PathLike], out: PathLike | None = None, *,
        settings: RunSettings | None = None,
        on_done: Callable[[Outcome, int, int], None] | None = None,
        on_wait: Callable[[str], None] | None = None, reports: Sequence[PathLike] = (),
        **options: Any) -> list[Outcome]:
    """Convert many reports into OUT (default normalized/), as ``pipeline run`` does:
    in worker processes with limits, skipping unchanged inputs, one report's failure
    never stopping the others. One ``Outcome`` per report, in input order.

    A folder in ``paths`` is a folder of reports (each file one report, each subfolder
    one report of several files); a folder in ``reports`` is one report of its files.

    ``options`` are ``RunSettings``' fields (csv_bom, jobs, force, dataset, timeout,
    memory_mb, profile), or pass ``settings`` whole. ``on_done(outcome, done, total)``
    hears of each report as it finishes; ``on_wait(message)`` that another run holds
    OUT. Ctrl-C raises ``Interrupted`` after recording what finished.
    """
    from dataclasses import replace

    from pipeline.batch import run as run_batch

    given = [paths] if isinstance(paths, (str, Path)) else list(paths)
    bundles = [Path(folder) for folder in reports]
    if settings is None:
        settings = RunSettings(out_dir=Path(out or "normalized"), **options)
    elif options or out is not None:
        changes: dict[str, Any] = dict(options)
        if out is not None:
            changes["out_dir"] = Path(out)
        settings = replace(settings, **changes)
    return run_batch([Path(p) for p in given], settings, on_done=on_done, on_wait=on_wait,
                     bundles=bundles)


def check_profile(profile: PathLike, report: PathLike) -> ProfileCheck:
    """A layout profile tried on one report: each table kind and the tables it claimed,
    which header cell named which column, the tables no kind claimed (with the words
    each kind looked for), the cells left in no column, and the first error of the
    conversion (``error``, None when it converts). ``lines()`` is what
    ``pipeline profile check PROFILE REPORT`` prints.

        >>> import pipeline
        >>> check = pipeline.check_profile("tests/profiles/kakuu_city.toml",
        ...                                "tests/fixtures/kakuu_city_fy2024.txt")
        >>> [table.kind for table in check.tables], check.error
        (['status_summary', 'indicators', 'items'], None)
    """
    from pipeline.tools.profile_check import check_document
    from pipeline.profiles import load_profile
    from pipeline.read import read_report
    from pipeline.tidy.structure import grid_classifier

    loaded = load_profile(Path(profile))
    given = _report_input(report, None)
    return check_document(read_report(given, grid_classifier(loaded)), loaded, given.report_id)


def draft_profile(report: PathLike) -> str:
    """A starting profile (TOML text) for a report of another layout: the built-in
    profile's text with the report's attachment header words (years as ``{year}``) and
    its legend (marks and meanings as ``[[grades.grade]]``) in place of its own. It
    loads with ``load_profile``; its words are proposals to review.

        >>> import pipeline
        >>> text = pipeline.draft_profile("tests/fixtures/kakuu_city_fy2024.txt")
        >>> 'business = ["取組名"]' in text
        True
    """
    from pipeline.tools.profile_draft import draft_text
    from pipeline.read import read_report
    from pipeline.tidy.structure import grid_classifier

    given = _report_input(report, None)
    return draft_text(read_report(given, grid_classifier(None)))


@contextmanager
def _scratch(purpose: str) -> Iterator[Path]:
    """A private work folder, removed afterwards whatever happens."""
    work = Path(tempfile.mkdtemp(prefix=f"pipeline-{purpose}-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
