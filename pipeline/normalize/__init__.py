"""str → value: text repair, eras and dates, quantities, status marks, measure ids.

Stdlib only. Each function normalises one kind of cell; none is meant for a whole page,
because NFKC and the joining rules would damage what other columns need kept as printed.
"""
