"""The stages of one conversion, on a Document the readers gave: repair damaged text
(``repair``) → choose the layout profile (``choose``) → reshape key–value blocks and
transposed sheets into lists (``reshape``, ``key_value``) → claim each table by the
layout profile's words (``structure``) and read it as printed (``front_tables``,
``legend_table``, ``attachment``; their cell helpers ``cells``) → normalise its cells
into records (``front``: status counts, indicators, footnotes; ``items``: business items)
→ resolve 再掲 (``relisted``) → validate with pandera (``validate``).
``frames.document_to_frames`` runs them all and gives DataFrames; nothing here reads a
file or writes one.
"""
