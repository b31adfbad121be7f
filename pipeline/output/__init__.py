"""Writing a report folder: its tables as Parquet, CSV and a workbook (``write``,
``workbook``), its Frictionless descriptor (``datapackage``), swapped in whole
(``swap``), sealed and listed in the manifest (``state``), and its parts in the combined
dataset, one report a year (``dataset_years``).
"""
