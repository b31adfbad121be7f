"""The fuzz test's mutators and checker (tests/fuzzing.py) on many more cases, outside CI.

    python bench/fuzz_long.py --seed 1 --cases 2000 [--subject text]

Cases go round the subjects' mutators with seeds counted up from --seed; the counts per
outcome are printed, and every silent or internal case with its subject, mutator and seed
(rerun one with tests.fuzzing.run_case). Exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzzing import OUTCOMES, SUBJECTS, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--subject", action="append", choices=sorted(SUBJECTS))
    options = parser.parse_args()
    subjects = [SUBJECTS[name] for name in options.subject or sorted(SUBJECTS)]
    plan = [(subject, mutator) for subject in subjects for mutator in subject.mutators]
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-long-") as work:
        cleans = {s.name: s.convert(s.clean_bytes(), Path(work) / "clean") for s in subjects}
        for number in range(options.cases):
            subject, mutator = plan[number % len(plan)]
            seed = options.seed + number // len(plan)
            verdict = run_case(subject, cleans[subject.name], mutator, seed, Path(work) / "case")
            counts[verdict.outcome] += 1
            if verdict.outcome in ("silent", "internal"):
                print(f"{verdict.outcome}: {subject.name} {mutator} seed {seed}: "
                      f"{verdict.detail[:300]}")
    print(f"{options.cases} cases in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{outcome} {counts[outcome]}" for outcome in OUTCOMES))
    return 1 if counts["silent"] or counts["internal"] else 0


if __name__ == "__main__":
    sys.exit(main())
