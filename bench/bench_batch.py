"""Corpus-scale benchmark: a batch of 20+ reports and 200+ pages, measured side by side.

    python bench/bench_batch.py [--copies 4] [--repeat 3]

Builds a corpus from raw/nakano_fy2023_sample.pdf and the layouts tests/pdfgen.py
generates (reportlab needed: pip install '.[test]'), then reports, in one run:
- pipeline seconds per page (--jobs 1) vs bare pdfplumber page.extract_tables();
- the speed-up of --jobs 2 over --jobs 1;
- an unchanged rerun as a share of the cold run;
- peak memory (max RSS) of a whole run on a ~100-page report, next to a ~10-page one.
Each figure is the median of --repeat runs; every run is a fresh process.
"""

from __future__ import annotations

import argparse
import os
import re
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
from pipeline.job import RunSettings
from pipeline.batch.report import convert
outcome = convert(Path(sys.argv[1]), RunSettings(out_dir=Path(sys.argv[2])))
assert outcome.ok, outcome.error or [f.describe() for f in outcome.failures]
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


def long_report_text(copies: int) -> str:
    """The seed with its attachment printed `copies` times, goals renumbered (1, 2 → 3, 4 …)
    so that every measure stays unique, and the status counts multiplied to match."""
    text = (ROOT / "tests" / "fixtures" / "nakano_fy2023.txt").read_text(encoding="utf-8")
    front, _, attachment = text.partition("別紙\n")
    front = re.sub(r"(予定どおり取り組んだ\t)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) * copies), front)
    renumbered = [re.sub(r"(?<![\d-])(\d+)-(\d+)-([①-⑳])",
                         lambda m, k=k: f"{int(m.group(1)) + 2 * k}-{m.group(2)}-{m.group(3)}", attachment)
                  for k in range(copies)]
    return front + "別紙\n" + "\n".join(renumbered)


def long_pdf(folder: Path, copies: int) -> Path:
    """A valid report whose attachment is `copies` times the seed's (A4 portrait: ~8 pages each)."""
    import pdfgen

    source = folder / f"long_{copies}.txt"
    source.write_text(long_report_text(copies), encoding="utf-8")
    return pdfgen.build_report_pdf(folder / f"long_{copies}.pdf",
                                   pdfgen.LAYOUTS["a4_portrait_unmerged_small_font"], source)


def peak_memory_mb(pdf: Path, out: Path) -> tuple[int, int]:
    """(pages, peak RSS in MB) of `pipeline run` on one PDF, in a fresh process."""
    import pdfplumber

    command = [sys.executable, "-c", PEAK_MEMORY, str(pdf), str(out)]
    peak = int(subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True).stdout)
    with pdfplumber.open(pdf) as document:
        return len(document.pages), peak


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
        memory = [peak_memory_mb(long_pdf(folder, copies), folder / "mem") for copies in (1, 14)]
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
    for pages, peak in memory:
        target = "< 300 MB" if pages >= 100 else ""
        print(f"| peak memory of a whole run, {pages}-page PDF, MB | {peak} | {target} |")


if __name__ == "__main__":
    main()
