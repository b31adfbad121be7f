"""`pipeline history` at corpus scale: 20 fiscal years of one plan.

    python bench/bench_history.py [--years 20] [--repeat 5]

Converts the seed report once, then writes --years report folders from it, one per
fiscal year (FY2023 on), each year moving on from the last: a few statuses change,
and in turn an item is reworded, moved to another measure, removed or added, and the
indicator columns move on a year. Then it times, side by side in one run:
- history_paths() in a warm process (read every folder, build, write Parquet, CSV, HTML);
- `pipeline history DIR` as a fresh process (Python start-up and imports included).
Each figure is the median of --repeat runs, in wall-clock and in CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
MARKS = {"◎": "exceeded", "○": "on_schedule", "△": "delayed", "×": "not_started"}


def build_years(seed_folder: Path, corpus: Path, years: int) -> None:
    """report folders plan_fy2023 … as `pipeline run` writes them (the columns history reads)."""
    items = pd.read_parquet(seed_folder / "items.parquet")
    indicators = pd.read_parquet(seed_folder / "indicators.parquet")
    meta = json.loads((seed_folder / "report.json").read_text(encoding="utf-8"))
    rng = random.Random(2023)
    for offset in range(years):
        year = 2023 + offset
        if offset:
            items = _move_on(items.copy(), year, offset, rng)
        report_id = f"plan_fy{year}"
        folder = corpus / report_id
        folder.mkdir(parents=True)
        items.assign(report_id=report_id, fiscal_year=year).to_parquet(
            folder / "items.parquet", index=False)
        indicators.assign(report_id=report_id, fiscal_year=indicators["fiscal_year"] + offset
                          ).to_parquet(folder / "indicators.parquet", index=False)
        (folder / "report.json").write_text(json.dumps(
            meta | {"report_id": report_id, "fiscal_year": year,
                    "source_sha256": f"{year:064d}"}, ensure_ascii=False), encoding="utf-8")


def _move_on(items: pd.DataFrame, year: int, offset: int, rng: random.Random) -> pd.DataFrame:
    listed = items.index[~items["is_relisted"]].tolist()
    for row in rng.sample(listed, 5):
        mark = rng.choice("◎○○△×")
        items.loc[row, ["status_mark", "status"]] = [mark, MARKS[mark]]
    step = offset % 4
    if step == 1:  # reworded
        row = rng.choice(listed)
        items.loc[row, "business"] = items.loc[row, "business"] + "の推進"
    elif step == 2:  # moved to the measure of another item
        row, other = rng.sample(listed, 2)
        columns = ["measure_id", "goal_no", "policy_no", "measure_no", "measure_name"]
        items.loc[row, columns] = items.loc[other, columns].tolist()
    elif step == 3:  # one removed, one added in its place (another name)
        relisted = set(items["relisted_row_no"].dropna().astype(int))
        row = rng.choice([r for r in listed if int(items.loc[r, "row_no"]) not in relisted])
        items.loc[row, "business"] = f"令和{year - 2018}年度からの新規事業"
    return items


def timed(function, repeat: int) -> tuple[float, float]:
    """Median wall-clock seconds, and median CPU seconds (this process and its children:
    steadier than wall-clock on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), _cpu_seconds()
        function()
        wall.append(time.perf_counter() - started)
        cpu.append(_cpu_seconds() - used)
    return statistics.median(wall), statistics.median(cpu)


def _cpu_seconds() -> float:
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline.compare.history_run import history_paths
    from pipeline.job import RunSettings
    from pipeline.batch.report import convert

    with tempfile.TemporaryDirectory(prefix="bench-history-") as work:
        work_dir = Path(work)
        seed = convert(ROOT / "tests" / "fixtures" / "nakano_fy2023.txt",
                       RunSettings(out_dir=work_dir / "seed", dataset=False))
        assert seed.ok and seed.output is not None, seed.error
        corpus = work_dir / "normalized"
        build_years(seed.output, corpus, args.years)
        result, written = history_paths(corpus)
        page_kb = (written / "history.html").stat().st_size / 1024
        warm = timed(lambda: history_paths(corpus), args.repeat)
        pipeline = shutil.which("pipeline") or "pipeline"
        fresh = timed(lambda: subprocess.run([pipeline, "history", str(corpus)], check=True,
                                             capture_output=True), args.repeat)
    print(f"{platform.machine()}, Python {platform.python_version()}, "
          f"{args.years} reports, median of {args.repeat}")
    print(f"item_history rows: {len(result.item_history)}, items: {len(result.items)}, "
          f"indicator_history rows: {len(result.indicator_history)}, history.html: {page_kb:.0f} KB")
    print(f"history_paths(), warm process: {warm[0]:.2f} s ({warm[1]:.2f} s CPU)")
    print(f"pipeline history, fresh process: {fresh[0]:.2f} s ({fresh[1]:.2f} s CPU)")


if __name__ == "__main__":
    main()
