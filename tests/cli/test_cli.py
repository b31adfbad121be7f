"""The command line as a user meets it: exit codes, exact messages, nothing half-written."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPORT_FILES, ROOT, SAMPLE_PDF, SEED

from pipeline.cli import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_run_writes_every_table_and_says_where(tmp_path):
    result = invoke("run", str(SEED), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output == (f"{SEED} → {tmp_path / 'nakano_fy2023'}/ (113 items, "
                             "168 item_departments, 40 indicators, 0 indicator_evaluations, 4 status_summary, 3 footnotes, "
                             "32 date_mentions)\n")
    assert sorted(p.name for p in (tmp_path / "nakano_fy2023").iterdir()) == [".pipeline.json",
                                                                              *REPORT_FILES]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.txt", None, "{path}: no such file or folder."),
    ("table.csv", b"a,b\n1,2\n", "table.csv: not a supported format (.csv); a report is a "
     ".pdf, .xlsx, .docx, .txt, .tsv, .md or .markdown file."),
    ("data.json", b"{}", "data.json: not a supported format (.json); a report is a .pdf, "
     ".xlsx, .docx, .txt, .tsv, .md or .markdown file."),
    ("empty.txt", b"", "empty.txt: the file is empty."),
    ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.txt: this is a PDF file; give it a .pdf name to read it as one."),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.txt: this is a binary file, not a text report."),
    ("letter.txt", "拝啓 時下ますますご清祥のこととお慶び申し上げます。\n",
     "letter.txt: no layout profile fits; is this a progress report? Tried nakano (no "
     "attachment header naming 事業内容/事業名/取組内容 and 進捗状況/進捗/進捗度). For another "
     "layout, write a profile and pass it with --profile (see `pipeline profile show`)."),
    ("latin1.txt", "Café\n".encode("latin-1") + b"\x81\xff",
     "latin1.txt: the text is neither UTF-8 nor Shift_JIS (cp932); save it in one of those encodings."),
    ("cut.txt", SEED.read_bytes()[:SEED.read_bytes().index("別紙".encode()) + 1],
     "cut.txt: the file ends in the middle of a UTF-8 character (byte 660, line 11); it looks "
     "cut short — copy or download it again."),
    ("cut_sjis.txt", SEED.read_text(encoding="utf-8").encode("cp932", errors="replace")[:1001],
     "cut_sjis.txt: the file ends in the middle of a Shift_JIS character (byte 1000, line 27); "
     "it looks cut short — copy or download it again."),
    ("damaged.txt", SEED.read_bytes()[:3000] + b"\xff\xfe" + SEED.read_bytes()[3000:],
     "damaged.txt: the text is UTF-8 up to byte 3000 (line 51), where a byte that is not UTF-8 "
     "follows (ff fe 0a 0a); the file is damaged there."),
    ("utf16le.txt", SEED.read_text(encoding="utf-8").encode("utf-16-le"),
     "utf16le.txt: this looks like UTF-16 (little-endian) text without a byte-order mark; save "
     "it as UTF-8, or as UTF-16 with a BOM."),
    ("utf16be.txt", SEED.read_text(encoding="utf-8").encode("utf-16-be"),
     "utf16be.txt: this looks like UTF-16 (big-endian) text without a byte-order mark; save "
     "it as UTF-8, or as UTF-16 with a BOM."),
])
def test_bad_input_gets_one_sentence_and_exit_1(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        write(path, content)
    out = tmp_path / "out"
    result = invoke("run", str(path), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (f"Error: {message.format(path=path)}\n"
                             "Error: 1 of 1 input(s) failed; nothing was written for them.\n")
    assert not out.exists() or [p.name for p in out.iterdir()] == ["failures.csv"]
    assert "Traceback" not in result.output


def test_a_failing_input_does_not_stop_the_others(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    write(folder / "a_empty.txt", b"")
    write(folder / "b_nakano.txt", SEED.read_bytes())
    result = invoke("run", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert (tmp_path / "out" / "b_nakano" / "items.parquet").exists()
    assert not (tmp_path / "out" / "a_empty").exists()
    assert (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8-sig") == (
        "severity,code,source,table,page,line,row,column,value,message\n"
        "error,input,a_empty.txt,,,,,,,a_empty.txt: the file is empty.\n")


def test_validation_failures_are_listed_and_nothing_is_written(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("○ 予定どおり取り組んだ\t105", "○ 予定どおり取り組んだ\t104")
    path = write(tmp_path / "wrong_count.txt", text)
    result = invoke("run", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == (
        "Error: wrong_count.txt: 1 validation failure(s)\n"
        "  wrong_count.txt, table status_summary, column count: the summary counts 104 item(s) ○ "
        "but the attachment has 105 (value '104')\n"
        "Error: 1 of 1 input(s) failed; nothing was written for them.\n")
    assert not (tmp_path / "out" / "wrong_count").exists()
    assert (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8-sig").splitlines()[1] == (
        "error,status_count_mismatch,wrong_count.txt,status_summary,,,,count,104,the summary counts 104 "
        "item(s) ○ but the attachment has 105")


def test_an_unresolvable_relisted_row_is_named(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace(
        "(1-2-②再掲)セルフサービス端末の活用", "(1-2-②再掲)セルフサービス端末の導入")
    path = write(tmp_path / "relist.txt", text)
    result = invoke("run", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert ("  relist.txt, table items, line 150, row 69, column business: re-listed from 1-2-②, "
            "but no row of 1-2-② has that business name (value '(1-2-②再掲)セルフサービス端末の導入')\n"
            ) in result.output


def test_a_failed_rerun_keeps_the_previous_outputs(tmp_path):
    path = write(tmp_path / "nakano.txt", SEED.read_bytes())
    assert invoke("run", str(path), "--out", str(tmp_path / "out")).exit_code == 0
    before = (tmp_path / "out" / "nakano" / "items.csv").read_bytes()
    write(path, b"")
    assert invoke("run", str(path), "--out", str(tmp_path / "out")).exit_code == 1
    assert (tmp_path / "out" / "nakano" / "items.csv").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "dataset", "failures.csv", "manifest.json", "nakano"]


def test_no_csv_bom_option(tmp_path):
    assert invoke("run", str(SEED), "--out", str(tmp_path), "--no-csv-bom").exit_code == 0
    assert (tmp_path / "nakano_fy2023" / "items.csv").read_bytes().startswith(b"report_id,")


def test_same_report_id_twice_in_one_run(tmp_path):
    (tmp_path / "a").mkdir()
    first = write(tmp_path / "nakano.txt", SEED.read_bytes())
    second = write(tmp_path / "a" / "nakano.md", "")
    result = invoke("run", str(first), str(second), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert (f"Error: {second}: its report id 'nakano' is already taken by {first} in this run; "
            "rename the file.\n") in result.output


def test_an_empty_folder_says_so(tmp_path):
    result = invoke("run", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == f"Error: no report files (.pdf, .txt, .tsv, .md, .xlsx, .docx) found in {tmp_path}\n"


def test_python_dash_m_and_help_show_an_example():
    result = invoke("run", "--help")
    assert result.exit_code == 0
    assert "Example: pipeline run raw/nakano_fy2023_sample.pdf --out normalized" in result.output


def test_inspect_draws_the_page_and_names_each_region(tmp_path):
    sample = SAMPLE_PDF
    result = invoke("inspect", str(sample), "--page", "1", "--out", str(tmp_path / "p1.png"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(" at ")[0] + " → " + line.rsplit("→ ", 1)[1]
            for line in lines if line.startswith("table")] == [
        "table 1 → status_summary", "table 2 → indicators", "table 3 → indicators"]
    assert lines[-1] == f"→ {tmp_path / 'p1.png'}"
    assert (tmp_path / "p1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--page", "9"], "Error: nakano_fy2023_sample.pdf: there is no page 9; the PDF has 7 pages.\n"),
])
def test_inspect_a_page_out_of_range(tmp_path, args, message):
    sample = SAMPLE_PDF
    result = invoke("inspect", str(sample), *args, "--out", str(tmp_path / "x.png"))
    assert (result.exit_code, result.output) == (1, message)
    assert not (tmp_path / "x.png").exists()


def test_a_missing_or_unknown_status_mark_is_named_once_with_its_row(tmp_path):
    # Not also as an empty status_mark, an empty status and a status-count mismatch.
    text = SEED.read_text(encoding="utf-8").replace(
        "コンビニ交付サービスの利用促進\t○", "コンビニ交付サービスの利用促進\t済", 1)
    path = write(tmp_path / "bad_mark.txt", text)
    result = invoke("run", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == (
        "Error: bad_mark.txt: 1 validation failure(s)\n"
        "  bad_mark.txt, table items, line 65, row 2, column status_mark: 進捗状況 is not one of "
        "◎ ○ △ × (value '済')\n"
        "Error: 1 of 1 input(s) failed; nothing was written for them.\n")


@pytest.mark.parametrize(("args", "code", "stdout", "stderr"), [
    (["--version"], 0, "pipeline, version 0.1.0\n", ""),
    (["run", "{missing}"], 1, "", "Error: {missing}: no such file or folder.\n"
                                  "Error: 1 of 1 input(s) failed; nothing was written for them.\n"),
    (["run", "--jobs", "x"], 2, "", None),
])
def test_the_installed_command_ends_with_its_exit_code_and_all_its_output(
        tmp_path, args, code, stdout, stderr):
    # `pipeline` skips the interpreter's teardown (cli.entry): what it prints must still
    # be flushed and its exit code kept, also through a pipe.
    import subprocess
    import sys

    missing = str(tmp_path / "missing.pdf")
    args = [arg.format(missing=missing) for arg in args]
    result = subprocess.run([sys.executable, "-m", "pipeline", *args, "--out", str(tmp_path)]
                            if args[0] == "run" else [sys.executable, "-m", "pipeline", *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == code
    assert result.stdout == stdout
    if stderr is None:
        assert result.stderr.startswith("Usage: ") and "'x' is not a valid integer" in result.stderr
    else:
        assert result.stderr == stderr.format(missing=missing)


def test_the_installed_command_flushes_a_whole_run_into_a_pipe(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "pipeline", "run", str(SEED), "--out",
                             str(tmp_path)], stdout=subprocess.PIPE, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, (
        f"{SEED} → {tmp_path / 'nakano_fy2023'}/ (113 items, 168 item_departments, "
        "40 indicators, 0 indicator_evaluations, 4 status_summary, 3 footnotes, 32 date_mentions)\n"))


@pytest.mark.parametrize("command", ["diff", "history"])
def test_a_bug_in_diff_or_history_is_one_sentence_not_a_traceback(tmp_path, monkeypatch, command):
    import pipeline.compare.diff_run
    import pipeline.compare.history_run

    def broken(*args, **kwargs):
        raise ValueError("tuple.index(x): x not in tuple")

    module = pipeline.compare.diff_run if command == "diff" else pipeline.compare.history_run
    monkeypatch.setattr(module, f"{command}_paths", broken)
    args = (["diff", str(SEED), str(SEED)] if command == "diff" else ["history", str(tmp_path)])
    result = invoke(*args)
    assert result.exit_code == 1
    given = f"diff {SEED} {SEED}" if command == "diff" else f"history of {tmp_path}"
    assert result.output == (
        f"Error: {given}: the pipeline failed on an unexpected ValueError in test_cli.py:"
        f"{broken.__code__.co_firstlineno + 1} (tuple.index(x): x not in tuple); this is a bug, "
        "please report it with the file.\n")


# --- small traps a new user met (issue 20) ----------------------------------------------------

def test_run_with_no_inputs_and_no_raw_folder_says_raw_is_the_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("run")
    assert (result.exit_code, result.output) == (1, (
        "Error: raw: no such folder; with no INPUTS, run converts the reports in raw/ — give "
        "the files or folders to convert.\n"))


def test_run_help_breaks_no_word():
    result = CliRunner().invoke(main, ["run", "--help"], terminal_width=80)
    assert result.exit_code == 0
    words = {word for line in result.output.splitlines() for word in line.split()}
    assert "OUT/dataset/" in words and not any(w.startswith("eport_id") for w in words)


def test_inspect_lists_a_text_report_without_asking_for_a_page():
    result = invoke("inspect", str(SEED))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "paragraph at line 3: '第 2 次中野区地域情報化推進計画改定版の進捗状況等について'"
    assert "table at line 63: 8 rows × 9 columns → items" in lines


@pytest.mark.parametrize("path", [SEED, ROOT / "tests" / "fixtures" / "nakano_fy2023_parts" /
                                  "nakano_fy2023_besshi.xlsx"])
def test_inspect_page_on_a_file_without_pages_is_one_sentence(path):
    result = invoke("inspect", str(path), "--page", "2")
    assert (result.exit_code, result.output) == (1, (
        f"Error: {path}: --page is for PDF files; a {path.suffix} report has no pages, and is "
        "listed whole without it.\n"))


def test_inspect_names_each_table_by_the_profile_given():
    report = ROOT / "tests" / "fixtures" / "kakuu_city_fy2024.txt"
    profile = ROOT / "tests" / "profiles" / "kakuu_city.toml"
    assert "table at line 31: 7 rows × 8 columns → unrecognised" in invoke(
        "inspect", str(report)).output.splitlines()
    result = invoke("inspect", str(report), "--profile", str(profile))
    assert result.exit_code == 0, result.output
    tables = [line for line in result.output.splitlines() if line.startswith("table")]
    assert tables == ["table at line 7: 5 rows × 2 columns → status_summary",
                      "table at line 17: 3 rows × 4 columns → indicators",
                      "table at line 31: 7 rows × 8 columns → items"]


def test_inspect_with_a_missing_profile_is_one_sentence():
    result = invoke("inspect", str(SEED), "--profile", "nosuch.toml")
    assert (result.exit_code, result.output) == (1, "Error: nosuch.toml: no such profile file.\n")
