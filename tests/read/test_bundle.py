"""Reports as wards post them in Office: the parts of one report, in a folder, give the
tables the text and PDF forms give, cell for cell (provenance aside)."""

import io
import json
import shutil
from pathlib import Path

import officegen
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import NAKANO, ROOT, SEED, TESTS
from openpyxl import Workbook

from pipeline.batch import expand_inputs, grouping_notes
from pipeline.read.bundle import combine_parts
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.job import ReportInput
from pipeline.records import Cell, Document, Grid, Paragraph
from pipeline.read import read_report
from pipeline.tidy.frames import SKIPPED_STATUS_CHECK, document_to_frames
from pipeline.tidy.structure import classify_grid, grid_classifier

PARTS = TESTS / "fixtures" / "nakano_fy2023_parts"
GOLDEN = TESTS / "golden" / "nakano_fy2023"
FY2024 = TESTS / "fixtures" / "nakano_fy2024_synthetic.txt"
TABLES = ["items", "item_departments", "indicators", "status_summary", "footnotes", "date_mentions"]
PROVENANCE = {"source_page", "source_line", "source_bbox", "source_file", "source_ref"}


def read_parts(report: ReportInput) -> Document:
    """The report's Document, its parts told apart by the built-in profiles."""
    return read_report(report, grid_classifier(None))


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def without_provenance(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[c for c in frame.columns if c not in PROVENANCE]]


def tables_of(folder: Path) -> dict[str, pd.DataFrame]:
    frames, meta, _ = document_to_frames(read_parts(ReportInput.of_folder(folder)), "nakano_fy2023", profile=NAKANO)
    meta.pop("checks_skipped")
    return {n: without_provenance(f) for n, f in frames.items()} | {"meta": pd.DataFrame([meta])}


@pytest.fixture(scope="module")
def seed_tables() -> dict[str, pd.DataFrame]:
    frames, meta, _ = document_to_frames(read_parts(ReportInput.of_file(SEED)), "nakano_fy2023", profile=NAKANO)
    meta.pop("checks_skipped")
    return {n: without_provenance(f) for n, f in frames.items()} | {"meta": pd.DataFrame([meta])}


def _memo_and_besshi(folder: Path, options=officegen.BesshiOptions()) -> None:
    officegen.build_memo_docx(folder / "memo.docx")
    officegen.build_besshi_xlsx(folder / "besshi.xlsx", options=options)


FIXTURES = {
    "memo_docx_besshi_xlsx": _memo_and_besshi,
    "besshi_over_three_sheets_with_hidden_helpers": lambda folder: _memo_and_besshi(
        folder, officegen.BesshiOptions(sheets=3, hidden_helpers=True)),
    "besshi_with_lookalike_marks": lambda folder: _memo_and_besshi(
        folder, officegen.BesshiOptions(lookalike_marks=True)),
    "one_docx_besshi_as_word_table": lambda folder: officegen.build_report_docx(
        folder / "report.docx"),
    "one_docx_besshi_in_page_sized_tables": lambda folder: officegen.build_report_docx(
        folder / "report.docx", rows_per_table=30),
    "memo_docx_besshi_pdf": lambda folder: (officegen.build_memo_docx(folder / "memo.docx"),
                                            officegen.build_besshi_pdf(folder / "besshi.pdf")),
}


def test_the_sample_parts_run_to_the_golden_tables(tmp_path):
    result = invoke("run", "--report", str(PARTS), "--out", str(tmp_path), "--no-csv-bom")
    assert result.exit_code == 0, result.output
    assert result.output == (f"{PARTS} → {tmp_path}/nakano_fy2023_parts/ (113 items, 168 "
                             "item_departments, 40 indicators, 0 indicator_evaluations, 4 status_summary, 3 footnotes, "
                             "32 date_mentions)\n")
    out = tmp_path / "nakano_fy2023_parts"
    for table in TABLES:
        produced = pd.read_csv(out / f"{table}.csv", dtype=str, keep_default_na=False)
        golden = pd.read_csv(GOLDEN / f"{table}.csv", dtype=str, keep_default_na=False)
        produced["report_id"] = "nakano_fy2023"
        assert without_provenance(produced).equals(without_provenance(golden)), table
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [f["file"] for f in report["source_files"]] == ["nakano_fy2023_besshi.xlsx",
                                                           "nakano_fy2023_memo.docx"]
    assert report["input_format"] == "docx+xlsx"
    assert report["validation"]["checks_skipped"] == []


def test_every_row_names_its_part_and_cell(tmp_path):
    frames, _, _ = document_to_frames(read_parts(ReportInput.of_folder(PARTS)), "r", profile=NAKANO)
    items, indicators = frames["items"], frames["indicators"]
    assert items[["source_file", "source_ref"]].head(2).values.tolist() == [
        ["nakano_fy2023_besshi.xlsx", "別紙!C10"], ["nakano_fy2023_besshi.xlsx", "別紙!C11"]]
    assert indicators[["source_file", "source_ref"]].iloc[0].tolist() == [
        "nakano_fy2023_memo.docx", "table 2 row 3 column 2"]
    assert frames["status_summary"]["source_ref"].tolist() == [
        f"table 1 row {r} column 1" for r in (2, 3, 4, 5)]
    assert frames["footnotes"]["source_ref"].tolist() == ["paragraph 17", "paragraph 19",
                                                          "paragraph 20"]


@pytest.mark.parametrize("fixture", list(FIXTURES))
def test_generated_office_reports_give_the_seed_tables(tmp_path, seed_tables, fixture):
    FIXTURES[fixture](tmp_path)
    produced = tables_of(tmp_path)
    assert list(produced) == list(seed_tables)
    for name, frame in seed_tables.items():
        pd.testing.assert_frame_equal(produced[name], frame, obj=name)


@pytest.mark.parametrize("variant", ["a3_landscape", "b4_landscape_mincho"])
def test_one_workbook_with_a_front_sheet_gives_the_seed_tables(tmp_path, seed_tables, variant):
    """Another producer: tests/xlsxgen.py's whole report in one workbook, its front
    sheet's tables indented by an empty column A."""
    import xlsxgen

    path = xlsxgen.build_report_xlsx(tmp_path / "nakano_fy2023.xlsx", xlsxgen.VARIANTS[variant])
    frames, meta, _ = document_to_frames(read_parts(ReportInput.of_file(path)), "nakano_fy2023", profile=NAKANO)
    meta.pop("checks_skipped")
    produced = {n: without_provenance(f) for n, f in frames.items()} | {"meta": pd.DataFrame([meta])}
    for name, frame in seed_tables.items():
        pd.testing.assert_frame_equal(produced[name], frame, obj=name)


def test_hidden_rows_columns_and_sheets_are_counted_in_report_json(tmp_path):
    folder = tmp_path / "hidden"
    folder.mkdir()
    FIXTURES["besshi_over_three_sheets_with_hidden_helpers"](folder)
    assert invoke("run", "--report", str(folder), "--out", str(tmp_path / "out")).exit_code == 0
    report = json.loads((tmp_path / "out" / "hidden" / "report.json").read_text(encoding="utf-8"))
    assert report["skipped_hidden"] == {"hidden_sheets": 1, "hidden_rows": 28, "hidden_columns": 3}


def test_an_attachment_only_report_converts_and_says_the_count_check_was_skipped(
        tmp_path, seed_tables):
    folder = tmp_path / "nakano_fy2023"
    folder.mkdir()
    shutil.copy(PARTS / "nakano_fy2023_besshi.xlsx", folder)
    result = invoke("run", "--report", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == f"  note: {SKIPPED_STATUS_CHECK}"
    out = tmp_path / "out" / "nakano_fy2023"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["validation"] == {"valid": True, "failures": [],
                                    "checks_skipped": [SKIPPED_STATUS_CHECK]}
    assert report["row_counts"] == {"items": 113, "item_departments": 168, "indicators": 0,
                                    "indicator_evaluations": 0,
                                    "status_summary": 0, "footnotes": 0, "date_mentions": 32}
    items = without_provenance(pd.read_parquet(out / "items.parquet"))
    pd.testing.assert_frame_equal(items, seed_tables["items"], check_dtype=False)


def test_a_front_part_without_status_counts_is_still_a_failure(tmp_path):
    """Only a report with no front part at all skips the check; a lost table does not."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("進捗状況の区分")
    end = text.index("### 2 成果指標")
    (tmp_path / "no_counts.txt").write_text(text[:start] + text[end:], encoding="utf-8")
    result = invoke("run", str(tmp_path / "no_counts.txt"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "the report has no status-count table to check the items against" in result.output


def test_the_fy2024_report_as_office_files_diffs_empty_against_its_text(tmp_path):
    folder = tmp_path / "nakano_fy2024_office"
    folder.mkdir()
    officegen.build_memo_docx(folder / "memo.docx", FY2024)
    officegen.build_besshi_xlsx(folder / "besshi.xlsx", FY2024)
    result = invoke("diff", str(FY2024), str(folder), "--out", str(tmp_path / "diff"))
    assert result.exit_code == 0, result.output
    assert ("nakano_fy2024_synthetic → nakano_fy2024_office (FY2024 → FY2024): no changes "
            "(105 items, all indicator values the same)") in result.output.splitlines()
    assert pd.read_parquet(tmp_path / "diff" / "item_changes.parquet").empty
    values = pd.read_parquet(tmp_path / "diff" / "indicator_changes.parquet")
    assert set(values["change"]) == {"unchanged"}


def _document(name: str, *kinds: str) -> Document:
    headers = {"items": ("事業内容", "進捗状況"), "indicators": ("指標項目", "実績"),
               "status_summary": ("進捗状況の区分", "取組の数")}
    blocks = tuple(Grid(rows=((Cell(headers[k][0]), Cell(headers[k][1])),)) for k in kinds)
    return Document(source=name, input_format="xlsx", blocks=(Paragraph("title"),) + blocks)


def test_the_front_part_comes_first_whatever_the_file_names():
    combined = combine_parts([_document("a_besshi.xlsx", "items"),
                              _document("z_memo.docx", "status_summary", "indicators")],
                             grid_classifier(NAKANO), "r")
    grids = [b for b in combined.blocks if isinstance(b, Grid)]
    assert [classify_grid(g, NAKANO) for g in grids] == ["status_summary", "indicators", "items"]
    assert [g.file for g in grids] == ["z_memo.docx", "z_memo.docx", "a_besshi.xlsx"]
    assert grids[2].rows[0][0].file == "a_besshi.xlsx"
    assert combined.parts == ("front", "attachment")


@pytest.mark.parametrize(("parts", "message"), [
    ([("besshi.xlsx", "items"), ("besshi_old.xlsx", "items")],
     "r: besshi.xlsx and besshi_old.xlsx both hold an attachment (the list of items and their status); a "
     "report folder holds one report: put each in its own folder, or name the files to "
     "convert them one by one."),
    ([("memo.docx", "indicators"), ("report.docx", "status_summary", "items")],
     "r: memo.docx and report.docx both hold the front part (status counts, indicators); a "
     "report folder holds one report: put each in its own folder, or name the files to "
     "convert them one by one."),
    ([("memo.docx", "indicators"), ("notes.xlsx",)],
     "r: notes.xlsx holds none of the report's tables (status counts, indicators, "
     "attachment); remove it from the folder."),
])
def test_parts_that_do_not_make_one_report_are_one_sentence(parts, message):
    with pytest.raises(InputError) as raised:
        combine_parts([_document(*part) for part in parts], grid_classifier(NAKANO), "r")
    assert str(raised.value) == message


def test_folders_become_reports_by_the_bundle_rule(tmp_path):
    raw = tmp_path / "raw"
    (raw / "nakano_fy2022").mkdir(parents=True)
    (raw / "nakano_fy2022" / "memo.docx").write_bytes(b"")
    (raw / "nakano_fy2022" / "besshi.xlsx").write_bytes(b"")
    (raw / "nakano_fy2022" / "~$memo.docx").write_bytes(b"")  # Word's lock file
    (raw / "empty_folder").mkdir()
    (raw / "nakano_fy2023.pdf").write_bytes(b"")
    (raw / "readme.html").write_bytes(b"")
    found = [(r.report_id, r.bundle, [p.name for p in r.paths]) for r in expand_inputs([raw])]
    assert found == [("nakano_fy2022", True, ["besshi.xlsx", "memo.docx"]),
                     ("nakano_fy2023", False, ["nakano_fy2023.pdf"])]
    direct = expand_inputs([], bundles=[raw / "nakano_fy2022"])
    assert [(r.report_id, r.bundle, len(r.paths)) for r in direct] == [("nakano_fy2022", True, 2)]
    # Given as a folder of reports, its files are reports of their own, whatever they are.
    alone = expand_inputs([raw / "nakano_fy2022"])
    assert [(r.report_id, r.bundle) for r in alone] == [("besshi", False), ("memo", False)]
    assert grouping_notes([raw / "nakano_fy2022", raw]) == [
        f"{raw / 'nakano_fy2022'}: each of its 2 files is converted as a report of its own; if "
        "they are the parts of one report (a .docx memo and an .xlsx attachment), give the folder "
        f"with --report {raw / 'nakano_fy2022'} or put them in a subfolder of their own."]


def test_an_excel_file_added_to_a_folder_of_reports_changes_nothing_else(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in (SEED, SEED.parent / "nakano_fy2024_synthetic.txt"):
        shutil.copy(path, raw)
    before = [(r.report_id, r.paths) for r in expand_inputs([raw])]
    shutil.copy(PARTS / "nakano_fy2023_besshi.xlsx", raw)
    after = [(r.report_id, r.paths) for r in expand_inputs([raw])]
    assert [entry for entry in after if entry[0] != "nakano_fy2023_besshi"] == before
    result = invoke("run", str(raw), "--out", str(tmp_path / "out"), "--no-dataset")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == [
        "nakano_fy2023", "nakano_fy2023_besshi", "nakano_fy2024_synthetic"]
    texts = tmp_path / "texts"
    texts.mkdir()
    for name in ("a.txt", "b.pdf"):
        (texts / name).write_bytes(b"")
    assert [(r.report_id, r.bundle) for r in expand_inputs([texts])] == [("a", False), ("b", False)]


def test_a_report_folder_reruns_when_any_part_changes(tmp_path):
    folder = tmp_path / "nakano_fy2023"
    shutil.copytree(PARTS, folder)
    out = tmp_path / "out"
    assert invoke("run", "--report", str(folder), "--out", str(out)).exit_code == 0
    assert invoke("run", "--report", str(folder), "--out", str(out)).output.endswith(
        "(unchanged, skipped)\n")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [Path(source["path"]).name for source in manifest["nakano_fy2023"]["sources"]] == [
        "nakano_fy2023_besshi.xlsx", "nakano_fy2023_memo.docx"]
    (folder / "nakano_fy2023_memo.docx").unlink()
    result = invoke("run", "--report", str(folder), "--out", str(out))
    assert "(unchanged, skipped)" not in result.output
    assert result.exit_code == 0  # the 別紙 alone still converts, its count check skipped


def _write(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return folder / name


def _truncated(tmp_path: Path, name: str) -> Path:
    part = "besshi.xlsx" if name.endswith(".xlsx") else "memo.docx"
    return _write(tmp_path, name, (PARTS / f"nakano_fy2023_{part}").read_bytes()[:3000])


def _not_a_report(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.title = "集計"
    workbook.active.append(["予算", "執行額"])
    workbook.active.append([100, 80])
    workbook.save(buffer)
    return _write(tmp_path, "budget.xlsx", buffer.getvalue())


def _two_attachments(tmp_path: Path) -> Path:
    folder = tmp_path / "nakano_fy2023"
    folder.mkdir(parents=True)
    shutil.copy(PARTS / "nakano_fy2023_besshi.xlsx", folder / "besshi.xlsx")
    shutil.copy(PARTS / "nakano_fy2023_besshi.xlsx", folder / "besshi_revised.xlsx")
    shutil.copy(PARTS / "nakano_fy2023_memo.docx", folder / "memo.docx")
    return folder


# A password-protected workbook is an OLE2 compound file holding an EncryptedPackage stream.
_ENCRYPTED = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
              + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)


@pytest.mark.parametrize(("make", "message"), [
    (lambda t: _write(t, "broken.xlsx", b"this is not a zip archive"),
     "broken.xlsx: the file is damaged or truncated; it is not a readable Excel workbook (.xlsx)."),
    (lambda t: _truncated(t, "cut.xlsx"),
     "cut.xlsx: the file is damaged or truncated; it is not a readable Excel workbook (.xlsx)."),
    (lambda t: _truncated(t, "cut.docx"),
     "cut.docx: the file is damaged or truncated; it is not a readable Word document (.docx)."),
    (lambda t: _write(t, "locked.xlsx", _ENCRYPTED),
     "locked.xlsx: the file is password-protected (encrypted); save a copy without a password "
     "and convert that."),
    (_not_a_report,
     "budget.xlsx: no layout profile fits; is this a progress report? Tried nakano (no "
     "attachment header naming 事業内容/事業名/取組内容 and 進捗状況/進捗/進捗度). For another "
     "layout, write a profile and pass it with --profile (see `pipeline profile show`)."),
    (_two_attachments,
     "nakano_fy2023: besshi.xlsx and besshi_revised.xlsx both hold an attachment (the list of "
     "items and their status); a report folder holds one report: put each in its own folder, or name the files "
     "to convert them one by one."),
    (lambda t: _write(t, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
     "old.xls: Excel 97–2003 workbooks (.xls) are not read; open it in Excel or LibreOffice and "
     "save it as .xlsx, or print it to PDF."),
    (lambda t: _write(t, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
     "old.doc: Word 97–2003 documents (.doc) are not read; open it in Word or LibreOffice and "
     "save it as .docx, or print it to PDF."),
])
def test_a_bad_office_input_gets_one_sentence_and_exit_1(tmp_path, make, message):
    path = make(tmp_path / "in")
    given = ["--report", str(path)] if path.is_dir() else [str(path)]
    result = invoke("run", *given, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {message}\n"
                             "Error: 1 of 1 input(s) failed; nothing was written for them.\n")


def test_a_date_typed_into_a_cell_reads_as_printed_and_is_a_date_mention(tmp_path):
    from datetime import datetime

    from openpyxl import load_workbook

    folder = tmp_path / "typed"
    folder.mkdir()
    _memo_and_besshi(folder)
    workbook = load_workbook(folder / "besshi.xlsx")
    sheet = workbook["別紙"]
    header = next(row[0].row for row in sheet.iter_rows() if row[2].value == "事業内容")
    cell = sheet.cell(header + 1, 6)  # 取組結果 of the first item
    cell.value, cell.number_format = datetime(2024, 3, 1), 'ggge"年"m"月"d"日"'
    workbook.save(folder / "besshi.xlsx")
    frames, _, _ = document_to_frames(read_parts(ReportInput.of_folder(folder)), "typed", profile=NAKANO)
    assert frames["items"].loc[0, "result"] == "令和6年3月1日"
    mentions = frames["date_mentions"]
    first = mentions[(mentions["row_no"] == 1) & (mentions["field"] == "result")]
    assert first[["raw", "year", "month", "day", "fiscal_year"]].values.tolist() == [
        ["令和6年3月1日", 2024, 3, 1, 2023]]


def test_inspect_lists_what_each_office_grid_became():
    result = invoke("inspect", str(PARTS / "nakano_fy2023_besshi.xlsx"))
    assert result.exit_code == 0
    assert result.output.splitlines()[7] == "table 別紙!A9:I122: 114 rows × 9 columns → items"
    memo = invoke("inspect", str(PARTS / "nakano_fy2023_memo.docx")).output.splitlines()
    assert [line for line in memo if line.startswith("table")] == [
        "table 1: 5 rows × 2 columns → status_summary", "table 2: 7 rows × 5 columns → indicators",
        "table 3: 7 rows × 5 columns → indicators"]


def test_inspect_counts_what_was_hidden(tmp_path):
    officegen.build_besshi_xlsx(tmp_path / "besshi.xlsx",
                                options=officegen.BesshiOptions(sheets=3, hidden_helpers=True))
    lines = invoke("inspect", str(tmp_path / "besshi.xlsx")).output.splitlines()
    assert lines[-3:] == ["skipped: 1 hidden sheets (not printed)",
                          "skipped: 28 hidden rows (not printed)",
                          "skipped: 3 hidden columns (not printed)"]
    assert [line.split(":")[0] for line in lines if line.startswith("table")] == [
        "table 別紙(1)!A9", "table 別紙(2)!A1", "table 別紙(3)!A1"]


def test_inspect_a_pdf_without_a_page_asks_for_one():
    pdf = ROOT / "raw" / "nakano_fy2023_sample.pdf"
    result = invoke("inspect", str(pdf))
    assert result.exit_code == 1
    assert result.output == f"Error: {pdf}: give the PDF page to draw with --page N.\n"
