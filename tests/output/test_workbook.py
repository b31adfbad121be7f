"""report.xlsx: every cell as the Parquet holds it, read back by openpyxl and by LibreOffice.

Excel and LibreOffice turn as-printed CSV text into other values (6/15 → a date, 75.1% →
0.751); the workbook types each cell, so what a reader opens is what the tables say.
"""

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE_PDF, SEED

from pipeline.job import RunSettings
from pipeline.batch.report import convert
from pipeline.output.workbook import COLUMNS_SHEET, write_workbook
from schemas import TABLES

SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("normalized")
    assert convert(SAMPLE_PDF, RunSettings(out_dir=out, dataset=False)).ok
    return out / SAMPLE_PDF.stem


def parquet_frames(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}


def _python(value):
    """A Parquet value as a spreadsheet cell holds it: missing → None, categories → text."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def test_openpyxl_reads_back_every_cell_of_every_table(folder):
    book = openpyxl.load_workbook(folder / "report.xlsx")
    assert book.sheetnames == [*TABLES, COLUMNS_SHEET]
    for name, frame in parquet_frames(folder).items():
        sheet = book[name]
        rows = list(sheet.iter_rows(values_only=True))
        expected = [tuple(frame.columns)] + [tuple(_python(v) for v in row)
                                             for row in frame.astype(object).itertuples(index=False)]
        assert rows == expected, name
        assert sheet.freeze_panes == "A2"
        text = [c for c in frame.columns if frame[c].dtype == object or frame[c].dtype == "category"]
        for column in text:  # text columns are text cells, whatever they look like
            index = list(frame.columns).index(column)
            kinds = {row[index].data_type for row in sheet.iter_rows(min_row=2)
                     if row[index].value is not None}
            assert kinds <= {"s"}, (name, column)


def test_the_columns_sheet_describes_every_column_from_the_schema(folder):
    rows = list(openpyxl.load_workbook(folder / "report.xlsx")[COLUMNS_SHEET].iter_rows(
        values_only=True))
    assert rows[0] == ("table", "column", "type", "may be empty", "values", "description")
    assert [(t, c) for t, c, *_ in rows[1:]] == [(name, column) for name, table in TABLES.items()
                                                  for column in table.columns]
    described = {(t, c): (kind, empty, values, text) for t, c, kind, empty, values, text in rows[1:]}
    assert described[("items", "status")] == (
        "text", "yes", "not_started, delayed, on_schedule, exceeded",
        "The grade's canonical status, where the profile maps it; empty otherwise.")
    assert described[("items", "fiscal_year")][:2] == ("integer", "no")
    assert described[("items", "starred")][:2] == ("TRUE/FALSE", "no")


TRICKY = ["6/15", "9/1", "75.1%", "R6.5", "=SUM(A1:A3)", "+81", "-", "0012", "1e5", "TRUE",
          "令和6年5月", "2024-04-01", "(国)", "①", " leading space", "a\nb", "1,234"]


def _items_with(folder: Path, texts: list[str]) -> dict[str, pd.DataFrame]:
    frames = parquet_frames(folder)
    items = frames["items"].head(len(texts)).copy()
    items["result"] = texts
    return {"items": items}


@pytest.mark.parametrize("text", TRICKY)
def test_text_that_looks_like_another_value_stays_text_in_openpyxl(folder, tmp_path, text):
    write_workbook(tmp_path / "t.xlsx", _items_with(folder, [text]), TABLES)
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["items"]
    column = list(TABLES["items"].columns).index("result") + 1
    cell = sheet.cell(row=2, column=column)
    assert (cell.value, cell.data_type) == (text, "s")


def test_control_characters_and_literal_escapes_are_written_in_the_spreadsheets_escape(
        folder, tmp_path):
    write_workbook(tmp_path / "t.xlsx", _items_with(folder, ["a\x05b", "_x0041_"]), TABLES)
    with zipfile.ZipFile(tmp_path / "t.xlsx") as packed:
        strings = packed.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<t>a_x0005_b</t>" in strings and "<t>_x005F_x0041_</t>" in strings


def test_the_same_tables_give_the_same_bytes(folder, tmp_path):
    frames = parquet_frames(folder)
    write_workbook(tmp_path / "a.xlsx", frames, TABLES)
    write_workbook(tmp_path / "b.xlsx", frames, TABLES)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.xlsx").read_bytes() == (folder / "report.xlsx").read_bytes()


def _libreoffice_csv(workbook: Path, work: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as LibreOffice Calc exports it to CSV (UTF-8), read as plain text."""
    options = "44,34,76,1,,0,false,true,false,false,false,-1"  # every sheet, as shown
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(work / 'lo').as_uri()}",
                    "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
                    "--outdir", str(work), str(workbook)],
                   check=True, capture_output=True, timeout=300)
    return {path.stem.split("-", 1)[1]: pd.read_csv(path, dtype=str, keep_default_na=False)
            for path in work.glob(f"{workbook.stem}-*.csv")}


def _as_calc_shows(series: pd.Series) -> list[str]:
    if pd.api.types.is_bool_dtype(series.dtype):
        return ["TRUE" if v else "FALSE" for v in series]
    return ["" if pd.isna(v) else str(v) for v in series]


@pytest.mark.skipif(SOFFICE is None, reason="no LibreOffice (Debian: libreoffice-calc-nogui)")
def test_libreoffice_reads_back_every_cell_as_the_parquet_holds_it(folder, tmp_path):
    sheets = _libreoffice_csv(folder / "report.xlsx", tmp_path)
    assert sorted(sheets) == sorted([*TABLES, COLUMNS_SHEET])
    for name, frame in parquet_frames(folder).items():
        shown = sheets[name]
        assert list(shown.columns) == list(frame.columns), name
        for column in frame.columns:
            if pd.api.types.is_float_dtype(frame[column].dtype):
                values = [None if v == "" else float(v) for v in shown[column]]
                assert values == [None if pd.isna(v) else float(v) for v in frame[column]]
            else:
                assert list(shown[column]) == _as_calc_shows(frame[column]), (name, column)


@pytest.mark.skipif(SOFFICE is None, reason="no LibreOffice (Debian: libreoffice-calc-nogui)")
def test_libreoffice_keeps_text_that_looks_like_a_date_or_a_percentage(folder, tmp_path):
    write_workbook(tmp_path / "t.xlsx", _items_with(folder, TRICKY + ["_x0041_"]), TABLES)
    shown = _libreoffice_csv(tmp_path / "t.xlsx", tmp_path)["items"]
    assert list(shown["result"]) == TRICKY + ["_x0041_"]


def test_diff_and_history_folders_hold_their_workbooks(tmp_path):
    from pipeline.compare.diff_run import diff_paths
    from pipeline.compare.history_run import history_paths

    fy2024 = SEED.parent / "nakano_fy2024_synthetic.txt"
    result, target = diff_paths(SEED, fy2024, tmp_path / "diff")
    book = openpyxl.load_workbook(target / "diff.xlsx")
    assert book.sheetnames == ["item_changes", "indicator_changes", "indicator_evaluation_changes",
                               COLUMNS_SHEET]
    assert book["item_changes"].max_row == len(result.item_changes) + 1
    normalized = tmp_path / "normalized"
    for path in (SEED, fy2024):
        assert convert(path, RunSettings(out_dir=normalized, dataset=False)).ok
    history, target = history_paths(normalized)
    book = openpyxl.load_workbook(target / "history.xlsx")
    assert book.sheetnames == ["item_history", "items", "indicator_history",
                               "indicator_evaluation_history", COLUMNS_SHEET]
    assert book["item_history"].max_row == len(history.item_history) + 1
