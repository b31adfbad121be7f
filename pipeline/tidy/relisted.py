"""再掲 resolution: a re-listed row takes its values from the row it repeats."""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.errors import Failure
from pipeline.normalize.ids import UNNAMED_ORIGINAL, match_key
from pipeline.profiles import Profile
from schemas.records import ItemRecord

COPIED_FIELDS = ("status_mark", "grade_rank", "status", "change_reason", "result", "plan_next", "plan_next_tag",
                 "plan_later", "plan_later_tag", "departments")


def resolve_relisted(items: list[ItemRecord], source: str, profile: Profile
                     ) -> tuple[list[ItemRecord], list[Failure]]:
    """Link each re-listed row to its original (same measure, same business name).

    Names match ignoring ☆, (国)/(都) and spacing. A row marked 再掲 naming no measure
    ("(再掲)" alone) is linked to the one row of another measure with its business name.
    The original's values fill the re-listed row's empty cells; a printed value that
    contradicts the original is a failure, and so is a re-listed row with no original
    (reported by schemas/checks.py).
    """
    originals: dict[tuple[str, str], list[ItemRecord]] = {}
    by_name: dict[str, list[ItemRecord]] = {}
    for item in items:
        if not item.is_relisted:
            originals.setdefault((item.measure_id, match_key(item.business, profile)), []).append(item)
            by_name.setdefault(match_key(item.business, profile), []).append(item)
    resolved: list[ItemRecord] = []
    failures: list[Failure] = []
    for item in items:
        if item.is_relisted and item.relisted_from == UNNAMED_ORIGINAL:
            named = [original for original in by_name.get(match_key(item.business, profile), [])
                     if original.measure_id != item.measure_id]
            item = dataclasses.replace(item, relisted_from=named[0].measure_id
                                       if len(named) == 1 else None)
        if not item.is_relisted or item.relisted_from is None:
            resolved.append(item)
            continue
        matches = originals.get((item.relisted_from, match_key(item.business, profile)), [])
        if not matches:
            resolved.append(item)  # left unresolved: schemas/checks.py reports it
            continue
        # Several matches are one repeated row, which checks.business_unique reports;
        # the first stands for it, so the repeat is not reported again here.
        filled, conflicts = _fill_from(item, matches[0], source)
        resolved.append(filled)
        failures.extend(conflicts)
    return resolved, failures


def _fill_from(item: ItemRecord, original: ItemRecord, source: str
               ) -> tuple[ItemRecord, list[Failure]]:
    filled: dict[str, Any] = {"relisted_row_no": original.row_no}
    conflicts = []
    for field in COPIED_FIELDS:
        printed, repeated = getattr(item, field), getattr(original, field)
        if printed is None:
            filled[field] = repeated
        elif printed != repeated:
            conflicts.append(Failure(
                code="relisted_conflict", source=source, table="items", row=item.row_no,
                page=item.source_page, line=item.source_line, column=field, value=str(printed),
                message=f"the re-listed row says {printed!r} but row {original.row_no} it "
                        f"repeats says {repeated!r}"))
    return dataclasses.replace(item, **filled), conflicts
