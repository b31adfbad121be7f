"""The published categories, standard library only, so that ``pipeline.normalize`` can
share them without loading pandas: status marks and their order, government levels,
indicator kinds, the item fields a date can be mentioned in.
"""

from __future__ import annotations

# Ascending: worst first, so the order can sort and compare progress.
MARK_ORDER = ("×", "△", "○", "◎")
STATUS_ORDER = ("not_started", "delayed", "on_schedule", "exceeded")
STATUS_BY_MARK = dict(zip(MARK_ORDER, STATUS_ORDER))

# The tag a business name prints → items.gov_level; no tag means the ward's own.
GOV_LEVEL_BY_TAG = {"区": "ward", "国": "national", "都": "metropolitan"}
GOV_LEVELS = tuple(GOV_LEVEL_BY_TAG.values())

# The word over an indicator column → indicators.kind.
KIND_BY_WORD = {"実績": "actual", "目標": "target"}
KINDS = tuple(KIND_BY_WORD.values())

# The items columns whose dates become date_mentions rows, in column order.
DATE_FIELDS = ("change_reason", "result", "plan_next", "plan_later")

MEASURE_ID_PATTERN = r"^\d+-\d+-[①-⑳㉑-㊿]$"
