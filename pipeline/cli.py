"""The command line: the only module that prints or exits."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from pipeline import __version__
from pipeline.batch import run
from pipeline.errors import Interrupted, PipelineError
from pipeline.job import Outcome, RunSettings, unexpected_error

DEFAULT_INSPECT_DIR = Path("normalized") / "inspect"


PROFILE_HELP = ("A layout profile (TOML) for the report's words; default: the built-in "
                "profile that fits (see `pipeline profile show`).")


@click.group()
@click.version_option(__version__, prog_name="pipeline")
def main() -> None:
    """Turn ward IT-plan progress reports into tidy, validated tables."""


def entry() -> None:
    """The ``pipeline`` command (and ``python -m pipeline``)."""
    # pandera imports hypothesis, where it is installed (with the test extras), for data
    # synthesis the pipeline never asks for: 0.13 s of every command's start. A None
    # entry makes that import fail as if hypothesis were absent, as it is for users.
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    try:
        main()
    except SystemExit as done:  # click ends every command so
        code = done.code
    else:
        code = 0
    # What the command wrote is closed and its workers reaped; all that is left is the
    # interpreter's teardown of pandas, pyarrow and pandera (about 0.1 s), skipped.
    if isinstance(code, str):
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a closed pipe (| head): nothing more can be said
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


@main.command("run")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              default=Path("normalized"), show_default=True,
              help="Folder that receives one sub-folder per report.")
@click.option("--csv-bom/--no-csv-bom", default=True, show_default=True,
              help="Start CSV files with a UTF-8 byte-order mark, so Excel reads them right.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes; 0 = one per core.")
@click.option("--force", is_flag=True, help="Convert every input, even those unchanged since the last run.")
@click.option("--dataset/--no-dataset", default=True, show_default=True,
              help="Also write OUT/dataset/<table>/fiscal_year=…/report_id=…/part.parquet.")
@click.option("--timeout", type=click.FloatRange(min=1), default=600, show_default=True,
              help="Seconds one report may take before it is stopped and counted as failed.")
@click.option("--memory-limit", "memory_mb", type=click.IntRange(min=64), default=2048,
              show_default=True, help="MB of memory one report may use before it is stopped.")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help=PROFILE_HELP)
def run_command(inputs: tuple[Path, ...], out_dir: Path, csv_bom: bool, jobs: int, force: bool,
                dataset: bool, timeout: float, memory_mb: int, profile_file: Path | None) -> None:
    """Convert reports (.pdf, .txt, .tsv, .md, .xlsx, .docx files, report folders of
    several files, or folders of them; default raw/).

    Each INPUT becomes OUT/<file stem or report folder name>/ with items, item_departments, indicators,
    status_summary, footnotes and date_mentions as .parquet and .csv, plus report.json
    and datapackage.json. An input that fails validation writes nothing and its
    failures are listed; the other inputs still run. Inputs unchanged since the last
    run (same content, code and settings) are skipped. A second run on the same OUT
    waits for the first to finish.

    Example: pipeline run raw/nakano_fy2023_sample.pdf --out normalized
    """
    paths = list(inputs) or [Path("raw")]
    _check_profile(profile_file)
    settings = RunSettings(out_dir=out_dir, csv_bom=csv_bom, jobs=jobs, force=force,
                           dataset=dataset, timeout=timeout, memory_mb=memory_mb,
                           profile=profile_file)
    try:
        with Progress() as progress:
            outcomes = run(paths, settings, on_done=progress.update,
                           on_wait=lambda message: click.echo(message, err=True))
    except Interrupted as stopped:
        click.echo(f"Error: {stopped}", err=True)
        raise SystemExit(130) from None
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    if not outcomes:
        raise click.ClickException("no report files (.pdf, .txt, .tsv, .md, .xlsx, .docx) found in "
                                   + ", ".join(str(p) for p in paths))
    for outcome in outcomes:
        _report(outcome)
    if len(outcomes) > 1:
        click.echo(summary_table(outcomes), err=True)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(outcomes)} input(s) failed; "
                                   "nothing was written for them.")


def _report(outcome: Outcome) -> None:
    if outcome.skipped:
        click.echo(f"{outcome.path} → {outcome.output}/ (unchanged, skipped)")
    elif outcome.ok:
        counts = ", ".join(f"{n} {table}" for table, n in outcome.counts.items())
        click.echo(f"{outcome.path} → {outcome.output}/ ({counts})")
        for note in outcome.notes:
            click.echo(f"  note: {note}")
    else:
        click.echo(f"Error: {outcome.error}", err=True)
        for failure in outcome.failures:
            click.echo(f"  {failure.describe()}", err=True)
    for warning in outcome.warnings:
        click.echo(f"Warning: {warning.describe()}", err=True)


def summary_table(outcomes: list[Outcome]) -> str:
    """A closing table of every input: converted, skipped or failed."""
    width = max(len(str(o.path)) for o in outcomes)
    lines = [f"{'input':<{width}}  result     pages  seconds"]
    for o in outcomes:
        result = "skipped" if o.skipped else "ok" if o.ok else "FAILED"
        pages = "" if o.pages is None else str(o.pages)
        lines.append(f"{str(o.path):<{width}}  {result:<9}  {pages:>5}  {o.seconds:7.2f}")
    done = sum(o.ok for o in outcomes)
    lines.append(f"{done} ok ({sum(o.skipped for o in outcomes)} skipped), "
                 f"{len(outcomes) - done} failed")
    return "\n".join(lines)


class Progress:
    """A progress bar on a terminal (files, pages, rate, ETA); plain log lines elsewhere.

    A run of one input needs neither: its result line follows at once.
    """

    def __init__(self) -> None:
        self.interactive = sys.stderr.isatty()
        self.bar: Any = None
        self.pages = 0
        self.started = time.perf_counter()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def update(self, outcome: Outcome, done: int, total: int) -> None:
        if total < 2:
            return
        if not outcome.skipped:  # a skipped report's pages cost nothing: not in the rate
            self.pages += outcome.pages or 0
        rate = self.pages / max(time.perf_counter() - self.started, 1e-9)
        if not self.interactive:
            status = "unchanged, skipped" if outcome.skipped else "ok" if outcome.ok else "failed"
            timing = "" if outcome.skipped else f", {outcome.seconds:.2f} s"
            click.echo(f"[{done}/{total}] {outcome.path}: {status}{timing} "
                       f"({self.pages} PDF pages converted, {rate:.1f} pages/s)", err=True)
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="converting", file=sys.stderr,
                                         show_eta=True, show_pos=True)
            self.bar.render_progress()
        self.bar.label = f"converting ({self.pages} pages, {rate:.1f} pages/s)"
        self.bar.update(1)


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the results.  [default: normalized/diff/<old_id>__<new_id>]")
@click.option("--csv-bom/--no-csv-bom", default=True, show_default=True,
              help="Start CSV files with a UTF-8 byte-order mark, so Excel reads them right.")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help=PROFILE_HELP + " Used for report files given.")
def diff_command(old: Path, new: Path, out_dir: Path | None, csv_bom: bool,
                 profile_file: Path | None) -> None:
    """Compare two reports: items added, removed, renamed or changed, and indicator values.

    OLD and NEW are folders written by `pipeline run`, or report files, which are
    converted first (nothing is written for them). OUT receives item_changes and
    indicator_changes as .parquet and .csv, and summary.md and summary.html to read.

    \b
    Example: pipeline diff tests/fixtures/nakano_fy2023.txt tests/fixtures/nakano_fy2024_synthetic.txt
    """
    from pipeline.diff_report import (
        summary_lines,  # pandas loads for the commands that need it
    )
    from pipeline.diff_run import diff_paths, year_warning

    _check_profile(profile_file)
    try:
        result, output = diff_paths(old, new, out_dir, csv_bom, profile_file)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:  # a bug: one sentence naming where, not a traceback
        raise click.ClickException(unexpected_error(f"diff {old} {new}", error)) from error
    warning = year_warning(result)
    if warning is not None:
        click.echo(f"Warning: {warning}", err=True)
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"→ {output}/ (item_changes, indicator_changes, summary.md, summary.html)")


@main.command("history")
@click.argument("directory", required=False, default=Path("normalized"),
                type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the results.  [default: DIRECTORY/history]")
@click.option("--csv-bom/--no-csv-bom", default=True, show_default=True,
              help="Start CSV files with a UTF-8 byte-order mark, so Excel reads them right.")
def history_command(directory: Path, out_dir: Path | None, csv_bom: bool) -> None:
    """Follow every item across the years: keys, panel tables and history.html.

    DIRECTORY (default normalized/) holds report folders written by `pipeline run`,
    one plan's reports of several fiscal years. Each item gets a key that stays the
    same when it is reworded or moved to another measure. OUT receives item_history,
    items and indicator_history as .parquet and .csv, datapackage.json, history.json
    and history.html. Two reports of one fiscal year (a PDF and its text copy) count
    once: the PDF is used, and they must have the same items.

    Example: pipeline history normalized --out normalized/history
    """
    from pipeline.history_report import summary_lines  # pandas loads for the commands that need it
    from pipeline.history_run import history_paths

    try:
        result, output = history_paths(directory, out_dir, csv_bom)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:  # a bug: one sentence naming where, not a traceback
        raise click.ClickException(unexpected_error(f"history of {directory}", error)) from error
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"→ {output}/ (item_history, items, indicator_history, history.html)")


@main.command("inspect")
@click.argument("pdf", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--page", "page_no", type=click.IntRange(min=1), default=None,
              help="The PDF page to look at, from 1 (PDFs only; required for them).")
@click.option("--out", "out_png", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The PNG to write.  [default: normalized/inspect/<pdf stem>_page<N>.png]")
@click.option("--resolution", type=click.IntRange(min=36, max=600), default=100, show_default=True,
              help="Pixels per inch of the PNG.")
def inspect_command(pdf: Path, page_no: int | None, out_png: Path | None, resolution: int) -> None:
    """Draw what the PDF reader sees on one page, and say what each region became;
    for an .xlsx or .docx file, list the grids and paragraphs it was read as.

    The PNG shows pdfplumber's table finder (edges, intersections, cells), each table
    in red and each text line outside tables in green; each printed line names a
    region and the report table it was recognised as (items, indicators,
    status_summary, or unrecognised). Use it when a new layout does not parse.

    Example: pipeline inspect raw/nakano_fy2023_sample.pdf --page 3
    Example: pipeline inspect raw/nakano_fy2022/besshi.xlsx
    """
    from pipeline.inspect import inspect_office, inspect_page

    if pdf.suffix.lower() in (".xlsx", ".docx"):
        try:
            lines = inspect_office(pdf)
        except PipelineError as error:
            raise click.ClickException(str(error)) from error
        for line in lines:
            click.echo(line)
        return
    if page_no is None:
        raise click.ClickException(f"{pdf}: give the PDF page to draw with --page N.")

    target = out_png or DEFAULT_INSPECT_DIR / f"{pdf.stem}_page{page_no}.png"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(f"{target.parent}: cannot write the picture "
                                   f"({error.strerror or error}).") from None
    try:
        lines = inspect_page(pdf, page_no, target, resolution=resolution)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    for line in lines:
        click.echo(line)
    click.echo(f"→ {target}")



def _check_profile(path: Path | None) -> None:
    """Stop before any work on a profile that cannot be used."""
    if path is None:
        return
    from pipeline.profiles import load_profile

    try:
        load_profile(path)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error


@main.group("profile")
def profile_group() -> None:
    """Layout profiles: the words a report's tables, legend and ids are printed with."""


@profile_group.command("show")
def profile_show() -> None:
    """Print the built-in layout profile (TOML), the starting point for another layout.

    Example: pipeline profile show > my_ward.toml
    """
    from pipeline.profiles import builtin_text

    click.echo(builtin_text(), nl=False)


@profile_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def profile_check(file: Path) -> None:
    """Check a layout profile: TOML syntax, unknown keys, types, patterns, groups.

    Example: pipeline profile check my_ward.toml
    """
    from pipeline.profiles import load_profile

    try:
        profile = load_profile(file)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    columns = profile.section("tables", "items", "columns")
    grades = " ".join(g.mark for g in profile.grades)
    click.echo(f"{file}: profile {profile.name!r} is valid ({len(columns)} attachment columns, "
               f"grades {grades}).")
