"""Attachment rows as printed → tidy item records with normalised values.

One record per business row, plus its departments (long) and the dates its cells
mention. Re-listed rows are marked here and resolved in ``relisted.py``.
"""

from __future__ import annotations

from typing import Any

from pipeline.errors import Failure, LayoutError
from pipeline.normalize.era import find_date_mentions, parse_fiscal_year
from pipeline.normalize.ids import (
    parse_measure_id,
    plan_tag,
    split_business,
    split_measure_name,
)
from pipeline.normalize.marks import STATUS_BY_MARK, normalize_mark
from pipeline.normalize.text import clean_text, split_departments
from pipeline.records import Cell
from pipeline.structure import ItemHeader, RawItem

Record = dict[str, Any]
DATE_FIELDS = ("change_reason", "result", "plan_next", "plan_later")


def header_years(header: ItemHeader, source: str) -> tuple[int, int | None, int | None]:
    """(fiscal year reported on, next plan year, first later-plan year) from a header row.

    The year reported on is required; a report without a plan column has no year for it.
    """
    years: list[int | None] = []
    for label, cell in (("取組結果", header.result_label), ("翌年度の取組予定", header.next_label),
                        ("以降の取組予定", header.later_label)):
        year = parse_fiscal_year(cell.text or "")
        if year is None and (label == "取組結果" or not cell.is_blank):
            raise LayoutError(f"{source}: {cell.where} the attachment header's {label} column "
                              f"names no fiscal year ({(cell.text or '').strip()!r}).")
        years.append(year)
    return years[0], years[1], years[2]


def raw_items_to_records(items: tuple[RawItem, ...], report_id: str, source: str
                         ) -> tuple[list[Record], list[Record], list[Failure]]:
    """(items, date_mentions, failures) for the attachment's rows, in document order."""
    records, mentions, failures = [], [], []
    for row_no, item in enumerate(items, start=1):
        record, problems = item_to_record(item, row_no, report_id, source)
        records.append(record)
        failures.extend(problems)
        mentions.extend(item_date_mentions(record, report_id))
    return records, mentions, failures


def item_departments(records: list[Record]) -> list[Record]:
    """items.departments, long: one record per item and department."""
    return [{"report_id": record["report_id"], "row_no": record["row_no"], "department": name}
            for record in records for name in (record["departments"] or "").split()]


def item_to_record(item: RawItem, row_no: int, report_id: str, source: str
                   ) -> tuple[Record, list[Failure]]:
    fiscal_year, next_fy, later_fy = header_years(item.header, source)
    measure_id, goal_no, policy_no, measure_no = _measure_id(item.measure_id, source)
    measure_name, measure_relisted_from = split_measure_name(item.measure_name.text or "")
    business_raw = clean_text(item.business.text)
    if business_raw is None:
        raise LayoutError(f"{source}: {item.business.where} a row of measure {measure_id} "
                          "has no 事業内容 (business) text.")
    business = split_business(business_raw)
    relisted_from = business.relisted_from or measure_relisted_from
    mark, failures = _status_mark(item.status, row_no, source)
    plan_next, plan_later = clean_text(item.plan_next.text), clean_text(item.plan_later.text)
    record = {
        "report_id": report_id, "fiscal_year": fiscal_year, "row_no": row_no,
        "measure_id": measure_id, "goal_no": goal_no, "policy_no": policy_no,
        "measure_no": measure_no, "measure_name": measure_name,
        "business": business.name, "business_raw": business_raw,
        "gov_level": business.gov_level, "starred": business.starred,
        "status_mark": mark, "status": STATUS_BY_MARK.get(mark) if mark else None,
        "change_reason": clean_text(item.change_reason.text),
        "result": clean_text(item.result.text),
        "plan_next": plan_next, "plan_next_tag": plan_tag(plan_next), "plan_next_fy": next_fy,
        "plan_later": plan_later, "plan_later_tag": plan_tag(plan_later),
        "plan_later_from_fy": later_fy,
        "departments": " ".join(split_departments(item.departments.text)) or None,
        "is_relisted": relisted_from is not None, "relisted_from": relisted_from,
        "relisted_row_no": None,
        "source_page": item.business.page, "source_line": item.business.line,
        "source_bbox": _bbox(item.business),
        "source_file": item.business.file or source, "source_ref": item.business.source_ref,
    }
    return record, failures


def item_date_mentions(record: Record, report_id: str) -> list[Record]:
    """Dates in a row's own printed cells; the fiscal year each cell speaks of fills a missing year."""
    context = {"change_reason": record["fiscal_year"], "result": record["fiscal_year"],
               "plan_next": record["plan_next_fy"], "plan_later": record["plan_later_from_fy"]}
    rows = []
    for field in DATE_FIELDS:
        for mention in find_date_mentions(record[field] or "", context[field]):
            rows.append({"report_id": report_id, "row_no": record["row_no"], "field": field,
                         "raw": mention.raw, "year": mention.year, "month": mention.month,
                         "day": mention.day, "fiscal_year": mention.fiscal_year,
                         "inferred": mention.inferred})
    return rows


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
        return None, [Failure(code="bad_status_mark", source=source, table="items", page=cell.page,
                              line=cell.line, row=row_no, column="status_mark",
                              value=(cell.text or "").strip(),
                              message="進捗状況 is not one of ◎ ○ △ ×")]


def _bbox(cell: Cell) -> str | None:
    if cell.bbox is None:
        return None
    return ",".join(f"{v:.1f}" for v in cell.bbox)
