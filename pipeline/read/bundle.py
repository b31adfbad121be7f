"""Several files of one report → one ``Document``: the front part before the attachment.

A ward may post a report as a Word memo (the front part: status counts, indicators,
footnotes) and an Excel or PDF 別紙 (the attachment list). Each part is read by its
own reader; this pure stage tells the parts apart by the tables they hold — not by
their names, which wards choose freely — and puts the front part first, so the later
stages see what a single-file report gives them. Every block and cell is stamped with
its part's file name, which provenance and messages then name.

A part holding both (a .docx with the 別紙 as a Word table) is a whole report and must
be the only part. Two parts that both hold an attachment, or both a front part, or a
part holding neither, are an InputError naming the files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from pipeline.errors import InputError
from pipeline.records import Block, Document, Grid

FRONT_TABLES = {"status_summary", "indicators"}
ATTACHMENT_TABLES = {"items"}


def part_roles(document: Document, classify: Callable[[Grid], str]) -> tuple[str, ...]:
    """("front",), ("attachment",), ("front", "attachment") or () for a part's tables."""
    kinds = {classify(block) for block in document.blocks if isinstance(block, Grid)}
    return tuple(role for role, tables in (("front", FRONT_TABLES), ("attachment", ATTACHMENT_TABLES))
                 if kinds & tables)


def combine_parts(parts: Sequence[Document], classify: Callable[[Grid], str], source: str
                  ) -> Document:
    """One Document of a report's parts, front part first; ``source`` names the report."""
    roles = [part_roles(part, classify) for part in parts]
    for part, role in zip(parts, roles):
        if not role:
            raise InputError(f"{source}: {part.source} holds none of the report's tables "
                             "(status counts, indicators, attachment); remove it from the folder.")
    for wanted, label in (("front", "the front part (status counts, indicators)"),
                          ("attachment", "an attachment (the list of items and their status)")):
        holders = [part.source for part, found in zip(parts, roles) if wanted in found]
        if len(holders) > 1:
            raise InputError(f"{source}: {' and '.join(holders)} both hold {label}; "
                             "a report folder holds one report: put each in its own folder, "
                             "or name the files to convert them one by one.")
    ordered = sorted(zip(parts, roles), key=lambda pair: "front" not in pair[1])
    blocks = tuple(_stamped(block, part.source) for part, _ in ordered for block in part.blocks)
    pages = [part.page_count for part, _ in ordered if part.page_count is not None]
    skipped: dict[str, int] = {}
    for part, _ in ordered:
        for name, count in part.skipped.items():
            skipped[name] = skipped.get(name, 0) + count
    return Document(source=source, input_format="+".join(part.input_format for part, _ in ordered),
                    blocks=blocks, page_count=sum(pages) if pages else None, skipped=skipped,
                    parts=tuple(sorted({r for role in roles for r in role}, reverse=True)),
                    findings=tuple(found for part, _ in ordered for found in part.findings))


def _stamped(block: Block, file: str) -> Block:
    if isinstance(block, Grid):
        rows = tuple(tuple(replace(cell, file=file) for cell in row) for row in block.rows)
        return replace(block, rows=rows, file=file)
    return replace(block, file=file)
