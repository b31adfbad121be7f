"""One fiscal year, one report, in the combined dataset.

Two report folders in one OUT can hold the same report: the README's history example
converts FY2023 both as the published PDF and as its text copy. Their folders both stay
(each is what its input says), but the dataset — what DuckDB, pandas and Excel count —
keeps one of them, by the rule ``pipeline history`` follows
(``history_run.one_report_per_year``): reports are the same when they are of the same
municipality, the same plan (title) and the same fiscal year; the published format
(PDF, Excel, Word) is kept before a text copy, then the first report id by name.

The one left out keeps its folder; its seal says which report stands for it in the
dataset (``dataset_left_out``) and names no parts, so ``state.settle_dataset`` removes
them. If the kept report goes away, the left-out one's seal names no dataset at all, and
the run (which settles this first) converts it again with its parts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.job import TEXT_SUFFIXES, Seal
from pipeline.output.state import write_seal

_TEXT_FORMATS = set(TEXT_SUFFIXES.values())


@dataclass(frozen=True)
class LeftOut:
    """A report whose year another report already holds in the dataset."""

    report_id: str
    kept: str
    fiscal_year: int
    municipality: str

    def sentence(self) -> str:
        return (f"{self.report_id} and {self.kept} are both {self.municipality}'s report of "
                f"FY{self.fiscal_year} for the same plan; the dataset keeps {self.kept} (a "
                f"published format before a text copy, then the first name) and leaves "
                f"{self.report_id} out, so no year is counted twice. Both folders are kept.")


def leave_out_second_reports(out_dir: Path, seals: dict[str, Seal]) -> list[LeftOut]:
    """Mark (in its seal, and in ``seals``) every report whose year another report holds
    in the dataset; the parts it had are then named by no seal. The reports left out."""
    groups: dict[tuple[str, str, int], list[tuple[bool, str]]] = {}
    for report_id, seal in seals.items():
        if seal.dataset is None and seal.dataset_left_out is None:
            continue  # written with --no-dataset: not in the dataset anyway
        facts = _facts(out_dir / report_id)
        if facts is None:
            continue
        municipality, title, year, input_format = facts
        is_text = all(part in _TEXT_FORMATS for part in input_format.split("+"))
        groups.setdefault((municipality, title, year), []).append((is_text, report_id))
    left: list[LeftOut] = []
    for (municipality, _, year), members in groups.items():
        kept = min(members)[1]
        for _, report_id in sorted(members):
            seal = seals[report_id]
            if report_id == kept:
                if seal.dataset_left_out is not None:  # it stood aside for a report that is gone
                    seals[report_id] = _marked(out_dir / report_id, seal, None)
                continue
            if seal.dataset_left_out != kept or seal.dataset:
                seals[report_id] = _marked(out_dir / report_id, seal, kept)
            left.append(LeftOut(report_id, kept, year, municipality))
    return left


def _marked(folder: Path, seal: Seal, kept: str | None) -> Seal:
    """The seal with its place in the dataset given to ``kept``, or (None) taken back:
    then it names no parts at all, and the next run converts it with its parts."""
    changed = replace(seal, dataset={} if kept is not None else None, dataset_left_out=kept)
    write_seal(folder, changed)
    return changed


def _facts(folder: Path) -> tuple[str, str, int, str] | None:
    try:
        meta = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    year = meta.get("fiscal_year")
    if not isinstance(year, int):
        return None
    return (str(meta.get("municipality") or ""), str(meta.get("title") or ""), year,
            str(meta.get("input_format") or ""))
