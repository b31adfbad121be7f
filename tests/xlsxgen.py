"""Write the seed report into an Excel workbook as a ward office keeps it, and print it to
PDF with LibreOffice: fixtures made by the exporter wards really use.

    seed text --seed_report--> SeedReport --build_report_xlsx--> .xlsx --convert_to_pdf--> .pdf

The workbook has two sheets, printed in order: "front" (title, paragraphs, the status
counts, the goals with their indicator tables, the footnotes) and "attachment" (title,
legend, 別紙 and the 9-column table with the header row repeated on every printed page).
LibreOffice paginates the attachment by itself, so a measure's merged id and name cells
straddle page breaks wherever they fall: the case generated PDFs cannot reproduce.

Spreadsheets store row heights (LibreOffice does not fit rows to wrapped text when it
opens an .xlsx, and nothing fits a row to a merged cell), so each row is given the height
its wrapped text needs, counted as LibreOffice wraps the monospaced IPA fonts (full-width
glyphs 1 em, half-width 0.5 em, lines 1 em apart; see wrap_units). Text that did not fit
would be clipped in print but stay whole in the text layer, spilling into the next cell.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pdfgen import SAMPLE_COLUMN_WIDTHS, Block, Measure, SeedReport, seed_report

PAPER_SIZES = {"A3": 8, "A4": 9, "B4": 12}  # Excel's paperSize codes; 12 is JIS B4
FONTS = ("IPAGothic", "IPAMincho")  # Debian's fonts-ipafont-gothic / -mincho
DIGIT_WIDTH = 0.5  # em: the default font's "0", the unit of Excel column widths
CELL_PAD = 3.0  # pt of a cell's width LibreOffice keeps free of text (measured: 2)
LINE_HEIGHT = 1.0  # em between wrapped lines of IPA fonts in LibreOffice
ROW_AIR = 5.0  # pt a row has beyond its lines, as Excel's auto-fitted rows have
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
# Front sheet columns in points: an indent column, then the indicator table's five.
FRONT_WIDTHS = (14.0, 190.0, 68.0, 68.0, 68.0, 68.0)
FRONT_TABLE_COL = 2  # column B: the tables start one indent in


@dataclass(frozen=True)
class SheetVariant:
    """How the workbook is set up for printing.

    paper and orientation are the attachment's (the front sheet is A4 portrait, like the
    sample's Word pages). column_widths are the attachment's 9 columns in points at
    font_size (id, name, business, mark, reason, result, next year, later years,
    departments); LibreOffice scales each sheet to its paper's width (fit to 1 page wide,
    as many pages high as needed). border is an openpyxl side style for every table rule.
    """

    name: str
    paper: str = "A3"
    orientation: str = "landscape"
    font: str = "IPAGothic"
    font_size: float = 11.0
    border: str = "thin"
    column_widths: tuple[float, ...] = tuple(w * 1.4 for w in SAMPLE_COLUMN_WIDTHS)

    def __post_init__(self) -> None:
        if self.paper not in PAPER_SIZES or self.orientation not in ("portrait", "landscape"):
            raise ValueError(f"{self.name}: paper is one of {sorted(PAPER_SIZES)}, "
                             "orientation portrait or landscape")
        if self.font not in FONTS:
            raise ValueError(f"{self.name}: font must be one of {FONTS}, not {self.font!r}")
        if len(self.column_widths) != 9 or min(self.column_widths) <= 0:
            raise ValueError(f"{self.name}: column_widths needs 9 positive widths")


A4_COLUMN_WIDTHS = (36, 70, 80, 22, 40, 110, 80, 70, 50)  # pdfgen's narrow A4 layout

VARIANTS: dict[str, SheetVariant] = {variant.name: variant for variant in (
    # Like the ward's own export: A3 landscape, Gothic, thin rules, the sample's columns.
    SheetVariant("a3_landscape"),
    # Narrow columns on A4 portrait: tall rows, many pages, measures split by page breaks
    # (their names all printed above the break).
    SheetVariant("a4_portrait", paper="A4", orientation="portrait",
                 column_widths=tuple(w * 1.5 for w in A4_COLUMN_WIDTHS)),
    # The same a little wider: the page break after 2-4-②'s first row cuts its
    # three-line name after two lines.
    SheetVariant("a4_portrait_measure_name_cut", paper="A4", orientation="portrait",
                 column_widths=tuple(w * 1.65 for w in A4_COLUMN_WIDTHS)),
    # Mincho and thick ("medium") rules on JIS B4 landscape.
    SheetVariant("b4_landscape_mincho", paper="B4", font="IPAMincho", border="medium",
                 column_widths=tuple(w * 1.25 for w in SAMPLE_COLUMN_WIDTHS)),
)}


# --------------------------------------------------------------------------- measuring

_TOKEN = re.compile(r"[!-~]+|\s|.")  # an ASCII word wraps whole; CJK breaks anywhere
_OPENING = set("(「『【〔（［")  # a line never ends with one: it goes down with what follows
_COMMAS = set("、。")


def wrap_units(text: str) -> list[str]:
    """The pieces a line may break between, as LibreOffice breaks them. Measured on the
    seed's cells at 16 widths and 4 print scales (22,400 cells): never fewer lines than
    LibreOffice wraps, the same number in 99%."""
    units: list[str] = []
    for token in _TOKEN.findall(text):
        if units and units[-1][-1] in _OPENING and not token.isspace():
            units[-1] += token
        elif len(units) >= 2 and units[-1] in _COMMAS and token[0].isascii() \
                and not token.isspace():
            # "開催し、ICT": the ASCII word takes the comma and the character before it
            # down with it.
            units[-2:] = [units[-2] + units[-1] + token]
        else:
            units.append(token)
    return units


def glyph_width(char: str) -> float:
    """Advance in em of IPA (monospaced) fonts: full-width and ambiguous glyphs 1 em."""
    return 1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.5


def line_count(text: str, width: float, size: float) -> int:
    """Lines text wraps to in a cell width points wide, at size points."""
    room = (width - CELL_PAD) / size
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for token in wrap_units(paragraph):
            advance = sum(glyph_width(ch) for ch in token)
            if used and not token.isspace() and used + advance > room:
                count += 1
                used = 0.0
            while advance > room:  # a word wider than the cell breaks inside
                count += 1
                advance -= room
            used += advance
    return count


def row_height(lines: int, size: float) -> float:
    return lines * size * LINE_HEIGHT + ROW_AIR


def column_width(points: float, variant: SheetVariant) -> float:
    """Excel's column width (digits of the default font) for a width in points."""
    return points / (DIGIT_WIDTH * variant.font_size)


# --------------------------------------------------------------------------- cells


def cell_value(text: str) -> str | int | None:
    """What a person types: nothing for an empty cell, a number for digits."""
    if not text:
        return None
    return int(text) if text.isdigit() else text


def put(ws: Worksheet, row: int, col: int, text: str, font: Font, horizontal: str = "left",
        vertical: str = "top", indent: int = 0) -> None:
    cell = ws.cell(row, col, cell_value(text))
    cell.font = font
    cell.alignment = Alignment(horizontal=horizontal, vertical=vertical, wrap_text=True,
                               indent=indent)


def rule_box(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int,
             style: str, fill: PatternFill | None = None) -> None:
    """Rule every cell of a range on all four sides (merged cells included)."""
    side = Side(style=style)
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=first_col,
                            max_col=last_col):
        for cell in row:
            cell.border = Border(left=side, right=side, top=side, bottom=side)
            if fill is not None:
                cell.fill = fill


def merge(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    if (first_row, first_col) != (last_row, last_col):
        ws.merge_cells(start_row=first_row, start_column=first_col, end_row=last_row,
                       end_column=last_col)


def set_columns(ws: Worksheet, widths: tuple[float, ...], variant: SheetVariant) -> None:
    for index, points in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = column_width(points, variant)


def set_page(ws: Worksheet, paper: str, orientation: str, margin_inch: float) -> None:
    """Paper and orientation, fit to one page wide and as many high as needed."""
    ws.page_setup.paperSize = PAPER_SIZES[paper]
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = margin_inch
    ws.page_margins.top = ws.page_margins.bottom = margin_inch + 0.1


# --------------------------------------------------------------------------- front sheet


def write_front(ws: Worksheet, report: SeedReport, variant: SheetVariant) -> None:
    """The front part down one A4 portrait sheet: a row per line of text, tables ruled."""
    set_columns(ws, FRONT_WIDTHS, variant)
    set_page(ws, "A4", "portrait", 0.75)
    size = variant.font_size
    row = 1
    for block in report.front:
        row += 1 if block.kind == "heading" else 0
        if block.kind == "table":
            row = write_front_table(ws, row, block, variant)
            continue
        bold = block.kind in ("title", "heading", "goal")
        block_size = {"title": size + 3, "footnote": size - 1, "footnote_more": size - 1
                      }.get(block.kind, size)
        indent = 1 if block.kind in ("paragraph", "footnote_more") else 0
        horizontal = "center" if block.kind == "title" else "left"
        put(ws, row, 1, block.text, Font(name=variant.font, size=block_size, bold=bold),
            horizontal, "center", indent)
        merge(ws, row, 1, row, len(FRONT_WIDTHS))
        width = sum(FRONT_WIDTHS) - indent * block_size
        ws.row_dimensions[row].height = row_height(line_count(block.text, width, block_size),
                                                   block_size)
        row += 2 if block.kind == "title" else 1


def write_front_table(ws: Worksheet, row: int, block: Block, variant: SheetVariant) -> int:
    """A ruled table one indent in; returns the row after the blank row that follows it."""
    if len(block.rows[0]) == 2:
        return write_status_table(ws, row, block.rows, variant) + 1
    return write_indicator_table(ws, row, block.rows, variant) + 1


def write_status_table(ws: Worksheet, row: int, rows: tuple[tuple[str, ...], ...],
                       variant: SheetVariant) -> int:
    """進捗状況の区分 | 取組の数: the label merged over four columns. Returns the next row."""
    font = Font(name=variant.font, size=variant.font_size)
    bold = Font(name=variant.font, size=variant.font_size, bold=True)
    first, col, last_col = row, FRONT_TABLE_COL, len(FRONT_WIDTHS)
    for label, count in rows:
        header = row == first
        put(ws, row, col, label, bold if header else font, "center" if header else "left",
            "center")
        merge(ws, row, col, row, last_col - 1)
        put(ws, row, last_col, count, bold if header else font, "center", "center")
        width = sum(FRONT_WIDTHS[col - 1:last_col - 1])
        ws.row_dimensions[row].height = row_height(line_count(label, width, font.sz), font.sz)
        row += 1
    rule_box(ws, first, col, first, last_col, variant.border, HEADER_FILL)
    rule_box(ws, first + 1, col, row - 1, last_col, variant.border)
    return row


def write_indicator_table(ws: Worksheet, row: int, rows: tuple[tuple[str, ...], ...],
                          variant: SheetVariant) -> int:
    """Two header rows (指標項目 merged down them, 実績 and 目標 each merged over two
    years), then one row per indicator. Returns the next row."""
    font = Font(name=variant.font, size=variant.font_size)
    bold = Font(name=variant.font, size=variant.font_size, bold=True)
    col, last_col = FRONT_TABLE_COL, len(FRONT_WIDTHS)
    kinds, years = rows[0], rows[1]
    put(ws, row, col, kinds[0], bold, "center", "center")
    merge(ws, row, col, row + 1, col)
    for offset in (1, 3):
        put(ws, row, col + offset, kinds[offset], bold, "center", "center")
        merge(ws, row, col + offset, row, col + offset + 1)
    for offset in range(1, 5):
        put(ws, row + 1, col + offset, years[offset], font, "center", "center")
    for header_row in (row, row + 1):
        ws.row_dimensions[header_row].height = row_height(1, font.sz)
    rule_box(ws, row, col, row + 1, last_col, variant.border, HEADER_FILL)
    row += 2
    for values in rows[2:]:
        for offset, text in enumerate(values):
            put(ws, row, col + offset, text, font, "left" if offset == 0 else "center", "center")
        lines = max(line_count(text, FRONT_WIDTHS[col - 1 + offset], font.sz)
                    for offset, text in enumerate(values))
        ws.row_dimensions[row].height = row_height(lines, font.sz)
        rule_box(ws, row, col, row, last_col, variant.border)
        row += 1
    return row


# --------------------------------------------------------------------------- attachment


def write_attachment(ws: Worksheet, report: SeedReport, variant: SheetVariant) -> None:
    """Title, legend and 別紙 above the table; the header row printed on every page."""
    widths = variant.column_widths
    set_columns(ws, widths, variant)
    set_page(ws, variant.paper, variant.orientation, 0.4)
    ws.oddFooter.center.text = "&P / &N"
    size = variant.font_size
    ws.cell(1, 1, report.attachment_title).font = Font(name=variant.font, size=size + 3,
                                                       bold=True)
    label = ws.cell(1, len(widths), report.attachment_label)
    label.font = Font(name=variant.font, size=size)
    label.alignment = Alignment(horizontal="right")
    ws.row_dimensions[1].height = row_height(1, size + 3)
    for row, line in enumerate(report.legend, 2):
        ws.cell(row, 1, line).font = Font(name=variant.font, size=size)
    header_row = len(report.legend) + 3
    write_attachment_header(ws, header_row, report.header, variant)
    ws.print_title_rows = f"{header_row}:{header_row}"
    row = header_row + 1
    for measure in report.measures:
        row = write_measure(ws, row, measure, variant)


def write_attachment_header(ws: Worksheet, row: int, header: tuple[str, ...],
                            variant: SheetVariant) -> None:
    """実施内容 over the id and name columns, then one header cell per column."""
    bold = Font(name=variant.font, size=variant.font_size, bold=True)
    widths = variant.column_widths
    spans = [(1, 2)] + [(col, col) for col in range(3, 10)]
    for text, (first, last) in zip(header, spans):
        put(ws, row, first, text, bold, "center", "center")
        merge(ws, row, first, row, last)
    lines = max(line_count(text, sum(widths[first - 1:last]), bold.sz)
                for text, (first, last) in zip(header, spans))
    ws.row_dimensions[row].height = row_height(lines, bold.sz)
    rule_box(ws, row, 1, row, 9, variant.border, HEADER_FILL)


def write_measure(ws: Worksheet, first: int, measure: Measure, variant: SheetVariant) -> int:
    """One row per business; the measure's id and name merged down its rows. Returns
    the row after the measure."""
    font = Font(name=variant.font, size=variant.font_size)
    widths, size = variant.column_widths, variant.font_size
    heights = []
    for offset, item in enumerate(measure.rows):
        row = first + offset
        cells = (item.business, item.status_mark, item.change_reason, item.result,
                 item.plan_next_year, item.plan_later_years, "\n".join(item.departments))
        for col, text in enumerate(cells, 3):
            put(ws, row, col, text, font, "center" if col == 4 else "left")
        heights.append(row_height(max(line_count(text, widths[col - 1], size)
                                      for col, text in enumerate(cells, 3)), size))
    last = first + len(measure.rows) - 1
    for col, text in ((1, measure.measure_id), (2, measure.name)):
        put(ws, first, col, text, font)
        merge(ws, first, col, last, col)
    name_height = max(row_height(line_count(text, widths[col - 1], size), size)
                      for col, text in ((1, measure.measure_id), (2, measure.name)))
    heights[-1] += max(0.0, name_height - sum(heights))  # a merged cell never auto-fits
    for row, height in enumerate(heights, first):
        ws.row_dimensions[row].height = height
    rule_box(ws, first, 1, last, 9, variant.border)
    return last + 1


# --------------------------------------------------------------------------- files


def build_report_xlsx(path: Path, variant: SheetVariant, report: SeedReport | None = None
                      ) -> Path:
    """Write the seed report (or another report of its layout) as a two-sheet workbook."""
    report = report or seed_report()
    workbook = Workbook()
    # The Normal style's font sets the unit of column widths (its digit's width), as a
    # Japanese Excel's default font does; Calibri would fall back to whatever is installed.
    workbook._named_styles["Normal"].font = Font(name=variant.font, size=variant.font_size)
    workbook.properties.title = report.front[0].text
    workbook.properties.creator = "tests/xlsxgen.py"
    front = workbook.active
    front.title = "front"
    write_front(front, report, variant)
    write_attachment(workbook.create_sheet("attachment"), report, variant)
    workbook.save(path)
    return Path(path)


def convert_to_pdf(workbooks: list[Path], out_dir: Path, profile_dir: Path,
                   timeout: float = 180.0) -> list[Path]:
    """Print each workbook to out_dir/<stem>.pdf with one headless LibreOffice run.

    profile_dir is LibreOffice's user profile, made on first use: give each caller its
    own, as a second soffice on a profile in use exits 1 without converting anything.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        raise FileNotFoundError("soffice (LibreOffice) is not on PATH")
    command = [soffice, f"-env:UserInstallation={profile_dir.resolve().as_uri()}",
               "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir),
               *map(str, workbooks)]
    # soffice is a script that starts oosplash, which starts soffice.bin: a session of
    # their own lets a timeout end all three.
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    pdfs = [out_dir / f"{Path(workbook).stem}.pdf" for workbook in workbooks]
    missing = [pdf.name for pdf in pdfs if not pdf.exists()]
    if process.returncode or missing:  # soffice may exit 0 without writing a file
        raise RuntimeError(f"soffice exited {process.returncode}; missing {missing}:\n"
                           f"{stdout}{stderr}")
    return pdfs
