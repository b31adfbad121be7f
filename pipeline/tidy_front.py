"""The front part as printed → tidy records: status counts, indicators, footnotes."""

from __future__ import annotations

import re

from pipeline.errors import LayoutError
from pipeline.normalize.era import parse_fiscal_year
from pipeline.normalize.ids import GOAL_LINE
from pipeline.normalize.marks import STATUS_BY_MARK, normalize_mark
from pipeline.normalize.numbers import parse_quantity, strip_note_refs
from pipeline.normalize.text import (
    clean_text,
    join_wrapped,
    repair_text,
    unspace_letters,
)
from pipeline.records import Cell, Paragraph
from pipeline.structure import RawFootnote, RawIndicatorTable
from schemas.records import FootnoteRecord, IndicatorRecord, StatusSummaryRecord
from schemas.vocabulary import KIND_BY_WORD

_MUNICIPALITY = re.compile(r"^(?:第\d+次)?(\S{1,6}?(?:都|道|府|県|市|区|町|村))")


def status_rows_to_records(rows: tuple[tuple[Cell, Cell], ...], report_id: str, source: str
                           ) -> list[StatusSummaryRecord]:
    """'◎ 目標を大きく上回る…' | '0' → mark, status, label, count."""
    records = []
    for label_cell, count_cell in rows:
        text = clean_text(label_cell.text) or ""
        mark_text, _, label = text.partition(" ")
        try:
            mark = normalize_mark(mark_text[:1])
            count = int(clean_text(count_cell.text) or "")
            if mark is None:
                raise ValueError("no mark")
        except ValueError:
            raise LayoutError(f"{source}: {label_cell.where} the status-count row {text!r} | "
                              f"{(count_cell.text or '').strip()!r} is not a mark, label and count.") from None
        label = (label or mark_text[1:]).strip()
        records.append(StatusSummaryRecord(report_id=report_id, status_mark=mark,
                                           status=STATUS_BY_MARK[mark], label=label, count=count))
    return records


def indicator_tables_to_records(tables: tuple[RawIndicatorTable, ...], report_id: str,
                                source: str) -> list[IndicatorRecord]:
    """Wide indicator tables → one record per indicator, kind and year."""
    records = []
    for table in tables:
        goal_no, goal = _goal(table.goal, source)
        columns = _value_columns(table, source)
        for row in table.rows:
            name, name_refs = strip_note_refs(clean_text(row[0].text) or "")
            for (kind, year), cell in zip(columns, row[1:]):
                records.append(_indicator_value(cell, name, name_refs, kind, year, source,
                                                report_id, goal_no, goal))
    return records


def _indicator_value(cell: Cell, name: str, name_refs: tuple[str, ...], kind: str, year: int,
                     source: str, report_id: str, goal_no: int, goal: str) -> IndicatorRecord:
    raw = " ".join((join_wrapped(repair_text(cell.text or ""))).split()) or None
    try:
        quantity = parse_quantity(raw or "")
    except ValueError:
        raise LayoutError(f"{source}: {cell.where} indicator {name!r}, {kind} {year}: cannot read "
                          f"a number from {raw!r}.") from None
    refs = name_refs + tuple(r for r in quantity.note_refs if r not in name_refs)
    return IndicatorRecord(
        report_id=report_id, goal_no=goal_no, goal=goal, indicator=name,
        note_refs=" ".join(refs) or None, kind=kind, fiscal_year=year, value=quantity.value,
        unit=quantity.unit, approx=quantity.approx, denominator=quantity.denominator, raw=raw)


def _value_columns(table: RawIndicatorTable, source: str) -> list[tuple[str, int]]:
    columns = []
    for kind_cell, year_cell in zip(table.kinds, table.years):
        kind = KIND_BY_WORD.get((clean_text(kind_cell.text) or "").replace(" ", ""))
        try:
            year = parse_fiscal_year(year_cell.text or "")
        except ValueError as error:
            raise LayoutError(f"{source}: {year_cell.where} the indicator column headed "
                              f"{(year_cell.text or '').strip()!r} names an impossible fiscal "
                              f"year ({error}).") from None
        if kind is None or year is None:
            raise LayoutError(f"{source}: {year_cell.where} an indicator column is headed "
                              f"{(kind_cell.text or '').strip()!r} / {(year_cell.text or '').strip()!r}, "
                              "not 実績 or 目標 over a fiscal year.")
        columns.append((kind, year))
    return columns


def _goal(paragraph: Paragraph | None, source: str) -> tuple[int, str]:
    # Read the number before clean_text glues "目標 2 効率的" into "目標2効率的".
    text = join_wrapped(unspace_letters(repair_text(paragraph.text))) if paragraph else ""
    match = GOAL_LINE.match(text.strip())
    if match is None:
        where = f"page {paragraph.page}," if paragraph and paragraph.page else ""
        raise LayoutError(f"{source}: {where} an indicator table is not preceded by its goal "
                          "line (目標 N …).")
    return int(match.group(1)), clean_text(match.group(2)) or ""


def footnotes_to_records(footnotes: tuple[RawFootnote, ...], report_id: str
                         ) -> list[FootnoteRecord]:
    """※N notes; a note's continuation paragraphs are joined to it like wrapped lines."""
    records = []
    for note in footnotes:
        first = re.sub(r"^\s*※\s*\d+\s*", "", repair_text(note.paragraphs[0].text))
        text = clean_text("\n".join([first] + [p.text for p in note.paragraphs[1:]])) or ""
        records.append(FootnoteRecord(report_id=report_id, ref=note.ref, text=text))
    return records


def title_and_municipality(title: Paragraph | None) -> tuple[str | None, str | None]:
    text = clean_text(title.text) if title else None
    match = _MUNICIPALITY.match(text or "")
    return text, (match.group(1) if match else None)
