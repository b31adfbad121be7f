"""The readable outputs of a diff: summary.md, summary.html and the terminal lines.

The pages' sections are built once as cells (``diff_sections``), then rendered here as
Markdown and as a self-contained HTML page (inline CSS, nothing fetched).
"""

from __future__ import annotations

import difflib
import html

from pipeline.compare.diff import DiffResult
from pipeline.compare.diff_counts import (
    evaluation_counts,
    field_counts,
    has_evaluations,
    has_items,
    indicator_counts,
    item_counts,
)
from pipeline.compare.diff_indicators import value_changes
from pipeline.compare.diff_sections import Cell, Compared, Delta, Marked, build_sections
from pipeline.compare.page_style import BASE_CSS
from pipeline.compare.page_words import era_label, words

# An in-place character diff needs context to read: below this similarity it is
# confetti, and in short cells ("200 万件" → "220 万件" would read 2020) it misleads.
# Such values are shown whole, old then new.
_INLINE_DIFF_RATIO = 0.4
_INLINE_DIFF_LENGTH = 10


def summary_lines(result: DiffResult) -> list[str]:
    """A few lines for the terminal: what changed, in numbers."""
    old, new = result.old, result.new
    head = f"{old.report_id} → {new.report_id} (FY{old.fiscal_year} → FY{new.fiscal_year})"
    if result.item_changes.empty and value_changes(result.indicator_changes).empty:
        return [f"{head}: no changes ({result.matched} items, all indicator values the same)"]
    if has_items(result):
        lines = [f"{head}: " + _item_summary(result)]
        status = result.item_changes[result.item_changes["field"] == "status"]
        moves = ", ".join(f"{old}→{new} {n}" for (old, new), n in
                          status.groupby(["old", "new"], sort=False).size().items())
        lines.append(f"  status: {(status['direction'] == 'improved').sum()} improved, "
                     f"{(status['direction'] == 'worsened').sum()} worsened"
                     + (f" ({moves})" if moves else ""))
        fields = field_counts(result)
        if fields:
            lines.append("  fields: " + ", ".join(f"{n} {field}" for field, n in fields))
    else:
        lines = [f"{head}: neither report has a business-item table (reports of indicators)"]
    indicators = value_changes(result.indicator_changes)
    listed = indicator_counts(result)
    kinds = ", ".join(f"{listed[f'{kind}_values']} {kind} (in {listed[kind]} indicator"
                      f"{'' if listed[kind] == 1 else 's'})"
                      for kind in ("added", "removed", "revised") if listed[f"{kind}_values"])
    judged = indicators[(indicators["fiscal_year"] == new.fiscal_year)
                        & indicators["met_target"].notna()]
    met = (f"; {int(judged['met_target'].sum())} of {len(judged)} actuals for "
           f"FY{new.fiscal_year} met their target" if len(judged) else "")
    lines.append(f"  indicators: {listed['new']} new, {listed['gone']} no longer listed; "
                 f"values: {kinds or 'no changes'}{met}")
    if has_evaluations(result):
        graded = evaluation_counts(result)
        lines.append(f"  evaluations: {graded['improved']} improved, {graded['worsened']} "
                     f"worsened, {graded['added']} newly evaluated, {graded['removed']} no "
                     "longer evaluated" + (f", {graded['unranked']} changed without a rank"
                                           if graded["unranked"] else ""))
    return lines


def _item_summary(result: DiffResult) -> str:
    counts = item_counts(result)
    return (f"{counts['added']} added, {counts['removed']} removed, {counts['renamed']} "
            f"renamed, {counts['changed']} changed, {counts['unchanged']} unchanged items")


def page_summary(result: DiffResult, lang: str = "ja") -> list[str]:
    """The summary at the top of summary.md and summary.html, in ``lang``."""
    said = words(lang)
    indicators = value_changes(result.indicator_changes)
    if result.item_changes.empty and indicators.empty:
        return [said["diff.summary.same"].format(matched=result.matched)]
    status = result.item_changes[result.item_changes["field"] == "status"]
    lines = ([said["diff.summary.items"].format(**item_counts(result)),
              said["diff.summary.status"].format(
                  improved=int((status["direction"] == "improved").sum()),
                  worsened=int((status["direction"] == "worsened").sum()))]
             if has_items(result) else [said["diff.summary.no_items"]])
    if has_evaluations(result):
        lines.append(said["diff.summary.evaluations"].format(**evaluation_counts(result)))
    lines.append(said["diff.summary.indicators"].format(**indicator_counts(result)))
    judged = indicators[(indicators["fiscal_year"] == result.new.fiscal_year)
                        & indicators["met_target"].notna()]
    if len(judged):
        lines.append(said["diff.summary.met"].format(
            year=era_label(result.new.fiscal_year, lang), judged=len(judged),
            met=int(judged["met_target"].sum())))
    return lines

def _title(result: DiffResult, lang: str) -> str:
    return words(lang)["diff.title"].format(old=era_label(result.old.fiscal_year, lang),
                                            new=era_label(result.new.fiscal_year, lang))


def _sources(result: DiffResult, lang: str) -> str:
    return words(lang)["diff.sources"].format(old=result.old.report_id, new=result.new.report_id)


def render_markdown(result: DiffResult, lang: str = "ja") -> str:
    """summary.md: the sections as Markdown tables, for a mail or an issue."""
    out = [f"# {_title(result, lang)}", "", _sources(result, lang), "",
           *(f"- {line}" for line in page_summary(result, lang)), ""]
    for section in build_sections(result, lang):
        out += [f"## {section.title}", ""]
        if section.note:
            out += [section.note, ""]
        if not section.rows:
            out += [words(lang)["none"], ""]
            continue
        out.append("| " + " | ".join(_md(h) for h in section.header) + " |")
        out.append("|" + "---|" * len(section.header))
        out += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in section.rows]
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_cell(cell: Cell) -> str:
    if isinstance(cell, Compared):
        return f"{_md(cell.before or '—')} | {_md(cell.after or '—')}"
    if isinstance(cell, Delta):
        return f"{_md(cell.old or '—')} → {_md(cell.new or '—')}"
    if isinstance(cell, Marked):
        # Markdown has no colour: what got worse is bold, so it is seen first.
        return f"**{_md(cell.text)}**" if cell.mark in ("worsened", "removed") else _md(cell.text)
    return _md(cell)


_CSS = BASE_CSS + """
body{max-width:72rem}td{overflow-wrap:anywhere}td.plan,td.delta{min-width:12em}
td.worsened,td.removed{font-weight:bold}td.improved,td.worsened{white-space:nowrap}
ins{background:#bbf7d0;text-decoration:underline}
del{background:#fecaca;text-decoration:line-through}
mark{background:#fef08a}td.plan{color:#374151}
.legend span{padding:0 .4rem}
"""


def render_html(result: DiffResult, lang: str = "ja") -> str:
    """summary.html: one self-contained page (inline CSS, no scripts, nothing fetched)."""
    said = words(lang)
    title = html.escape(_title(result, lang))
    body = [f"<h1>{title}</h1>", f"<p>{html.escape(_sources(result, lang))}</p>",
            f"<p class=\"legend\">{said['diff.legend']}</p>",
            "<ul>" + "".join(f"<li>{html.escape(line)}</li>"
                             for line in page_summary(result, lang)) + "</ul>"]
    for section in build_sections(result, lang):
        body.append(f"<section id=\"{section.key}\"><h2>{html.escape(section.title)}</h2>")
        if section.note:
            body.append(f"<p class=\"note\">{html.escape(section.note)}</p>")
        if section.rows:
            head = "".join(f"<th>{html.escape(h)}</th>" for h in section.header)
            rows = "".join("<tr>" + "".join(_html_cell(cell) for cell in row) + "</tr>"
                           for row in section.rows)
            body.append(f"<div class=\"scroll\"><table><thead><tr>{head}</tr></thead>"
                        f"<tbody>{rows}</tbody></table></div>")
        else:
            body.append(f"<p class=\"none\">{html.escape(said['none'])}</p>")
        body.append("</section>")
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{title}</title><style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _html_cell(cell: Cell) -> str:
    if isinstance(cell, Marked):
        return f"<td class=\"{cell.mark}\">{html.escape(cell.text)}</td>"
    if isinstance(cell, Delta):
        return f"<td class=\"delta\">{inline_diff(cell.old, cell.new)}</td>"
    if isinstance(cell, Compared):
        return (f"<td class=\"plan\">{html.escape(cell.before or '—')}</td>"
                f"<td class=\"delta result\">{marked_changes(cell.before, cell.after)}</td>")
    return f"<td>{html.escape(cell)}</td>"


def inline_diff(old: str | None, new: str | None) -> str:
    """old → new as HTML, deleted text in <del> and inserted text in <ins>, in place."""
    old, new = old or "", new or ""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if min(len(old), len(new)) < _INLINE_DIFF_LENGTH or matcher.ratio() < _INLINE_DIFF_RATIO:
        parts = [f"<del>{html.escape(old)}</del>" if old else "",
                 f"<ins>{html.escape(new)}</ins>" if new else ""]
        return ("<br>" if max(len(old), len(new)) > 40 else " → ").join(p for p in parts if p)
    out = []
    for operation, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        if operation == "equal":
            out.append(html.escape(old[old_from:old_to]))
            continue
        if old_to > old_from:
            out.append(f"<del>{html.escape(old[old_from:old_to])}</del>")
        if new_to > new_from:
            out.append(f"<ins>{html.escape(new[new_from:new_to])}</ins>")
    return "".join(out)


def marked_changes(before: str | None, after: str | None) -> str:
    """``after`` as HTML with what differs from ``before`` in <mark>: the text of a result
    that its plan did not say, marked within the result alone."""
    before, after = before or "", after or ""
    if not after:
        return "—"
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out = []
    for operation, _, _, new_from, new_to in matcher.get_opcodes():
        text = html.escape(after[new_from:new_to])
        out.append(text if operation == "equal" or not text else f"<mark>{text}</mark>")
    return "".join(out)
