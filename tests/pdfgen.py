"""Render the seed report into realistic PDFs in many layouts: fixtures for the PDF reader.

This is an independent oracle. It parses the seed text itself and imports nothing from
``pipeline``, so a layout the reader was never fitted to can be checked against rows that
did not come through the reader. The stages mirror the pipeline's style:

    seed text --parse_seed--> SeedReport --plan_document--> [PagePlan] --draw--> PDF

Planning is pure (positions in points, measured from the page's top-left); only
``build_report_pdf`` touches reportlab's canvas and the file system.

Fonts are reportlab's built-in Japanese CID fonts (no font file is embedded), so a viewer
substitutes its own Japanese font; the text layer is what matters to the reader.
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase._cidfontdata import CIDFontInfo
from reportlab.pdfbase.cidfonts import UnicodeCIDFont, structToPDF
from reportlab.pdfgen.canvas import Canvas

SEED_PATH = Path(__file__).resolve().parent / "fixtures" / "nakano_fy2023.txt"

B4 = (257 * mm, 364 * mm)  # JIS B4, the Japanese office size (reportlab's B4 is ISO)
FONTS = ("HeiseiKakuGo-W5", "HeiseiMin-W3")
MARKS = ("◎", "○", "△", "×")
ATTACHMENT_HEADER = ("実施内容", "事業内容", "進捗状況", "スケジュールの変更理由",
                     "取組結果 (令和5年度)", "令和6年度取組予定", "令和7年度以降取組予定",
                     "所管課")
# Physical columns: id, name, business, mark, reason, result, next, later, departments.
SAMPLE_COLUMN_WIDTHS = (32.0, 128.0, 160.0, 29.0, 80.0, 245.0, 192.0, 170.0, 90.0)

# Kanji that Word-made PDFs often carry as radical code points, with the radical and the
# kanji's Adobe-Japan1 CID (from UniJIS-UCS2-H). The CID lets the "radical" font draw the
# kanji's own glyph while its ToUnicode says the radical, as such PDFs do.
KANGXI = {
    "用": ("\u2F64", 3899), "行": ("\u2F8F", 2022), "支": ("\u2F40", 2215),
    "入": ("\u2F0A", 3286), "方": ("\u2F45", 3661), "子": ("\u2F26", 2208),
    "人": ("\u2F08", 2579), "手": ("\u2F3F", 2326), "自": ("\u2F83", 2263),
    "目": ("\u2F6C", 3816), "生": ("\u2F63", 2652), "大": ("\u2F24", 2887),
    "口": ("\u2F1D", 1969), "見": ("\u2F92", 1887), "月": ("\u2F49", 1860),
    "高": ("\u2FBC", 2036), "文": ("\u2F42", 3592), "金": ("\u2FA6", 1754),
    "面": ("\u2FAF", 3800), "立": ("\u2F74", 3953), "日": ("\u2F47", 3284),
    # CJK Radicals Supplement: no NFKC mapping, so readers need their own table.
    "長": ("\u2ED1", 3029), "青": ("\u2ED8", 2664), "西": ("\u2EC4", 2658),
    "食": ("\u2EDD", 2543), "民": ("\u2EA0", 3773),
}
# Characters whose CID pdfminer maps back to the wrong code point when a font has no
# ToUnicode (— comes back as U+0336). A real export's ToUnicode names them rightly, so
# they are drawn through the mapped font too.
CID_FIXES = {"—": ("—", 138)}


def paper(name: str, orientation: str = "portrait") -> tuple[float, float]:
    """Page size in points for "A4", "A3" or "B4" (JIS) and "portrait" or "landscape"."""
    size = {"A4": A4, "A3": A3, "B4": B4}[name]
    return landscape(size) if orientation == "landscape" else portrait(size)


@dataclass(frozen=True)
class Layout:
    """How the report is printed.

    Page sizes are (width, height) in points (see ``paper``); column_widths are relative
    weights of the 9 physical columns id, name, business, mark, reason, result, next year,
    later years, departments ("joined" adds the first two into one 実施内容 column).
    merged_measure_cells: one cell spans a measure's rows on a page (else a ruled cell per
    row, the id and name in the first). repeat_measure_on_new_page: a measure running on
    to a new page prints its id and name there again (else its cells stay empty there).

    The damage flags break the text layer on purpose, not the picture: kangxi writes the
    KANGXI kanji as radical code points; fullwidth_digits prints ０-９; spaced_letters prints
    headers and short plan cells as "令 和 6 年 度"; fake_bold prints each header glyph twice
    0.3 pt apart; unreadable_page (1-based) draws that page in a font whose text extracts
    as "(cid:N)"; no_text_layer draws every page as rules over a picture, with no text.
    """

    name: str
    front_pagesize: tuple[float, float] = paper("A4")
    attachment_pagesize: tuple[float, float] = paper("A3", "landscape")
    font: str = "HeiseiKakuGo-W5"
    font_size: float = 7.6
    column_widths: tuple[float, ...] = SAMPLE_COLUMN_WIDTHS
    rule_width: float = 0.5
    merged_measure_cells: bool = True
    repeat_measure_on_new_page: bool = True
    measure_cell_layout: str = "split"  # "split": id | name columns; "joined": one column
    margin_mm: float = 12.0
    kinsoku: bool = True  # False wraps like LibreOffice, which may start a line with 。
    kangxi: bool = False
    fullwidth_digits: bool = False
    spaced_letters: bool = False
    fake_bold: bool = False
    unreadable_page: int | None = None
    no_text_layer: bool = False

    def __post_init__(self) -> None:
        if self.font not in FONTS:
            raise ValueError(f"{self.name}: font must be one of {FONTS}, not {self.font!r}")
        if not 5 <= self.font_size <= 12:
            raise ValueError(f"{self.name}: font_size {self.font_size} is outside 5–12 pt")
        if len(self.column_widths) != 9 or min(self.column_widths) <= 0:
            raise ValueError(f"{self.name}: column_widths needs 9 positive weights")
        if self.measure_cell_layout not in ("split", "joined"):
            raise ValueError(f"{self.name}: measure_cell_layout is 'split' or 'joined'")
        if self.rule_width <= 0 or (self.unreadable_page is not None and self.unreadable_page < 1):
            raise ValueError(f"{self.name}: rule_width must be > 0 and unreadable_page >= 1")


# --------------------------------------------------------------------------- seed parsing


@dataclass(frozen=True)
class BusinessRow:
    """One logical row of the attachment: a business (事業) under a measure (取組)."""

    measure_id: str
    measure_name: str
    business: str
    status_mark: str
    change_reason: str
    result: str
    plan_next_year: str
    plan_later_years: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    measure_id: str
    name: str
    rows: tuple[BusinessRow, ...]


@dataclass(frozen=True)
class Block:
    """A piece of the front part: kind is title, heading, goal, paragraph, footnote,
    footnote_more (a footnote's second paragraph) or table."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class SeedReport:
    front: tuple[Block, ...]
    attachment_title: str
    legend: tuple[str, ...]
    attachment_label: str
    measures: tuple[Measure, ...]
    header: tuple[str, ...] = ATTACHMENT_HEADER  # the sample's wording, the report's years


_CJK = r"[\u3040-\u30ff\u3400-\u9fff]"
_SPACE_BY_DIGIT = re.compile(rf"(?<={_CJK}) +(?=[0-9])|(?<=[0-9]) +(?={_CJK})")
_ENUMERATOR = re.compile(r"^(?:※|目標 ?)?[0-9]+ ")


def tidy_front(text: str) -> str:
    """The seed's front part has "令和 5 年度"; print "令和5年度", but keep the gap after a
    leading "1 ", "※1 " or "目標 1 " as the printed report does."""
    head = _ENUMERATOR.match(text)
    cut = head.end() if head else 0
    return _SPACE_BY_DIGIT.sub("", text[:cut]) + _SPACE_BY_DIGIT.sub("", text[cut:])


def _chunks(lines: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [c for c in chunks if c]


def front_blocks(lines: list[str]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    in_footnotes = False
    for chunk in _chunks(lines):
        text = tidy_front(chunk[0].lstrip("#").strip())
        if "\t" in chunk[0]:
            # Year headers are printed "令和5年度"; values keep their spaces ("約 179 万件"),
            # as the sample's Word tables print them.
            rows = tuple(tuple(tidy_front(c.strip()) if "年度" in c else c.strip()
                               for c in line.split("\t")) for line in chunk)
            blocks.append(Block("table", rows=rows))
        elif text.startswith("目標"):
            blocks.append(Block("goal", text))
        elif chunk[0].startswith("#"):
            in_footnotes = False
            blocks.append(Block("heading" if blocks else "title", text))
        elif text.startswith("※"):
            in_footnotes = True
            blocks.append(Block("footnote", text))
        else:
            blocks.append(Block("footnote_more" if in_footnotes else "paragraph", text))
    return tuple(blocks)


def split_seed_row(cells: list[str], header_mark_col: int) -> tuple[list[str], list[str]]:
    """One seed table line → (cells before the business, the 7 logical values from
    business to departments). The text copy shifts cells and adds empty ones, so anchor on
    the status mark (or the header's mark column when a re-listed row has none)."""
    cells = [c.strip() for c in cells]
    mark_col = next((i for i, c in enumerate(cells) if c in MARKS), header_mark_col)
    tail = cells[mark_col + 1:]
    while len(tail) > 5 and not tail[-1]:
        tail.pop()
    while len(tail) > 5 and not tail[-2]:  # surplus cells sit just before the departments
        del tail[-2]
    if len(tail) != 5:
        raise ValueError(f"cannot find 5 cells after the status mark in {cells!r}")
    return cells[:mark_col - 1], [cells[mark_col - 1], cells[mark_col], *tail]


def attachment_rows(lines: list[str]) -> list[BusinessRow]:
    rows: list[BusinessRow] = []
    measure_id = measure_name = ""
    for chunk in _chunks(lines):
        if not chunk[0].startswith("実施内容"):
            continue
        header_mark_col = chunk[0].split("\t").index("進捗状況")
        for line in chunk[1:]:
            prefix, (business, mark, reason, result, later1, later2, depts) = \
                split_seed_row(line.split("\t"), header_mark_col)
            if len(prefix) >= 2 and prefix[0]:
                measure_id, measure_name = prefix[0], prefix[1]
            rows.append(BusinessRow(measure_id, measure_name, business, mark, reason, result,
                                    later1, later2, tuple(depts.split())))
    return rows


def group_measures(rows: list[BusinessRow]) -> tuple[Measure, ...]:
    """Consecutive rows of one measure id form a measure, even across seed pages."""
    measures: list[Measure] = []
    for row in rows:
        if measures and measures[-1].measure_id == row.measure_id:
            last = measures[-1]
            measures[-1] = Measure(last.measure_id, last.name, last.rows + (row,))
        else:
            measures.append(Measure(row.measure_id, row.measure_name, (row,)))
    return tuple(measures)


def parse_seed(text: str) -> SeedReport:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().endswith("進捗状況一覧"))
    rest = [line.strip() for line in lines[start + 1:] if line.strip()]
    legend = tuple(line for line in rest if line.startswith("【") or line[:1] in MARKS)
    label = next(line for line in rest if line == "別紙")
    return SeedReport(front_blocks(lines[:start]), lines[start].strip(), legend, label,
                      group_measures(attachment_rows(lines[start + 1:])),
                      attachment_header(lines[start + 1:]))


def attachment_header(lines: list[str]) -> tuple[str, ...]:
    """ATTACHMENT_HEADER with the years of the report's own first header row."""
    first = next(line for line in lines if line.startswith("実施内容"))
    years = re.findall(r"令和\s*\d+\s*年度", first)
    header = list(ATTACHMENT_HEADER)
    for index, year in zip((4, 5, 6), years):
        header[index] = re.sub(r"令和\d+年度", year.replace(" ", ""), header[index])
    return tuple(header)


@lru_cache(maxsize=1)
def seed_report(source: Path = SEED_PATH) -> SeedReport:
    """The report to print: the seed, or another report text of the same layout."""
    return parse_seed(source.read_text(encoding="utf-8"))


def seed_logical_rows() -> list[dict]:
    """The 113 logical rows every layout renders, as plain dicts (departments a list)."""
    rows = [asdict(row) for m in seed_report().measures for row in m.rows]
    for row in rows:
        row["departments"] = list(row["departments"])
    return rows


# --------------------------------------------------------------------------- text shaping

# Kinsoku: characters a Japanese line may not start with.
_NO_LINE_START = set("、。，．,.)）」』】〕・ー%％ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
_TOKEN = re.compile(r"[!-~]+|\s|.")  # an ASCII word stays whole; CJK breaks anywhere


def wrap_text(text: str, width: float, font: str, size: float, kinsoku: bool = True,
              indent: float = 0.0) -> list[str]:
    """Break text into lines no wider than width (the first narrower by indent); joining
    the lines gives the text back, so wrapping only ever inserts line breaks."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text, width, font, size):
        room = width - (0.0 if lines else indent)
        if not line or token.isspace() or \
                pdfmetrics.stringWidth(line + token, font, size) <= room:
            line += token  # a space at a break stays at the end of the line
            continue
        if kinsoku and token[0] in _NO_LINE_START and len(line.rstrip()) > 1:
            line, token = line[:-1], line[-1] + token
        lines.append(line)
        line = token
    return lines + [line] if line or not lines else lines


def _tokens(text: str, width: float, font: str, size: float) -> list[str]:
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if len(token) > 1 and pdfmetrics.stringWidth(token, font, size) > width:
            tokens.extend(token)  # a word wider than the cell must break somewhere
        else:
            tokens.append(token)
    return tokens


def damaged(text: str, layout: Layout, spaced: bool = False) -> str:
    """The printed string after the string-level damage (widths change, so before wrapping)."""
    if layout.fullwidth_digits:
        text = text.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    if layout.spaced_letters and spaced:
        text = " ".join(ch for ch in text if not ch.isspace())
    return text


# --------------------------------------------------------------------------- page plans


@dataclass(frozen=True)
class Text:
    x: float
    baseline: float  # from the page top
    text: str
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Fill:
    x0: float
    top: float
    x1: float
    bottom: float
    gray: float = 0.85


@dataclass
class PagePlan:
    size: tuple[float, float]
    role: str  # "front" or "attachment"
    items: list[Text | Rule | Fill] = field(default_factory=list)


def _line_height(size: float) -> float:
    return size * 1.35


def text_lines(lines: list[str], x: float, top: float, size: float, bold: bool = False,
               align_width: float | None = None, font: str = FONTS[0]) -> list[Text]:
    """Lines stacked from top; centred in align_width when given."""
    items = []
    for i, line in enumerate(lines):
        dx = 0.0
        if align_width is not None:
            dx = max(0.0, (align_width - pdfmetrics.stringWidth(line, font, size)) / 2)
        baseline = top + i * _line_height(size) + 0.2 * size + 0.88 * size
        items.append(Text(x + dx, baseline, line, size, bold))
    return items


def cell_box(x0: float, top: float, x1: float, bottom: float) -> list[Rule]:
    return [Rule(x0, top, x1, top), Rule(x0, bottom, x1, bottom),
            Rule(x0, top, x0, bottom), Rule(x1, top, x1, bottom)]


def column_edges(weights: tuple[float, ...], left: float, width: float) -> list[float]:
    edges = [left]
    for w in weights:
        edges.append(edges[-1] + width * w / sum(weights))
    return edges


def moved(items: list, dx: float = 0.0, dy: float = 0.0) -> list:
    """Items planned at the origin, placed where their block goes."""
    return [replace(i, x=i.x + dx, baseline=i.baseline + dy) if isinstance(i, Text) else
            replace(i, x0=i.x0 + dx, x1=i.x1 + dx, top=i.top + dy, bottom=i.bottom + dy)
            for i in items]


# --------------------------------------------------------------------------- front part

# Word's defaults for a ward committee paper: 10.5 pt body on A4 with wide margins.
FRONT_SIZES = {"title": 13.0, "heading": 11.0, "goal": 10.5, "paragraph": 10.5,
               "footnote": 9.0, "footnote_more": 9.0}
FRONT_TABLE_SIZE = 9.0
FRONT_MARGIN = 25 * mm
CELL_PAD = 2.0


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    centred: bool = True


def plan_grid(cells: list[GridCell], edges: list[float], size: float,
              layout: Layout) -> tuple[list, float]:
    """A small ruled table (front part): every cell boxed, text centred vertically."""
    lh = _line_height(size)
    wrapped = {c: wrap_text(damaged(c.text, layout, spaced=c.header),
                            edges[c.col + c.colspan] - edges[c.col] - 2 * CELL_PAD,
                            layout.font, size, layout.kinsoku) for c in cells}
    heights = [0.0] * (max(c.row + c.rowspan for c in cells))
    for c in sorted(cells, key=lambda c: c.rowspan):
        need = len(wrapped[c]) * lh + 2 * CELL_PAD
        have = sum(heights[c.row:c.row + c.rowspan])
        heights[c.row + c.rowspan - 1] += max(0.0, need - have)
    tops = [sum(heights[:i]) for i in range(len(heights) + 1)]
    items: list = []
    for c in cells:
        x0, x1 = edges[c.col], edges[c.col + c.colspan]
        top, bottom = tops[c.row], tops[c.row + c.rowspan]
        if c.header:
            items.append(Fill(x0, top, x1, bottom))
        text_top = (top + bottom - len(wrapped[c]) * lh) / 2
        items += text_lines(wrapped[c], x0 + CELL_PAD, text_top, size, c.header,
                            x1 - x0 - 2 * CELL_PAD if c.centred else None, layout.font)
        items += cell_box(x0, top, x1, bottom)
    return items, tops[-1]


def front_table_cells(rows: tuple[tuple[str, ...], ...]) -> tuple[list[GridCell], list[float]]:
    """The status-count table (2 columns) or an indicator table (5 columns, whose two
    header rows merge 指標項目 downwards and 実績 / 目標 across)."""
    if len(rows[0]) == 2:
        cells = [GridCell(0, 0, rows[0][0], header=True), GridCell(0, 1, rows[0][1], header=True)]
        cells += [GridCell(r, c, text, centred=c == 1)
                  for r, row in enumerate(rows[1:], 1) for c, text in enumerate(row)]
        return cells, [0.82, 0.18]
    cells = [GridCell(0, 0, rows[0][0], rowspan=2, header=True),
             GridCell(0, 1, rows[0][1], colspan=2, header=True),
             GridCell(0, 3, rows[0][3], colspan=2, header=True)]
    cells += [GridCell(1, c, rows[1][c], header=True) for c in range(1, 5)]
    cells += [GridCell(r, c, text, centred=c > 0)
              for r, row in enumerate(rows[2:], 2) for c, text in enumerate(row)]
    return cells, [0.4, 0.15, 0.15, 0.15, 0.15]


def plan_front_block(block: Block, width: float, layout: Layout) -> tuple[list, float, float]:
    """A block's items relative to (left margin, 0), its height and the space above it."""
    if block.kind == "table":
        cells, weights = front_table_cells(block.rows)
        items, height = plan_grid(cells, column_edges(tuple(weights), 0.0, width),
                                  FRONT_TABLE_SIZE, layout)
        return items, height, 4.0
    size = FRONT_SIZES[block.kind]
    bold = block.kind in ("title", "heading", "goal")
    indent = size if block.kind in ("paragraph", "footnote_more") else 0.0
    lines = wrap_text(damaged(block.text, layout, spaced=bold), width, layout.font, size,
                      layout.kinsoku, indent)
    items = text_lines(lines, 0.0, 0.0, size, bold,
                       width if block.kind == "title" else None, layout.font)
    if indent:
        items[0] = Text(indent, items[0].baseline, items[0].text, size, bold)
    space = {"title": 0.0, "heading": 14.0, "goal": 10.0}.get(block.kind, 3.0)
    return items, len(lines) * _line_height(size) + (10.0 if block.kind == "title" else 0.0), space


def plan_front(report: SeedReport, layout: Layout) -> list[PagePlan]:
    """Stack the front blocks down portrait pages; a block that does not fit starts a page."""
    page_w, page_h = layout.front_pagesize
    pages = [PagePlan(layout.front_pagesize, "front")]
    top = FRONT_MARGIN + 20.0
    for block in report.front:
        items, height, space = plan_front_block(block, page_w - 2 * FRONT_MARGIN, layout)
        if top + space + height > page_h - FRONT_MARGIN:
            pages.append(PagePlan(layout.front_pagesize, "front"))
            top, space = FRONT_MARGIN, 0.0
        top += space
        pages[-1].items += moved(items, FRONT_MARGIN, top)
        top += height
    return pages


# --------------------------------------------------------------------------- attachment


@dataclass
class RowBox:
    """A business row measured for one layout: wrapped lines per column after the measure."""

    row: BusinessRow
    first_of_measure: bool
    cells: list[list[str]]
    height: float


@dataclass
class Segment:
    """The rows of one measure on one page; shows_name is False for a continuation whose
    measure cells the layout leaves empty."""

    measure: Measure
    shows_name: bool
    rows: list[RowBox]
    name_height: float
    continues: bool = False  # the measure goes on on the next page

    def heights(self, merged: bool) -> list[float]:
        """Row heights once the measure name has room: a merged cell stretches the last
        row, a per-row cell stretches the first."""
        heights = [box.height for box in self.rows]
        if merged:
            heights[-1] += max(0.0, self.name_height - sum(heights))
        else:
            heights[0] = max(heights[0], self.name_height)
        return heights


class AttachmentGeometry:
    """Column edges and the text measurements of the attachment table for one layout."""

    def __init__(self, layout: Layout, header: tuple[str, ...] = ATTACHMENT_HEADER) -> None:
        self.layout = layout
        self.header = header
        self.size = layout.font_size
        self.margin = layout.margin_mm * mm
        self.joined = layout.measure_cell_layout == "joined"
        weights = layout.column_widths
        if self.joined:
            weights = (weights[0] + weights[1],) + tuple(weights[2:])
        page_w = layout.attachment_pagesize[0]
        self.edges = column_edges(weights, self.margin, page_w - 2 * self.margin)
        self.measure_cols = 1 if self.joined else 2

    def wrap(self, text: str, col: int, spaced: bool = False, end: int | None = None
             ) -> list[str]:
        """Lines of text in column col (or spanning col up to column end)."""
        width = self.edges[end or col + 1] - self.edges[col] - 2 * CELL_PAD
        return wrap_text(damaged(text, self.layout, spaced), width, self.layout.font,
                         self.size, self.layout.kinsoku)

    def header_spans(self) -> list[tuple[int, int]]:
        """(first column, end column) of each header cell: 実施内容 spans the measure."""
        mc = self.measure_cols
        return [(0, mc)] + [(mc + i, mc + i + 1) for i in range(7)]

    def block_height(self, columns: list[list[str]]) -> float:
        return max(len(lines) for lines in columns) * _line_height(self.size) + 2 * CELL_PAD

    def measure_lines(self, measure: Measure) -> list[list[str]]:
        if self.joined:
            return [self.wrap(f"{measure.measure_id} {measure.name}", 0)]
        return [self.wrap(measure.measure_id, 0), self.wrap(measure.name, 1)]

    def row_box(self, row: BusinessRow, first: bool) -> RowBox:
        c = self.measure_cols
        short = [len(v) <= 6 and v not in ("-", "—") for v in (row.plan_next_year,
                                                               row.plan_later_years)]
        cells = [self.wrap(row.business, c), self.wrap(row.status_mark, c + 1),
                 self.wrap(row.change_reason, c + 2), self.wrap(row.result, c + 3),
                 self.wrap(row.plan_next_year, c + 4, short[0]),
                 self.wrap(row.plan_later_years, c + 5, short[1]),
                 [line for d in row.departments for line in self.wrap(d, c + 6)]]
        return RowBox(row, first, cells, self.block_height(cells))

    def header_lines(self) -> list[list[str]]:
        return [self.wrap(text, c0, True, c1)
                for text, (c0, c1) in zip(self.header, self.header_spans())]


def paginate(measures: tuple[Measure, ...], geo: AttachmentGeometry, room_first: float,
             room_rest: float) -> list[list[Segment]]:
    """Fill pages with rows; a measure that does not fit goes on on the next page."""
    layout = geo.layout
    pages: list[list[Segment]] = [[]]
    room = room_first
    for measure in measures:
        name_height = geo.block_height(geo.measure_lines(measure))
        for i, row in enumerate(measure.rows):
            box = geo.row_box(row, i == 0)
            while not _place(pages[-1], box, measure, name_height, room, layout):
                if not pages[-1]:
                    raise ValueError(f"{layout.name}: row {row.business!r} is taller "
                                     "than a page")
                if pages[-1][-1].measure is measure:
                    pages[-1][-1].continues = True
                pages.append([])
                room = room_rest
    return pages


def _place(page: list[Segment], box: RowBox, measure: Measure, name_height: float,
           room: float, layout: Layout) -> bool:
    merged = layout.merged_measure_cells
    used = sum(sum(s.heights(merged)) for s in page)
    if page and page[-1].measure is measure:
        seg = page[-1]
        trial = Segment(measure, seg.shows_name, seg.rows + [box], seg.name_height)
        if used - sum(seg.heights(merged)) + sum(trial.heights(merged)) > room:
            return False
        seg.rows.append(box)
        return True
    shows = box.first_of_measure or layout.repeat_measure_on_new_page
    seg = Segment(measure, shows, [box], name_height if shows else 0.0)
    if used + sum(seg.heights(merged)) > room:
        return False
    page.append(seg)
    return True


def plan_table_page(segments: list[Segment], top: float, geo: AttachmentGeometry) -> list:
    """Header row, then the rows; rules drawn the way a spreadsheet export draws them."""
    e, size, font = geo.edges, geo.size, geo.layout.font
    merged, mc = geo.layout.merged_measure_cells, geo.measure_cols
    header = geo.header_lines()
    header_h = geo.block_height(header)
    items: list = [Fill(e[0], top, e[-1], top + header_h), Rule(e[0], top, e[-1], top)]
    for (c0, c1), lines in zip(geo.header_spans(), header):
        text_top = top + (header_h - len(lines) * _line_height(size)) / 2
        items += text_lines(lines, e[c0] + CELL_PAD, text_top, size, True,
                            e[c1] - e[c0] - 2 * CELL_PAD, font)
        items.append(Rule(e[c0], top, e[c0], top + header_h))
    items.append(Rule(e[-1], top, e[-1], top + header_h))
    y = body_top = top + header_h
    items.append(Rule(e[0], y, e[-1], y))
    for s_i, seg in enumerate(segments):
        if seg.shows_name:
            for col, lines in enumerate(geo.measure_lines(seg.measure)):
                items += text_lines(lines, e[col] + CELL_PAD, y + CELL_PAD, size, font=font)
        for r_i, (box, height) in enumerate(zip(seg.rows, seg.heights(merged))):
            for k, lines in enumerate(box.cells):
                col = mc + k
                centre = e[col + 1] - e[col] - 2 * CELL_PAD if k == 1 else None
                items += text_lines(lines, e[col] + CELL_PAD, y + CELL_PAD, size,
                                    align_width=centre, font=font)
            y += height
            # A merged measure cell has no rule under it until its measure ends, not even
            # at a page break: the ward's own export leaves it open there too.
            open_below = r_i < len(seg.rows) - 1 or (s_i == len(segments) - 1 and seg.continues)
            items.append(Rule(e[mc] if merged and open_below else e[0], y, e[-1], y))
    items += [Rule(x, body_top, x, y) for x in e]
    return items


def plan_attachment_heading(report: SeedReport, geo: AttachmentGeometry) -> tuple[list, float]:
    """Title, 別紙 at the top right, and the legend, above the first page's table."""
    size, m, font = geo.size, geo.margin, geo.layout.font
    page_w = geo.layout.attachment_pagesize[0]
    title_size = size + 2.4
    label = damaged(report.attachment_label, geo.layout)
    items = [Text(page_w - m - pdfmetrics.stringWidth(label, font, size), m + size, label, size),
             *text_lines([damaged(report.attachment_title, geo.layout)], m, m + size * 1.6,
                         title_size, True)]
    legend_top = m + size * 1.6 + _line_height(title_size)
    items += text_lines([damaged(line, geo.layout) for line in report.legend], m, legend_top,
                        size, font=font)
    return items, legend_top - m + len(report.legend) * _line_height(size) + size


def attachment_layout(report: SeedReport, layout: Layout) -> tuple[list[list[Segment]], list,
                                                                   float]:
    """The attachment's pages as measure segments, the first page's heading and where the
    first page's table starts."""
    geo = AttachmentGeometry(layout)
    heading, heading_h = plan_attachment_heading(report, geo)
    header_h = geo.block_height(geo.header_lines())
    first_top, bottom = geo.margin + heading_h, layout.attachment_pagesize[1] - geo.margin
    pages = paginate(report.measures, geo, bottom - first_top - header_h,
                     bottom - geo.margin - header_h)
    return pages, heading, first_top


def attachment_segments(layout: Layout) -> list[list[Segment]]:
    """Where the page breaks fell: for each attachment page, its measure segments."""
    register_fonts(layout.font)
    return attachment_layout(seed_report(), layout)[0]


def plan_attachment(report: SeedReport, layout: Layout) -> list[PagePlan]:
    geo = AttachmentGeometry(layout, report.header)
    page_w, page_h = layout.attachment_pagesize
    pages, heading, first_top = attachment_layout(report, layout)
    plans = []
    for n, segments in enumerate(pages, 1):
        plan = PagePlan(layout.attachment_pagesize, "attachment")
        plan.items += heading if n == 1 else []
        plan.items += plan_table_page(segments, first_top if n == 1 else geo.margin, geo)
        footer = damaged(f"{n} / {len(pages)}", layout)
        plan.items += text_lines([footer], 0.0, page_h - geo.margin * 0.75, geo.size,
                                 align_width=page_w, font=layout.font)
        plans.append(plan)
    return plans


def plan_document(layout: Layout, source: Path = SEED_PATH) -> list[PagePlan]:
    register_fonts(layout.font)  # wrapping measures text in the layout's font
    report = seed_report(source)
    return plan_front(report, layout) + plan_attachment(report, layout)


def page_roles(layout: Layout) -> list[str]:
    """"front" or "attachment" for each page build_report_pdf writes for this layout."""
    return [page.role for page in plan_document(layout)]


# --------------------------------------------------------------------------- fonts

_CMAP_HEAD = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
"""
_CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def to_unicode_cmap(code_to_text: dict[int, str]) -> bytes:
    entries = "".join(f"<{code:04X}> <{ord(text):04X}>\n"
                      for code, text in sorted(code_to_text.items()))
    body = f"{len(code_to_text)} beginbfchar\n{entries}endbfchar\n" if code_to_text else ""
    return _CMAP_HEAD + body.encode("ascii") + _CMAP_TAIL


class ToUnicodeCIDFont(UnicodeCIDFont):
    """A built-in CID font under its own name whose ToUnicode CMap we write: the glyphs
    still render, but a text extractor reads what the CMap says (or nothing)."""

    encoding_name = "UniJIS-UCS2-H"

    def __init__(self, face: str, name: str, to_unicode: bytes) -> None:
        super().__init__(face)
        self.name = self.fontName = name
        self.to_unicode = to_unicode

    def addObjects(self, doc) -> None:  # reportlab's hook, named by reportlab
        internal = "F" + repr(len(doc.fontMapping) + 1)
        spec = copy.deepcopy(CIDFontInfo[self.face.name])
        spec["Name"], spec["Encoding"] = "/" + internal, "/" + self.encoding_name
        font = structToPDF(spec)
        font.dict["ToUnicode"] = doc.Reference(pdfdoc.PDFStream(content=self.to_unicode))
        doc.idToObject["BasicFonts"].dict[internal] = doc.Reference(font, internal)
        doc.fontMapping[self.name] = "/" + internal


class MappedCIDFont(ToUnicodeCIDFont):
    """Draws characters by CID (Identity-H) while the text layer says what the table says:
    KANGXI kanji as radicals, CID_FIXES as themselves."""

    encoding_name = "Identity-H"

    def formatForPdf(self, text: str) -> str:
        table = {**CID_FIXES, **KANGXI}
        return escapePDF(b"".join(table[ch][1].to_bytes(2, "big") for ch in text))


@dataclass(frozen=True)
class FontSet:
    normal: str
    no_unicode: str  # every character extracts as (cid:N)
    mapped: str  # KANGXI and CID_FIXES characters


@lru_cache(maxsize=None)
def register_fonts(face: str) -> FontSet:
    fonts = FontSet(face, face + "-NoToUnicode", face + "-Mapped")
    pdfmetrics.registerFont(UnicodeCIDFont(face))
    pdfmetrics.registerFont(ToUnicodeCIDFont(face, fonts.no_unicode, to_unicode_cmap({})))
    mapped = {cid: text for text, cid in [*KANGXI.values(), *CID_FIXES.values()]}
    pdfmetrics.registerFont(MappedCIDFont(face, fonts.mapped, to_unicode_cmap(mapped)))
    return fonts

# --------------------------------------------------------------------------- drawing


def text_runs(text: str, fonts: FontSet, kangxi: bool) -> list[tuple[str, str]]:
    """Split a line into (font, text) runs, sending CID_FIXES (and KANGXI kanji when the
    layout asks for radicals) to the mapped font."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        name = fonts.mapped if ch in CID_FIXES or (kangxi and ch in KANGXI) else fonts.normal
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    return runs


def draw_text(canvas: Canvas, item: Text, page_h: float, fonts: FontSet, layout: Layout,
              unreadable: bool) -> None:
    y = page_h - item.baseline
    if unreadable:
        runs = [(fonts.no_unicode, item.text)]
    else:
        runs = text_runs(item.text, fonts, layout.kangxi)
    fake_bold = layout.fake_bold
    if item.bold and fake_bold:
        # Some exporters embolden by printing each glyph twice, slightly apart.
        x = item.x
        for name, chunk in runs:
            canvas.setFont(name, item.size)
            for ch in chunk:
                canvas.drawString(x, y, ch)
                canvas.drawString(x + 0.3, y, ch)
                x += pdfmetrics.stringWidth(ch, name, item.size)
        return
    canvas.saveState()
    text = canvas.beginText(item.x, y)
    if item.bold:  # the Heisei fonts have no bold face: fill and stroke the outline
        canvas.setLineWidth(item.size * 0.015)
        text.setTextRenderMode(2)
    for name, chunk in runs:
        text.setFont(name, item.size)
        text.textOut(chunk)
    canvas.drawText(text)
    canvas.restoreState()


def draw_scan(canvas: Canvas, plan: PagePlan, font: str) -> None:
    """The page's fills and text as a grey image, like a scan with no OCR layer."""
    from PIL import (  # pdfplumber's own dependency; only this layout needs it
        Image,
        ImageDraw,
    )
    from reportlab.lib.utils import ImageReader

    scale = 100 / 72
    width, height = plan.size
    image = Image.new("L", (round(width * scale), round(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    for item in plan.items:
        if isinstance(item, Fill):
            draw.rectangle([v * scale for v in (item.x0, item.top, item.x1, item.bottom)],
                           fill=round(item.gray * 255))
        elif isinstance(item, Text):
            x = item.x
            for ch in item.text:
                advance = pdfmetrics.stringWidth(ch, font, item.size)
                if not ch.isspace():
                    box = (x + advance * 0.1, item.baseline - item.size * 0.8,
                           x + advance * 0.9, item.baseline)
                    draw.rectangle([v * scale for v in box], fill=100)
                x += advance
    canvas.drawImage(ImageReader(image), 0, 0, width, height)


def draw_page(canvas: Canvas, plan: PagePlan, page_no: int, layout: Layout,
              fonts: FontSet) -> None:
    canvas.setPageSize(plan.size)
    page_h = plan.size[1]
    if layout.no_text_layer:
        draw_scan(canvas, plan, fonts.normal)
    else:
        unreadable = page_no == layout.unreadable_page
        for fill in (i for i in plan.items if isinstance(i, Fill)):
            canvas.setFillGray(fill.gray)
            canvas.rect(fill.x0, page_h - fill.bottom, fill.x1 - fill.x0,
                        fill.bottom - fill.top, stroke=0, fill=1)
        canvas.setFillGray(0)
        for item in (i for i in plan.items if isinstance(i, Text)):
            draw_text(canvas, item, page_h, fonts, layout, unreadable)
    canvas.setLineWidth(layout.rule_width)
    for rule in (i for i in plan.items if isinstance(i, Rule)):
        canvas.line(rule.x0, page_h - rule.top, rule.x1, page_h - rule.bottom)
    canvas.showPage()


def build_report_pdf(path: Path, layout: Layout, source: Path = SEED_PATH) -> Path:
    """Write the seed report (or source, a report text like it) printed with this layout."""
    pages = plan_document(layout, source)
    fonts = register_fonts(layout.font)
    canvas = Canvas(str(path), pagesize=pages[0].size, invariant=True)
    canvas.setTitle(seed_report(source).front[0].text)
    canvas.setCreator("tests/pdfgen.py")
    for page_no, plan in enumerate(pages, 1):
        draw_page(canvas, plan, page_no, layout, fonts)
    canvas.save()
    return Path(path)


# --------------------------------------------------------------------------- layouts

_SAMPLE_LIKE = Layout("a3_landscape_merged", repeat_measure_on_new_page=False, kinsoku=False)

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (
    # Like the ward's own export: Excel on A3 landscape, merged measure cells, a measure
    # split by a page break goes on with empty measure cells.
    _SAMPLE_LIKE,
    # Narrow page, small font: many page breaks, every row ruled, ids repeated.
    Layout("a4_portrait_unmerged_small_font", attachment_pagesize=paper("A4"), font_size=7.0,
           column_widths=(36, 70, 80, 22, 40, 110, 80, 70, 50), margin_mm=10,
           merged_measure_cells=False, repeat_measure_on_new_page=True),
    # Mincho, thick rules, per-row cells, and continuations with no id on the new page.
    Layout("b4_landscape_mincho_thick_rules_no_repeat",
           attachment_pagesize=paper("B4", "landscape"), font="HeiseiMin-W3", font_size=8.0,
           rule_width=1.5, merged_measure_cells=False, repeat_measure_on_new_page=False),
    # One 実施内容 column holding "1-1-① name", thin rules, a large font.
    Layout("a3_portrait_joined_measure_cell", attachment_pagesize=paper("A3"), font_size=9.0,
           rule_width=0.25, measure_cell_layout="joined", repeat_measure_on_new_page=True),
    replace(_SAMPLE_LIKE, name="damaged_text_layer", kangxi=True, fullwidth_digits=True,
            spaced_letters=True, fake_bold=True),
    replace(_SAMPLE_LIKE, name="unreadable_page_3", unreadable_page=3),
    replace(_SAMPLE_LIKE, name="no_text_layer", no_text_layer=True),
)}
