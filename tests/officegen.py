"""Write a report text (the seed, or a later year's) as a ward authors it in Office:
a Word memo (front part) and an Excel or Word 別紙 (attachment), with openpyxl and
python-docx — the fixtures the Office readers are tested on.

    report text --pdfgen.seed_report--> SeedReport --build_memo_docx-->   memo.docx
                                                   --build_besshi_xlsx--> besshi.xlsx
                                                   --build_report_docx--> one .docx, 別紙 as a Word table
                                                   --build_besshi_pdf-->  besshi.pdf (pdfgen's drawing)

Options put in what real workbooks have: the 別紙 split over several sheets (header
repeated on each), helper columns, rows and sheets the author hid (filled with
look-alike marks and rows that would break the counts if they were read), and in
Word a measure's cells merged vertically (w:vMerge) over page-sized groups of rows,
with the header row marked to repeat (w:tblHeader).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.worksheet.worksheet import Worksheet
from pdfgen import (
    LAYOUTS,
    SEED_PATH,
    Measure,
    SeedReport,
    draw_page,
    plan_attachment,
    register_fonts,
    seed_report,
)
from reportlab.pdfgen.canvas import Canvas

_THIN = Side(style="thin")
_RULED = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class BesshiOptions:
    """How the 別紙 workbook is laid out."""

    sheets: int = 1  # the measures split over this many sheets, header repeated on each
    hidden_helpers: bool = False  # a hidden column, hidden rows and a hidden sheet of junk
    lookalike_marks: bool = False  # status marks typed as the characters they look like


# What authors type for the marks: 〇 (kanji zero), ⊚, ▵, ✕ (multiplication x).
LOOKALIKE_MARKS = {"○": "〇", "◎": "⊚", "△": "▵", "×": "✕"}


def _row_values(measure: Measure, index: int, show_measure: bool, lookalike: bool = False
                ) -> list[str | None]:
    row = measure.rows[index]
    head = [measure.measure_id, measure.name] if show_measure else [None, None]
    mark = LOOKALIKE_MARKS.get(row.status_mark, row.status_mark) if lookalike else row.status_mark
    return head + [row.business, mark or None, row.change_reason or None,
                   row.result or None, row.plan_next_year or None,
                   row.plan_later_years or None, "\n".join(row.departments) or None]


def _chunks(measures: tuple[Measure, ...], count: int) -> list[tuple[Measure, ...]]:
    size = -(-len(measures) // count)
    return [measures[i:i + size] for i in range(0, len(measures), size)]


def build_besshi_xlsx(path: Path, source: Path = SEED_PATH,
                      options: BesshiOptions = BesshiOptions()) -> Path:
    """The attachment as an Excel workbook: title, legend, 別紙 label, ruled table with
    merged measure cells (id and name over the measure's rows)."""
    report = seed_report(source)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, measures in enumerate(_chunks(report.measures, options.sheets), start=1):
        name = "別紙" if options.sheets == 1 else f"別紙({number})"
        sheet = workbook.create_sheet(name)
        header_row = _write_besshi_sheet(sheet, report, measures, options, number == 1)
        sheet.print_title_rows = f"{header_row}:{header_row}"
    if options.hidden_helpers:
        helper = workbook.create_sheet("作業用", 0)  # first, so reading it would put it first
        helper.append(list(report.header[:1]) + [None] + list(report.header[1:]))
        helper.append(["9-9-⑨", "削除した取組", "読まれてはならない事業", "×", None, "—",
                       None, None, "デジタル政策課"])
        helper.sheet_state = "hidden"
    workbook.save(path)
    return path


def _write_besshi_sheet(sheet: Worksheet, report: SeedReport, measures: tuple[Measure, ...],
                        options: BesshiOptions, first: bool) -> int:
    hidden_helpers = options.hidden_helpers
    width = 9
    if first:
        sheet.cell(1, width, report.attachment_label)
        sheet.append([report.attachment_title])
        for line in report.legend:
            sheet.append([line])
        sheet.append([])
    header = [report.header[0], None] + list(report.header[1:])
    sheet.append(header)
    header_row = sheet.max_row
    sheet.merge_cells(start_row=header_row, start_column=1, end_row=header_row, end_column=2)
    for measure in measures:
        start = sheet.max_row + 1
        for index in range(len(measure.rows)):
            sheet.append(_row_values(measure, index, index == 0, options.lookalike_marks))
            if hidden_helpers and index == 0 and len(measure.rows) > 1:
                # A row the author hid inside a measure: a copy that would double-count.
                sheet.append(_row_values(measure, index, False))
                sheet.row_dimensions[sheet.max_row].hidden = True
        end = sheet.max_row
        if end > start:
            for column in (1, 2):
                sheet.merge_cells(start_row=start, start_column=column, end_row=end,
                                  end_column=column)
    for row in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row, max_col=width):
        for cell in row:
            cell.border, cell.alignment = _RULED, _WRAP
    if hidden_helpers:
        # A helper column between 事業内容 and 進捗状況 holding look-alike marks: read,
        # it would be the row's status mark.
        sheet.insert_cols(4)
        for r in range(header_row, sheet.max_row + 1):
            sheet.cell(r, 4, "〇" if r > header_row else "確認欄").border = _RULED
        sheet.column_dimensions["D"].hidden = True
    return header_row


def build_memo_docx(path: Path, source: Path = SEED_PATH) -> Path:
    """The front part as a Word memo: paragraphs, the status and indicator tables."""
    document = docx.Document()
    _write_front(document, seed_report(source))
    document.save(path)
    return path


def _write_front(document: docx.document.Document, report: SeedReport) -> None:
    for block in report.front:
        if block.kind != "table":
            document.add_paragraph(block.text)
            continue
        table = document.add_table(rows=len(block.rows), cols=max(len(r) for r in block.rows))
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = text
        if block.rows[0][0].startswith("指標項目"):
            _merge_indicator_header(table, block.rows)


def _merge_indicator_header(table, rows: tuple[tuple[str, ...], ...]) -> None:
    """指標項目 over both header rows; 実績 and 目標 each over their year columns."""
    table.cell(0, 0).merge(table.cell(1, 0))
    c = 1
    while c < len(rows[0]):
        end = c
        while end + 1 < len(rows[0]) and not rows[0][end + 1]:
            end += 1
        if end > c:
            table.cell(0, c).merge(table.cell(0, end))
        c = end + 1


def build_report_docx(path: Path, source: Path = SEED_PATH, rows_per_table: int = 0) -> Path:
    """The whole report in one Word file: the memo, then the 別紙 as a Word table whose
    measure cells are merged vertically and whose header row repeats on every page.

    rows_per_table > 0 splits the 別紙 into tables of that many rows (one per page, as
    some authors do), each with its header; a measure cut by the split goes on with
    empty measure cells.
    """
    report = seed_report(source)
    document = docx.Document()
    _write_front(document, report)
    document.add_page_break()
    document.add_paragraph(report.attachment_title)
    for line in report.legend:
        document.add_paragraph(line)
    document.add_paragraph(report.attachment_label)
    rows = [(m, i) for m in report.measures for i in range(len(m.rows))]
    size = rows_per_table or len(rows)
    for start in range(0, len(rows), size):
        _write_besshi_table(document, report, rows[start:start + size])
    document.save(path)
    return path


def _write_besshi_table(document, report: SeedReport, rows: list[tuple[Measure, int]]) -> None:
    table = document.add_table(rows=1 + len(rows), cols=9)
    table.style = "Table Grid"
    for c, text in enumerate([report.header[0], ""] + list(report.header[1:])):
        if text:
            table.cell(0, c).text = text
    table.cell(0, 0).merge(table.cell(0, 1))
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    group_start = 1
    for r, (measure, index) in enumerate(rows, start=1):
        first_here = r == 1 or rows[r - 2][0] is not measure
        values = _row_values(measure, index, index == 0)
        for c, text in enumerate(values):
            if text is None:
                continue
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:  # departments as the cell's paragraphs
                cell.add_paragraph(line)
        if first_here:
            group_start = r
        last_here = r == len(rows) or rows[r][0] is not measure
        if last_here and r > group_start:
            for c in (0, 1):
                _vmerge(table, c, group_start, r)


def _vmerge(table, column: int, first: int, last: int) -> None:
    """w:vMerge by hand: python-docx's merge() would move the text into the first cell,
    which is right, but it also joins empty paragraphs; the XML is what Word writes."""
    for r in range(first, last + 1):
        tc_pr = table.cell(r, column)._tc.get_or_add_tcPr()
        merge = OxmlElement("w:vMerge")
        if r == first:
            merge.set(qn("w:val"), "restart")
        tc_pr.append(merge)


def build_besshi_pdf(path: Path, source: Path = SEED_PATH, layout: str = "a3_landscape_merged"
                     ) -> Path:
    """Only the attachment pages of tests/pdfgen.py's print of the report."""
    chosen = LAYOUTS[layout]
    fonts = register_fonts(chosen.font)
    pages = plan_attachment(seed_report(source), chosen)
    canvas = Canvas(str(path), pagesize=pages[0].size, invariant=True)
    canvas.setCreator("tests/officegen.py")
    for page_no, plan in enumerate(pages, 1):
        draw_page(canvas, plan, page_no, chosen, fonts)
    canvas.save()
    return path


_INLINE_CELL = re.compile(rb'<c ([^>]*?)t="inlineStr"><is>(<t[^>]*>.*?</t>|<t/>)</is></c>', re.DOTALL)
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(source: Path, target: Path) -> Path:
    """``source`` (openpyxl writes strings inline) with its strings moved to a shared-strings
    part, as Excel writes them: ``<c t="s"><v>index</v></c>`` and xl/sharedStrings.xml."""
    strings: list[bytes] = []

    def shared(match: re.Match[bytes]) -> bytes:
        strings.append(match.group(2))
        return b'<c ' + match.group(1) + b't="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = old.read(name)
            if name.startswith("xl/worksheets/sheet"):
                data = _INLINE_CELL.sub(shared, data)
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", f'<Relationship Id="rIdStrings" Type='
                                    f'"{_SST_TYPE}" Target="sharedStrings.xml"/></Relationships>'.encode())
            elif name == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                    f'ContentType="{_SST_CONTENT}"/></Types>'.encode())
            new.writestr(name, data)
        items = b"".join(b"<si>" + text + b"</si>" for text in strings)
        new.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(strings), len(strings))
                     + items + b"</sst>")
    return target
