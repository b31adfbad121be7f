"""Attachment rows as printed → tidy item records with normalised values.

One record per business row, plus its departments (long) and the dates its cells
mention. Re-listed rows are marked here and resolved in ``relisted.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pipeline.errors import Failure, LayoutError
from pipeline.normalize.era import find_date_mentions, header_fiscal_year
from pipeline.normalize.ids import (
    BusinessName,
    NameConflict,
    parse_measure_id,
    plan_tag,
    split_business,
    split_measure_name,
)
from pipeline.normalize.marks import Grades, profile_grades, read_grade
from pipeline.normalize.text import normalize_text, split_departments
from pipeline.profiles import Grade, Profile
from pipeline.records import Cell
from pipeline.tidy.attachment import ItemHeader, RawItem, missing_column_warnings
from schemas.records import DateMentionRecord, ItemDepartmentRecord, ItemRecord
from schemas.vocabulary import DATE_FIELDS


# A later plan's first year lies after the year reported on, within this many years.
LATER_PLAN_SPAN = 5


@dataclass(frozen=True)
class HeaderYears:
    """The fiscal years one attachment header names: the year reported on, the next plan's
    (``plan_next_inferred``: its header named none, so it is the report's year + 1) and
    the first later-plan year."""

    reported: int
    plan_next: int | None
    plan_later: int | None
    plan_next_inferred: bool = False
    reported_from_front: bool = False  # a yearless result header: the title's year


def header_years(header: ItemHeader, source: str, profile: Profile,
                 front_year: int | None = None) -> HeaderYears:
    """The fiscal years of an attachment header row.

    The year reported on is required; a report without a plan column has no year for it.
    A result header of a profile word without ``{year}`` (実績) is for ``front_year``, the
    year the title (or ``title.year_line``) names, where it names one. A plan_next header
    of a profile word without ``{year}`` (今後の方向性) is for the report's year + 1. A plan
    year that cannot follow the year reported on (令和60年度取組予定 in a 令和5年度 report)
    is a LayoutError naming the header cell.
    """
    years: dict[str, int | None] = {}
    inferred = from_front = False
    for column in ("result", "plan_next", "plan_later"):
        cell = header.label(column)
        year = header_fiscal_year(cell, source, "the attachment header")
        if (year is None and column == "result" and front_year is not None
                and _yearless_word(cell, column, profile)):
            year, from_front = front_year, True
        elif year is None and column == "plan_next" and _yearless_word(cell, column, profile):
            inferred = True
        elif year is None and (column == "result" or not cell.is_blank):
            hint = (" and neither the title nor a title.year_line line names the report's "
                    "year" if column == "result" and _yearless_word(cell, column, profile) else "")
            raise LayoutError(f"{source}: {cell.where} the attachment header's {column} column "
                              f"names no fiscal year ({(cell.text or '').strip()!r}){hint}.")
        years[column] = year
    reported = years["result"]
    if reported is None:  # raised above; this tells the type checker
        raise LayoutError(f"{source}: the attachment header names no fiscal year.")
    plan_next = reported + 1 if inferred else years["plan_next"]
    _check_plan_year(header, "plan_next", years["plan_next"], (reported + 1, reported + 1), source)
    _check_plan_year(header, "plan_later", years["plan_later"],
                     (reported + 1, reported + LATER_PLAN_SPAN), source)
    return HeaderYears(reported, plan_next, years["plan_later"], inferred, from_front)


def _yearless_word(cell: Cell, column: str, profile: Profile) -> bool:
    """Whether a header cell is one of the column's profile words that hold no {year}."""
    label = profile.compact(cell.text)
    words = [w for w in profile.tables.items.columns.words(column)
             if "{year}" not in w]
    return bool(label) and any(p.fullmatch(label) or p.search(label)
                               for p in profile.word_patterns(words))


def _check_plan_year(header: ItemHeader, column: str, year: int | None,
                     allowed: tuple[int, int], source: str) -> None:
    if year is None or allowed[0] <= year <= allowed[1]:
        return
    cell = header.label(column)
    span = f"{allowed[0]}" if allowed[0] == allowed[1] else f"{allowed[0]} to {allowed[1]}"
    raise LayoutError(f"{source}: {cell.where} the attachment header "
                      f"{(cell.text or '').strip()!r} names fiscal year {year} for the "
                      f"{column} column, where a report on fiscal year {allowed[0] - 1} plans "
                      f"for {span}.")


def plan_year_inferred(header: ItemHeader, years: HeaderYears, source: str) -> Failure:
    """The warning that a plan column's year was taken as the report's year + 1."""
    cell = header.label("plan_next")
    return Failure(code="plan_year_inferred", severity="warning", source=source, table="items",
                   page=cell.page, line=cell.line, row=None, column="plan_next_fy",
                   value=(cell.text or "").strip() or None,
                   message=f"the plan column's header names no fiscal year; plan_next_fy is "
                           f"taken as the report's fiscal year + 1, {years.plan_next}")


def result_year_from_front(header: ItemHeader, years: HeaderYears, source: str) -> Failure:
    """The warning that the result column's year was taken from the front part."""
    cell = header.label("result")
    return Failure(code="result_year_from_front", severity="warning", source=source,
                   table="items", page=cell.page, line=cell.line, row=None,
                   column="fiscal_year", value=(cell.text or "").strip() or None,
                   message="the result column's header names no fiscal year; the items are "
                           f"taken as of fiscal year {years.reported}, the year the report's "
                           "title (or title.year_line) names")


def raw_items_to_records(items: tuple[RawItem, ...], report_id: str, source: str,
                         profile: Profile, grades: Grades | None = None,
                         front_year: int | None = None
                         ) -> tuple[list[ItemRecord], list[DateMentionRecord], list[Failure]]:
    """(items, date_mentions, failures) for the attachment's rows, in document order.

    ``front_year``: the fiscal year the title (or ``title.year_line``) names, the year of
    a result column headed without one (a warning says so, once a report)."""
    grades = profile_grades(profile) if grades is None else grades
    records: list[ItemRecord] = []
    mentions: list[DateMentionRecord] = []
    failures: list[Failure] = []
    years: dict[int, HeaderYears] = {}  # id(header) → its years
    for row_no, item in enumerate(items, start=1):
        if id(item.header) not in years:  # the rows of a page share one header
            years[id(item.header)] = header_years(item.header, source, profile, front_year)
            if years[id(item.header)].reported_from_front and not any(
                    f.code == "result_year_from_front" for f in failures):  # once a report
                failures.append(result_year_from_front(item.header, years[id(item.header)],
                                                       source))
            if years[id(item.header)].plan_next_inferred and not any(
                    f.code == "plan_year_inferred" for f in failures):  # once a report
                failures.append(plan_year_inferred(item.header, years[id(item.header)], source))
            warned = {(f.column, f.value) for f in failures if f.code == "column_missing"}
            failures.extend(warning for warning in missing_column_warnings(item.header, profile, source)
                            if (warning.column, warning.value) not in warned)  # once a report
        record, problems = item_to_record(item, row_no, report_id, source, profile, grades,
                                          years[id(item.header)])
        found, impossible = item_date_mentions(record, item, source)
        records.append(record)
        mentions.extend(found)
        failures.extend(problems + impossible)
    return records, mentions, failures


def item_departments(records: list[ItemRecord]) -> list[ItemDepartmentRecord]:
    """items.departments, long: one record per item and department."""
    return [ItemDepartmentRecord(report_id=record.report_id, row_no=record.row_no, department=name)
            for record in records for name in (record.departments or "").split()]


def unknown_departments(items: list[ItemRecord], source: str, profile: Profile
                        ) -> list[Failure]:
    """Warnings for departments in no list of the profile's (``[departments] known``).

    A name the ward does not have is usually one wrapped name read as two, or a typo;
    the report is still written, and report.json lists each with its row.
    """
    known = frozenset(profile.departments.known)
    if not known:
        return []
    return [Failure(code="unknown_department", severity="warning", source=source, table="items",
                    page=item.source_page, line=item.source_line, row=item.row_no,
                    column="departments", value=name,
                    message="a department in no list of the profile (a wrapped name, a typo, "
                            "or a new department to add to [departments] known)")
            for item in items if not item.is_relisted
            for name in (item.departments or "").split() if name not in known]


def item_to_record(item: RawItem, row_no: int, report_id: str, source: str,
                   profile: Profile, grades: Grades | None = None,
                   years: HeaderYears | None = None
                   ) -> tuple[ItemRecord, list[Failure]]:
    """One attachment row as a record, and the failures of its cells (each cell once:
    the record holds a stand-in value that no later check reports again).

    ``years``: ``header_years`` of the row's header, where the caller has them."""
    grades = profile_grades(profile) if grades is None else grades
    years = header_years(item.header, source, profile) if years is None else years
    if item.measure is not None:  # an id read from its parts (a heading, a policy cell)
        measure = item.measure
        measure_id, goal_no, policy_no, measure_no = (measure.id, measure.goal_no,
                                                      measure.policy_no, measure.measure_no)
        measure_id_raw = measure.raw
    else:
        measure_id, goal_no, policy_no, measure_no = _measure_id(item.measure_id, source, profile)
        measure_id_raw = "".join((item.measure_id.text or "").split())  # spaces: layout noise
    business_raw = normalize_text(item.business.text)
    if business_raw is None:
        raise LayoutError(f"{source}: {item.business.where} a row of measure {measure_id} "
                          "has no business text.")
    (measure_name, measure_relisted_from), failures = _measure_name(item, row_no, source, profile)
    business, business_failures = _business(item.business, business_raw, row_no, source, profile)
    relisted_from = (business.relisted_from if business.relisted_from is not None
                     else measure_relisted_from)  # "" (再掲 naming no measure) is one
    mark, mark_failures = _status_mark(item.status, row_no, source, grades, profile)
    failures += business_failures + mark_failures
    plan_next, plan_later = normalize_text(item.plan_next.text), normalize_text(item.plan_later.text)
    record = ItemRecord(
        report_id=report_id, fiscal_year=years.reported, row_no=row_no,
        measure_id=measure_id, measure_id_raw=measure_id_raw, goal_no=goal_no, policy_no=policy_no,
        measure_no=measure_no, measure_name=measure_name,
        business=business.name, business_raw=business_raw,
        gov_level=business.gov_level, starred=business.starred,
        status_mark=mark.mark if mark else None, grade_rank=mark.rank if mark else None,
        status=mark.status if mark else None,
        change_reason=normalize_text(item.change_reason.text),
        result=normalize_text(item.result.text),
        plan_next=plan_next, plan_next_tag=plan_tag(plan_next, profile), plan_next_fy=years.plan_next,
        plan_next_fy_inferred=years.plan_next_inferred,
        plan_later=plan_later, plan_later_tag=plan_tag(plan_later, profile),
        plan_later_from_fy=years.plan_later,
        departments=" ".join(split_departments(item.departments.text, profile)) or None,
        is_relisted=relisted_from is not None, relisted_from=relisted_from,
        relisted_row_no=None,
        extra=json.dumps({label: normalize_text(cell.text) for label, cell in item.extra},
                         ensure_ascii=False) if item.extra else None,
        source_page=item.business.page, source_line=item.business.line,
        source_bbox=_bbox(item.business),
        source_file=item.business.file or source, source_ref=item.business.source_ref,
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
    rows: list[DateMentionRecord] = []
    warnings: list[Failure] = []
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


def _measure_name(item: RawItem, row_no: int, source: str, profile: Profile
                  ) -> tuple[tuple[str | None, str | None], list[Failure]]:
    """(name, relisted_from) of the row's measure. A measure printed by its id alone has
    no name: null where the profile allows it (``tables.items.measure_name_required =
    false``), else a failure naming the cell; never the id read as a name."""
    cell = item.measure_name if item.measure_name.where else item.measure_id
    required = profile.tables.items.measure_name_required
    try:
        return split_measure_name(item.measure_name.text or "", profile, required), []
    except NameConflict as conflict:
        assert isinstance(conflict.read_as, tuple)
        return conflict.read_as, [_cell_failure(
            "measure_name_conflict", cell, row_no, "measure_name", item.measure_name.text,
            f"the measure name carries {'; '.join(conflict.reasons)}", source)]
    except ValueError:
        return ("", None), [_cell_failure(
            "measure_name_missing", cell, row_no, "measure_name", item.measure_id.text,
            "the measure has an id but no name (a profile whose report prints measures by "
            "their id alone says tables.items.measure_name_required = false)", source)]


def _business(cell: Cell, business_raw: str, row_no: int, source: str, profile: Profile
              ) -> tuple[BusinessName, list[Failure]]:
    try:
        return split_business(business_raw, profile), []
    except NameConflict as conflict:
        assert isinstance(conflict.read_as, BusinessName)
        return conflict.read_as, [_cell_failure(
            "business_name_conflict", cell, row_no, "business", business_raw,
            f"the business name carries {'; '.join(conflict.reasons)}", source)]
    except ValueError:
        own = profile.ids.own_level
        return BusinessName(business_raw, own, False, None), [_cell_failure(
            "business_name_missing", cell, row_no, "business", business_raw,
            f"the {_prefix_words(profile)}, no business name", source)]


def _prefix_words(profile: Profile) -> str:
    """'事業内容 cell holds only marks (☆, (国), 再掲)', in the profile's words."""
    ids = profile.ids
    word = (profile.tables.items.columns.business or ("business",))[0]
    own = ids.own_level
    tags = [f"({tag})" for tag, level in ids.gov_levels.items() if level != own]
    marks = list(ids.stars)[:1] + tags[:1] + [ids.relisted or ""]
    return f"{word} cell holds only marks ({', '.join(m for m in marks if m)})"


def _cell_failure(code: str, cell: Cell, row_no: int, column: str, value: str | None,
                  message: str, source: str) -> Failure:
    return Failure(code=code, source=source, table="items", page=cell.page, line=cell.line,
                   row=row_no, column=column, value=(value or "").strip() or None, message=message)


def _measure_id(cell: Cell, source: str, profile: Profile
                ) -> tuple[str, int | None, int | None, int]:
    try:
        return parse_measure_id(cell.text or "", profile)
    except ValueError:
        raise LayoutError(f"{source}: {cell.where} {(cell.text or '').strip()!r} is not a "
                          f"measure id of the profile {profile.name!r}.") from None


def _status_mark(cell: Cell, row_no: int, source: str, grades: Grades, profile: Profile
                 ) -> tuple[Grade | None, list[Failure]]:
    decorated = profile.item_scale.decorated
    try:
        return read_grade(cell.text, grades, decorated), []
    except ValueError:
        status_word = (profile.tables.items.columns.status or ("?",))[0]
        marks = " ".join(dict.fromkeys(grade.mark for grade in grades.values()))
        return None, [_cell_failure("bad_status_mark", cell, row_no, "status_mark", cell.text,
                                    f"{status_word} is not one of {marks}", source)]


def _bbox(cell: Cell) -> str | None:
    if cell.bbox is None:
        return None
    return ",".join(f"{v:.1f}" for v in cell.bbox)
