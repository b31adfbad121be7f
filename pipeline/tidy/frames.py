"""All stages after reading, on one Document: repair → choose the profile → structure →
tidy (normalise) → resolve 再掲 → validate, giving the report's tables as DataFrames, its
report.json facts and its warnings. Writes nothing; ``batch/report.py`` writes what it gives.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from pipeline.errors import Failure, ValidationFailed
from pipeline.normalize.era import parse_fiscal_year
from pipeline.normalize.ids import SplitIdReader
from pipeline.profiles import Profile
from pipeline.records import Document
from pipeline.tidy.relisted import resolve_relisted
from pipeline.tidy.repair import repair_document
from pipeline.tidy.choose import choose_profile_why
from pipeline.tidy.structure import RawReport, document_to_report
from pipeline.tidy.front import (
    footnotes_to_records,
    indicator_tables_to_tables,
    missing_footnotes,
    title_and_municipality,
)
from pipeline.tidy.status_counts import (status_rows_to_records, status_share_failures,
                                         status_total_failures)
from pipeline.tidy.items import item_departments, raw_items_to_records, unknown_departments
from pipeline.tidy.validate import validate_tables
from schemas.registry import TABLES


SKIPPED_STATUS_CHECK = ("status counts not checked: the report has no front part "
                        "(status counts, indicators), only its attachment")
NO_ATTACHMENT_CHECK = ("status counts not checked: the report has no attachment table "
                       "(the profile's tables.items.required = false)")
NO_STATUS_TABLE_CHECK = ("status counts not checked: the report prints no status-count table "
                         "(the profile's tables.status_summary.required = false)")


def profile_for(document: Document, given: Profile | None) -> Profile:
    """The layout profile a report is converted with (``profile_choice``'s)."""
    return profile_choice(document, given)[0]


def profile_choice(document: Document, given: Profile | None
                   ) -> tuple[Profile, str | None]:
    """The layout profile a report is converted with, and why it was chosen: ``given`` (the
    file the run was given, loaded once: ``RunSettings.layout_profile``; no why), or, for
    None, the built-in profile whose words
    claim the report's tables (a LayoutError naming every profile tried when none fits,
    or those that fit equally). The one place a profile is chosen; every stage after it
    takes the profile as a required argument."""
    if given is not None:
        return given, None
    return choose_profile_why(document)


def document_to_frames(document: Document, report_id: str,
                       profile: Profile
                       ) -> tuple[dict[str, pd.DataFrame], dict[str, Any], list[Failure]]:
    """All stages after reading: (tables, report metadata, warnings).

    Raises ValidationFailed with every failure (severity "error") found, and the warnings.
    ``profile``: the one ``profile_for`` gives.
    """
    source = document.source
    document = repair_document(document)
    raw = document_to_report(document, profile)
    front_year = ((parse_fiscal_year(raw.title.text) if raw.title is not None else None)
                  or parse_fiscal_year(raw.year_line or ""))
    items, mentions, failures = raw_items_to_records(raw.items, report_id, source, profile,
                                                     raw.grades, front_year)
    items, relisted_failures = resolve_relisted(items, source, profile)
    item_years = {item.fiscal_year for item in items}
    indicators = indicator_tables_to_tables(raw.indicator_tables, report_id, source, profile,
                                            next(iter(item_years)) if len(item_years) == 1 else None,
                                            id_reader=lambda: SplitIdReader(profile))
    counted = profile.tables.status_summary.scale
    records: dict[str, list[Any]] = {
        "items": items,
        "item_departments": item_departments(items),
        "indicators": indicators.indicators,
        "indicator_evaluations": indicators.evaluations,
        "status_summary": status_rows_to_records(
            raw.status_rows, report_id, source,
            raw.indicator_grades if counted == "indicators" and raw.indicator_grades else raw.grades),
        "footnotes": footnotes_to_records(raw.footnotes, report_id, source, profile),
        "date_mentions": mentions,
    }
    notes_missing = missing_footnotes(records["indicators"], records["footnotes"], source)
    frames = {name: table.to_frame(records.pop(name)) for name, table in TABLES.items()}
    if records:
        raise TypeError(f"records of tables the registry does not declare: {sorted(records)}")
    fiscal_years = sorted({int(y) for y in frames["items"]["fiscal_year"]})
    if not raw.items:  # no attachment: the year the title (or title.year_line) names
        fiscal_years = [front_year] if front_year else []
    fiscal_year = fiscal_years[0] if len(fiscal_years) == 1 else None
    failures += relisted_failures
    skipped_check = _status_check_skipped(raw, profile)
    failures += status_total_failures(raw.status_rows, source)
    failures += status_share_failures(raw.status_rows, source)
    failures += validate_tables(frames, fiscal_year, source, known=failures,
                                check_status_counts=skipped_check is None, counted=counted)
    if not raw.items and fiscal_year is None:
        failures.append(Failure(code="fiscal_year_unknown", source=source,
                                message="the report has no attachment and its title names no "
                                        "fiscal year (a report printing its year on a line of "
                                        "its own says title.year_line)"))
    elif len(fiscal_years) != 1:
        failures.append(Failure(code="fiscal_year_mixed", source=source, table="items",
                                column="fiscal_year", value=str(fiscal_years),
                                message="the attachment pages report on different fiscal years"))
    failures += unknown_departments(items, source, profile)
    failures += notes_missing
    failures += indicators.failures
    failures = list(document.findings) + failures  # what the reader found, first
    errors = [failure for failure in failures if failure.severity == "error"]
    warnings = [failure for failure in failures if failure.severity == "warning"]
    if errors:
        raise ValidationFailed(source, errors, warnings)
    title, municipality = title_and_municipality(raw.title, profile)
    meta = {"title": title, "municipality": municipality, "fiscal_year": fiscal_year,
            "profile": profile.name, "legend": [asdict(entry) for entry in raw.legend],
            "indicator_legend": [asdict(entry) for entry in raw.indicator_legend],
            "checks_skipped": [] if skipped_check is None else [skipped_check],
            "skipped_tables": [asdict(table) for table in raw.skipped_tables]}
    return frames, meta, warnings


def _status_check_skipped(raw: RawReport, profile: Profile) -> str | None:
    """Why the status counts cannot be checked against the items, or None: they can."""
    counts_indicators = profile.tables.status_summary.scale == "indicators"
    if not raw.items and not profile.table_required("items") and not counts_indicators:
        return NO_ATTACHMENT_CHECK
    if not raw.status_rows and not profile.table_required("status_summary"):
        return NO_STATUS_TABLE_CHECK
    # A report of only its attachment (a user who downloaded just the 別紙) has no
    # counts to check the items against: the check is reported as skipped, not passed.
    return None if raw.status_rows or raw.indicator_tables else SKIPPED_STATUS_CHECK
