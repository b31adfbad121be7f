"""A run over report folders whose seals are damaged: each such report is converted
again with one note naming its folder, never skipped on a seal it cannot read and never
a crash; a folder of reports not in the run keeps the run going."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED

import pipeline
from pipeline.cli import main
from pipeline.job import file_sha256
from pipeline.output.state import SEAL, read_seal


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def _damaged(written: bytes, how: str) -> bytes:
    """The seal ``written`` by a run, damaged ``how``."""
    seal = json.loads(written)
    if how == "no files":
        del seal["files"]
    elif how == "sha256 a number":
        seal["key"]["sources"][0]["sha256"] = 12
    elif how == "pages text":
        seal["pages"] = "0"
    elif how == "counts a list":
        seal["counts"] = [113]
    elif how == "a list":
        seal = [seal]
    elif how == "truncated":  # within the counts, which come first
        return written[:100]
    return json.dumps(seal, ensure_ascii=False, indent=2).encode()


DAMAGES = {
    "no files": "the seal has no 'files'",
    "sha256 a number": "key.sources[0].sha256 is 12, not text",
    "pages text": 'pages is "0", not a number of pages',
    "counts a list": "counts is [113], not an object",
    "a list": 'the seal is [{"counts": {"date_mentions": 32, "fo..., not an object',
    "truncated": "not JSON: Unterminated string starting at: line 6 column 5 (char 97)",
}


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_seal_is_one_note_and_the_report_is_converted_again(tmp_path, how):
    out = tmp_path / "out"
    assert invoke("run", str(SEED), "--out", str(out)).exit_code == 0
    folder = out / "nakano_fy2023"
    written = (folder / SEAL).read_bytes()
    (folder / SEAL).write_bytes(_damaged(written, how))
    result = invoke("run", str(SEED), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        f"{SEED} → {folder}/ (113 items, 168 item_departments, 40 indicators, "
        "0 indicator_evaluations, 4 status_summary, 3 footnotes, 32 date_mentions)",
        f"  note: {folder / SEAL} is not a seal this pipeline can read ({DAMAGES[how]}), so the "
        "report was converted again"]
    assert (folder / SEAL).read_bytes() == written
    assert invoke("run", str(SEED), "--out", str(out)).output.endswith("(unchanged, skipped)\n")


def test_a_damaged_seal_in_a_folder_without_report_json_is_not_taken_for_the_pipelines(tmp_path):
    out = tmp_path / "out"
    folder = out / "nakano_fy2023"
    folder.mkdir(parents=True)
    (folder / SEAL).write_text("{", encoding="utf-8")
    result = invoke("run", str(SEED), "--out", str(out))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"Error: {SEED}: {folder} exists and was not written by `pipeline run`; move it away "
        "or choose another --out.")
    assert (folder / SEAL).read_text(encoding="utf-8") == "{"


def test_a_damaged_seal_of_a_report_not_in_the_run_does_not_stop_it(tmp_path):
    out, other = tmp_path / "out", tmp_path / "ward.txt"
    other.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert invoke("run", str(SEED), str(other), "--out", str(out)).exit_code == 0
    (out / "ward" / SEAL).write_text('{"report_id": "ward"}', encoding="utf-8")
    result = invoke("run", str(SEED), "--out", str(out))
    assert result.exit_code == 0 and result.output.endswith("(unchanged, skipped)\n")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest) == ["nakano_fy2023"]  # the index lists what its seals promise
    assert not list((out / "dataset").glob("*/*/report_id=ward"))


def test_a_folder_sealed_by_someone_else_names_the_files_it_was_converted_from(tmp_path):
    out, other = tmp_path / "out", tmp_path / "other" / "nakano_fy2023.txt"
    other.parent.mkdir()
    other.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert invoke("run", str(other), "--out", str(out)).exit_code == 0
    result = invoke("run", str(SEED), "--out", str(out))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"Error: {SEED}: report id 'nakano_fy2023' already holds {out / 'nakano_fy2023'}/, "
        f"converted from {other.resolve()}; rename the file, or pass --force to replace it.")


def test_a_report_loaded_without_a_seal_is_written_with_no_sources_and_named_so(tmp_path):
    written = pipeline.convert(SEED).write(tmp_path / "first")
    (written / SEAL).unlink()
    loaded = pipeline.load(written)
    assert loaded.key is None
    folder = loaded.write(tmp_path / "out")
    seal = read_seal(folder)
    assert seal is not None and seal.key.sources == () and seal.key.settings.csv_bom
    result = invoke("run", str(SEED), "--out", str(tmp_path / "out"))
    assert result.output.splitlines()[0] == (
        f"Error: {SEED}: report id 'nakano_fy2023' already holds {folder}/, converted from "
        "files its seal does not name; rename the file, or pass --force to replace it.")


def test_a_report_loaded_from_a_folder_with_a_damaged_seal_has_no_key(tmp_path):
    folder = pipeline.convert(SEED).write(tmp_path)
    (folder / SEAL).write_text("[]", encoding="utf-8")
    assert pipeline.load(folder).key is None
    assert pipeline.load(folder).write(tmp_path) == folder  # replaced: it has a report.json
    assert read_seal(folder) is not None


def test_a_skipped_report_tells_its_pages_and_counts_from_its_seal(tmp_path):
    out = tmp_path / "out"
    [first] = pipeline.run([SEED], out=out)
    [again] = pipeline.run([SEED], out=out)
    assert again.skipped and again.seal == first.seal
    assert (again.pages, again.counts, again.sha256) == (None, first.counts, first.sha256)
    assert again.sha256 == first.seal.key.sources[0].sha256 == json.loads(
        (out / "nakano_fy2023" / "report.json").read_text(encoding="utf-8"))["source_sha256"]


def test_a_report_folder_of_parts_has_a_source_key_each_and_no_one_sha256(tmp_path):
    parts = SEED.parent / "nakano_fy2023_parts"
    [outcome] = pipeline.run([], out=tmp_path, reports=[parts])
    assert outcome.ok and outcome.sha256 is None
    assert [(source.name, source.sha256) for source in outcome.seal.key.sources] == [
        (path.name, file_sha256(path)) for path in sorted(parts.iterdir())]
    facts = json.loads((tmp_path / "nakano_fy2023_parts" / "report.json").read_text("utf-8"))
    assert facts["source_sha256"] is None
    assert facts["source_files"] == [{"file": source.name, "sha256": source.sha256}
                                     for source in outcome.seal.key.sources]
