"""再掲 resolution: a re-listed row takes its values from the row it repeats."""

from __future__ import annotations

from typing import Any

from pipeline.errors import Failure
from pipeline.normalize.ids import match_key
from pipeline.profiles import Profile

Record = dict[str, Any]
COPIED_FIELDS = ("status_mark", "grade_rank", "status", "change_reason", "result", "plan_next", "plan_next_tag",
                 "plan_later", "plan_later_tag", "departments")


def resolve_relisted(items: list[Record], source: str, profile: Profile | None = None
                     ) -> tuple[list[Record], list[Failure]]:
    """Link each re-listed row to its original (same measure, same business name).

    Names match ignoring ☆, (国)/(都) and spacing. The original's values fill the
    re-listed row's empty cells; a printed value that contradicts the original is a
    failure, and so is a re-listed row with no original.
    """
    originals: dict[tuple[str, str], list[Record]] = {}
    for item in items:
        if not item["is_relisted"]:
            originals.setdefault((item["measure_id"], match_key(item["business"], profile)), []).append(item)
    resolved, failures = [], []
    for item in items:
        if not item["is_relisted"]:
            resolved.append(item)
            continue
        matches = originals.get((item["relisted_from"], match_key(item["business"], profile)), [])
        if len(matches) != 1:
            resolved.append(item)  # left unresolved: schemas/checks.py reports it
            continue
        filled, conflicts = _fill_from(item, matches[0], source)
        resolved.append(filled)
        failures.extend(conflicts)
    return resolved, failures


def _fill_from(item: Record, original: Record, source: str) -> tuple[Record, list[Failure]]:
    filled = dict(item, relisted_row_no=original["row_no"])
    conflicts = []
    for field in COPIED_FIELDS:
        printed = item[field]
        if printed is None:
            filled[field] = original[field]
        elif printed != original[field]:
            conflicts.append(Failure(
                code="relisted_conflict", source=source, table="items", row=item["row_no"],
                page=item["source_page"], line=item["source_line"], column=field, value=str(printed),
                message=f"the re-listed row says {printed!r} but row {original['row_no']} it "
                        f"repeats says {original[field]!r}"))
    return filled, conflicts
