"""The fixed cost of a report after reading, and of the imports a run needs.

- ``document_to_frames`` (repair, structure, tidy, 再掲, records → frames, validation)
  and ``write_report`` (with the datapackage, as ``run.py`` builds it: Parquet and CSV
  of every table, report.json, datapackage.json, the seal, the dataset parts, into a new
  DIR), warm: the median of many runs in one process, on the sample PDF's Document and
  on one tests/pdfgen.py layout's, in wall-clock and in CPU seconds (the machine is
  shared: CPU seconds move less with the load). Reading the PDF is not timed.
- The import time of ``pipeline.batch.report`` (what a run loads besides its readers), each in a
  fresh process: the median of ``python -X importtime``'s total for it; and the wall
  time of a run's imports with what ``load_stages()`` loads before the first report,
  also as in an install without the [test] extra (hypothesis hidden: pandera's checks
  import it, for their data-synthesis strategies, wherever it is installed).

With ``--against TREE`` (another checkout, e.g. /work/main) every measurement runs
alternately in that tree and in this one (subprocesses with PYTHONPATH set to each),
side by side, and the ratio this/TREE is printed. Run from the repository root
(reportlab needed for the layout: pip install '.[test]'):

    python bench/bench_stages.py [--against /work/main] [--rounds 5] [--repeat 15]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "raw" / "nakano_fy2023_sample.pdf"
LAYOUT = "a3_landscape_merged"
IMPORTED = "pipeline.batch.report"


def measure_stages(pdfs: dict[str, Path], repeat: int) -> dict[str, float]:
    """In this process (the tree on sys.path): median seconds of each stage per PDF."""
    from pipeline.output.datapackage import datapackage
    from pipeline.read.pdf import pdf_to_document
    from pipeline.tidy.frames import document_to_frames
    from pipeline.output.write import write_report

    results = {}
    with tempfile.TemporaryDirectory() as out:
        for name, path in pdfs.items():
            document = pdf_to_document(path)
            key = {"sources": [{"path": str(path), "sha256": "0" * 64}], "code": "bench",
                   "settings": {}}
            times: dict[str, list[float]] = {}
            for run in range(repeat + 1):  # the first run warms caches and is not counted
                clocks = [(time.perf_counter(), time.process_time())]
                frames, meta, _ = document_to_frames(document, name)
                clocks.append((time.perf_counter(), time.process_time()))
                meta.pop("checks_skipped", None)
                documents = {"report.json": meta | {"page_count": document.page_count},
                             "datapackage.json": datapackage(name, meta["title"], "utf-8-sig")}
                # a new DIR each time: a first conversion, as a run of a new report is
                write_report(Path(out) / str(run), name, frames, documents, key, True,
                             meta["fiscal_year"])
                clocks.append((time.perf_counter(), time.process_time()))
                if run == 0:
                    continue
                for stage, start, end in (("document_to_frames", 0, 1), ("write_report", 1, 2),
                                          ("both", 0, 2)):
                    for clock, label in ((0, "wall"), (1, "CPU")):
                        times.setdefault(f"{stage} {name} ({label})", []).append(
                            clocks[end][clock] - clocks[start][clock])
            results |= {measure: statistics.median(values) for measure, values in times.items()}
    return results


def import_seconds(tree: Path) -> float:
    """``import pipeline.batch.report`` in a fresh process of ``tree``: -X importtime's total."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {IMPORTED}"],
                            env=_env(tree), capture_output=True, text=True, check=True)
    for line in result.stderr.splitlines():
        fields = [field.strip() for field in line.split("|")]
        if len(fields) == 3 and fields[2] == IMPORTED:
            return int(fields[1]) / 1e6
    raise RuntimeError(f"no import time for {IMPORTED} in {tree}")


LOADS = ("import sys, time\n"
         "{hide}"
         "started = time.perf_counter()\n"
         "import importlib; run = importlib.import_module('pipeline.batch.report')\n"
         "getattr(run, 'load_stages', lambda: None)()\n"
         "print(time.perf_counter() - started)\n")


def loads_seconds(tree: Path, hide_hypothesis: bool) -> float:
    """A run's imports in a fresh process of ``tree``: ``pipeline.batch.report`` and what the run
    loads before its first report (``load_stages``: pandera's backends, pyarrow's writers).
    ``hide_hypothesis``: as an install without the [test] extra, where pandera's checks do
    not import hypothesis for its data-synthesis strategies."""
    hide = "sys.modules['hypothesis'] = None\n" if hide_hypothesis else ""
    result = subprocess.run([sys.executable, "-c", LOADS.format(hide=hide)], env=_env(tree),
                            capture_output=True, text=True, check=True)
    return float(result.stdout)


def stage_seconds(tree: Path, pdfs: dict[str, Path], repeat: int) -> dict[str, float]:
    """The stage medians measured in a fresh process of ``tree``."""
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", json.dumps(
        {name: str(path) for name, path in pdfs.items()}), "--repeat", str(repeat)]
    result = subprocess.run(command, env=_env(tree), capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


def _env(tree: Path) -> dict[str, str]:
    return os.environ | {"PYTHONPATH": str(tree)}


def build_pdfs(folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT / "tests"))
    import pdfgen

    layout = pdfgen.build_report_pdf(folder / f"{LAYOUT}.pdf", pdfgen.LAYOUTS[LAYOUT])
    return {"sample": SAMPLE, "layout": layout}


def compare(trees: dict[str, Path], pdfs: dict[str, Path], rounds: int, repeat: int
            ) -> dict[str, dict[str, float]]:
    """Each measurement's median over ``rounds``, the trees alternating within a round."""
    samples: dict[str, dict[str, list[float]]] = {label: {} for label in trees}
    for tree in trees.values():
        import_seconds(tree)  # compiles the tree's .pyc files, which later imports read
    for _ in range(rounds):
        for label, tree in trees.items():
            figures = stage_seconds(tree, pdfs, repeat)
            figures[f"import {IMPORTED} (fresh process, -X importtime)"] = statistics.median(
                import_seconds(tree) for _ in range(3))
            figures["a run's imports, load_stages() included (wall)"] = statistics.median(
                loads_seconds(tree, False) for _ in range(3))
            figures["the same, hypothesis not installed (wall)"] = statistics.median(
                loads_seconds(tree, True) for _ in range(3))
            for name, seconds in figures.items():
                samples[label].setdefault(name, []).append(seconds)
    return {label: {name: statistics.median(values) for name, values in figures.items()}
            for label, figures in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--rounds", type=int, default=5, help="fresh processes per tree")
    parser.add_argument("--repeat", type=int, default=15, help="warm runs per process")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a worker: JSON {name: pdf}
    args = parser.parse_args()
    if args.measure:
        pdfs = {name: Path(path) for name, path in json.loads(args.measure).items()}
        print(json.dumps(measure_stages(pdfs, args.repeat)))
        return
    trees = {"this": ROOT}
    if args.against:
        trees = {args.against.name or str(args.against): args.against.resolve(), "this": ROOT}
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.rounds} rounds × {args.repeat} warm runs; medians in seconds")
    with tempfile.TemporaryDirectory() as folder:
        figures = compare(trees, build_pdfs(Path(folder)), args.rounds, args.repeat)
    labels = list(trees)
    names = list(figures["this"])
    width = max(map(len, names))
    header = "".join(f"{label:>10}" for label in labels)
    print(f"{'':{width}}{header}" + ("   this/" + labels[0] if len(labels) > 1 else ""))
    for name in names:
        row = "".join(f"{figures[label][name]:10.4f}" for label in labels)
        ratio = f"   {figures['this'][name] / figures[labels[0]][name]:.2f}" if len(labels) > 1 else ""
        print(f"{name:{width}}{row}{ratio}")


if __name__ == "__main__":
    main()
