"""The fixture generator: every layout renders the seed into a PDF that pdfplumber reads
back as the seed's table, and the damaged layouts are damaged the way they claim."""

import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from pdfgen import (
    KANGXI,
    LAYOUTS,
    Layout,
    attachment_segments,
    build_report_pdf,
    page_roles,
    register_fonts,
    seed_logical_rows,
    seed_report,
    wrap_text,
)

READABLE = ["a3_landscape_merged", "a4_portrait_unmerged_small_font",
            "b4_landscape_mincho_thick_rules_no_repeat", "a3_portrait_joined_measure_cell",
            "damaged_text_layer"]
VALUE_KEYS = ["business", "status_mark", "change_reason", "result", "plan_next_year",
              "plan_later_years"]
RADICAL_TO_KANJI = {radical: kanji for kanji, (radical, _) in KANGXI.items()}
RELISTED = re.compile(r"^\(\d+-\d+-.再掲\)")


@pytest.fixture(scope="session")
def report_pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdfgen")
    return {name: build_report_pdf(out / f"{name}.pdf", layout)
            for name, layout in LAYOUTS.items()}


@pytest.fixture(scope="session")
def attachments(report_pdfs) -> dict[str, list[list[str | None]]]:
    """Each layout's attachment table as pdfplumber reads it (the biggest ruled table of
    each attachment page, header rows dropped, pages joined). Read once: it is the slow
    part."""
    read = {}
    for name, path in report_pdfs.items():
        layout, read[name] = LAYOUTS[name], []
        with pdfplumber.open(path) as pdf:
            for page, role in zip(pdf.pages, page_roles(layout)):
                if role == "attachment":
                    page = page.dedupe_chars() if layout.fake_bold else page
                    table = max(page.find_tables(), key=lambda t: len(t.rows))
                    read[name] += table.extract()[1:]
    return read


def reads_back(cell: str | None, expected: str, layout: Layout) -> bool:
    """The cell's lines give expected when joined with nothing, or with the space that
    pdfplumber drops when a line was wrapped at it ("Free\\nWi-Fi")."""
    if layout.kangxi or layout.fullwidth_digits or layout.spaced_letters:
        return undamaged(cell or "") == undamaged(expected)
    lines = (cell or "").split("\n")
    return re.fullmatch(" ?".join(map(re.escape, lines)), expected) is not None


def undamaged(text: str) -> str:
    text = "".join(RADICAL_TO_KANJI.get(ch, ch) for ch in text)
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def test_seed_has_113_rows_8_relisted_and_105_done():
    rows = seed_logical_rows()
    relisted = [r for r in rows if RELISTED.match(r["business"]) or RELISTED.match(r["measure_name"])]
    assert len(rows) == 113
    assert len(relisted) == 8 and {r["status_mark"] for r in relisted} == {""}
    assert [r["status_mark"] for r in rows].count("○") == 105


def test_seed_rows_agree_with_the_status_count_table():
    status_table = next(b for b in seed_report().front if b.kind == "table")
    counts = {row[0][0]: int(row[1]) for row in status_table.rows[1:]}
    marks = [r["status_mark"] for r in seed_logical_rows()]
    assert counts == {mark: marks.count(mark) for mark in "◎○△×"}


def test_seed_rows_recover_the_shifted_2_3_1_row():
    row = next(r for r in seed_logical_rows() if r["business"] == "1期の標準化・共通化への移行")
    assert row["measure_id"] == "2-3-①"
    assert row["plan_later_years"] == "標準準拠システムへの移行"
    assert row["departments"] == ["税務課", "介護保険課", "福祉推進課", "障害福祉課", "学務課"]


@pytest.mark.parametrize(("text", "width", "kinsoku", "lines"), [
    ("マイナンバーカードの普及促進", 30.0, True, ["マイナ", "ンバー", "カード", "の普及", "促進"]),
    ("導入に向けたAI-OCRの活用", 62.0, True, ["導入に向けた", "AI-OCRの活", "用"]),
    ("本運用を開始した。また、", 40.0, True, ["本運用を", "開始し", "た。ま", "た、"]),
    ("本運用を開始した。また、", 40.0, False, ["本運用を", "開始した", "。また、"]),
])
def test_wrapping_breaks_cjk_anywhere_but_not_latin_words(text, width, kinsoku, lines):
    register_fonts("HeiseiKakuGo-W5")
    assert wrap_text(text, width, "HeiseiKakuGo-W5", 10.0, kinsoku) == lines


@pytest.mark.parametrize(("kanji", "radical"), [(k, r) for k, (r, _) in KANGXI.items()])
def test_radicals_are_true_equivalents_of_their_kanji(kanji, radical):
    if 0x2F00 <= ord(radical) <= 0x2FDF:  # Kangxi Radicals: NFKC knows them
        assert unicodedata.normalize("NFKC", radical) == kanji
    else:  # CJK Radicals Supplement: no decomposition, only these five are the kanji
        assert (radical, kanji) in {("⻑", "長"), ("⻘", "青"), ("⻄", "西"), ("⻝", "食"),
                                    ("⺠", "民")}


@pytest.mark.parametrize("name", LAYOUTS)
def test_pages_have_the_layout_sizes(report_pdfs, name):
    layout = LAYOUTS[name]
    expected = {"front": layout.front_pagesize, "attachment": layout.attachment_pagesize}
    with pdfplumber.open(report_pdfs[name]) as pdf:
        sizes = [(round(p.width, 1), round(p.height, 1)) for p in pdf.pages]
    assert sizes == [tuple(round(v, 1) for v in expected[role]) for role in page_roles(layout)]


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_attachment_page_has_a_ruled_table_of_all_rows(attachments, name):
    columns = 8 if LAYOUTS[name].measure_cell_layout == "joined" else 9
    assert len(attachments[name]) == 113
    assert {len(row) for row in attachments[name]} == {columns}


@pytest.mark.parametrize("name", READABLE)
def test_business_cells_read_back_as_the_seed(attachments, name):
    layout = LAYOUTS[name]
    column = 1 if layout.measure_cell_layout == "joined" else 2
    cells = [row[column] for row in attachments[name]]
    unread = [r["business"] for r, cell in zip(seed_logical_rows(), cells)
              if not reads_back(cell, r["business"], layout)]
    assert unread == []


@pytest.mark.parametrize("name", READABLE)
def test_every_value_and_department_reads_back(attachments, name):
    layout = LAYOUTS[name]
    first = 1 if layout.measure_cell_layout == "joined" else 2
    for row, cells in zip(seed_logical_rows(), attachments[name]):
        for key, cell in zip(VALUE_KEYS, cells[first:]):
            assert reads_back(cell, row[key], layout), (key, cell, row[key])
        assert undamaged(cells[-1] or "") == undamaged("".join(row["departments"]))


@pytest.mark.parametrize("name", [n for n in READABLE if n != "damaged_text_layer"])
def test_measure_cells_follow_merging_and_repeating(attachments, name):
    """A measure's id and name print once per page segment: merged cells read as None
    below it, per-row cells as ''; a continuation shows them only when repeated.

    A merged cell that runs on past the page's last row has no bottom rule (as in the
    ward's own export), so pdfplumber finds no cell there and reads None throughout: the
    id is in page.chars but not in the table."""
    layout = LAYOUTS[name]
    joined = layout.measure_cell_layout == "joined"
    merged = layout.merged_measure_cells
    expected = []
    for segments in attachment_segments(layout):
        for seg in segments:
            m = seg.measure
            top = [f"{m.measure_id} {m.name}"] if joined else [m.measure_id, m.name]
            if merged and seg.continues:
                expected += [[None] * len(top)] * len(seg.rows)
                continue
            expected.append(top if seg.shows_name else [""] * len(top))
            expected += [[None if merged else ""] * len(top)] * (len(seg.rows) - 1)
    assert len(expected) == len(attachments[name])
    for want_row, row in zip(expected, attachments[name]):
        for want, cell in zip(want_row, row):
            assert cell == want if want in ("", None) else reads_back(cell, want, layout)


@pytest.mark.parametrize("name", ["a4_portrait_unmerged_small_font",
                                  "b4_landscape_mincho_thick_rules_no_repeat",
                                  "a3_portrait_joined_measure_cell", "a3_landscape_merged"])
def test_some_measure_straddles_a_page_break(name):
    assert any(seg.continues for page in attachment_segments(LAYOUTS[name]) for seg in page)


@pytest.mark.parametrize("name", READABLE)
def test_front_part_prints_era_years_without_spaces(report_pdfs, name):
    with pdfplumber.open(report_pdfs[name]) as pdf:
        text = "".join(p.dedupe_chars().extract_text() for p in pdf.pages[:2])
    assert "令和5年度においては" in undamaged(text)
    assert "約179万件" in undamaged(text)


def test_unreadable_page_yields_only_cid_codes(report_pdfs):
    with pdfplumber.open(report_pdfs["unreadable_page_3"]) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
        assert pdf.pages[2].chars  # the glyphs are there; only their meaning is lost
    assert "(cid:" in texts[2]
    assert re.sub(r"\(cid:\d+\)|\s", "", texts[2]) == ""
    assert all(re.search("[\u3040-\u9fff]", text) for i, text in enumerate(texts) if i != 2)


def test_no_text_layer_has_no_characters_but_images_and_rules(report_pdfs):
    with pdfplumber.open(report_pdfs["no_text_layer"]) as pdf:
        assert all(not page.chars and page.images for page in pdf.pages)
        assert all(page.extract_text() == "" for page in pdf.pages)


def test_damaged_text_layer_is_damaged_as_documented(report_pdfs):
    with pdfplumber.open(report_pdfs["damaged_text_layer"]) as pdf:
        page = pdf.pages[2]
        raw, deduped = page.chars, page.dedupe_chars().chars
        text = page.dedupe_chars().extract_text()
    assert len(deduped) < len(raw)  # fake bold: header glyphs printed twice
    assert "⽤" in text and "⺠" in text  # 用 and 民 as radicals
    assert "令和５年度交付数" in text.replace("\n", "")
    assert "令 和 ６ 年 度 取 組 予 定" in text


def test_building_twice_gives_the_same_bytes(tmp_path):
    layout = LAYOUTS["a3_portrait_joined_measure_cell"]
    first = build_report_pdf(tmp_path / "1.pdf", layout).read_bytes()
    assert build_report_pdf(tmp_path / "2.pdf", layout).read_bytes() == first


@pytest.mark.parametrize("bad", [{"font": "MS-Gothic"}, {"font_size": 20},
                                 {"column_widths": (1, 2, 3)},
                                 {"measure_cell_layout": "stacked"}, {"unreadable_page": 0}])
def test_layout_rejects_bad_settings(bad):
    with pytest.raises(ValueError, match="bad"):
        Layout("bad", **bad)
