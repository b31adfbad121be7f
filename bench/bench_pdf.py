"""PDF speed: the whole pipeline run vs bare pdfplumber `page.extract_tables()`.

Both are timed side by side on the same PDFs in one process, alternating, and the
medians are reported with their ratio. Run from the repository root:

    python bench/bench_pdf.py [--repeat 5] [PDF ...]

With no PDF given it uses raw/nakano_fy2023_sample.pdf and the layouts that
tests/pdfgen.py generates (reportlab needed: pip install '.[test]').
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pipeline.job import RunSettings  # noqa: E402
from pipeline.batch.report import convert  # noqa: E402


def bare_extract_tables(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def whole_run(path: Path, out_dir: Path) -> None:
    outcome = convert(path, RunSettings(out_dir=out_dir))
    if not outcome.ok:
        raise SystemExit(f"{path}: the pipeline failed: {outcome.error}")


def generated_pdfs(folder: Path) -> list[Path]:
    import pdfgen

    return [pdfgen.build_report_pdf(folder / f"{name}.pdf", layout)
            for name, layout in pdfgen.LAYOUTS.items()
            if layout.unreadable_page is None and not layout.no_text_layer]


def measure(paths: list[Path], repeat: int, out_dir: Path) -> list[tuple[str, int, float, float]]:
    rows = []
    for path in paths:
        pages = bare_extract_tables(path)  # warm-up: imports, file cache
        whole_run(path, out_dir)
        bare, full = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            bare_extract_tables(path)
            bare.append(time.perf_counter() - start)
            start = time.perf_counter()
            whole_run(path, out_dir)
            full.append(time.perf_counter() - start)
        rows.append((path.name, pages, statistics.median(bare), statistics.median(full)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        paths = args.pdfs or [ROOT / "raw" / "nakano_fy2023_sample.pdf", *generated_pdfs(tmp_path)]
        rows = measure(paths, args.repeat, tmp_path / "out")
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"pdfplumber {pdfplumber.__version__}, median of {args.repeat}")
    print("| PDF | pages | extract_tables s/page | whole run s/page | ratio |")
    print("|---|---|---|---|---|")
    for name, pages, bare, full in rows:
        print(f"| {name} | {pages} | {bare / pages:.3f} | {full / pages:.3f} | {full / bare:.2f}× |")
    total_pages = sum(r[1] for r in rows)
    bare_total, full_total = sum(r[2] for r in rows), sum(r[3] for r in rows)
    print(f"| all | {total_pages} | {bare_total / total_pages:.3f} | {full_total / total_pages:.3f} "
          f"| {full_total / bare_total:.2f}× |")


if __name__ == "__main__":
    main()
