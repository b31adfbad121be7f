"""The Python API as a notebook meets it: the frames the command writes, one exception
type with the records, folders written and read back as `pipeline run` writes them."""

import doctest
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import NAKANO, ROOT, SAMPLE_PDF, SEED

import pipeline
from pipeline.cli import main
from pipeline.errors import Failure
from schemas.registry import TABLES

SECOND = ROOT / "tests" / "fixtures" / "nakano_fy2024_synthetic.txt"


def cli_run(source: Path, out: Path) -> Path:
    result = CliRunner().invoke(main, ["run", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / source.stem


def folder_files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def sample_pdf_folder(tmp_path_factory):
    return cli_run(SAMPLE_PDF, tmp_path_factory.mktemp("cli"))


def test_convert_gives_the_frames_the_cli_writes_as_parquet(sample_pdf_folder):
    report = pipeline.convert("raw/nakano_fy2023_sample.pdf" if Path.cwd() == ROOT
                              else SAMPLE_PDF)
    assert list(report.tables) == list(TABLES)
    for name in TABLES:
        written = pd.read_parquet(sample_pdf_folder / f"{name}.parquet")
        if written.empty:  # Parquet keeps no categories of an empty categorical column
            assert list(written.columns) == TABLES[name].columns
            written = TABLES[name].to_frame([])
        pd.testing.assert_frame_equal(report.tables[name], written)
    assert report.facts == json.loads((sample_pdf_folder / "report.json").read_text("utf-8"))
    assert (report.report_id, report.failures, report.folder) == ("nakano_fy2023_sample", [], None)


def test_converted_frames_have_the_stages_dtypes_exactly():
    from pipeline.read import read_report
    from pipeline.tidy.structure import grid_classifier
    from pipeline.tidy.frames import document_to_frames

    source = pipeline.api.ReportInput.of_file(SEED)
    frames, _, _ = document_to_frames(read_report(source, grid_classifier(None)), "nakano_fy2023", profile=NAKANO)
    report = pipeline.convert(SEED)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(report.tables[name], frame)


def test_report_write_is_the_folder_pipeline_run_writes(tmp_path):
    by_cli = cli_run(SEED, tmp_path / "cli")
    written = pipeline.convert(SEED).write(tmp_path / "api")
    assert written == tmp_path / "api" / "nakano_fy2023"
    assert folder_files(written) == folder_files(by_cli)
    assert folder_files(tmp_path / "api" / "dataset") == folder_files(tmp_path / "cli" / "dataset")


def test_a_folder_report_write_wrote_is_unchanged_for_pipeline_run(tmp_path):
    pipeline.convert(SEED).write(tmp_path, csv_bom=False)
    [outcome] = pipeline.run([SEED], out=tmp_path, csv_bom=False)
    assert (outcome.skipped, outcome.output) == (True, tmp_path / "nakano_fy2023")


def test_report_write_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "nakano_fy2023").mkdir()
    with pytest.raises(pipeline.OutputError) as raised:
        pipeline.convert(SEED).write(tmp_path)
    assert str(raised.value) == (f"{tmp_path / 'nakano_fy2023'}: exists and was not written "
                                 "by `pipeline run`; move it away or write elsewhere.")


def test_load_reads_back_what_was_written(tmp_path):
    report = pipeline.convert(SEED)
    loaded = pipeline.load(report.write(tmp_path))
    for name in TABLES:
        pd.testing.assert_frame_equal(loaded.tables[name], report.tables[name])
    assert (loaded.facts, loaded.key, loaded.folder) == (report.facts, report.key,
                                                         tmp_path / "nakano_fy2023")


def test_load_names_a_table_that_breaks_its_schema(tmp_path):
    folder = pipeline.convert(SEED).write(tmp_path, dataset=False)
    items = pd.read_parquet(folder / "items.parquet")
    items["measure_id"] = items["measure_id"].astype(object).where(items.index != 0, None)
    items.to_parquet(folder / "items.parquet", index=False)
    with pytest.raises(pipeline.InputError) as raised:
        pipeline.load(folder)
    assert str(raised.value).startswith(f"{folder / 'items.parquet'}: does not match the items "
                                        "schema (")


def test_a_report_with_errors_raises_conversion_failed_with_its_records(tmp_path):
    path = tmp_path / "relist.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace(
        "(1-2-②再掲)セルフサービス端末の活用", "(9-9-⑨再掲)セルフサービス端末の活用", 1),
        encoding="utf-8")
    with pytest.raises(pipeline.ConversionFailed) as raised:
        pipeline.convert(path)
    failed = raised.value
    assert isinstance(failed, pipeline.PipelineError)
    assert str(failed) == "relist.txt: 1 validation failure(s)"
    assert failed.failures == [Failure(
        code="relisted_unresolved", source="relist.txt", table="items", line=150, row=69,
        column="business", value="(9-9-⑨再掲)セルフサービス端末の活用",
        message="re-listed from 9-9-⑨, but the report has no measure 9-9-⑨")]
    assert failed.warnings == []


def test_an_unreadable_file_raises_conversion_failed_in_one_sentence(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(pipeline.ConversionFailed) as raised:
        pipeline.convert(path)
    assert (str(raised.value), raised.value.failures) == ("empty.txt: the file is empty.", [])


def test_a_list_of_parts_is_one_report_named_after_their_folder():
    parts = sorted((ROOT / "tests" / "fixtures" / "nakano_fy2023_parts").iterdir())
    as_list = pipeline.convert(parts)
    as_folder = pipeline.convert(ROOT / "tests" / "fixtures" / "nakano_fy2023_parts")
    assert as_list.report_id == as_folder.report_id == "nakano_fy2023_parts"
    for name in TABLES:
        pd.testing.assert_frame_equal(as_list.tables[name], as_folder.tables[name])


def test_diff_of_reports_equals_the_diff_of_their_files(tmp_path):
    of_files = pipeline.diff(SEED, SECOND)
    of_reports = pipeline.diff(pipeline.convert(SEED), pipeline.convert(SECOND))
    assert of_files.output is None and of_reports.output is None
    for name in ("item_changes", "indicator_changes"):
        pd.testing.assert_frame_equal(of_reports.tables[name], of_files.tables[name])
    assert of_files.year_warning() is None
    assert of_files.summary_lines()[0] == ("nakano_fy2023 → nakano_fy2024_synthetic (FY2023 → "
                                           "FY2024): 3 added, 3 removed, 2 renamed, 12 changed, "
                                           "89 unchanged items")


def test_diff_with_out_writes_the_folder_pipeline_diff_writes(tmp_path):
    result = CliRunner().invoke(main, ["diff", str(SEED), str(SECOND), "--out",
                                       str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    comparison = pipeline.diff(SEED, SECOND, tmp_path / "api")
    assert comparison.output == tmp_path / "api"
    assert folder_files(tmp_path / "api") == folder_files(tmp_path / "cli")


def test_history_of_reports_equals_the_history_of_their_folder(tmp_path):
    reports = [pipeline.convert(SEED), pipeline.convert(SECOND)]
    for report in reports:
        report.write(tmp_path / "normalized")
    of_folder = pipeline.history(tmp_path / "normalized", write=True)
    of_list = pipeline.history(reports)
    of_folders = pipeline.history([report.folder for report in reports], tmp_path / "h")
    assert (of_folder.output, of_list.output) == (tmp_path / "normalized" / "history", None)
    for name in ("item_history", "items", "indicator_history"):
        pd.testing.assert_frame_equal(of_list.tables[name], of_folder.tables[name])
    assert folder_files(tmp_path / "h") == folder_files(tmp_path / "normalized" / "history")


def test_run_converts_many_and_says_what_became_of_each(tmp_path):
    outcomes = pipeline.run([SEED, tmp_path / "missing.txt"], out=tmp_path / "out", jobs=1)
    assert [(o.report_id, o.ok, o.error) for o in outcomes] == [
        ("nakano_fy2023", True, None),
        ("missing", False, f"{tmp_path / 'missing.txt'}: no such file or folder.")]


def test_run_takes_whole_settings_and_out_overrides_their_folder(tmp_path):
    settings = pipeline.RunSettings(out_dir=tmp_path / "ignored", jobs=1, dataset=False)
    [outcome] = pipeline.run(SEED, out=tmp_path / "out", settings=settings)
    assert outcome.output == tmp_path / "out" / "nakano_fy2023"
    assert not (tmp_path / "ignored").exists() and not (tmp_path / "out" / "dataset").exists()


def test_no_module_or_package_shares_an_api_name():
    # Importing pipeline.NAME would otherwise replace the API's function NAME by a module.
    shadowed = sorted(name for name in pipeline.__all__
                      if (ROOT / "pipeline" / f"{name}.py").exists()
                      or (ROOT / "pipeline" / name).is_dir())
    assert shadowed == []


def test_every_public_name_resolves_and_unknown_ones_are_attribute_errors():
    assert all(getattr(pipeline, name) is not None for name in pipeline.__all__)
    with pytest.raises(AttributeError, match="module 'pipeline' has no attribute 'nothing'"):
        pipeline.nothing  # noqa: B018


def test_importing_pipeline_and_its_cli_loads_no_pandas():
    code = ("import sys, pipeline, pipeline.cli; pipeline.Report; pipeline.convert; "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'pandera') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")


@pytest.mark.parametrize("module", ["pipeline", "pipeline.api"])
def test_the_docstring_examples_run(module, monkeypatch):
    import importlib

    monkeypatch.chdir(ROOT)  # the examples name the repository's files
    found = doctest.DocTestFinder().find(importlib.import_module(module), module)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in found:
        runner.run(test)
    assert runner.summarize(verbose=False) == doctest.TestResults(0, runner.tries)
    assert runner.tries >= (0 if module == "pipeline" else 10)
