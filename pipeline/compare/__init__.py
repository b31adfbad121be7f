"""Reports against each other: one reader of the folders `pipeline run` writes (``folder``),
which item (or indicator value) is which (``matching``), one year against the next
(``diff``, its indicator values ``diff_indicators``; its numbers ``diff_counts``, its pages'
sections ``diff_sections`` rendered by ``diff_report``; reading and writing folders
``diff_run``) and a plan's years in a row (``history``, ``history_charts``,
``history_report``, ``history_run``). The pages' words (``page_words``) and style
(``page_style``).
"""
