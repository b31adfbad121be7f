"""The published categories, standard library only, so that ``pipeline.normalize`` can
share them without loading pandas: status marks and their order, government levels,
indicator kinds, the item fields a date can be mentioned in.
"""

from __future__ import annotations

# Ascending: worst first, so the order can sort and compare progress.
MARK_ORDER = ("×", "△", "○", "◎")
STATUS_ORDER = ("not_started", "delayed", "on_schedule", "exceeded")
STATUS_BY_MARK = dict(zip(MARK_ORDER, STATUS_ORDER))

# items.gov_level; the tags a report prints for each ((国), (都)) are the layout
# profile's ([ids] gov_levels), and no tag means the ward's own.
GOV_LEVELS = ("ward", "national", "metropolitan")

# indicators.kind; the words over an indicator column (実績, 目標) are the profile's.
KINDS = ("actual", "target")

# The items columns whose dates become date_mentions rows, in column order.
DATE_FIELDS = ("change_reason", "result", "plan_next", "plan_later")

MEASURE_ID_PATTERN = r"^\d+-\d+-[①-⑳㉑-㊿]$"
