"""Readers: one module per input format, each turning a file into a ``Document``.

Only this package knows file formats; every later stage sees grids and paragraphs.
"""
