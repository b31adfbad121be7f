"""Warm reading of the bench corpus with each backend, and the pages pdfium left to pdfminer.

``bench_pdfium.py`` times fresh processes (imports included); this times what the
backend changes alone: ``pdf_to_document`` over bench_pdfium's corpus in a warm process,
one process per backend, alternating, each reading the corpus once to warm up and then
twice timed. Medians and the pdfium ÷ pdfminer ratio are printed, with the pages each
backend read (``pdf_backend_pages``) and every fallback reason.

Run from the repository root (reportlab and openpyxl needed: pip install '.[test]'):

    python bench/bench_pdfium_warm.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
CHILD = ("import json, sys, time\n"
         "from pathlib import Path\n"
         "from pipeline.read.pdf import pdf_to_document\n"
         "paths, pages = [Path(p) for p in sys.argv[2:]], {}\n"
         "def once():\n"
         "    start = time.perf_counter()\n"
         "    for path in paths:\n"
         "        try:\n"
         "            document = pdf_to_document(path, {'backend': sys.argv[1]})\n"
         "            pages[path.name] = json.loads(document.metadata['pdf_backend_pages'])\n"
         "        except Exception as error:\n"
         "            pages[path.name] = {'error': type(error).__name__}\n"
         "    return time.perf_counter() - start\n"
         "once()\n"
         "print(json.dumps({'times': [once(), once()], 'pages': pages}))\n")


def main() -> None:
    import bench_pdfium

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = [str(p) for p in bench_pdfium.corpus(Path(folder))]
        times: dict[str, list[float]] = {"pdfium": [], "pdfminer": []}
        pages: dict[str, dict] = {}
        for _ in range(args.repeat):
            for backend in times:
                out = subprocess.run([sys.executable, "-c", CHILD, backend, *paths],
                                     capture_output=True, text=True, cwd=ROOT, check=True)
                result = json.loads(out.stdout.strip().splitlines()[-1])
                times[backend] += result["times"]
                pages[backend] = result["pages"]
    count = Counter()
    for name, record in sorted(pages["pdfium"].items()):
        count.update({backend: len(record.get(backend, [])) for backend in times})
        for page, why in record.get("fallback_reasons", {}).items():
            print(f"fallback {name} page {page}: {why}")
    print(f"{len(paths)} PDFs; pages read by pdfium {count['pdfium']}, "
          f"by pdfminer {count['pdfminer']}")
    for backend, values in times.items():
        print(f"{backend:9s} median {statistics.median(values):.3f} s  "
              f"{[round(v, 2) for v in values]}")
    ratio = statistics.median(times["pdfium"]) / statistics.median(times["pdfminer"])
    print(f"pdfium ÷ pdfminer {ratio:.2f}")


if __name__ == "__main__":
    main()
