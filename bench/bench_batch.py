"""Corpus-scale benchmark: a batch of 20+ reports and 200+ pages, measured side by side.

    python bench/bench_batch.py [--copies 4] [--repeat 3]

Builds a corpus from raw/nakano_fy2023_sample.pdf and the layouts tests/pdfgen.py
generates (reportlab needed: pip install '.[test]'), then reports, in one run:
- pipeline seconds per page (--jobs 1) vs bare pdfplumber page.extract_tables();
- the speed-up of --jobs 2 over --jobs 1;
- an unchanged rerun as a share of the cold run;
- peak memory (max RSS) reading a 100-page PDF, next to a 10-page one.
Each figure is the median of --repeat runs; every run is a fresh process.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

BARE = """
import sys, pdfplumber
for name in sys.argv[1:]:
    with pdfplumber.open(name) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
"""
PEAK_MEMORY = """
import resource, sys
from pathlib import Path
from pipeline.extract.pdf import pdf_to_document
from pipeline.structure import document_to_report
document = pdf_to_document(Path(sys.argv[1]))
document_to_report(document)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def build_corpus(folder: Path, copies: int) -> list[Path]:
    import pdfgen

    sources = [ROOT / "raw" / "nakano_fy2023_sample.pdf"] + [
        pdfgen.build_report_pdf(folder / f"{name}.pdf", layout)
        for name, layout in pdfgen.LAYOUTS.items()
        if layout.unreadable_page is None and not layout.no_text_layer]
    corpus = folder / "corpus"
    corpus.mkdir()
    for copy in range(copies):
        for source in sources:
            shutil.copy(source, corpus / f"{source.stem}_{copy}.pdf")
    return sorted(corpus.iterdir())


def long_pdf(folder: Path, pages: int) -> Path:
    """pages pages: copies of a generated report's pages, glued with pypdfium2."""
    import pdfgen
    import pypdfium2

    one = pdfgen.build_report_pdf(folder / "one.pdf", pdfgen.LAYOUTS["a4_portrait_unmerged_small_font"])
    source, joined = pypdfium2.PdfDocument(one), pypdfium2.PdfDocument.new()
    while len(joined) < pages:
        joined.import_pages(source, list(range(min(len(source), pages - len(joined)))))
    path = folder / f"long_{pages}.pdf"
    joined.save(path)
    return path


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def pipeline_run(corpus: Path, out: Path, jobs: int, force: bool) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out),
            "--jobs", str(jobs)] + (["--force"] if force else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = build_corpus(folder, args.copies)
        import pdfplumber

        pages = sum(len(pdfplumber.open(f).pages) for f in files)
        bare, one, two, rerun = [], [], [], []
        for _ in range(args.repeat):
            bare.append(timed([sys.executable, "-c", BARE, *map(str, files)]))
            one.append(timed(pipeline_run(files[0].parent, folder / "out1", 1, force=True)))
            two.append(timed(pipeline_run(files[0].parent, folder / "out2", 2, force=True)))
            rerun.append(timed(pipeline_run(files[0].parent, folder / "out2", 2, force=False)))
        memory = {n: int(subprocess.run([sys.executable, "-c", PEAK_MEMORY, str(long_pdf(folder, n))],
                                        check=True, cwd=ROOT, capture_output=True, text=True).stdout)
                  for n in (10, 100)}
    bare_s, one_s, two_s, rerun_s = (statistics.median(v) for v in (bare, one, two, rerun))
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{len(files)} reports, {pages} pages, median of {args.repeat} (fresh process each)")
    print("| measure | figure | target |")
    print("|---|---|---|")
    print(f"| bare extract_tables, s/page (1 process) | {bare_s / pages:.3f} | |")
    print(f"| pipeline --jobs 1, s/page | {one_s / pages:.3f} | |")
    print(f"| pipeline --jobs 1 ÷ bare extract_tables | {one_s / bare_s:.2f}× | ≤ 1.3× |")
    print(f"| pipeline --jobs 2, s/page | {two_s / pages:.3f} | |")
    print(f"| speed-up of --jobs 2 over --jobs 1 | {one_s / two_s:.2f}× | ≥ 1.7× |")
    print(f"| unchanged rerun (--jobs 2), s | {rerun_s:.2f} | |")
    print(f"| unchanged rerun ÷ cold run (--jobs 2) | {100 * rerun_s / two_s:.1f}% | < 5% |")
    print(f"| peak memory reading a 10-page PDF, MB | {memory[10]} | |")
    print(f"| peak memory reading a 100-page PDF, MB | {memory[100]} | < 300 MB |")


if __name__ == "__main__":
    main()
