"""The front part as printed → tidy records: indicators, footnotes (status counts:
``status_counts.py``).

Every cell read here first loses its format characters (BOM, zero-width space, soft
hyphen, direction marks: category Cf, which print nothing), and a cell holding a
control character (category Cc, other than tab and line ends) is refused: neither may
end up in a name, a unit or a label.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from pipeline.errors import Failure, LayoutError
from pipeline.normalize.era import header_fiscal_year
from pipeline.normalize.marks import Grades, read_grade
from pipeline.normalize.numbers import NumberOutOfRange, parse_quantity, strip_note_refs
from pipeline.normalize.text import join_wrapped, normalize_text, unspace_letters
from pipeline.profiles import Profile
from pipeline.records import Cell, Paragraph
from pipeline.tidy.front_tables import RawFootnote, RawIndicatorTable
from pipeline.tidy.grade_shares import share_doubts
from schemas.records import FootnoteRecord, IndicatorEvaluationRecord, IndicatorRecord

Block = TypeVar("Block", Cell, Paragraph)


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


class IdReader(Protocol):
    """What reads the ids of an indicator table's 項目 column (items17's SplitIdReader in
    pipeline/normalize/ids.py): the goal heading above the table, then each 項目 cell in
    order; ``cell`` gives the measure's id (an object with ``.id``) once one is known."""

    def goal(self, text: str) -> Any: ...

    def cell(self, text: str) -> tuple[Any, str | None]: ...


@dataclass
class IndicatorTables:
    """What the indicator tables hold: their values, their evaluations, and the warnings
    about a year taken from a cell or from the report."""

    indicators: list[IndicatorRecord] = field(default_factory=list)
    evaluations: list[IndicatorEvaluationRecord] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def indicator_tables_to_records(tables: tuple[RawIndicatorTable, ...], report_id: str,
                                source: str, profile: Profile
                                ) -> list[IndicatorRecord]:
    """Wide indicator tables → one record per indicator, kind and year."""
    return indicator_tables_to_tables(tables, report_id, source, profile).indicators


def indicator_tables_to_tables(tables: tuple[RawIndicatorTable, ...], report_id: str,
                               source: str, profile: Profile,
                               fiscal_year: int | None = None,
                               id_reader: Callable[[], IdReader] | None = None) -> IndicatorTables:
    """Wide indicator tables → one record per indicator, kind, year and qualifier, one
    evaluation per graded indicator, and the warnings. ``fiscal_year``: the report's, for
    an actual column headed without a year; ``id_reader`` makes a reader of each table's
    項目 cells (without one, measure_id stays empty)."""
    cells = _CellGrammar.of(profile)
    scale = {form: grade for grade in profile.indicator_grades for form in grade.forms}
    decorated = profile.indicator_scale.decorated
    found = IndicatorTables()
    for table in tables:
        goal_no, goal = _goal(table.goal, source, profile)
        columns = _value_columns(table, source, profile, fiscal_year, found.failures)
        measure_ids = _measure_ids(table, source, id_reader)
        for number, row in enumerate(table.rows):
            row = tuple(printable(cell, source) for cell in row)
            name, name_refs = strip_note_refs(normalize_text(row[0].text) or "")
            measure_id = measure_ids[number] if measure_ids else None
            about = _RowContext(
                measure_id,
                normalize_text(printable(table.measure_names[number], source).text)
                if table.measure_names else None,
                _extra_json(table.extras[number], source) if table.extras else None)
            first = len(found.indicators)
            for column, cell in zip(columns, row[1:], strict=True):
                for value in _cell_values(cell, column, cells, name, source, found.failures):
                    found.indicators.append(_indicator_value(
                        cell, value, name, name_refs, column, source, report_id, goal_no, goal,
                        about))
            if table.evaluations:
                evaluation = _evaluation(printable(table.evaluations[number], source), name,
                                         scale, decorated, source)
                if evaluation is not None:
                    found.evaluations.append(_evaluation_record(
                        evaluation, report_id, goal_no, measure_id, name, source))
                    share = printable(table.shares[number], source) if table.shares else None
                    found.failures += share_doubts(evaluation, name, found.indicators[first:],
                                                   share, profile.indicator_grades, source)
    return found


@dataclass(frozen=True)
class _RowContext:
    """What an indicator row says besides its values: its measure's id and name, and the
    cells of the profile's extra columns (JSON)."""

    measure_id: str | None
    measure_name: str | None
    extra: str | None


def _extra_json(cells: tuple[tuple[str, Cell], ...], source: str) -> str | None:
    """The row's filled extra cells as {header as printed: text}, or None."""
    kept = {header: normalize_text(printable(cell, source).text) for header, cell in cells}
    return json.dumps(kept, ensure_ascii=False) if kept else None


@dataclass(frozen=True)
class _Column:
    kind: str
    label: str  # the header word as printed
    year: int
    year_from: str  # header | report


@dataclass(frozen=True)
class _Value:
    text: str  # the value as printed, without its year or qualifier
    year: int
    year_from: str
    qualifier: str | None


@dataclass(frozen=True)
class _CellGrammar:
    """What a value cell may hold besides its number ([tables.indicators.cells])."""

    year: re.Pattern[str] | None
    qualifier: re.Pattern[str] | None

    @classmethod
    def of(cls, profile: Profile) -> _CellGrammar:
        cells = profile.tables.indicators.cells
        return cls(*(re.compile(pattern) if pattern is not None else None
                     for pattern in (cells.year, cells.qualifier)))


def split_value_cell(raw: str, grammar: _CellGrammar) -> tuple[str | None, list[tuple[str, str | None]]]:
    """A printed value cell → (its own year as printed or None, [(value, qualifier)…]).

    A cell with qualifiers holds one value before each: ``97.0%(小) 98.2%(中)`` →
    ``[("97.0%", "小"), ("98.2%", "中")]``; text after the last qualifier is a ValueError.
    """
    year = None
    if grammar.year is not None and (match := grammar.year.match(raw)):
        year, raw = match["year"], raw[match.end():]
    found = list(grammar.qualifier.finditer(raw)) if grammar.qualifier is not None else []
    if not found:
        return year, [(raw.strip(), None)]
    values, start = [], 0
    for match in found:
        values.append((raw[start:match.start()].strip(), match["qualifier"].strip()))
        start = match.end()
    if raw[start:].strip():
        raise ValueError(f"the text {raw[start:].strip()!r} after the last qualifier")
    return year, values


def _cell_values(cell: Cell, column: _Column, grammar: _CellGrammar, name: str, source: str,
                 failures: list[Failure]) -> list[_Value]:
    raw = " ".join((join_wrapped(cell.text or "")).split())
    try:
        printed_year, values = split_value_cell(raw, grammar)
    except ValueError as error:
        raise LayoutError(f"{source}: {cell.where} indicator {name!r}, {column.kind} "
                          f"{column.year}: cannot read the cell {raw!r}: {error}.") from None
    year, year_from = column.year, column.year_from
    if printed_year is not None:
        dated = header_fiscal_year(replace(cell, text=printed_year), source,
                                   f"the value of {name!r} dated")
        if dated is None:
            raise LayoutError(f"{source}: {cell.where} indicator {name!r}: the cell's year "
                              f"{printed_year!r} names no fiscal year.")
        year = dated
        if year != column.year:
            failures.append(_warning(
                "indicator_year_from_cell", cell, source, "fiscal_year", raw,
                f"the {column.label} of {name!r} is printed as of fiscal {year}, not the "
                f"column's {column.year}; the cell's year is kept"))
        year_from = "cell"
    return [_Value(text, year, year_from, qualifier) for text, qualifier in values]


def _indicator_value(cell: Cell, value: _Value, name: str, name_refs: tuple[str, ...],
                     column: _Column, source: str, report_id: str, goal_no: int, goal: str,
                     about: _RowContext) -> IndicatorRecord:
    raw = " ".join((join_wrapped(cell.text or "")).split()) or None
    kind, year = column.kind, value.year
    try:
        quantity = parse_quantity(value.text)
    except NumberOutOfRange as error:
        raise LayoutError(f"{source}: {cell.where} indicator {name!r}, {kind} {year}: "
                          f"{error}.") from None
    except ValueError:
        shown = raw if value.text == (raw or "") else value.text
        raise LayoutError(f"{source}: {cell.where} indicator {name!r}, {kind} {year}: cannot read "
                          f"a number from {shown!r}.") from None
    refs = name_refs + tuple(r for r in quantity.note_refs if r not in name_refs)
    return IndicatorRecord(
        report_id=report_id, goal_no=goal_no, goal=goal, measure_id=about.measure_id,
        measure_name=about.measure_name, indicator=name,
        note_refs=" ".join(refs) or None, kind=kind, kind_label=column.label, fiscal_year=year,
        year_from=value.year_from, qualifier=value.qualifier, value=quantity.value,
        unit=quantity.unit, approx=quantity.approx, denominator=quantity.denominator, raw=raw,
        extra=about.extra, source_file=cell.file or source, source_ref=cell.source_ref)


def _value_columns(table: RawIndicatorTable, source: str, profile: Profile,
                   fiscal_year: int | None, failures: list[Failure]) -> list[_Column]:
    front = profile.front
    kinds = {word: kind for kind, words in (("actual", front.actual), ("target", front.target))
             for word in words}
    columns = []
    for number, (kind_cell, year_cell) in enumerate(zip(table.kinds, table.years)):
        label = (normalize_text(kind_cell.text) or "").replace(" ", "")
        kind = table.roles[number] if table.roles else kinds.get(label)
        year = header_fiscal_year(year_cell, source, "the indicator column headed")
        if year is None and table.roles:  # one header row: 目標値(令和5年度)
            year = header_fiscal_year(kind_cell, source, "the indicator column headed")
        if kind is None or year is None and not table.roles:
            raise LayoutError(f"{source}: {year_cell.where} an indicator column is headed "
                              f"{(kind_cell.text or '').strip()!r} / {(year_cell.text or '').strip()!r}, "
                              f"not {' or '.join(kinds)} over a fiscal year.")
        if year is not None:
            columns.append(_Column(kind, label, year, "header"))
        elif kind == "actual" and fiscal_year is not None:
            failures.append(_warning(
                "indicator_year_from_report", kind_cell, source, "fiscal_year", label,
                f"the indicator column {label!r} names no fiscal year; its values are taken "
                f"as of the report's fiscal year {fiscal_year}"))
            columns.append(_Column(kind, label, fiscal_year, "report"))
        else:
            raise LayoutError(f"{source}: {kind_cell.where} the indicator column {label!r} "
                              f"({kind}) names no fiscal year, and only an actual (current) "
                              "value can be taken as of the report's year; add a row of years "
                              "to the header or a year to each cell.")
    return columns


def _measure_ids(table: RawIndicatorTable, source: str,
                 id_reader: Callable[[], IdReader] | None) -> list[str | None]:
    """Each row's measure id, read from the 項目 cells down to it; [] without a reader."""
    if id_reader is None or not table.measures:
        return []
    reader = id_reader()
    if table.goal is not None:
        reader.goal(table.goal.text)
    read: dict[int, str | None] = {}  # 項目 cells read so far → the id they gave
    ids, current = [], None
    for cells in table.measures:
        for number in range(len(read), len(cells)):
            cell = printable(cells[number], source)
            try:
                measure, _name = reader.cell(normalize_text(cell.text) or "")
            except ValueError as error:
                raise LayoutError(f"{source}: {cell.where} the indicator's id cell "
                                  f"{(cell.text or '').strip()!r}: {error}") from None
            current = measure.id if measure is not None else current
            read[number] = current
        ids.append(current)
    return ids


def _evaluation(cell: Cell, name: str, scale: Grades, decorated: bool, source: str
                ) -> tuple[Any, str, Cell] | None:
    text = normalize_text(cell.text)
    if not text:
        return None  # the report grades this indicator not at all
    try:
        grade = read_grade(text, scale, decorated)
    except ValueError:
        forms = ", ".join(scale) or "none: the profile has no [indicator_grades]"
        raise LayoutError(f"{source}: {cell.where} the evaluation of indicator {name!r} is "
                          f"{text!r}, none of the indicators' grades ({forms}).") from None
    return grade, text, cell


def _evaluation_record(evaluation: tuple[Any, str, Cell], report_id: str, goal_no: int,
                       measure_id: str | None, name: str, source: str
                       ) -> IndicatorEvaluationRecord:
    grade, text, cell = evaluation
    return IndicatorEvaluationRecord(
        report_id=report_id, goal_no=goal_no, measure_id=measure_id, indicator=name,
        evaluation_mark=grade.mark, grade_rank=grade.rank, status=grade.status,
        label=grade.meanings[0] if grade.meanings else None, raw=text,
        source_file=cell.file or source, source_ref=cell.source_ref)


def _warning(code: str, cell: Cell, source: str, column: str, value: str, message: str
             ) -> Failure:
    return Failure(code=code, source=cell.file or source, table="indicators", column=column,
                   value=value, severity="warning", page=cell.page, line=cell.line,
                   message=message)


def _goal(paragraph: Paragraph | None, source: str, profile: Profile) -> tuple[int, str]:
    paragraph = printable(paragraph, source) if paragraph else None
    # Read the number before normalize_text glues "目標 2 効率的" into "目標2効率的".
    text = join_wrapped(unspace_letters(paragraph.text)) if paragraph else ""
    match = re.match(profile.front.goal, text.strip())
    if match is None:
        where = f"page {paragraph.page}," if paragraph and paragraph.page else ""
        raise LayoutError(f"{source}: {where} an indicator table is not preceded by its goal "
                          "line (front.goal; where one goal line stands over several tables, "
                          'say tables.indicators.goal_line = "carried").')
    return int(match["number"]), normalize_text(match["text"]) or ""


def footnotes_to_records(footnotes: tuple[RawFootnote, ...], report_id: str, source: str,
                         profile: Profile) -> list[FootnoteRecord]:
    """Footnotes (※N); a note's continuation paragraphs, and the cells of a note printed
    in a box of cells (a tab between them), are joined like a cell's wrapped lines:
    Japanese directly, two Latin words with a space (``join_wrapped``)."""
    footnote = re.compile(profile.front.footnote)
    records = []
    for note in footnotes:
        note = replace(note, paragraphs=tuple(printable(p, source) for p in note.paragraphs))
        first = note.paragraphs[0].text.strip()
        match = footnote.match(first)
        first = first[match.end():].lstrip() if match else first
        lines = "\n".join([first] + [p.text for p in note.paragraphs[1:]])
        text = normalize_text(lines.replace("\t", "\n")) or ""
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


def title_and_municipality(title: Paragraph | None, profile: Profile
                           ) -> tuple[str | None, str | None]:
    text = normalize_text(title.text) if title else None
    pattern = profile.title.municipality
    match = re.match(pattern, text or "") if pattern else None
    return text, (match["municipality"] if match else None)
