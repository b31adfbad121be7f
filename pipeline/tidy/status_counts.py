"""The status-count table as printed → status_summary records: a count per grade (and
per fiscal year, where the table prints a count column per year), and an error for a
total row (計) that is not the sum of its column, or a share (割合) not its count's share."""

from __future__ import annotations

from pipeline.errors import Failure, LayoutError
from pipeline.normalize.era import header_fiscal_year
from pipeline.normalize.marks import Grades, split_grade_label
from pipeline.normalize.numbers import NumberOutOfRange, parse_count, parse_quantity
from pipeline.normalize.text import normalize_text
from pipeline.records import Cell
from pipeline.tidy.front import printable
from pipeline.tidy.front_tables import StatusCount
from schemas.records import StatusSummaryRecord


def status_rows_to_records(rows: tuple[StatusCount, ...], report_id: str, source: str,
                           grades: Grades) -> list[StatusSummaryRecord]:
    """'◎ 目標を大きく上回る…' | '0' → mark, status, label, count, and the fiscal year of
    a count column headed with one; the total row (計) is left to ``status_total_failures``."""
    records = []
    for label_cell, count_cell, year_cell, total, _ in rows:
        if total:
            continue
        label_cell, count_cell = printable(label_cell, source), printable(count_cell, source)
        text = normalize_text(label_cell.text) or ""
        year = (header_fiscal_year(year_cell, source, "the status-count column headed")
                if year_cell is not None else None)
        try:
            grade, label = split_grade_label(text, grades)
            count = _count(count_cell)
        except NumberOutOfRange as error:
            raise LayoutError(f"{source}: {count_cell.where} the status count of {text!r}: "
                              f"{error}.") from None
        except ValueError:
            raise LayoutError(f"{source}: {label_cell.where} the status-count row {text!r} | "
                              f"{(count_cell.text or '').strip()!r} is not a mark, label and count.") from None
        records.append(StatusSummaryRecord(report_id=report_id, status_mark=grade.mark,
                                           grade_rank=grade.rank, status=grade.status,
                                           label=label, count=count, fiscal_year=year,
                                           source_file=label_cell.file or source,
                                           source_ref=label_cell.source_ref))
    return records


def status_total_failures(rows: tuple[StatusCount, ...], source: str) -> list[Failure]:
    """An error for each total (計) that is not the sum of its column's counts: a count
    misread, or a row of the table lost, is named rather than the total dropped."""
    sums: dict[int, int] = {}  # count column (its header cell's id) → the grades' sum
    failures = []
    for label_cell, count_cell, year_cell, total, _ in rows:
        column = id(year_cell)
        try:
            count = _count(printable(count_cell, source))
        except ValueError:
            raise LayoutError(f"{source}: {count_cell.where} the status count "
                              f"{(count_cell.text or '').strip()!r} of "
                              f"{(label_cell.text or '').strip()!r} is not a count.") from None
        if not total:
            sums[column] = sums.get(column, 0) + count
        elif count != sums.get(column, 0):
            year = f" of {(year_cell.text or '').strip()}" if year_cell is not None else ""
            failures.append(Failure(
                code="status_total_mismatch", source=count_cell.file or source,
                table="status_summary", column="count", value=str(count),
                page=count_cell.page, line=count_cell.line,
                message=f"the total {(label_cell.text or '').strip()}{year} is {count}, but "
                        f"its counts sum to {sums.get(column, 0)}"))
    return failures


def status_share_failures(rows: tuple[StatusCount, ...], source: str) -> list[Failure]:
    """An error for each printed share (割合) that is not its count's share of the counts'
    sum, to the digits printed (33.3% for 2 of 6): a misread count or share is named."""
    counted = [row for row in rows if not row.total]
    whole = sum(_count(printable(row.cell, source)) for row in counted)
    failures = []
    for label_cell, count_cell, _, _, share_cell in rows:
        if share_cell is None or share_cell.is_blank:
            continue
        printed = normalize_text(printable(share_cell, source).text) or ""
        try:
            share = parse_quantity(printed)
        except ValueError:
            share = None
        if share is None or share.value is None or share.unit != "%":
            raise LayoutError(f"{source}: {share_cell.where} the share {printed!r} of "
                              f"{(label_cell.text or '').strip()!r} is not a percentage.")
        digits = len(printed.partition(".")[2].rstrip("%")) if "." in printed else 0
        expected = 100 * _count(printable(count_cell, source)) / whole if whole else 0.0
        if abs(expected - share.value) > 0.5 * 10 ** -digits + 1e-9:
            failures.append(Failure(
                code="status_share_mismatch", source=share_cell.file or source,
                table="status_summary", column="count", value=printed,
                page=share_cell.page, line=share_cell.line,
                message=f"the share of {(label_cell.text or '').strip()} is printed "
                        f"{printed}, but its count is {expected:.{digits}f}% of {whole}"))
    return failures


def _count(cell: Cell) -> int:
    return parse_count(normalize_text(cell.text) or "")
