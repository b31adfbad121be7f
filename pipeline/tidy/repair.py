"""Repair a document's text once, right after reading.

A report's text layer arrives damaged in known ways (radical code points instead of
ideographs, full-width letters and digits); ``repair_text`` undoes them. Every later
stage — header matching, tidying, the diff — reads the repaired text, so this runs
once here instead of in each stage. The printed text stays beside it (``printed``), for
provenance.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.normalize.text import repair_text
from pipeline.records import Block, Cell, Document, Grid, Paragraph


def repair_document(document: Document) -> Document:
    """The document with every cell and paragraph repaired; a repaired one as it is."""
    if document.repaired:
        return document
    return replace(document, blocks=tuple(repair_block(b) for b in document.blocks),
                   repaired=True)


def repair_block(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return replace(block, text=repair_text(block.text), printed=block.text)
    return repair_grid(block)


def repair_grid(grid: Grid) -> Grid:
    """One grid repaired (also for a region shown outside a Document: inspect)."""
    return replace(grid, rows=tuple(tuple(_repair_cell(c) for c in row) for row in grid.rows))


def _repair_cell(cell: Cell) -> Cell:
    if cell.text is None:
        return cell
    return replace(cell, text=repair_text(cell.text), printed=cell.text)
