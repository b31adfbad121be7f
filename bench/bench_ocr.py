"""OCR speed: seconds per page of a scanned PDF, beside the text-layer PDF it scans.

Two pairs, timed alternately in one process (medians of --repeat, warm after one
untimed pass; wall-clock and CPU seconds, Tesseract's threads and the child processes
included):

- the shared sample's scan (../shared/samples/nakano_fy2023_sample_scan.pdf, 300 dpi)
  and the sample PDF it was made from;
- a scan made by tests/scangen.py (300 dpi unless --dpi) of tests/pdfgen.py's
  sample-like A3 layout, and that PDF.

Each input is timed twice: its reading alone (``pdf_to_document``) and the whole
conversion (``pipeline.convert``: read, structure, normalise, validate, write to a
scratch folder). Run from the repository root:

    python bench/bench_ocr.py [--repeat 3] [--dpi 300]

``--accuracy`` instead scores each scan of tests/read/test_ocr_scans.py once, untimed:
its reading's table cells against its text twin's (``score_cells``) and, where it
converts, its tables against the reference's (``score_reports``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import pipeline  # noqa: E402
from pipeline.read.pdf import pdf_to_document  # noqa: E402

SHARED = next((folder / "shared" / "samples" for folder in (ROOT.parent, ROOT.parent.parent)
               if (folder / "shared" / "samples").is_dir()), None)


def build_inputs(folder: Path, dpi: int) -> dict[str, Path]:
    """The PDFs to time, text-layer twin first in each pair."""
    import pdfgen
    import scangen

    inputs = {}
    if SHARED is not None and (SHARED / "nakano_fy2023_sample_scan.pdf").is_file():
        inputs["sample PDF (text layer)"] = SHARED / "nakano_fy2023_sample.pdf"
        inputs["sample scan (shared, 300 dpi)"] = SHARED / "nakano_fy2023_sample_scan.pdf"
    else:
        print("../shared/samples is not beside the repository: the shared scan is left out")
    layout = pdfgen.build_report_pdf(folder / "layout.pdf", pdfgen.LAYOUTS["a3_landscape_merged"])
    inputs["A3 layout PDF (text layer)"] = layout
    inputs[f"A3 layout scan ({dpi} dpi)"] = scangen.scan_pdf(
        layout, folder / "layout_scan.pdf", scangen.Copier(dpi=dpi, skew=-0.35, seed=11))
    return inputs


def convert(path: Path) -> str:
    """Convert one input as ``pipeline.convert`` does; "refused" when it is refused (its
    reading was done all the same, so it is timed too)."""
    try:
        pipeline.convert(path, report_id="bench")
    except pipeline.ConversionFailed:
        return "refused"
    return "converted"


def timed(task: Callable[[], object]) -> tuple[tuple[float, float], object]:
    """(wall, CPU) seconds of one call and its result; CPU is every thread's, of the
    process and of the children it waited for (a conversion reads in a child)."""
    started, before = time.perf_counter(), os.times()
    result = task()
    after = os.times()
    cpu = sum(getattr(after, part) - getattr(before, part)
              for part in ("user", "system", "children_user", "children_system"))
    return (time.perf_counter() - started, cpu), result


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def engine_version() -> str:
    try:
        import tesserocr
    except ImportError:
        return "tesserocr not installed"
    return "Tesseract " + tesserocr.tesseract_version().splitlines()[0].split()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--accuracy", action="store_true")
    args = parser.parse_args()
    if args.accuracy:
        print_case_scores()
        return
    with tempfile.TemporaryDirectory() as tmp:
        inputs = build_inputs(Path(tmp), args.dpi)
        tasks = {name: {"read": lambda p=path: pdf_to_document(p),
                        "run": lambda p=path: convert(p)}
                 for name, path in inputs.items()}
        outcomes = {name: convert(path) for name, path in inputs.items()}  # warm-up
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        documents: dict[str, Any] = {}
        for _ in range(args.repeat):  # alternate, so that machine load falls on all alike
            for name, stages in tasks.items():
                for stage, task in stages.items():
                    seconds, result = timed(task)
                    times.setdefault((name, stage), []).append(seconds)
                    if stage == "read":
                        documents[name] = result
        pages = {name: page_count(path) for name, path in inputs.items()}
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"{engine_version()}; medians of {args.repeat}, seconds per page (CPU in brackets)")
    print(f"| {'input':<30} | pages | {'read s/page':>16} | {'whole run s/page':>16} |"
          f" {'run ÷ its text twin':>19} |")
    print(f"|{'-' * 32}|-------|{'-' * 18}|{'-' * 18}|{'-' * 21}|")
    twin_run = None
    for index, name in enumerate(inputs):
        read, run = ([statistics.median(t[i] for t in times[(name, stage)]) / pages[name]
                      for i in (0, 1)] for stage in ("read", "run"))
        if index % 2 == 0:
            twin_run, ratio = run[0], ""
        else:
            ratio = f"{run[0] / twin_run:.1f}×" if twin_run else ""
        shown = name if outcomes[name] == "converted" else f"{name}, {outcomes[name]}"
        print(f"| {shown:<30} | {pages[name]:>5} | {read[0]:6.3f} ({read[1]:6.3f}) |"
              f" {run[0]:6.3f} ({run[1]:6.3f}) | {ratio:>19} |")
    print_reading_scores(list(inputs), documents)


def print_reading_scores(names: list[str], documents: dict[str, Any]) -> None:
    """Each scan's table cells against its text twin's (tests/ocr_score.py's score_cells)."""
    from ocr_score import score_cells

    print("\n| scan | table cells | exact | unpaired | character errors | marks exact |")
    print("|---|---|---|---|---|---|")
    for twin, scan in zip(names[::2], names[1::2]):
        score = score_cells(documents[scan], documents[twin])
        print(f"| {scan} | {score.cells} | {score.exact_share:.1%} | {score.unpaired} |"
              f" {score.char_error_rate:.2%} | {score.marks_exact} of {score.marks} |")


def print_case_scores() -> None:
    """Score every scan case of tests/read/test_ocr_scans.py (made here, in a scratch
    folder), one line each."""
    import pytest

    sys.path.insert(0, str(ROOT / "tests" / "read"))
    import test_ocr_scans as scans
    from ocr_score import score_cells, score_reports

    print("| case | table cells exact | unpaired | character errors | marks exact |"
          " tables: cells exact | warned | silent | status wrong |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in scans.CASES.items():
            folder = Path(tmp) / name
            folder.mkdir()
            try:
                source = scans.build_source(case.source, folder)
                scan = scans.make_scan(case, source, folder)
            except pytest.skip.Exception as skipped:
                print(f"| {name} | left out: {skipped} |")
                continue
            cells = score_cells(pdf_to_document(scan), pdf_to_document(source))
            line = (f"| {name} | {cells.exact_share:.1%} of {cells.cells} | {cells.unpaired} |"
                    f" {cells.char_error_rate:.2%} | {cells.marks_exact} of {cells.marks} |")
            reference = pipeline.convert(case.reference or source, report_id=scans.REPORT_ID)
            try:
                report = pipeline.convert(scan, report_id=scans.REPORT_ID)
            except pipeline.ConversionFailed as refusal:
                print(f"{line} refused: {refusal} |||")
                continue
            score = score_reports(report, reference)
            print(f"{line} {score.exact_share:.2%} of {score.total('cells')} |"
                  f" {score.total('warned')} | {score.total('silent')} |"
                  f" {score.total('status_wrong')} |")


if __name__ == "__main__":
    main()
