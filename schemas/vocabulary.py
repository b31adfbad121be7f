"""The published categories, standard library only, so that ``pipeline.normalize`` can
share them without loading pandas: status marks and their order, government levels,
indicator kinds, the item fields a date can be mentioned in.
"""

from __future__ import annotations

# Ascending: worst first, so the order can sort and compare progress.
MARK_ORDER = ("×", "△", "○", "◎")
STATUS_ORDER = ("not_started", "delayed", "on_schedule", "exceeded")
STATUS_BY_MARK = dict(zip(MARK_ORDER, STATUS_ORDER))

# items.gov_level: the levels of Japanese government whose programme a business is —
# a 区 (ward), a 市町村 (municipal), a 道府県 (prefectural) or 都 (metropolitan), the 国
# (national). The tags a report prints for each ((国), (都)) are the layout profile's
# ([ids] gov_levels); no tag means the report's own level ([ids] own_level, "ward" by
# default). New levels go at the end, so the categories' codes stay as published.
GOV_LEVELS = ("ward", "national", "metropolitan", "prefectural", "municipal")

# indicators.kind, in the order a plan's figures come: the value when the plan was made,
# last year's, this year's, the goal. The words over each column (策定時, 実績, 目標) are the
# profile's.
KINDS = ("baseline", "previous", "actual", "target")

# indicators.year_from: where a value's fiscal year was read. header: the column's year
# cell; cell: the value cell's own (平成28年度); report: the column names no year, and an
# actual (current) value is taken as of the report's fiscal year, with a warning.
YEAR_FROM = ("header", "cell", "report")

# The items columns whose dates become date_mentions rows, in column order.
DATE_FIELDS = ("change_reason", "result", "plan_next", "plan_later")

# items.measure_id: the numbers of the profile's id levels, the measure circled:
# goal-policy-measure "1-1-①", or two levels (施策1-2, ids.levels) "1-②".
MEASURE_ID_PATTERN = r"^(?:\d+-)?\d+-[①-⑳㉑-㊿]$"
