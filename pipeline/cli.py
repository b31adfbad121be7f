"""The command line: the only module that prints or exits, a thin layer over the Python
API (``pipeline/__init__.py``): it imports nothing else of the pipeline (a test checks).

Shell completion is click's: ``eval "$(_PIPELINE_COMPLETE=bash_source pipeline)"`` in
~/.bashrc (``zsh_source`` for zsh, ``fish_source`` for fish).
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import click

import pipeline
from pipeline import Interrupted, Outcome, PipelineError, RunSettings, __version__

DEFAULT_INSPECT_DIR = Path("normalized") / "inspect"


QUIET_HELP = "Print nothing but errors (and the --json objects)."
PROFILE_HELP = ("A layout profile (TOML) for the report's words; default: the built-in "
                "profile that fits (see `pipeline profile show`).")


@click.group()
@click.version_option(__version__, prog_name="pipeline")
def main() -> None:
    """Turn ward IT-plan progress reports into tidy, validated tables."""


def _stopped(message: str) -> None:
    """End the command after a Ctrl-C: exit 130 with one sentence, deaf to another press
    while it is said (it would cut the sentence short with a traceback)."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        click.echo(f"Error: {message}", err=True)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
    raise SystemExit(130)


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
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # done: a late Ctrl-C must not cut the last words
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


LANG_OPTION = click.option("--lang", type=click.Choice(["ja", "en"]), default="ja",
                           show_default=True, help="Language of the pages to read "
                           "(summary.html/.md, history.html).")

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
              help="Also write the combined dataset in OUT/dataset/ (one Parquet part per "
                   "table, fiscal year and report).")
@click.option("--timeout", type=click.FloatRange(min=1), default=600, show_default=True,
              help="Seconds one report may take before it is stopped and counted as failed.")
@click.option("--memory-limit", "memory_mb", type=click.IntRange(min=64), default=2048,
              show_default=True, help="MB of memory one report may use before it is stopped.")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help=PROFILE_HELP)
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True,
              help="Which PDF pages are read by OCR (Tesseract, Japanese): auto = pages "
                   "without a usable text layer (scans); never = refuse a scanned page.")
@click.option("--quiet", "-q", is_flag=True, help=QUIET_HELP)
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object per report on stdout (id, input, output, status, "
                   "counts, failures, warnings) instead of the result lines.")
@click.option("--report", "bundles", multiple=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A folder that is one report in several files (a .docx memo and an .xlsx "
                   "attachment); may be given more than once.")
def run_command(inputs: tuple[Path, ...], out_dir: Path, csv_bom: bool, jobs: int, force: bool,
                dataset: bool, timeout: float, memory_mb: int, profile_file: Path | None,
                ocr: str, quiet: bool, as_json: bool, bundles: tuple[Path, ...]) -> None:
    """Convert reports (.pdf, .txt, .tsv, .md, .xlsx, .docx files, or folders of them;
    default raw/). In a folder, each file is a report and each subfolder is one report
    of all its files; --report DIR names a folder that is one report.

    Each INPUT becomes OUT/<file stem or report folder name>/ with items, item_departments, indicators,
    status_summary, footnotes and date_mentions as .parquet and .csv, report.xlsx for
    Excel, plus report.json and datapackage.json. An input that fails validation writes nothing and its
    failures are listed; the other inputs still run. Inputs unchanged since the last
    run (same content, code and settings) are skipped. A second run on the same OUT
    waits for the first to finish.

    \b
    Example: pipeline run raw/nakano_fy2023_sample.pdf --out normalized
    Example: pipeline run --report tests/fixtures/nakano_fy2023_parts
    """
    if not inputs and not bundles and not Path("raw").is_dir():
        raise click.ClickException("raw: no such folder; with no INPUTS, run converts the "
                                   "reports in raw/ — give the files or folders to convert.")
    paths = list(inputs) or ([] if bundles else [Path("raw")])
    _check_profile(profile_file)
    if not quiet and not as_json:
        for note in pipeline.grouping_notes(paths):
            click.echo(f"Note: {note}", err=True)
    settings = RunSettings(out_dir=out_dir, csv_bom=csv_bom, jobs=jobs, force=force,
                           dataset=dataset, timeout=timeout, memory_mb=memory_mb,
                           profile=profile_file, ocr=ocr)
    try:
        with Progress() as progress:
            outcomes = pipeline.run(paths, settings=settings, reports=bundles,
                                    on_done=None if quiet else progress.update,
                                    on_wait=None if quiet else
                                    lambda message: click.echo(message, err=True))
    except Interrupted as stopped:
        _stopped(str(stopped))
    except KeyboardInterrupt:  # a second Ctrl-C as the run was ending its stop for the first
        _stopped("interrupted: the reports that finished were recorded; the others were "
                 "stopped and their folders are as they were. Run the same command again to "
                 "finish.")
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    if not outcomes:
        raise click.ClickException("no report files (.pdf, .txt, .tsv, .md, .xlsx, .docx) found in "
                                   + ", ".join(str(p) for p in paths))
    for outcome in outcomes:
        if as_json:
            click.echo(json.dumps(outcome_json(outcome), ensure_ascii=False))
        _report(outcome, quiet, as_json)
    if len(outcomes) > 1 and not quiet:
        click.echo(summary_table(outcomes), err=True)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(outcomes)} input(s) failed; "
                                   "nothing was written for them.")


def _report(outcome: Outcome, quiet: bool = False, as_json: bool = False) -> None:
    """The lines of one report: its result on stdout (not with --json or --quiet), its
    errors on stderr (always), its warnings on stderr (not with --quiet)."""
    said = not (quiet or as_json)
    if outcome.skipped:
        if said:
            click.echo(f"{outcome.path} → {outcome.output}/ (unchanged, skipped)")
    elif outcome.ok:
        if said:
            counts = ", ".join(f"{n} {table}" for table, n in outcome.counts.items())
            click.echo(f"{outcome.path} → {outcome.output}/ ({counts})")
            for note in outcome.notes:
                click.echo(f"  note: {note}")
    else:
        click.echo(f"Error: {outcome.error}", err=True)
        for failure in outcome.failures:
            click.echo(f"  {failure.describe()}", err=True)
    if not quiet:
        for warning in outcome.warnings:
            click.echo(f"Warning: {warning.describe()}", err=True)


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """One report's --json object."""
    status = "skipped" if outcome.skipped else "ok" if outcome.ok else "failed"
    return {"id": outcome.report_id, "input": str(outcome.path),
            "output": None if outcome.output is None else str(outcome.output),
            "status": status, "counts": outcome.counts, "pages": outcome.pages,
            "error": outcome.error, "notes": outcome.notes,
            "failures": [dataclasses.asdict(failure) for failure in outcome.failures],
            "warnings": [dataclasses.asdict(warning) for warning in outcome.warnings]}


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
@click.option("--quiet", "-q", is_flag=True, help=QUIET_HELP)
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object on stdout (old, new, output, counts, warnings) "
                   "instead of the summary.")
@LANG_OPTION
def diff_command(old: Path, new: Path, out_dir: Path | None, csv_bom: bool,
                 profile_file: Path | None, quiet: bool, as_json: bool, lang: str) -> None:
    """Compare two reports: items added, removed, renamed or changed, and indicator values.

    OLD and NEW are folders written by `pipeline run`, or report files, which are
    converted first (nothing is written for them). OUT receives item_changes and
    indicator_changes as .parquet and .csv, and summary.md and summary.html to read.

    \b
    Example: pipeline diff tests/fixtures/nakano_fy2023.txt tests/fixtures/nakano_fy2024_synthetic.txt
    """
    _check_profile(profile_file)
    try:
        comparison = pipeline.diff(old, new, out_dir, write=True, profile=profile_file,
                                   csv_bom=csv_bom, lang=lang)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:  # a bug: one sentence naming where, not a traceback
        raise click.ClickException(pipeline.unexpected_error(f"diff {old} {new}", error)) from error
    warning = comparison.year_warning()
    if warning is not None and not quiet:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        result = comparison.result
        click.echo(json.dumps({
            "old": result.old.report_id, "new": result.new.report_id,
            "output": str(comparison.output), "matched": result.matched,
            "counts": {name: len(frame) for name, frame in comparison.tables.items()},
            "warnings": [] if warning is None else [warning]}, ensure_ascii=False))
    elif not quiet:
        for line in comparison.summary_lines():
            click.echo(line)
        click.echo(f"→ {comparison.output}/ (item_changes, indicator_changes, "
                   "indicator_evaluation_changes, summary.md, summary.html, diff.xlsx)")


@main.command("history")
@click.argument("directory", required=False, default=Path("normalized"),
                type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the results.  [default: DIRECTORY/history]")
@click.option("--csv-bom/--no-csv-bom", default=True, show_default=True,
              help="Start CSV files with a UTF-8 byte-order mark, so Excel reads them right.")
@click.option("--quiet", "-q", is_flag=True, help=QUIET_HELP)
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object on stdout (output, fiscal years, reports, counts, "
                   "reports left out) instead of the summary.")
@LANG_OPTION
def history_command(directory: Path, out_dir: Path | None, csv_bom: bool, quiet: bool,
                    as_json: bool, lang: str) -> None:
    """Follow every item across the years: keys, panel tables and history.html.

    DIRECTORY (default normalized/) holds report folders written by `pipeline run`,
    one plan's reports of several fiscal years. Each item gets a key that stays the
    same when it is reworded or moved to another measure. OUT receives item_history,
    items and indicator_history as .parquet and .csv, datapackage.json, history.json
    and history.html. Two reports of one fiscal year (a PDF and its text copy) count
    once: the PDF is used, and they must have the same items.

    Example: pipeline history normalized --out normalized/history
    """
    try:
        followed = pipeline.history(directory, out_dir, write=True, csv_bom=csv_bom, lang=lang)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:  # a bug: one sentence naming where, not a traceback
        raise click.ClickException(pipeline.unexpected_error(f"history of {directory}",
                                                             error)) from error
    if as_json:
        result = followed.result
        click.echo(json.dumps({
            "output": str(followed.output),
            "fiscal_years": [report.fiscal_year for report in result.reports],
            "reports": [report.report_id for report in result.reports],
            "counts": {name: len(frame) for name, frame in followed.tables.items()},
            "left_out": [{"report_id": left, "same_as": kept} for left, kept in result.left_out]},
            ensure_ascii=False))
    elif not quiet:
        for line in followed.summary_lines():
            click.echo(line)
        click.echo(f"→ {followed.output}/ (item_history, items, indicator_history, "
                   "indicator_evaluation_history, history.html, history.xlsx)")


@main.command("inspect")
@click.argument("pdf", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--page", "page_no", type=click.IntRange(min=1), default=None,
              help="The PDF page to look at, from 1 (PDFs only; required for them).")
@click.option("--out", "out_png", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The PNG to write.  [default: normalized/inspect/<pdf stem>_page<N>.png]")
@click.option("--resolution", type=click.IntRange(min=36, max=600), default=100, show_default=True,
              help="Pixels per inch of the PNG.")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help=PROFILE_HELP + " Its words name each table's kind.")
def inspect_command(pdf: Path, page_no: int | None, out_png: Path | None, resolution: int,
                    profile_file: Path | None) -> None:
    """Draw what the PDF reader sees on one page, and say what each region became;
    for an .xlsx, .docx or text report, list the grids and paragraphs it was read as.

    The PNG shows pdfplumber's table finder (edges, intersections, cells), each table
    in red and each text line outside tables in green; each printed line names a
    region and the report table it was recognised as (items, indicators,
    status_summary, legend, skip, or unrecognised). Use it, with --profile, when a new
    layout does not parse; `pipeline profile check` then says what each table's cells became.

    \b
    Example: pipeline inspect raw/nakano_fy2023_sample.pdf --page 3
    Example: pipeline inspect tests/fixtures/nakano_fy2023_parts/nakano_fy2023_besshi.xlsx
    """
    _check_profile(profile_file)
    if pdf.suffix.lower() != ".pdf":
        if page_no is not None:
            raise click.ClickException(f"{pdf}: --page is for PDF files; a "
                                       f"{pdf.suffix or 'file without extension'} report has no "
                                       "pages, and is listed whole without it.")
        try:
            lines = pipeline.inspect_document(pdf, profile_file)
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
        lines = pipeline.inspect_page(pdf, page_no, target, resolution=resolution,
                                      profile=profile_file)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    for line in lines:
        click.echo(line)
    click.echo(f"→ {target}")



def _check_profile(path: Path | None) -> None:
    """Stop before any work on a profile that cannot be used."""
    if path is None:
        return
    try:
        pipeline.load_profile(path)
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
    click.echo(pipeline.builtin_text(), nl=False)


@profile_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("report", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="With REPORT: print one JSON object (profile, report, tables with their "
                   "header columns, sought, unplaced, error) instead of the lines.")
def profile_check(file: Path, report: Path | None, as_json: bool) -> None:
    """Check a layout profile: TOML syntax, unknown keys, types, patterns, groups; with
    REPORT, try it on that report and show, in one screen, each table kind and the tables
    it claimed, which header cell named which column, the tables no kind claimed (and
    the words each kind looked for), the cells left in no column, and the first error of
    the conversion (exit 1 when there is one).

    \b
    Example: pipeline profile check my_ward.toml
    Example: pipeline profile check tests/profiles/kakuu_city.toml tests/fixtures/kakuu_city_fy2024.txt
    """
    try:
        profile = pipeline.load_profile(file)
        check = None if report is None else pipeline.check_profile(file, report)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    if check is None:
        columns = profile.tables.items.columns.named()
        scales = [f"{what} {' '.join(g.mark for g in scale)}" for what, scale in (
            ("grades", profile.grades), ("indicator grades", profile.indicator_grades)) if scale]
        attachment = f"{len(columns)} attachment columns" if columns else "no attachment"
        click.echo(f"{file}: profile {profile.name!r} is valid ({', '.join([attachment, *scales])}).")
        return
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(check), ensure_ascii=False))
    else:
        for line in check.lines():
            click.echo(line)
    if check.error is not None:
        raise click.ClickException(f"{report}: the profile does not convert the report "
                                   "(the first error is above).")


@profile_group.command("draft")
@click.argument("report", type=click.Path(path_type=Path))
def profile_draft(report: Path) -> None:
    """Propose a starting profile (TOML on stdout) for a report of another layout: the
    built-in profile with the report's attachment header words (years as {year}) and its
    legend's marks and meanings as the grades. Review it, then `pipeline profile check`.

    \b
    Example: pipeline profile draft tests/fixtures/kakuu_city_fy2024.txt > drafted.toml
    """
    try:
        text = pipeline.draft_profile(report)
    except PipelineError as error:
        raise click.ClickException(str(error)) from error
    click.echo(text, nl=False)
