"""Seeded damage to the shipped reports, and the check that none of it is converted
silently different. Shared by tests/read/test_fuzz.py (a few hundred cases in CI) and
bench/fuzz_long.py (thousands, outside CI).

A case is one mutator applied with one seed to one shipped report. Its outcome:

- ``refused``: the conversion raised a documented error whose one sentence names the file;
- ``equal``: every table and fact equals the clean conversion's;
- ``touched``: what differs are values of rows whose own lines (text) or sheet rows
  (xlsx) the mutation changed, or values whose changed text is text the mutation wrote:
  the document says something else there;
- ``flagged``: every difference is that, or named by a warning (same table and row, or
  its page or line);
- ``silent``: a value differs, a row is lost or added, and nothing names it (a bug);
- ``internal``: any other exception (a bug).

A row lost or added counts as touched only where the mutation deleted or inserted whole
lines; a line that was only changed must not lose its row without a word.
"""

from __future__ import annotations

import difflib
import html
import io
import random
import re
import shutil
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pdfplumber

from pipeline.errors import Failure, PipelineError, ValidationFailed
from pipeline.job import ReportInput, unexpected_error
from pipeline.read import read_report
from pipeline.tidy.frames import document_to_frames, profile_for
from pipeline.tidy.structure import grid_classifier
from schemas.registry import TABLES

ROOT = Path(__file__).resolve().parent.parent
TEXT_REPORT = ROOT / "tests/fixtures/nakano_fy2023.txt"
PDF_REPORT = ROOT / "raw/nakano_fy2023_sample.pdf"
OFFICE_PARTS = ROOT / "tests/fixtures/nakano_fy2023_parts"  # the 別紙 .xlsx and the memo .docx
XLSX_PART = "nakano_fy2023_besshi.xlsx"
DOCX_PART = "nakano_fy2023_memo.docx"

SEPARATORS = ("\f", "\x0b", "\u2028", "\u2029", "\u00ad", "\u200b")
OUTCOMES = ("refused", "equal", "touched", "flagged", "silent", "internal")
FACTS = ("title", "municipality", "fiscal_year", "legend")
_LINE_END = re.compile(rb"\r\n|\r|\n")  # where pipeline/read/text.py ends a line
_WRAP_IN_WORD = re.compile(r"[A-Za-z0-9][\f\x0b\u2028\u2029][A-Za-z0-9]")  # a cell wrapped mid-word
_WHERE = re.compile(r"^(?:(?P<sheet>[^!]+)!\$?[A-Z]+\$?(?P<cell_row>\d+)|line (?P<line>\d+)"
                    r"|(?P<table>table \d+) row (?P<table_row>\d+).*|page (?P<page>\d+).*)$")


@dataclass(frozen=True)
class Mutation:
    """A damaged copy of one file, and where the damage is when a mutator knows better
    than a line diff can tell: the sheet rows of swapped cells, ("page box", N) for a
    page whose /MediaBox or /CropBox a flip changed; and the text of the cells it moved."""

    data: bytes
    touched: frozenset[tuple[str, int]] = frozenset()
    moved: frozenset[str] = frozenset()  # squeezed


Mutator = Callable[[bytes, random.Random], Mutation]


# ---- text mutators: bytes in, bytes out --------------------------------------------

def flip_byte(data: bytes, rng: random.Random) -> Mutation:
    at = rng.randrange(len(data))
    return Mutation(data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:])


def truncate(data: bytes, rng: random.Random) -> Mutation:
    return Mutation(data[:rng.randrange(len(data))])


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def delete_line(data: bytes, rng: random.Random) -> Mutation:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return Mutation(b"".join(lines))


def duplicate_line(data: bytes, rng: random.Random) -> Mutation:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    lines.insert(at, lines[at])
    return Mutation(b"".join(lines))


def swap_lines(data: bytes, rng: random.Random) -> Mutation:
    lines = _lines(data)
    first = rng.randrange(len(lines) - 1)
    second = first + 1 if rng.random() < 0.5 else rng.randrange(len(lines))
    ends = lines[first][len(lines[first].rstrip(b"\r\n")):], lines[second][len(lines[second].rstrip(b"\r\n")):]
    lines[first], lines[second] = (lines[second].rstrip(b"\r\n") + ends[0],
                                   lines[first].rstrip(b"\r\n") + ends[1])
    return Mutation(b"".join(lines))


def insert_separator(data: bytes, rng: random.Random) -> Mutation:
    """One of the separators the issue names, at a line's start or inside it."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    at = rng.randrange(len(lines))
    body = lines[at].rstrip("\r\n")
    where = 0 if rng.random() < 0.3 else rng.randrange(len(body) + 1)
    lines[at] = body[:where] + rng.choice(SEPARATORS) + lines[at][where:]
    return Mutation("".join(lines).encode("utf-8"))


def swap_cells(data: bytes, rng: random.Random) -> Mutation:
    """Two tab-separated cells of one table row change places."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    rows = [no for no, line in enumerate(lines) if line.count("\t") >= 2]
    at = rng.choice(rows)
    body = lines[at].rstrip("\r\n")
    cells = body.split("\t")
    first, second = rng.sample(range(len(cells)), 2)
    cells[first], cells[second] = cells[second], cells[first]
    lines[at] = "\t".join(cells) + lines[at][len(body):]
    return Mutation("".join(lines).encode("utf-8"))


TEXT_MUTATORS: dict[str, Mutator] = {
    "flip_byte": flip_byte, "truncate": truncate, "delete_line": delete_line,
    "duplicate_line": duplicate_line, "swap_lines": swap_lines,
    "insert_separator": insert_separator, "swap_cells": swap_cells}


# ---- PDF mutators: a byte flipped in one kind of place -----------------------------

def _flip_within(data: bytes, spans: list[tuple[int, int]], rng: random.Random) -> Mutation:
    start, end = rng.choice(spans)
    at = rng.randrange(start, end)
    return Mutation(data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:])


def flip_in_stream(data: bytes, rng: random.Random) -> Mutation:
    spans = [(m.end(), data.index(b"endstream", m.end()))
             for m in re.finditer(rb"stream\r?\n", data)
             if data[m.start() - 3:m.start()] != b"end"]
    return _flip_within(data, spans, rng)


def flip_in_xref(data: bytes, rng: random.Random) -> Mutation:
    start = data.rindex(b"xref")
    return _flip_within(data, [(start, len(data))], rng)


def flip_in_page_dict(data: bytes, rng: random.Random) -> Mutation:
    objects = {m.start(): int(m[1]) for m in re.finditer(rb"(\d+) 0 obj\s*<<\s*/Type /Page\b", data)}
    spans = [(start, data.index(b"endobj", start)) for start in objects]
    mutation = _flip_within(data, spans, rng)
    at = next(i for i, (old, new) in enumerate(zip(data, mutation.data)) if old != new)
    start = max(start for start in objects if start <= at)
    box = re.compile(rb"/(?:MediaBox|CropBox)\s*\[[^\]]*\]")
    if any(m.start() <= at - start < m.end() for m in box.finditer(data[start:at + 64])):
        return Mutation(mutation.data, frozenset({("page box", _page_number(data, objects[start]))}))
    return mutation


def _page_number(data: bytes, objid: int) -> int:
    """The number of the page whose page object is ``objid``, in the page tree's order."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return next(page.page_number for page in pdf.pages if page.page_obj.pageid == objid)


def shrink_page_box(data: bytes, rng: random.Random) -> Mutation:
    """One side of one page's /MediaBox moved inwards by 1 to 400 pt, written in the
    same number of bytes (the cross-reference table stays right): text beyond it is
    outside the page."""
    boxes = list(re.finditer(rb"/MediaBox\s*\[([^\]]*)\]", data))
    found = rng.choice(boxes)
    values = [float(v) for v in found[1].split()]
    side = rng.randrange(4)
    values[side] += rng.uniform(1, 400) * (1 if side < 2 else -1)
    box = b" " + " ".join(f"{v:.1f}" for v in values).encode()
    assert len(box) <= len(found[1]), (box, found[1])
    box = box.ljust(len(found[1]))
    damaged = data[:found.start(1)] + box + data[found.end(1):]
    objid = int(re.findall(rb"(\d+) 0 obj", data[:found.start()])[-1])
    return Mutation(damaged, frozenset({("page box", _page_number(data, objid))}))


PDF_MUTATORS: dict[str, Mutator] = {
    "flip_in_stream": flip_in_stream, "flip_in_xref": flip_in_xref,
    "flip_in_page_dict": flip_in_page_dict, "truncate": truncate,
    "shrink_page_box": shrink_page_box}


# ---- Office mutators: the zip and its XML parts ------------------------------------

def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def drop_member(data: bytes, rng: random.Random) -> Mutation:
    members = _members(data)
    del members[rng.choice(sorted(members))]
    return Mutation(_zipped(members))


def break_xml(data: bytes, rng: random.Random) -> Mutation:
    """A '<' taken out of an XML part: the part no longer parses."""
    members = _members(data)
    name = rng.choice(sorted(n for n in members if n.endswith((".xml", ".rels"))))
    xml = members[name]
    at = rng.choice([m.start() for m in re.finditer(rb"<[^?!]", xml)])
    members[name] = xml[:at] + xml[at + 1:]
    return Mutation(_zipped(members))


_CELL = re.compile(rb'<c r="(?P<col>[A-Z]+)(?P<row>\d+)"(?P<attrs>[^>]*)>(?P<body>.*?)</c>', re.S)


def swap_sheet_cells(data: bytes, rng: random.Random) -> Mutation:
    """Two filled cells of the first sheet trade their contents (and types)."""
    members = _members(data)
    sheet_name = re.search(r'<sheet [^>]*name="([^"]+)"',
                           members["xl/workbook.xml"].decode("utf-8")).group(1)
    xml = members["xl/worksheets/sheet1.xml"]
    cells = list(_CELL.finditer(xml))
    first, second = sorted(rng.sample(cells, 2), key=lambda cell: cell.start())

    def rewritten(cell: re.Match[bytes], other: re.Match[bytes]) -> bytes:
        return (b'<c r="' + cell["col"] + cell["row"] + b'"' + other["attrs"] + b">"
                + other["body"] + b"</c>")

    members["xl/worksheets/sheet1.xml"] = (
        xml[:first.start()] + rewritten(first, second) + xml[first.end():second.start()]
        + rewritten(second, first) + xml[second.end():])
    touched = frozenset((sheet_name, int(cell["row"])) for cell in (first, second))
    shared = [_xml_text(item, rb"<t[^>]*>(.*?)</t>") for item in
              re.findall(rb"<si>(.*?)</si>", members.get("xl/sharedStrings.xml", b""), re.S)]
    return Mutation(_zipped(members), touched,
                    frozenset(_cell_text(cell, shared) for cell in (first, second)) - {""})


def _cell_text(cell: re.Match[bytes], shared: list[str]) -> str:
    """A sheet cell's text, squeezed: inline, shared (an index into ``shared``) or a value."""
    if b't="s"' in cell["attrs"]:
        index = re.search(rb"<v>(\d+)</v>", cell["body"])
        return shared[int(index[1])] if index and int(index[1]) < len(shared) else ""
    return _xml_text(cell["body"], rb"<t[^>]*>(.*?)</t>") or _xml_text(cell["body"], rb"<v>(.*?)</v>")


def _xml_text(xml: bytes, element: bytes) -> str:
    """The text of every ``element`` in ``xml``, joined, unescaped and squeezed."""
    found = b"".join(re.findall(element, xml, re.S)).decode("utf-8", "replace")
    return _squeezed(html.unescape(found))


OFFICE_MUTATORS: dict[str, Mutator] = {
    "flip_byte": flip_byte, "truncate": truncate, "drop_member": drop_member,
    "break_xml": break_xml}
XLSX_MUTATORS: dict[str, Mutator] = {**OFFICE_MUTATORS, "swap_cells": swap_sheet_cells}


# ---- converting ----------------------------------------------------------------------

@dataclass
class Conversion:
    """What the library made of one input: its tables and facts, or why not."""

    tables: dict[str, pd.DataFrame] | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    warnings: list[Failure] = field(default_factory=list)
    error: str | None = None
    internal: bool = False


def convert_input(report: ReportInput) -> Conversion:
    """The stages ``pipeline.convert`` runs, without writing the folder."""
    try:
        document = read_report(report, grid_classifier(None))
        tables, facts, warnings = document_to_frames(document, report.report_id, profile_for(document, None))
    except ValidationFailed as failed:
        internal = any(failure.code == "internal" for failure in failed.failures)
        return Conversion(error=str(failed), internal=internal)
    except PipelineError as error:
        return Conversion(error=str(error))
    except Exception as error:  # noqa: BLE001 - that is what the fuzz test looks for
        return Conversion(error=unexpected_error(report.given, error), internal=True)
    return Conversion(tables, {name: facts.get(name) for name in FACTS}, warnings)


@dataclass(frozen=True)
class Subject:
    """A shipped report to damage: which of its files the mutators change."""

    name: str
    source: Path  # a file, or the folder of a report's parts
    target: str  # the file of it that is damaged
    mutators: dict[str, Mutator]
    lines: bool  # a text file: differences are placed by a line diff

    def clean_bytes(self) -> bytes:
        return (self.source / self.target if self.source.is_dir() else self.source).read_bytes()

    def convert(self, data: bytes, work: Path) -> Conversion:
        """Convert the report with ``data`` in place of its target file, under ``work``."""
        if work.exists():
            shutil.rmtree(work)
        if self.source.is_dir():
            folder = work / self.source.name
            shutil.copytree(self.source, folder)
            (folder / self.target).write_bytes(data)
            return convert_input(ReportInput.of_folder(folder))
        work.mkdir(parents=True)
        path = work / self.source.name
        path.write_bytes(data)
        return convert_input(ReportInput.of_file(path))


SUBJECTS = {
    "text": Subject("text", TEXT_REPORT, TEXT_REPORT.name, TEXT_MUTATORS, lines=True),
    "pdf": Subject("pdf", PDF_REPORT, PDF_REPORT.name, PDF_MUTATORS, lines=False),
    "xlsx": Subject("xlsx", OFFICE_PARTS, XLSX_PART, XLSX_MUTATORS, lines=False),
    "docx": Subject("docx", OFFICE_PARTS, DOCX_PART, OFFICE_MUTATORS, lines=False),
}


# ---- comparing -------------------------------------------------------------------------

@dataclass(frozen=True)
class LineDiff:
    """Where a text mutation changed the file: a map of the clean file's line numbers to
    the damaged file's, the lines changed on each side, and the text written."""

    moved: dict[int, int]  # clean line → damaged line, for lines left as they were or moved
    changed_clean: frozenset[int]
    changed_damaged: frozenset[int]
    visible: frozenset[int]  # changed damaged lines, none if only invisible characters changed
    visible_clean: frozenset[int]  # the same of the clean lines (a line deleted, say)
    block_start: dict[int, int]  # damaged line → the first line of its run of non-blank lines
    clean_block_start: dict[int, int]  # the same in the clean file
    deleted: frozenset[int]  # clean lines removed whole
    inserted: frozenset[int]  # damaged lines added whole
    moved_away: frozenset[int]  # clean lines whose text now stands on another line
    moved_in: frozenset[int]  # damaged lines holding the text of another clean line
    written: str  # the damaged lines' text that is not in the clean file, squeezed
    removed: str  # the clean lines' text that is not in the damaged file, squeezed
    clean_lines: tuple[str, ...]  # every line of the clean file, squeezed
    damaged_lines: tuple[str, ...]  # the same of the damaged file

    @classmethod
    def of(cls, clean: bytes, damaged: bytes) -> LineDiff:
        old, new = _LINE_END.split(clean), _LINE_END.split(damaged)
        moved: dict[int, int] = {}
        changed_clean: set[int] = set()
        changed_damaged: set[int] = set()
        deleted: set[int] = set()
        inserted: set[int] = set()
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                moved.update((i1 + k + 1, j1 + k + 1) for k in range(i2 - i1))
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:  # lines changed in place
                moved.update((i1 + k + 1, j1 + k + 1) for k in range(i2 - i1))
            changed_clean.update(range(i1 + 1, i2 + 1))
            changed_damaged.update(range(j1 + 1, j2 + 1))
            if tag == "delete":
                deleted.update(range(i1 + 1, i2 + 1))
            if tag == "insert":
                inserted.update(range(j1 + 1, j2 + 1))
        moved_away, moved_in = _moves(old, new, changed_clean, changed_damaged, moved)
        # separators and invisible characters alone may change no value of another line,
        # unless a line separator splits a Latin word: a wrap there is joined with a space;
        # a tab moved is visible (a cell's text in another column: text swap_cells seed 351)
        invisible = ([_squeezed_cells(line) for line in old] == [_squeezed_cells(line) for line in new]
                     and not any(_WRAP_IN_WORD.search(new[j - 1].decode("utf-8", "replace"))
                                 for j in changed_damaged))
        return cls(moved, frozenset(changed_clean), frozenset(changed_damaged),
                   frozenset() if invisible else frozenset(changed_damaged),
                   frozenset() if invisible else frozenset(changed_clean),
                   _block_starts(new), _block_starts(old), frozenset(deleted),
                   frozenset(inserted), moved_away, moved_in,
                   _squeezed(b"\n".join(new[j - 1] for j in sorted(changed_damaged))),
                   _squeezed(b"\n".join(old[i - 1] for i in sorted(changed_clean))),
                   tuple(map(_squeezed, old)), tuple(map(_squeezed, new)))


def _moves(old: list[bytes], new: list[bytes], changed_clean: set[int],
           changed_damaged: set[int], moved: dict[int, int]
           ) -> tuple[frozenset[int], frozenset[int]]:
    """Lines a swap or a move carried elsewhere: a changed clean line whose exact text is
    on one changed damaged line (and on no other changed line) now is that line. ``moved``
    is updated to map it there; the clean line left in its place no longer maps."""
    clean_at: dict[bytes, list[int]] = {}
    damaged_at: dict[bytes, list[int]] = {}
    for number in sorted(changed_clean):
        clean_at.setdefault(old[number - 1], []).append(number)
    for number in sorted(changed_damaged):
        damaged_at.setdefault(new[number - 1], []).append(number)
    away = {clean[0]: damaged_at[text][0] for text, clean in clean_at.items()
            if text.strip() and len(clean) == 1 and len(damaged_at.get(text, ())) == 1}
    arrived = set(away.values())
    for line in changed_clean:
        if line not in away and moved.get(line) in arrived:
            del moved[line]
    moved.update(away)
    return frozenset(away), frozenset(arrived)


def _block_starts(lines: list[bytes]) -> dict[int, int]:
    """Each line → the first line of its run of non-blank lines (its table)."""
    starts: dict[int, int] = {}
    start = 1
    for number, line in enumerate(lines, start=1):
        start = start if line.strip() else number + 1
        starts[number] = start
    return starts


NO_LINES = LineDiff({}, frozenset(), frozenset(), frozenset(), frozenset(), {}, {},
                    frozenset(), frozenset(), frozenset(), frozenset(), "", "", (), ())


def _squeezed(text: bytes | str) -> str:
    """Text as a value carries it: NFKC, no white space or invisible characters."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _squeezed_cells(line: bytes) -> tuple[str, ...]:
    return tuple(_squeezed(cell) for cell in line.split(b"\t"))


@dataclass(frozen=True)
class Difference:
    """One row of one table that is not as the clean conversion has it."""

    table: str
    key: tuple[Any, ...]
    columns: tuple[str, ...]  # the differing columns; () for a row lost or added
    clean: dict[str, Any] | None  # None: a row the damaged report added
    damaged: dict[str, Any] | None  # None: a row the damaged report lost

    def describe(self) -> str:
        if self.damaged is None:
            return f"{self.table} {self.key}: row lost"
        if self.clean is None:
            return f"{self.table} {self.key}: row added"
        shown = ", ".join(f"{c} {self.clean[c]!r} → {self.damaged[c]!r}" for c in self.columns)
        return f"{self.table} {self.key}: {shown}"


def _position(row: dict[str, Any]) -> tuple[str, int] | None:
    """Where a row was read: ("line", n), (sheet, row), ("table 4", row) or ("page", n)."""
    for column, area in (("source_line", "line"), ("source_page", "page")):
        if _present(row.get(column)):
            return area, int(row[column])
    match = _WHERE.match(str(row.get("source_ref") or ""))
    if match is None:
        return None
    if match["sheet"]:
        return match["sheet"], int(match["cell_row"])
    if match["line"]:
        return "line", int(match["line"])
    if match["table"]:
        return match["table"], int(match["table_row"])
    return "page", int(match["page"])


def _present(value: Any) -> bool:
    return not (value is None or value is pd.NA or (isinstance(value, float) and value != value))


def _same(a: Any, b: Any) -> bool:
    if not _present(a) or not _present(b):
        return not _present(a) and not _present(b)
    return bool(a == b)


def _rows(frame: pd.DataFrame, key: list[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    columns = list(frame.columns)
    values = [[value if _present(value) else None for value in frame[column].tolist()]
              for column in columns]
    records = [dict(zip(columns, row)) for row in zip(*values)]
    if not key:  # a table without a key (date_mentions): a row is what it holds
        seen: Counter[tuple[Any, ...]] = Counter()
        keyed = {}
        for record in records:
            content = tuple(record.values())
            seen[content] += 1
            keyed[content + (seen[content],)] = record
        return keyed
    return {tuple(record[column] for column in key): record for record in records}


def renumbered(clean: Conversion, damaged: Conversion, lines: LineDiff) -> Conversion:
    """The clean conversion with each item numbered as the damaged file numbers the item
    read from the same line (where the mutation moved it), in every table that names an
    item (row_no, relisted_row_no): a line deleted, inserted or swapped would otherwise
    make every later row_no another item. A clean item no damaged line holds gets a
    number no damaged item has."""
    if not lines.moved or clean.tables is None or damaged.tables is None:
        return clean
    damaged_items = damaged.tables["items"]
    at_line = {int(line): int(number) for line, number
               in zip(damaged_items["source_line"], damaged_items["row_no"]) if _present(line)}
    clean_items = clean.tables["items"]
    spare = max([0, *damaged_items["row_no"], *clean_items["row_no"]]) + 1
    numbers: dict[int, int] = {}
    for line, number in zip(clean_items["source_line"], clean_items["row_no"]):
        target = at_line.get(lines.moved.get(int(line), -1)) if _present(line) else None
        if target is None or target in numbers.values():
            target, spare = spare, spare + 1
        numbers[int(number)] = target
    if all(old == new for old, new in numbers.items()):
        return clean
    tables = {name: frame.assign(**{column: frame[column].map(numbers).astype("Int64")
                                    for column in ("row_no", "relisted_row_no")
                                    if column in frame})
              for name, frame in clean.tables.items()}
    return replace(clean, tables=tables)


def _moved_row(row: dict[str, Any], lines: LineDiff) -> dict[str, Any]:
    """A clean row with its line numbers as the damaged file numbers the same lines."""
    if not lines.moved:
        return row
    row = dict(row)
    if _present(row.get("source_line")):
        row["source_line"] = lines.moved.get(int(row["source_line"]), -1)
    ref = row.get("source_ref")
    if isinstance(ref, str) and ref.startswith("line "):
        row["source_ref"] = re.sub(r"^line (\d+)",
                                   lambda m: f"line {lines.moved.get(int(m[1]), -1)}", ref)
    return row


def differences(clean: Conversion, damaged: Conversion, lines: LineDiff = NO_LINES
                ) -> list[Difference]:
    """Every row of every table (and the facts, as table "report") that differs; ``clean``
    numbered as ``renumbered`` numbers it."""
    assert clean.tables is not None and damaged.tables is not None
    found: list[Difference] = []
    pairs = [(name, _rows(clean.tables[name], TABLES[name].primary_key),
              _rows(damaged.tables[name], TABLES[name].primary_key)) for name in TABLES]
    pairs.append(("report", {(): clean.facts}, {(): damaged.facts}))
    for name, old_rows, new_rows in pairs:
        renamed = _rekeyed(old_rows, new_rows, lines)
        for key in old_rows.keys() | new_rows.keys():
            old, new = old_rows.get(key), new_rows.get(key)
            if key in renamed.values():
                continue  # an added row that is a clean row with its key changed
            if key in renamed:
                old, new = old, new_rows[renamed[key]]
            elif old is None or new is None:
                found.append(Difference(name, key, (), old, new))
                continue
            moved = _moved_row(old, lines)
            columns = tuple(c for c in new if not _same(moved.get(c), new[c]))
            if columns:
                found.append(Difference(name, key, columns, old, new))
    return found


def _rekeyed(old_rows: dict[tuple[Any, ...], dict[str, Any]],
             new_rows: dict[tuple[Any, ...], dict[str, Any]], lines: LineDiff
             ) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Clean rows the damaged report holds under another key: a row lost and a row added
    read from the same place, whose keys differ in one column (an indicator's name with
    a character changed), are one row whose key value changed. Lost key → added key."""
    lost = [key for key in old_rows if key not in new_rows]
    added = [key for key in new_rows if key not in old_rows]
    found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for old_key in lost:
        place = _position(_moved_row(old_rows[old_key], lines))
        matches = [new_key for new_key in added if new_key not in found.values()
                   and len(new_key) == len(old_key)
                   and sum(not _same(a, b) for a, b in zip(old_key, new_key)) == 1
                   and _position(new_rows[new_key]) == place]
        if len(matches) == 1:
            found[old_key] = matches[0]
    return found


def _named_by(warning: Failure, difference: Difference, row: dict[str, Any]) -> bool:
    if difference.table == "report":  # facts (the title, the legend): named by a warning quoting them
        return all(_quoted(warning, (difference.clean or {}).get(column),
                           (difference.damaged or {}).get(column))
                   for column in difference.columns)
    if warning.table is not None and warning.row is None and _of_column(warning, difference):
        return True
    if warning.table is not None and warning.row is not None:
        return warning.row == row.get("row_no")
    where = _position(row)
    if where is None:
        return False
    if warning.line is not None:
        return where == ("line", warning.line)
    return warning.page is not None and where == ("page", warning.page)


def _of_column(warning: Failure, difference: Difference) -> bool:
    """A warning on one column of a table, no row (a header lacks the column): it names
    every difference of that column, the values read from it (plan_later_tag, …), and the
    extra cells its text went to, in the table and in its date mentions."""
    column = warning.column
    if column is None:
        return False
    if difference.table == "date_mentions" and warning.table == "items":
        return column in {(row or {}).get("field") for row in (difference.clean, difference.damaged)}
    return (difference.table == warning.table and bool(difference.columns)
            and all(c in (column, "extra") or c.startswith(column + "_") for c in difference.columns))


def _quoted(warning: Failure, clean: Any, damaged: Any) -> bool:
    """The warning quotes the clean fact, or a legend entry the damaged legend lacks (the
    legend is read under its heading: with the heading cut off, the entries after it are
    lost with it)."""
    quoted = _squeezed(warning.value or "")
    if isinstance(clean, list):
        lost = [entry for entry in clean if entry not in (damaged or [])]
        return any(_squeezed(entry.get("meaning") or "") in quoted for entry in lost)
    return isinstance(clean, str) and _squeezed(clean) in quoted


@dataclass(frozen=True)
class _Side:
    """One conversion's items in document order, and the places the mutation changed in
    that file's numbering."""

    items: list[dict[str, Any]]
    index: dict[int, int]  # row_no → its place in ``items``
    changed_lines: frozenset[int]
    block_start: dict[int, int]
    touched: frozenset[tuple[str, int]]
    lines: tuple[str, ...]  # the file's lines, squeezed (none for a binary file)

    @classmethod
    def of(cls, conversion: Conversion, changed_lines: frozenset[int],
           block_start: dict[int, int], touched: frozenset[tuple[str, int]],
           lines: tuple[str, ...]) -> _Side:
        assert conversion.tables is not None
        items = list(_rows(conversion.tables["items"], ["row_no"]).values())
        return cls(items, {int(row["row_no"]): at for at, row in enumerate(items)},
                   changed_lines, block_start, touched, lines)

    def item(self, number: Any) -> dict[str, Any] | None:
        return self.items[self.index[int(number)]] if _present(number) and int(number) in self.index else None

    def spans(self, row: dict[str, Any], relisted: bool = True) -> list[tuple[str, int, int]]:
        """The places a row's values are read from, as (area, first, last): its own line
        or sheet row and those above it in its table (a header, a row it continues), the
        rows of its measure above it (the id and name cells merged down, a 再掲 line over
        the measure), and for a 再掲 row the row it re-lists."""
        where = _position(row)
        if where is None:
            return []
        area, last = where
        first = self.block_start.get(last, last) if area == "line" else last
        if _present(row.get("row_no")) and int(row["row_no"]) in self.index:
            at = self.index[int(row["row_no"])]
            while at > 0 and self.items[at - 1].get("measure_id") == row.get("measure_id"):
                at -= 1
            above = _position(self.items[at])
            first = min(first, above[1]) if above is not None and above[0] == area else first
        found = [(area, first, last)]
        original = self.item(row.get("relisted_row_no")) if relisted else None
        return found + (self.spans(original, relisted=False) if original is not None else [])

    def note_changed(self, note: dict[str, Any]) -> bool:
        """A line a footnote is read from was changed: its own, the lines its text runs
        on to, or the line that ended it (a heading deleted lets it run on)."""
        where = _position(note)
        if where is None or where[0] != "line":
            return False
        last = _continuation_end(self.lines, where[1], _squeezed(str(note.get("text") or "")))
        return any(where[1] <= line <= last for line in self.changed_lines)

    def changed(self, row: dict[str, Any]) -> bool:
        """A place a row's values are read from was changed by the mutation."""
        return any(any(first <= line <= last for line in self.changed_lines) if area == "line"
                   else any((area, number) in self.touched for number in range(first, last + 1))
                   for area, first, last in self.spans(row))


def _continuation_end(lines: tuple[str, ...], first: int, text: str) -> int:
    """The line that ends the footnote on line ``first`` whose text is ``text``: the first
    non-blank line after it that is not the next piece of ``text`` (its continuation
    paragraphs are, in order)."""
    at = 0
    for number in range(first + 1, len(lines) + 1):
        line = lines[number - 1]
        if not line:
            continue
        found = text.find(line, at)
        if found < 0:
            return number
        at = found + len(line)
    return len(lines)


def _home(difference: Difference, damaged: Conversion, clean: Conversion) -> dict[str, Any]:
    """The row a difference belongs to: its own, or for a table derived from the items
    (departments, date mentions) the items row of the same row_no."""
    row = difference.damaged or difference.clean or {}
    if _position(row) is not None or "row_no" not in row:
        return row
    for conversion in (damaged, clean):
        items = conversion.tables["items"] if conversion.tables is not None else None
        if items is not None:
            found = items[items["row_no"] == row["row_no"]]
            if len(found):
                return found.astype(object).iloc[0].to_dict()
    return row


def _touched(difference: Difference, lines: LineDiff, sides: tuple[_Side, _Side],
             moved: frozenset[str] = frozenset()) -> bool:
    """The difference is where the mutation changed the file (see the module docstring)."""
    own = difference.damaged or difference.clean or {}
    derived = _position(own) is None and "row_no" in own  # departments, date mentions
    if not derived and difference.damaged is None:  # lost: only with its line taken away whole
        where = _position(difference.clean or {})
        return (where is not None and where[0] == "line"
                and where[1] in lines.deleted | lines.moved_away)
    if not derived and difference.clean is None:  # added: only with its line added whole
        where = _position(difference.damaged)
        return (where is not None and where[0] == "line"
                and where[1] in lines.inserted | lines.moved_in)
    if difference.table == "report":
        return bool(lines.visible or lines.visible_clean) or _fact_moved(difference, moved)
    clean_side, damaged_side = sides
    if difference.table == "footnotes" and any(
            row is not None and side.note_changed(row)
            for side, row in ((damaged_side, difference.damaged), (clean_side, difference.clean))):
        return True
    for side, row in ((damaged_side, difference.damaged), (clean_side, difference.clean)):
        home = (side.item(row.get("row_no")) if derived else row) if row is not None else None
        if home is not None and side.changed(home):
            return True
    return (not derived and difference.clean is not None and difference.damaged is not None
            and all(_written(difference.clean[c], difference.damaged[c], lines)
                    for c in difference.columns))


def _fact_moved(difference: Difference, moved: frozenset[str]) -> bool:
    """Facts changed by cells the mutation moved (a sheet's swap): what each differing
    fact lost or gained (a legend entry's meaning, a title) is inside a moved cell's text."""
    def inside(text: str) -> bool:
        return bool(text) and any(text in cell for cell in moved)

    clean, damaged = difference.clean or {}, difference.damaged or {}
    for column in difference.columns:
        old, new = clean.get(column), damaged.get(column)
        if isinstance(old, list) or isinstance(new, list):
            changed = ([e for e in old or [] if e not in (new or [])]
                       + [e for e in new or [] if e not in (old or [])])
            if not all(inside(_squeezed(entry.get("meaning") or "")) for entry in changed):
                return False
        elif not (inside(_squeezed(str(old or ""))) or inside(_squeezed(str(new or "")))):
            return False
    return bool(moved)


# Boxes are written to 0.1 pt: a shift read off two rounded values is off by up to 0.1
# either way, so two readings of one shift differ by up to 0.2 (a page box moved 0.1 pt
# shows shifts of 0.0, 0.1 and 0.2: bench/fuzz_long.py pdf flip_in_page_dict seed 98).
_SLACK = 0.21


def _bbox_shift(difference: Difference) -> tuple[float, float] | None:
    """How far a row's box moved, when only its box differs and it moved without
    changing its size (to the rounding, ``_SLACK``); else None."""
    if difference.columns != ("source_bbox",):
        return None
    old, new = ([float(v) for v in row["source_bbox"].split(",")]
                for row in (difference.clean, difference.damaged))
    moved = [b - a for a, b in zip(old, new)]
    if abs(moved[0] - moved[2]) > _SLACK or abs(moved[1] - moved[3]) > _SLACK:
        return None
    return moved[0], moved[1]


def _page_shifts(found: list[Difference], touched: frozenset[tuple[str, int]]
                 ) -> dict[int, tuple[float, float]]:
    """Each page whose box the mutation changed and whose rows' boxes all moved by one
    shift: a page box measures every position on its page, so they move with it."""
    shifts: dict[int, list[tuple[float, float] | None]] = {}
    for difference in found:
        row = difference.damaged or {}
        if difference.clean is not None and ("page box", row.get("source_page")) in touched:
            shifts.setdefault(int(row["source_page"]), []).append(_bbox_shift(difference))
    return {page: moved[0] for page, moved in shifts.items()
            if None not in moved and all(abs(a - b) <= _SLACK for shift in moved
                                         for a, b in zip(shift, moved[0]))}


def _moved_with_its_page(difference: Difference, shifts: dict[int, tuple[float, float]]
                         ) -> bool:
    page = (difference.damaged or {}).get("source_page")
    return difference.clean is not None and _present(page) and int(page) in shifts


def _written(clean: Any, damaged: Any, lines: LineDiff) -> bool:
    """The value changed by text the mutation wrote (or took out) and nothing else."""
    old, new = _squeezed(str(clean or "")), _squeezed(str(damaged or ""))
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    gained, lost = new[start:len(new) - end], old[start:len(old) - end]
    return bool(gained or lost) and gained in lines.written and lost in lines.removed


@dataclass(frozen=True)
class Verdict:
    outcome: str  # one of OUTCOMES
    detail: str  # the refusal, the bug, or the first silent differences


def judge(clean: Conversion, damaged: Conversion, names: tuple[str, ...],
          lines: LineDiff = NO_LINES, touched: frozenset[tuple[str, int]] = frozenset(),
          moved: frozenset[str] = frozenset()) -> Verdict:
    """The outcome of one case (``names``: what a refusal may name: the file, its folder)."""
    if damaged.internal:
        return Verdict("internal", damaged.error or "")
    if damaged.tables is None:
        error = damaged.error or ""
        if not any(name in error for name in names) or "\n" in error.strip():
            return Verdict("internal", f"a refusal that is not one sentence naming {names}: "
                                       f"{error!r}")
        return Verdict("refused", error)
    clean = renumbered(clean, damaged, lines)
    found = differences(clean, damaged, lines)
    if not found:
        return Verdict("equal", "")
    homes = {id(d): _home(d, damaged, clean) for d in found}
    unnamed = [d for d in found if not any(_named_by(w, d, homes[id(d)])
                                           for w in damaged.warnings)]
    sides = (_Side.of(clean, lines.visible_clean, lines.clean_block_start, touched,
                      lines.clean_lines),
             _Side.of(damaged, lines.visible, lines.block_start, touched, lines.damaged_lines))
    shifts = _page_shifts(unnamed, touched)
    silent = [d for d in unnamed if not (_touched(d, lines, sides, moved)
                                         or _moved_with_its_page(d, shifts))]
    if silent:
        return Verdict("silent", f"{len(silent)} unexplained: "
                       + "; ".join(d.describe() for d in silent[:5]))
    return Verdict("touched" if len(unnamed) == len(found) else "flagged", "")


def run_case(subject: Subject, clean: Conversion, mutator: str, seed: int, work: Path
             ) -> Verdict:
    """Damage ``subject`` with ``mutator`` seeded by ``seed``, convert it, judge it."""
    original = subject.clean_bytes()
    mutation = subject.mutators[mutator](original, random.Random(seed))
    lines = LineDiff.of(original, mutation.data) if subject.lines else NO_LINES
    # a report of parts is refused naming the part, or (its tables) the report's folder
    names = (subject.target, subject.source.name)
    return judge(clean, subject.convert(mutation.data, work), names, lines, mutation.touched,
                 mutation.moved)
