"""Office speed: a report as Office files vs the same report as a PDF, whole runs.

Two cases, each timed side by side with the PDF of the same report (tests/pdfgen.py's
sample-like print), alternating in one process; medians and their ratio are printed:

- a Word memo + a 10-sheet Excel 別紙 (the 113 rows over ten sheets, header on each);
- one .docx with the 別紙 as a 114-row Word table (measure cells merged vertically).

Also the reading stage alone (file → Document), where the formats differ. Run from the
repository root (reportlab, from '.[test]', draws the PDF):

    python bench/bench_office.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pipeline.job import ReportInput, RunSettings  # noqa: E402
from pipeline.read import read_report  # noqa: E402
from pipeline.tidy.structure import grid_classifier  # noqa: E402
from pipeline.batch.report import convert  # noqa: E402


def build_inputs(folder: Path) -> dict[str, ReportInput]:
    import officegen
    import pdfgen

    ten_sheets = folder / "ten_sheets"
    ten_sheets.mkdir()
    officegen.build_memo_docx(ten_sheets / "memo.docx")
    officegen.build_besshi_xlsx(ten_sheets / "besshi.xlsx", options=officegen.BesshiOptions(sheets=10))
    word_table = folder / "word_table"
    word_table.mkdir()
    officegen.build_report_docx(word_table / "report.docx")
    pdf = pdfgen.build_report_pdf(folder / "report.pdf", pdfgen.LAYOUTS["a3_landscape_merged"])
    return {"memo .docx + 10-sheet .xlsx": ReportInput.of_folder(ten_sheets),
            "one .docx, 114-row Word table": ReportInput.of_folder(word_table),
            "PDF of the same report": ReportInput.of_file(pdf)}


def seconds_of(task: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        task()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = build_inputs(folder)
        settings = RunSettings(out_dir=folder / "out", dataset=False)
        for report in inputs.values():  # warm-up: imports, file cache
            assert convert(report, settings).ok
        runs: dict[str, list[float]] = {name: [] for name in inputs}
        reads: dict[str, list[float]] = {name: [] for name in inputs}
        for _ in range(args.repeat):  # alternate, so that machine load falls on all alike
            for name, report in inputs.items():
                runs[name] += seconds_of(lambda r=report: convert(r, settings), 1)
                reads[name] += seconds_of(lambda r=report: read_report(r, grid_classifier(None)), 1)
    pdf_run = statistics.median(runs["PDF of the same report"])
    pdf_read = statistics.median(reads["PDF of the same report"])
    print(f"Python {platform.python_version()}, {platform.machine()}, repeat {args.repeat}; medians")
    print(f"{'input':<32} {'read s':>8} {'run s':>8} {'run ÷ PDF run':>14}")
    for name in inputs:
        run, read = statistics.median(runs[name]), statistics.median(reads[name])
        print(f"{name:<32} {read:8.3f} {run:8.3f} {run / pdf_run:13.2f}×")
    print(f"(PDF read {pdf_read:.3f} s, run {pdf_run:.3f} s)")


if __name__ == "__main__":
    main()
