"""The front part as printed → tidy records: status counts, indicators, footnotes.

Every cell read here first loses its format characters (BOM, zero-width space, soft
hyphen, direction marks: category Cf, which print nothing), and a cell holding a
control character (category Cc, other than tab and line ends) is refused: neither may
end up in a name, a unit or a label.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TypeVar

from pipeline.errors import Failure, LayoutError
from pipeline.normalize.marks import Grades, profile_grades, split_grade_label
from pipeline.normalize.numbers import NumberOutOfRange, parse_count, parse_quantity, strip_note_refs
from pipeline.normalize.text import join_wrapped, normalize_text, unspace_letters
from pipeline.profiles import Profile, resolve
from pipeline.records import Cell, Paragraph
from pipeline.structure import RawFootnote, RawIndicatorTable, header_fiscal_year
from schemas.records import FootnoteRecord, IndicatorRecord, StatusSummaryRecord

Block = TypeVar("Block", Cell, Paragraph)


def status_rows_to_records(rows: tuple[tuple[Cell, Cell], ...], report_id: str, source: str,
                           grades: Grades | None = None) -> list[StatusSummaryRecord]:
    """'◎ 目標を大きく上回る…' | '0' → mark, status, label, count."""
    grades = profile_grades() if grades is None else grades
    records = []
    for label_cell, count_cell in rows:
        label_cell, count_cell = printable(label_cell, source), printable(count_cell, source)
        text = normalize_text(label_cell.text) or ""
        try:
            grade, label = split_grade_label(text, grades)
            count = parse_count(normalize_text(count_cell.text) or "")
        except NumberOutOfRange as error:
            raise LayoutError(f"{source}: {count_cell.where} the status count of {text!r}: "
                              f"{error}.") from None
        except ValueError:
            raise LayoutError(f"{source}: {label_cell.where} the status-count row {text!r} | "
                              f"{(count_cell.text or '').strip()!r} is not a mark, label and count.") from None
        records.append(StatusSummaryRecord(report_id=report_id, status_mark=grade.mark,
                                           grade_rank=grade.rank, status=grade.status,
                                           label=label, count=count,
                                           source_file=label_cell.file or source,
                                           source_ref=label_cell.source_ref))
    return records


_FORMAT = "Cf"
_CONTROL = "Cc"
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def printable(block: Block, source: str) -> Block:
    """The cell or paragraph without format characters; a LayoutError naming it when it
    holds a control character.

    >>> printable(Cell("\\ufeff62.3%", line=25), "r.txt").text
    '62.3%'
    """
    text = block.text
    if text is None or text.isascii() and text.isprintable():
        return block
    kept = "".join(char for char in text if unicodedata.category(char) != _FORMAT)
    for char in kept:
        if unicodedata.category(char) == _CONTROL and char not in _ALLOWED_CONTROLS:
            raise LayoutError(f"{source}: {block.where} the cell {kept.strip()[:40]!r} holds "
                              f"the control character U+{ord(char):04X}, which no report "
                              "prints; the report is refused rather than the character kept.")
    return replace(block, text=kept) if kept != text else block


def indicator_tables_to_records(tables: tuple[RawIndicatorTable, ...], report_id: str,
                                source: str, profile: Profile | None = None
                                ) -> list[IndicatorRecord]:
    """Wide indicator tables → one record per indicator, kind and year."""
    profile = resolve(profile)
    records = []
    for table in tables:
        goal_no, goal = _goal(table.goal, source, profile)
        columns = _value_columns(table, source, profile)
        for row in table.rows:
            row = tuple(printable(cell, source) for cell in row)
            name, name_refs = strip_note_refs(normalize_text(row[0].text) or "")
            for (kind, year), cell in zip(columns, row[1:], strict=True):
                records.append(_indicator_value(cell, name, name_refs, kind, year, source,
                                                report_id, goal_no, goal))
    return records


def _indicator_value(cell: Cell, name: str, name_refs: tuple[str, ...], kind: str, year: int,
                     source: str, report_id: str, goal_no: int, goal: str) -> IndicatorRecord:
    raw = " ".join((join_wrapped(cell.text or "")).split()) or None
    try:
        quantity = parse_quantity(raw or "")
    except NumberOutOfRange as error:
        raise LayoutError(f"{source}: {cell.where} indicator {name!r}, {kind} {year}: "
                          f"{error}.") from None
    except ValueError:
        raise LayoutError(f"{source}: {cell.where} indicator {name!r}, {kind} {year}: cannot read "
                          f"a number from {raw!r}.") from None
    refs = name_refs + tuple(r for r in quantity.note_refs if r not in name_refs)
    return IndicatorRecord(
        report_id=report_id, goal_no=goal_no, goal=goal, indicator=name,
        note_refs=" ".join(refs) or None, kind=kind, fiscal_year=year, value=quantity.value,
        unit=quantity.unit, approx=quantity.approx, denominator=quantity.denominator, raw=raw,
        source_file=cell.file or source, source_ref=cell.source_ref)


def _value_columns(table: RawIndicatorTable, source: str, profile: Profile
                   ) -> list[tuple[str, int]]:
    front = profile.section("front")
    kinds = {word: kind for kind in ("actual", "target") for word in front.get(kind, ())}
    columns = []
    for kind_cell, year_cell in zip(table.kinds, table.years):
        kind = kinds.get((normalize_text(kind_cell.text) or "").replace(" ", ""))
        year = header_fiscal_year(year_cell, source, "the indicator column headed")
        if kind is None or year is None:
            raise LayoutError(f"{source}: {year_cell.where} an indicator column is headed "
                              f"{(kind_cell.text or '').strip()!r} / {(year_cell.text or '').strip()!r}, "
                              f"not {' or '.join(kinds)} over a fiscal year.")
        columns.append((kind, year))
    return columns


def _goal(paragraph: Paragraph | None, source: str, profile: Profile) -> tuple[int, str]:
    paragraph = printable(paragraph, source) if paragraph else None
    # Read the number before normalize_text glues "目標 2 効率的" into "目標2効率的".
    text = join_wrapped(unspace_letters(paragraph.text)) if paragraph else ""
    match = re.match(profile.section("front", "goal"), text.strip())
    if match is None:
        where = f"page {paragraph.page}," if paragraph and paragraph.page else ""
        raise LayoutError(f"{source}: {where} an indicator table is not preceded by its goal "
                          "line.")
    return int(match["number"]), normalize_text(match["text"]) or ""


def footnotes_to_records(footnotes: tuple[RawFootnote, ...], report_id: str, source: str,
                         profile: Profile | None = None) -> list[FootnoteRecord]:
    """Footnotes (※N); a note's continuation paragraphs are joined to it like wrapped lines."""
    footnote = re.compile(resolve(profile).section("front", "footnote"))
    records = []
    for note in footnotes:
        note = replace(note, paragraphs=tuple(printable(p, source) for p in note.paragraphs))
        first = note.paragraphs[0].text.strip()
        match = footnote.match(first)
        first = first[match.end():].lstrip() if match else first
        text = normalize_text("\n".join([first] + [p.text for p in note.paragraphs[1:]])) or ""
        first_paragraph = note.paragraphs[0]
        records.append(FootnoteRecord(report_id=report_id, ref=note.ref, text=text,
                                      source_file=first_paragraph.file or source,
                                      source_ref=first_paragraph.source_ref))
    return records


def missing_footnotes(indicators: list[IndicatorRecord], footnotes: list[FootnoteRecord],
                      source: str) -> list[Failure]:
    """A warning for each footnote an indicator points to (※2) that the report does not
    hold: a note lost to damage (a line break inside its mark) is named, never silent."""
    refs = {note.ref for note in footnotes}
    failures, named = [], set()
    for record in indicators:
        for ref in (record.note_refs or "").split():
            if ref in refs or ref in named:
                continue
            named.add(ref)
            where = _PLACE.fullmatch(record.source_ref or "")
            failures.append(Failure(
                code="footnote_missing", source=record.source_file, table="indicators",
                column="note_refs", value=ref, severity="warning",
                page=int(where["number"]) if where and where["unit"] == "page" else None,
                line=int(where["number"]) if where and where["unit"] == "line" else None,
                message=f"the indicator {record.indicator!r} points to footnote {ref}, but the "
                        f"report holds no note {ref}"))
    return failures


_PLACE = re.compile(r"(?P<unit>line|page) (?P<number>\d+)")


def title_and_municipality(title: Paragraph | None, profile: Profile | None = None
                           ) -> tuple[str | None, str | None]:
    text = normalize_text(title.text) if title else None
    pattern = resolve(profile).section("title", "municipality")
    match = re.match(pattern, text or "") if pattern else None
    return text, (match["municipality"] if match else None)
