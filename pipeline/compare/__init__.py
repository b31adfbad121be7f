"""Reports against each other: which item is which (``matching``), one year against the
next (``diff``; its pages ``diff_report``; reading and writing folders ``diff_run``) and a
plan's years in a row (``history``, ``history_charts``, ``history_report``,
``history_run``). The pages' words (``page_words``) and style (``page_style``).
"""
