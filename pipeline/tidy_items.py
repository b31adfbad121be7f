"""Attachment rows as printed → tidy item records with normalised values.

One record per business row, plus its departments (long) and the dates its cells
mention. Re-listed rows are marked here and resolved in ``relisted.py``.
"""

from __future__ import annotations

from pipeline.errors import Failure, LayoutError
from pipeline.normalize.era import find_date_mentions, parse_fiscal_year
from pipeline.normalize.ids import (
    BusinessName,
    NameConflict,
    parse_measure_id,
    plan_tag,
    split_business,
    split_measure_name,
)
from pipeline.normalize.marks import STATUS_BY_MARK, normalize_mark
from pipeline.normalize.text import clean_text, split_departments
from pipeline.records import Cell
from pipeline.structure import ItemHeader, RawItem
from schemas.records import DateMentionRecord, ItemDepartmentRecord, ItemRecord
from schemas.vocabulary import DATE_FIELDS


def header_years(header: ItemHeader, source: str) -> tuple[int, int | None, int | None]:
    """(fiscal year reported on, next plan year, first later-plan year) from a header row.

    The year reported on is required; a report without a plan column has no year for it.
    """
    years: list[int | None] = []
    for label, cell in (("取組結果", header.result_label), ("翌年度の取組予定", header.next_label),
                        ("以降の取組予定", header.later_label)):
        try:
            year = parse_fiscal_year(cell.text or "")
        except ValueError as error:
            raise LayoutError(f"{source}: {cell.where} the attachment header "
                              f"{(cell.text or '').strip()!r} names an impossible fiscal year "
                              f"({error}).") from None
        if year is None and (label == "取組結果" or not cell.is_blank):
            raise LayoutError(f"{source}: {cell.where} the attachment header's {label} column "
                              f"names no fiscal year ({(cell.text or '').strip()!r}).")
        years.append(year)
    return years[0], years[1], years[2]


def raw_items_to_records(items: tuple[RawItem, ...], report_id: str, source: str
                         ) -> tuple[list[ItemRecord], list[DateMentionRecord], list[Failure]]:
    """(items, date_mentions, failures) for the attachment's rows, in document order."""
    records: list[ItemRecord] = []
    mentions: list[DateMentionRecord] = []
    failures: list[Failure] = []
    for row_no, item in enumerate(items, start=1):
        record, problems = item_to_record(item, row_no, report_id, source)
        found, impossible = item_date_mentions(record, item, source)
        records.append(record)
        mentions.extend(found)
        failures.extend(problems + impossible)
    return records, mentions, failures


def item_departments(records: list[ItemRecord]) -> list[ItemDepartmentRecord]:
    """items.departments, long: one record per item and department."""
    return [ItemDepartmentRecord(report_id=record.report_id, row_no=record.row_no, department=name)
            for record in records for name in (record.departments or "").split()]


def item_to_record(item: RawItem, row_no: int, report_id: str, source: str
                   ) -> tuple[ItemRecord, list[Failure]]:
    """One attachment row as a record, and the failures of its cells (each cell once:
    the record holds a stand-in value that no later check reports again)."""
    fiscal_year, next_fy, later_fy = header_years(item.header, source)
    measure_id, goal_no, policy_no, measure_no = _measure_id(item.measure_id, source)
    business_raw = clean_text(item.business.text)
    if business_raw is None:
        raise LayoutError(f"{source}: {item.business.where} a row of measure {measure_id} "
                          "has no 事業内容 (business) text.")
    (measure_name, measure_relisted_from), failures = _measure_name(item, row_no, source)
    business, business_failures = _business(item.business, business_raw, row_no, source)
    relisted_from = business.relisted_from or measure_relisted_from
    mark, mark_failures = _status_mark(item.status, row_no, source)
    failures += business_failures + mark_failures
    plan_next, plan_later = clean_text(item.plan_next.text), clean_text(item.plan_later.text)
    record = ItemRecord(
        report_id=report_id, fiscal_year=fiscal_year, row_no=row_no,
        measure_id=measure_id, goal_no=goal_no, policy_no=policy_no,
        measure_no=measure_no, measure_name=measure_name,
        business=business.name, business_raw=business_raw,
        gov_level=business.gov_level, starred=business.starred,
        status_mark=mark, status=STATUS_BY_MARK.get(mark) if mark else None,
        change_reason=clean_text(item.change_reason.text),
        result=clean_text(item.result.text),
        plan_next=plan_next, plan_next_tag=plan_tag(plan_next), plan_next_fy=next_fy,
        plan_later=plan_later, plan_later_tag=plan_tag(plan_later),
        plan_later_from_fy=later_fy,
        departments=" ".join(split_departments(item.departments.text)) or None,
        is_relisted=relisted_from is not None, relisted_from=relisted_from,
        relisted_row_no=None,
        source_page=item.business.page, source_line=item.business.line,
        source_bbox=_bbox(item.business),
    )
    return record, failures


def item_date_mentions(record: ItemRecord, item: RawItem, source: str
                       ) -> tuple[list[DateMentionRecord], list[Failure]]:
    """Dates in a row's own printed cells; the fiscal year each cell speaks of fills a missing year.

    A date that cannot exist (令和6年2月30日) is left out with a warning naming its cell:
    the text stays as printed in the items column, and nothing is guessed.
    """
    context = {"change_reason": record.fiscal_year, "result": record.fiscal_year,
               "plan_next": record.plan_next_fy, "plan_later": record.plan_later_from_fy}
    rows, warnings = [], []
    for field in DATE_FIELDS:
        cell: Cell = getattr(item, field)
        mentions, impossible = find_date_mentions(getattr(record, field) or "", context[field])
        rows.extend(DateMentionRecord(
            report_id=record.report_id, row_no=record.row_no, field=field, raw=mention.raw,
            year=mention.year, month=mention.month, day=mention.day,
            fiscal_year=mention.fiscal_year, inferred=mention.inferred) for mention in mentions)
        warnings.extend(Failure(
            code="impossible_date", severity="warning", source=source, table="items",
            page=cell.page, line=cell.line, row=record.row_no, column=field, value=date.raw,
            message=f"{date.reason}; the text is kept and the date is left out of date_mentions")
            for date in impossible)
    return rows, warnings


def _measure_name(item: RawItem, row_no: int, source: str
                  ) -> tuple[tuple[str, str | None], list[Failure]]:
    cell = item.measure_name if item.measure_name.where else item.measure_id
    try:
        return split_measure_name(item.measure_name.text or ""), []
    except NameConflict as conflict:
        assert isinstance(conflict.read_as, tuple)
        return conflict.read_as, [_cell_failure(
            "measure_name_conflict", cell, row_no, "measure_name", item.measure_name.text,
            f"the measure name carries {'; '.join(conflict.reasons)}", source)]
    except ValueError:
        return ("", None), [_cell_failure(
            "measure_name_missing", cell, row_no, "measure_name", item.measure_id.text,
            "the measure has an id but no name (実施内容)", source)]


def _business(cell: Cell, business_raw: str, row_no: int, source: str
              ) -> tuple[BusinessName, list[Failure]]:
    try:
        return split_business(business_raw), []
    except NameConflict as conflict:
        assert isinstance(conflict.read_as, BusinessName)
        return conflict.read_as, [_cell_failure(
            "business_name_conflict", cell, row_no, "business", business_raw,
            f"the business name carries {'; '.join(conflict.reasons)}", source)]
    except ValueError:
        return BusinessName(business_raw, "ward", False, None), [_cell_failure(
            "business_name_missing", cell, row_no, "business", business_raw,
            "the 事業内容 cell holds only marks (☆, (国), 再掲), no business name", source)]


def _cell_failure(code: str, cell: Cell, row_no: int, column: str, value: str | None,
                  message: str, source: str) -> Failure:
    return Failure(code=code, source=source, table="items", page=cell.page, line=cell.line,
                   row=row_no, column=column, value=(value or "").strip() or None, message=message)


def _measure_id(cell: Cell, source: str) -> tuple[str, int, int, int]:
    try:
        return parse_measure_id(cell.text or "")
    except ValueError:
        raise LayoutError(f"{source}: {cell.where} {(cell.text or '').strip()!r} is not a "
                          "measure id like 1-1-①.") from None


def _status_mark(cell: Cell, row_no: int, source: str) -> tuple[str | None, list[Failure]]:
    try:
        return normalize_mark(cell.text), []
    except ValueError:
        return None, [_cell_failure("bad_status_mark", cell, row_no, "status_mark", cell.text,
                                    "進捗状況 is not one of ◎ ○ △ ×", source)]


def _bbox(cell: Cell) -> str | None:
    if cell.bbox is None:
        return None
    return ",".join(f"{v:.1f}" for v in cell.bbox)
