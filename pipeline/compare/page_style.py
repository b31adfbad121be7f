"""The CSS both readers' pages share (summary.html, history.html): Japanese fonts first,
tables that scroll sideways inside their own box on a phone instead of squeezing their
cells to one character a line, identifiers (measure ids, item keys, years) never broken.
"""

from __future__ import annotations

BASE_CSS = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,system-ui,sans-serif;
margin:2rem auto;padding:0 1rem;color:#1f2937;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d1d5db}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d1d5db;padding:.25rem .5rem;
vertical-align:top;text-align:left}th{background:#f3f4f6;white-space:nowrap}td{min-width:4em}
td:first-child,td.key,td.years{white-space:nowrap}
p.note,p.none{color:#4b5563}
td.improved,td.added,.legend .improved{background:#dcfce7}
td.worsened,td.removed,.legend .worsened{background:#fee2e2}
@media (max-width:600px){body{margin:1rem auto}h1{font-size:1.25rem}
th,td{padding:.2rem .3rem;font-size:.85rem}}
"""
