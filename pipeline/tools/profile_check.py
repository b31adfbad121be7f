"""A profile tried on one report, for its writer: what each table kind claimed.

``check_document`` reads nothing and prints nothing: it takes a Document and a Profile
and says, in records, which blocks each table kind claimed, which header cell matched
which column, which tables no kind claimed (with the words each kind looked for), which
cells were left out of every column, and the first error of the conversion, so that a
profile writer sees every reason at once, not only the first stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.tidy.attachment import compact, find_item_header, grids_to_items
from pipeline.errors import LayoutError, PipelineError, ValidationFailed
from pipeline.profiles import Profile
from pipeline.profiles.model import Words
from pipeline.records import Cell, Document, Grid
from pipeline.tidy.structure import Claim, Claims, document_to_claims, table_kinds_sought

KIND_ORDER = ("status_summary", "indicators", "legend", "items", "skip")
_NO_COLUMN = None
SHOWN = 10  # unplaced cells listed, so that the check stays one screen


@dataclass(frozen=True)
class ClaimedTable:
    """One table and the kind that claimed it ("unrecognised": none did)."""

    kind: str
    where: str | None  # "line 12", "page 3", "別紙!A9"
    first_cell: str
    # (header cell as printed, the column it names or None): left to right
    columns: tuple[tuple[str, str | None], ...] = ()
    why: str | None = None  # a skipped table's reason


@dataclass
class ProfileCheck:
    """What ``profile`` made of ``report``; ``lines()`` is what the CLI prints."""

    profile: str
    origin: str
    report: str
    tables: list[ClaimedTable] = field(default_factory=list)
    sought: list[str] = field(default_factory=list)  # each kind and its words
    unplaced: list[str] = field(default_factory=list)  # cells in no column, one sentence each
    error: str | None = None  # the first error of the conversion; None: it converts

    def lines(self) -> list[str]:
        lines = [f"{self.report} with profile {self.profile!r} ({self.origin}):"]
        for kind in KIND_ORDER:
            claimed = [t for t in self.tables if t.kind == kind]
            if not claimed:
                lines.append(f"{kind}: none")
            for table in claimed:
                why = f" — skipped: {table.why}" if table.why else ""
                lines.append(f"{kind}: {table.where} {table.first_cell!r}{why}")
                if table.columns:
                    lines.append("  " + "; ".join(f"{header} → {column or 'no column'}"
                                                  for header, column in table.columns))
        unclaimed = [t for t in self.tables if t.kind == "unrecognised"]
        for table in unclaimed:
            lines.append(f"unclaimed: {table.where} {table.first_cell!r}")
        if unclaimed:
            lines.append("  the profile looks for " + ", ".join(self.sought))
        lines += [f"unplaced: {cell}" for cell in self.unplaced[:SHOWN]]
        if len(self.unplaced) > SHOWN:
            lines.append(f"unplaced: … and {len(self.unplaced) - SHOWN} more (all of them "
                         "with --json)")
        lines.append(f"first error: {self.error}" if self.error else "converts: no error")
        return lines


def check_document(document: Document, profile: Profile, report_id: str) -> ProfileCheck:
    """Every table's claim and header columns, the cells left unplaced, the first error."""
    from pipeline.tidy.frames import document_to_frames  # the whole conversion, for its first error

    check = ProfileCheck(profile.name, profile.origin, document.source,
                         sought=table_kinds_sought(profile))
    try:
        claims = document_to_claims(document, profile)
    except LayoutError as error:
        check.error = str(error)
        return check
    for claim in claims.blocks:
        if isinstance(claim.block, Grid):
            check.tables.append(_claimed_table(claim, profile))
    check.unplaced = _unplaced(claims, profile, document.source)
    try:
        document_to_frames(document, report_id, profile)
    except ValidationFailed as failed:
        check.error = failed.failures[0].describe() if failed.failures else str(failed)
    except PipelineError as error:
        check.error = str(error)
    return check


def _unplaced(claims: Claims, profile: Profile, source: str) -> list[str]:
    """The attachment cells under a header that names no column (kept in items.extra),
    read even when another table stops the conversion."""
    grids = [c.block for c in claims.blocks if c.kind == "items" and isinstance(c.block, Grid)]
    try:
        items = grids_to_items(grids, claims.grades, profile, source)
    except LayoutError:
        return []  # the conversion's first error says why
    return [f"{cell.where} {(cell.text or '').strip()[:30]!r} under the header {header!r}, "
            "which names no column (kept in items.extra)"
            for item in items for header, cell in item.extra]


def _claimed_table(claim: Claim, profile: Profile) -> ClaimedTable:
    grid = claim.block
    assert isinstance(grid, Grid)
    first = next((c for row in grid.rows for c in row if not c.is_blank), grid.rows[0][0])
    where = first.source_ref
    text = (first.text or "").strip()[:30]
    try:
        columns = _header_columns(claim.kind, grid, profile)
    except LayoutError:
        columns = ()  # the conversion's first error says why
    return ClaimedTable(claim.kind, where, text, columns, claim.why)


def _header_columns(kind: str, grid: Grid, profile: Profile) -> tuple[tuple[str, str | None], ...]:
    """The header cells of a claimed table and the column each names."""
    if kind == "items":
        for row in grid.rows[:2]:
            header = find_item_header(row, profile)
            if header is not None:
                return tuple((_shown(row[i]), None if key.startswith("extra:") else key)
                             for i, key in header.columns)
        return ()
    words = _role_words(kind, profile)
    if not words:
        return ()
    row = grid.rows[0]
    return tuple((_shown(cell), _role_of(cell, words, profile)) for cell in row
                 if not cell.is_blank)


def _role_words(kind: str, profile: Profile) -> dict[str, Words]:
    tables = profile.tables
    if kind == "status_summary":
        summary = tables.status_summary
        return {"category": summary.category, "count": summary.count, "share": summary.share}
    if kind == "legend":
        return {"mark": tables.legend.mark, "meaning": tables.legend.meaning}
    if kind == "indicators":
        by_role = tables.indicators.columns
        if by_role is not None:
            return by_role.named()
        return {"indicator": tables.indicators.identify,
                "actual": profile.front.actual,
                "target": profile.front.target}
    return {}


def _role_of(cell: Cell, words: dict[str, Words], profile: Profile) -> str | None:
    """The column a header cell names: equal to one of its words, else containing one."""
    label = compact(cell.text, profile)
    for match in ("fullmatch", "search"):
        for role, role_words in words.items():
            if any(getattr(pattern, match)(label) for pattern in profile.word_patterns(role_words)):
                return role
    return _NO_COLUMN


def _shown(cell: Cell) -> str:
    return " ".join((cell.text or "").split())
