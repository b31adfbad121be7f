"""A starting profile for a report of another layout, drafted from its header rows.

The draft is the built-in profile's text with the report's own words put in: the
attachment header's cells (a year as ``{year}``) under the columns they look like
(``profiles/draft_hints.toml``), and the legend — its lines under the built-in
headings, or a two-column table of short marks — as the grades. What the report does
not show keeps the built-in words. Reads nothing, prints nothing.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from typing import NamedTuple

from pipeline.tidy.attachment import compact, match_column
from pipeline.normalize.marks import legend_to_grades
from pipeline.profiles import Profile, builtin_profile, builtin_text, parse_profile
from pipeline.records import Document, Grid, Paragraph
from pipeline.tidy.front import title_and_municipality
from pipeline.tidy.repair import repair_document
from pipeline.tidy.front_tables import find_legend, find_title


def draft_hints() -> dict:
    text = resources.files("pipeline.profiles").joinpath("draft_hints.toml").read_text("utf-8")
    return tomllib.loads(text)


def draft_text(document: Document) -> str:
    """The drafted profile's TOML; it loads with ``load_profile`` (checked here)."""
    base = builtin_profile()
    document = repair_document(document)
    hints = draft_hints()
    columns = header_columns(document, base, hints["columns"])
    legend, legend_table = _legend(document, base, hints["legend"]["mark_length"],
                                   hints["status"])
    front = _front_tables(document, base, hints)
    identify, roles = indicator_columns(document, base)
    if roles:
        front["[tables.indicators]"] = {"identify": [identify]}
    goal = _goal_line(document, base, hints["goal"]["max_prefix"]) if roles else None
    title_end = _title_ending(document, base)
    if title_end:
        front["[title]"] = {"ends_with": [title_end]}
    own_level = _own_level(document, base, hints["own_level"])
    sections = _sections(builtin_text())
    drafted: list[str] = []
    for header, body in sections:
        body = _replace_keys(body, front.get(header, {}))
        if header == "[ids]":
            body = re.sub(r"^own_level = .*$", lambda _: own_level, body, count=1, flags=re.M)
            body = _split_ids(body, document, base, roles, goal)
        if header == "[front]" and goal:
            body = re.sub(r"^goal = .*$", lambda _: f"goal = {goal}  # drafted", body,
                          count=1, flags=re.M)
        if header == "[departments]":
            body = re.sub(r"^known = \[[^\]]*\]\n", "# The report's department names, "
                          "if a name wraps where suffixes cannot tell: known = [...]\n",
                          body, count=1, flags=re.M | re.S)
        if header == "[profile]":
            body = (f'name = "draft"\ndescription = {_quote("drafted from " + document.source)}\n\n')
        elif header == "[tables.items.columns]" and columns:
            old = tomllib.loads("[c]\n" + body)["c"]
            merged = {key: columns.get(key, old.get(key)) for key in {**old, **columns}}
            body = "# Drafted from the report's header row: review each.\n" + "".join(
                f"{key} = [{', '.join(_quote(w) for w in words)}]\n"
                for key, words in merged.items() if words) + "\n"
        elif header == "[[grades.grade]]" and legend:
            continue
        drafted.append(header + "\n" + body if header else body)
        if header == "[grades]" and legend:
            drafted += _scale_text(legend, "grades")
            if "evaluation" in roles:  # the legend grades the indicators: their own scale
                drafted.append("[indicator_grades]\n# Drafted from the legend: the scale of "
                               "the indicators' evaluation column.\norder = \"best_first\"\n\n")
                drafted += _scale_text(legend, "indicator_grades",
                                       hints["share"] if "share" in roles else None)
        if header == "[tables.items.columns]" and legend_table:
            drafted.append(legend_table + ('scale = "indicators"  # drafted: the indicators are '
                                           'graded\n\n' if "evaluation" in roles else ""))
        if header == "[tables.indicators]" and roles:
            drafted[-1] = drafted[-1].rstrip("\n") + "\n" + _role_section(document, base, roles)
        if header == "[tables.status_summary]" and roles.get("evaluation") and legend:
            drafted[-1] = drafted[-1].rstrip("\n") + (
                '\nscale = "indicators"  # drafted: the indicators\' evaluations are counted\n\n')
        if header == "[tables.items]" and not columns:
            drafted[-1] = drafted[-1].rstrip("\n") + (
                "\nrequired = false  # drafted: the report prints no attachment header\n\n")
    text = "".join(drafted)
    parse_profile(text, "the drafted profile")  # a draft that does not load is a bug
    return text


def header_columns(document: Document, profile: Profile, hints: dict[str, list[str]]
                   ) -> dict[str, list[str]]:
    """The words of the widest attachment-like header row (one with a business-like and
    a status-like cell): each cell under the built-in column whose words it holds, else
    the first column whose hint it holds."""
    year = re.compile(profile.text_rules.year)
    best: dict[str, list[str]] = {}
    for grid in (b for b in document.blocks if isinstance(b, Grid)):
        labels = [compact(cell.text, profile) for cell in grid.rows[0] if not cell.is_blank]
        found: dict[str, list[str]] = {}
        for label in labels:
            known = match_column(label, profile)  # the built-in words first, then the hints
            column = known[0] if len(known) == 1 else next(
                (c for c, words in hints.items() if any(w in label for w in words)), None)
            if column is not None and column not in found:
                found[column] = [year.sub("{year}", label)]
        if ("business" in found and "status" in found and len(found) > len(best)
                and not _role_header(labels, hints)):
            best = found  # the widest such header: the attachment, not a count table
    return best


def _role_header(labels: list[str], hints: dict[str, list[str]]) -> bool:
    """Whether a header row is an indicator table's named by role: an indicator cell, an
    actual and a target cell, and no attachment's result-and-plan pair."""
    indicator, plan = draft_hints()["indicator_columns"], hints["plan_next"]
    def holds(words: list[str]) -> bool:
        return any(w in label for label in labels for w in words)
    return (holds(indicator["indicator"]) and holds(indicator["actual"])
            and holds(indicator["target"]) and not holds(plan))


def indicator_columns(document: Document, profile: Profile) -> tuple[str, dict[str, list[str]]]:
    """The first indicator table named by role: its identify word and the words of each
    role (a year as ``{year}``); ("", {}) where the report prints none."""
    year = re.compile(profile.text_rules.year)
    hints = draft_hints()
    roles = hints["indicator_columns"]
    for grid in (b for b in document.blocks if isinstance(b, Grid)):
        labels = [compact(cell.text, profile) for cell in grid.rows[0] if not cell.is_blank]
        if not _role_header(labels, hints["columns"]):
            continue
        found: dict[str, list[str]] = {}
        for label in labels:
            role = next((r for r, words in roles.items() if any(w in label for w in words)
                         and (r not in found or r == "extra")), "extra")
            found.setdefault(role, []).append(year.sub("{year}", label))
        # only the indicator and its actuals and targets: the built-in reading of [front]
        if "indicator" in found and set(found) - {"indicator", "actual", "target"}:
            return found["indicator"][0], found
    return "", {}


def _front_tables(document: Document, profile: Profile, all_hints: dict
                  ) -> dict[str, dict[str, list[str]]]:
    """Section header → key → words, for the count table (two columns, counts in the
    second) and the first indicator table (a header cell holding an indicator hint)."""
    hints, columns = all_hints["indicators"], all_hints["columns"]
    year = re.compile(profile.text_rules.year)
    found: dict[str, dict[str, list[str]]] = {}
    for grid in (b for b in document.blocks if isinstance(b, Grid)):
        rows = [[compact(c.text, profile) for c in row if not c.is_blank] for row in grid.rows]
        if not rows or not rows[0]:
            continue
        if ("[tables.status_summary]" not in found and len(rows) >= 2
                and all(len(row) == len(rows[0]) >= 2 for row in rows)
                and all(re.fullmatch(r"[\d,]+", cell) for row in rows[1:] for cell in row[1:])):
            by_year = len(rows[0]) > 2 and all(year.fullmatch(cell) for cell in rows[0][1:])
            found["[tables.status_summary]"] = {
                "category": [rows[0][0]], "count": ["{year}" if by_year else rows[0][1]],
                "total": [row[0] for row in rows[1:] if row[0] in all_hints["status_summary"]["total"]]}
            continue
        named = [label for label in rows[0] if any(w in label for w in hints["identify"])]
        attachment = all(any(w in label for label in rows[0] for w in columns[c])
                         for c in ("business", "status"))
        if "[tables.indicators]" not in found and named and not attachment:
            found["[tables.indicators]"] = {"identify": named[:1]}
            found["[front]"] = {role: [label for label in rows[0]
                                       if any(w in label for w in hints[role])][:1]
                                for role in ("actual", "target")}
    return found


def _own_level(document: Document, profile: Profile, levels: dict[str, str]) -> str:
    """The draft's ``own_level`` line: the level of the municipality the title names
    (架空県 → prefectural), or, where the title names none, the key commented out with
    the choices, for the user to set (the default, ward, applies until then)."""
    title = find_title(document, profile) or next(
        (b for b in document.blocks if isinstance(b, Paragraph) and b.text.strip()), None)
    _, municipality = title_and_municipality(title, profile)
    if municipality and municipality[-1] in levels:
        level = levels[municipality[-1]]
        return f"own_level = {_quote(level)}  # drafted: the title names {municipality}"
    text = " ".join(title.text.split()) if title else ""
    return (f"# own_level = ?  ({', '.join(dict.fromkeys(levels.values()))}): the title "
            f"{_quote(text[:40])} names no municipality; until set, ward")


def _title_ending(document: Document, profile: Profile) -> str | None:
    """Where the built-in title words find no title: the first line's ending after its
    last fiscal year (令和5年度フォローアップ結果 → フォローアップ結果), else its last words."""
    if find_title(document, profile) is not None:
        return None
    first = next((b for b in document.blocks if isinstance(b, Paragraph) and b.text.strip()), None)
    if first is None:
        return None
    text = compact(first.text, profile)
    years = list(re.finditer(profile.text_rules.year, text))
    ending = text[years[-1].end():] if years else ""
    return ending or text[-6:]


def _role_section(document: Document, profile: Profile, roles: dict[str, list[str]]) -> str:
    """[tables.indicators.columns] of a table named by role; header_rows = 1 where the
    role cells hold their years (目標値(令和5年度)), else 2 (a row of years under them)."""
    in_cells = any("{year}" in word for words in roles.values() for word in words)
    lines = "".join(f"{role} = [{', '.join(_quote(w) for w in words)}]\n"
                    for role, words in roles.items())
    return (f"header_rows = {1 if in_cells else 2}  # drafted\n\n"
            "[tables.indicators.columns]\n# Drafted from the indicator table's header row: "
            "review each (extra: kept as printed in indicators.extra).\n" + lines + "\n")


def _goal_line(document: Document, profile: Profile, max_prefix: int) -> str | None:
    """A [front] goal pattern from the line above the first indicator table named by role,
    where the built-in goal words do not read it: its word before the number (柱1 … →
    '^柱\\s*(?P<number>…')."""
    blocks, hints = document.blocks, draft_hints()["columns"]
    for index, block in enumerate(blocks[1:], start=1):
        above = blocks[index - 1]
        if not isinstance(block, Grid) or not isinstance(above, Paragraph):
            continue
        if not _role_header([compact(c.text, profile) for c in block.rows[0]], hints):
            continue
        match = re.match(rf"^(?P<word>\D{{1,{max_prefix}}}?)\s*\d+\s+\S", above.text.strip())
        if match and not re.match(profile.front.goal, above.text.strip()):
            # a TOML literal string: the pattern's backslashes as they are
            return f"'^{re.escape(match['word'])}\\s*(?P<number>\\d+)\\s*(?P<text>.*)$'"
    return None


def _split_ids(body: str, document: Document, profile: Profile, roles: dict[str, list[str]],
               goal: str | None) -> str:
    """[ids] for an indicator table whose measure cells hold a number alone (1, 2 …) under
    a drafted goal line (柱1): two levels split over the heading and the cells."""
    if not goal or not roles.get("measure"):
        return body
    words = profile.word_patterns(roles["measure"])
    for grid in (b for b in document.blocks if isinstance(b, Grid)):
        labels = [compact(cell.text, profile) for cell in grid.rows[0]]
        column = next((i for i, label in enumerate(labels)
                       if any(w.fullmatch(label) for w in words)), None)
        cells = [compact(row[column].text, profile) for row in grid.rows[1:]
                 if column is not None and column < len(row) and not row[column].is_blank]
        if column is None or not cells:
            continue
        if not all(cell.isdigit() for cell in cells):
            return body
        split = ('levels = ["goal", "measure"]  # drafted: the goal line over number cells\n'
                 + re.sub(r"\(\?P<number>", "(?P<goal>", "goal_heading = " + goal.split("\\s*(?P<text>")[0]
                          + "'") + "\n" "measure_cell = '^(?P<measure>{digit}{1,2})$'\n"
                 "measure = '(?P<goal>{digit}+)\\s*{dash}\\s*(?P<measure>{digit}+)'\n")
        body = re.sub(r"^levels = .*\n", "", body, count=1, flags=re.M)
        return re.sub(r"^measure = .*\n", lambda _: split, body, count=1, flags=re.M)
    return body


def _replace_keys(body: str, words: dict[str, list[str]]) -> str:
    """A section's lines with ``key = [...]`` set to the drafted words (where found), a
    key the section lacks added at its end."""
    for key, values in words.items():
        if values:
            line = f"{key} = [{', '.join(_quote(v) for v in values)}]  # drafted"
            body, replaced = re.subn(rf"^{key} = \[.*\]$", lambda _: line, body, count=1,
                                     flags=re.M)
            body = body if replaced else body.rstrip("\n") + "\n" + line + "\n\n"
    return body


def _legend(document: Document, profile: Profile, mark_length: int,
            status_words: dict[str, list[str]]) -> tuple[list[LegendGrade], str]:
    """(mark, meaning, status, drafted) of each legend entry — its status the built-in
    grade's its meaning names, else the one its words suggest (``drafted``) — and a
    [tables.legend] section when the legend is a table."""
    entries, table = find_legend(document, profile) or _legend_lines(document, profile), ""
    if not entries:
        for grid in (b for b in document.blocks if isinstance(b, Grid)):
            rows = [[c for c in row if not c.is_blank] for row in grid.rows]
            if (len(rows) >= 3 and all(len(row) == 2 for row in rows)
                    and all(len(compact(r[0].text, profile)) <= mark_length
                            and not re.fullmatch(r"[\d,]+", compact(r[1].text, profile))
                            for r in rows[1:])):
                entries = [((r[0].text or "").strip(), " ".join((r[1].text or "").split()))
                           for r in rows[1:]]
                mark, meaning = (compact(c.text, profile) for c in rows[0])
                table = ("[tables.legend]\n# Drafted from the report's legend table.\n"
                         f"identify = [{_quote(meaning)}]\nmark = [{_quote(mark)}]\n"
                         f"meaning = [{_quote(meaning)}]\n\n")
                break
    _, read = legend_to_grades(entries, profile)
    graded = []
    for entry in read:
        guessed = None if entry.status else next(
            (status for status, words in status_words.items()
             if any(word in entry.meaning for word in words)), None)
        graded.append(LegendGrade(entry.mark, entry.meaning, entry.status or guessed,
                                  guessed is not None))
    return graded, table


class LegendGrade(NamedTuple):
    mark: str
    meaning: str
    status: str | None  # a canonical status, "not_assessed", or None: unknown
    drafted: bool  # the status is suggested by the meaning's words, to review


def _scale_text(legend: list[LegendGrade], scale: str,
                share_hints: dict[str, str] | None = None) -> list[str]:
    """The scale's grades, best first, then its grade that is no rank (not_assessed)."""
    graded = [_grade_text(grade, scale, _share_from(grade.meaning, share_hints)
                          if share_hints else None)
              for grade in legend if grade.status != "not_assessed"]
    return graded + [f"[{scale}.not_assessed]  # drafted: the meaning says it is no rank\n"
                     f"mark = {_quote(grade.mark)}\nmeanings = [{_quote(grade.meaning)}]\n\n"
                     for grade in legend if grade.status == "not_assessed"]


def _legend_lines(document: Document, profile: Profile) -> list[tuple[str, str]]:
    """The first run of two or more lines shaped like the built-in legend's entries
    (``A:目標より進んでいる``), under whatever heading."""
    entry = re.compile(profile.legend.entry or "(?!)")
    run: list[tuple[str, str]] = []
    for block in document.blocks:
        lines = block.text.splitlines() if isinstance(block, Paragraph) else [""]
        for line in lines:
            match = entry.match(line.strip())
            if match:
                run.append((match["mark"], " ".join(match["meaning"].split())))
            elif len(run) >= 2:
                return run
            else:
                run = []
    return run if len(run) >= 2 else []


def _share_from(meaning: str, hints: dict[str, str]) -> float | None:
    """The share of target a legend meaning grades from (目標値に対する達成率が80%以上100%未満
    → 0.8, …50%未満 alone → 0.0), or None: the meaning is not a share."""
    at_least = re.search(hints["at_least"], meaning)
    if at_least:
        return float(at_least["percent"]) / 100
    return 0.0 if re.search(hints["below"], meaning) else None


def _grade_text(grade: LegendGrade, scale: str, share_from: float | None = None) -> str:
    status_line = ("# status = ?  (exceeded, on_schedule, delayed, not_started)\n"
                   if grade.status is None else f"status = {_quote(grade.status)}"
                   + ("  # drafted: from the meaning's words\n" if grade.drafted else "\n"))
    share = (f"share_from = {share_from}  # drafted: the share of target the grade reaches\n"
             if share_from is not None else "")
    return (f"[[{scale}.grade]]\nmark = {_quote(grade.mark)}\n"
            f"meanings = [{_quote(grade.meaning)}]\n{share}{status_line}\n")


def _sections(text: str) -> list[tuple[str, str]]:
    """(header line, the lines under it) of a TOML text; the first header is '' (the
    comments before any table)."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            sections.append((line.rstrip("\n"), []))
        else:
            sections[-1][1].append(line)
    return [(header, "".join(lines)) for header, lines in sections]


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string
