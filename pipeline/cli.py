"""The command line: the only module that prints or exits."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import __version__
from pipeline.run import RunSettings, run


@click.group()
@click.version_option(__version__, prog_name="pipeline")
def main() -> None:
    """Turn ward IT-plan progress reports into tidy, validated tables."""


@main.command("run")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("normalized"), show_default=True,
              help="Folder that receives one sub-folder per report.")
@click.option("--csv-bom/--no-csv-bom", default=True, show_default=True,
              help="Start CSV files with a UTF-8 byte-order mark, so Excel reads them right.")
def run_command(inputs: tuple[Path, ...], out_dir: Path, csv_bom: bool) -> None:
    """Convert reports (PDF, .txt, .md files or folders of them; default raw/).

    Each INPUT becomes OUT/<file stem>/ with items, item_departments, indicators,
    status_summary, footnotes and date_mentions as .parquet and .csv, plus report.json
    and datapackage.json. An input that fails validation writes nothing and its
    failures are listed; the other inputs still run.

    Example: pipeline run raw/nakano_fy2023.txt --out normalized
    """
    outcomes = run(list(inputs) or [Path("raw")], RunSettings(out_dir=out_dir, csv_bom=csv_bom))
    if not outcomes:
        raise click.ClickException("no report files (.pdf, .txt, .md) found in "
                                   + ", ".join(str(p) for p in inputs or [Path("raw")]))
    for outcome in outcomes:
        if outcome.ok:
            counts = ", ".join(f"{n} {table}" for table, n in outcome.counts.items())
            click.echo(f"{outcome.path} → {outcome.output}/ ({counts})")
        else:
            click.echo(f"Error: {outcome.error}", err=True)
            for failure in outcome.failures:
                click.echo(f"  {failure.describe()}", err=True)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(outcomes)} input(s) failed; "
                                   "nothing was written for them.")
