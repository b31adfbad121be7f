"""Fresh-process speed: `pipeline run --jobs 1` vs bare pdfplumber `extract_tables()`.

Each measurement is a new Python process (imports included), as a user runs it; the two
are timed alternately on the same corpus, and medians are reported with their ratio:

- a corpus of distinct PDFs: the sample, the readable tests/pdfgen.py layouts and the
  tests/xlsxgen.py workbooks exported by LibreOffice (when soffice is installed);
- the 7-page sample alone, wall time of one `pipeline run`.

Run from the repository root (reportlab and openpyxl needed: pip install '.[test]'):

    python bench/bench_pdfium.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


def corpus(folder: Path) -> list[Path]:
    import pdfgen

    paths = [SAMPLE]
    paths += [pdfgen.build_report_pdf(folder / f"{name}.pdf", layout)
              for name, layout in pdfgen.LAYOUTS.items()
              if layout.unreadable_page is None and not layout.no_text_layer]
    if shutil.which("soffice"):
        import xlsxgen

        books = [xlsxgen.build_report_xlsx(folder / f"{name}.xlsx", variant)
                 for name, variant in xlsxgen.VARIANTS.items()]
        paths += xlsxgen.convert_to_pdf(books, folder, folder / "profile")
    return paths


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def side_by_side(pdfs: list[Path], out: Path, repeat: int) -> tuple[float, float]:
    bare_cmd = [sys.executable, "-c", BARE, *map(str, pdfs)]
    run_cmd = [sys.executable, "-m", "pipeline", "run", *map(str, pdfs), "--jobs", "1",
               "--force", "--out", str(out)]
    timed(bare_cmd), timed(run_cmd)  # warm the file cache
    bare, run = [], []
    for _ in range(repeat):
        bare.append(timed(bare_cmd))
        run.append(timed(run_cmd))
    return statistics.median(bare), statistics.median(run)


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
        results = [(label, *side_by_side(paths, folder / "out", args.repeat))
                   for label, paths in rows]
    print(f"# {platform.machine()}, Python {platform.python_version()}, pdfplumber "
          f"{pdfplumber.__version__}, pypdfium2 {version('pypdfium2')}, fresh processes, "
          f"median of {args.repeat}")
    print("| input | bare extract_tables() s | pipeline run --jobs 1 s | ratio |")
    print("|---|---|---|---|")
    for label, bare, run in results:
        print(f"| {label} | {bare:.2f} | {run:.2f} | {run / bare:.2f}× |")


if __name__ == "__main__":
    main()
