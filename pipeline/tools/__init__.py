"""Tools for writing a profile for another layout: see how a report is read
(``inspect``), check a profile against a report (``profile_check``) and draft one from a
report (``profile_draft``).
"""
