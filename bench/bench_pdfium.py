"""Fresh-process speed: `pipeline run --jobs 1` vs bare pdfplumber `extract_tables()`.

Each measurement is a new Python process (imports included), as a user runs it; the two
are timed alternately on the same corpus, and medians of wall-clock and CPU seconds
(user + system, worker processes included) are reported with their ratios. A run reads
a report in one process while its parent imports pandas, so its wall clock can be less
than its CPU time; the CPU ratio is the cost per core:

- a corpus of distinct PDFs: the sample, the readable tests/pdfgen.py layouts and the
  tests/xlsxgen.py workbooks exported by LibreOffice (when soffice is installed);
- the 7-page sample alone, wall time of one `pipeline run`.

Besides bare pdfplumber and the whole run, it times reading alone (``pdf_to_document``
over the same PDFs, imports included) with each backend, which is what the backend
changes; the whole run adds the imports of pandas, pandera and pyarrow, validation and
writing.

Run from the repository root (reportlab and openpyxl needed: pip install '.[test]'):

    python bench/bench_pdfium.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
SAMPLE = ROOT / "raw" / "nakano_fy2023_sample.pdf"
BARE = ("import sys, pdfplumber\n"
        "for path in sys.argv[1:]:\n"
        "    with pdfplumber.open(path) as pdf:\n"
        "        for page in pdf.pages:\n"
        "            page.extract_tables()\n"
        "            page.close()\n")
READ = ("import sys\n"
        "from pathlib import Path\n"
        "from pipeline.read.pdf import pdf_to_document\n"
        "for path in sys.argv[2:]:\n"
        "    pdf_to_document(Path(path), {'backend': sys.argv[1]})\n")


def corpus(folder: Path) -> list[Path]:
    import pdfgen

    paths = [SAMPLE]
    layouts = {name: layout for name, layout in pdfgen.LAYOUTS.items()
               if layout.unreadable_page is None and not layout.no_text_layer}
    # Two more of the family: the A3 layout in Mincho, the B4 one in a larger Gothic.
    layouts["a3_landscape_mincho"] = replace(layouts["a3_landscape_merged"],
                                             name="a3_landscape_mincho", font="HeiseiMin-W3")
    layouts["b4_landscape_gothic_9pt"] = replace(
        layouts["b4_landscape_mincho_thick_rules_no_repeat"], name="b4_landscape_gothic_9pt",
        font="HeiseiKakuGo-W5", font_size=9.0)
    paths += [pdfgen.build_report_pdf(folder / f"{name}.pdf", layout)
              for name, layout in layouts.items()]
    if shutil.which("soffice"):
        import xlsxgen

        books = [xlsxgen.build_report_xlsx(folder / f"{name}.xlsx", variant)
                 for name, variant in xlsxgen.VARIANTS.items()]
        paths += xlsxgen.convert_to_pdf(books, folder, folder / "profile")
    return paths


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, the worker processes included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # A command that fails would time as plausible, false figures: it stops the bench.
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def side_by_side(pdfs: list[Path], out: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall-clock and CPU seconds of each command, run alternately in fresh processes."""
    files = list(map(str, pdfs))
    commands = {
        "bare": [sys.executable, "-c", BARE, *files],
        "read_pdfium": [sys.executable, "-c", READ, "pdfium", *files],
        "read_pdfminer": [sys.executable, "-c", READ, "pdfminer", *files],
        "run": [sys.executable, "-m", "pipeline", "run", *files, "--jobs", "1", "--force",
                "--out", str(out)],
    }
    for command in commands.values():
        timed(command)  # warm the file cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(timed(command))
    return {name: (statistics.median(wall for wall, _ in values),
                   statistics.median(cpu for _, cpu in values))
            for name, values in times.items()}


def pages(pdfs: list[Path]) -> int:
    import pdfplumber

    total = 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            total += len(pdf.pages)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import pdfplumber

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdfs = corpus(folder)
        rows = [(f"corpus: {len(pdfs)} PDFs, {pages(pdfs)} pages", pdfs),
                ("sample: 1 PDF, 7 pages", [SAMPLE])]
        results = [(label, side_by_side(paths, folder / "out", args.repeat))
                   for label, paths in rows]
    print(f"# {platform.machine()}, Python {platform.python_version()}, pdfplumber "
          f"{pdfplumber.__version__}, pypdfium2 {version('pypdfium2')}, fresh processes, "
          f"median of {args.repeat}")
    print("wall-clock seconds (CPU seconds, worker processes included)")
    print("| input | bare extract_tables() | reading, pdfium | reading, pdfminer "
          "| pipeline run --jobs 1 | reading pdfium ÷ bare | run ÷ bare |")
    print("|---|---|---|---|---|---|---|")
    for label, t in results:
        cells = " | ".join(f"{t[name][0]:.2f} ({t[name][1]:.2f})"
                           for name in ("bare", "read_pdfium", "read_pdfminer", "run"))
        ratios = " | ".join(f"{t[name][0] / t['bare'][0]:.2f}× ({t[name][1] / t['bare'][1]:.2f}×)"
                            for name in ("read_pdfium", "run"))
        print(f"| {label} | {cells} | {ratios} |")


if __name__ == "__main__":
    main()
