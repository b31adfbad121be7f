"""Layout profiles: loading and checking them, matching headers by their words, the
printed legend as data, and the commands that show, check and use a profile."""

import ast
import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.tidy.attachment import match_column
from pipeline.cli import main
from pipeline.errors import LayoutError, ProfileError, ValidationFailed
from pipeline.read.text import text_to_document
from pipeline.job import RunSettings
from pipeline.normalize.text import repair_text
from pipeline.profiles import builtin_profile, builtin_text, parse_profile
from pipeline.profiles.spec import SPEC
from pipeline.tidy.frames import SKIPPED_STATUS_CHECK, document_to_frames
from pipeline.tidy.structure import document_to_report
from conftest import ROOT

NAKANO = builtin_profile()
HEADER = "実施内容\t\t事業内容\t進捗状況\tスケジュールの変更理由\t取組結果 (令和5年度)\t令和6年度取組予定\t令和7年度以降取組予定\t所管課"


def header_column(printed: str) -> list[str]:
    return match_column(NAKANO.compact(repair_text(printed)), NAKANO)


@pytest.mark.parametrize(("printed", "column"), [
    ("事業内容", "business"), ("事業名", "business"), ("取組内容", "business"),
    ("事 業 名", "business"), ("事業\n内容", "business"),
    ("進捗状況", "status"), ("進捗", "status"), ("進捗度", "status"), ("進捗状\n況", "status"),
    ("スケジュールの変更理由", "change_reason"), ("スケジュール変更理由", "change_reason"),
    ("変更理由", "change_reason"), ("遅延理由", "change_reason"),
    ("取組結果 (令和5年度)", "result"), ("令和5年度の取組実績", "result"),
    ("取組実績（令和５年度）", "result"), ("令和5年度実績", "result"), ("取組結果\n(令和5年度)", "result"),
    ("令和6年度取組予定", "plan_next"), ("令和6年度の取組予定", "plan_next"),
    ("今後の予定 (令和6年度)", "plan_next"), ("令和6年度の予定", "plan_next"),
    ("令和7年度以降取組予定", "plan_later"), ("今後の予定 (令和7年度以降)", "plan_later"),
    ("令和7年度以降の予定", "plan_later"), ("令和7年度以降の取組\n予定", "plan_later"),
    ("所管課", "departments"), ("担当課", "departments"), ("所管部署", "departments"),
    ("担当部署", "departments"), ("所 管 課", "departments"),
])
def test_the_built_in_profile_knows_each_synonym(printed, column):
    assert header_column(printed) == [column]


@pytest.mark.parametrize("printed", ["評価", "備考", "令和6年度"])
def test_other_headers_name_no_column(printed):
    assert header_column(printed) == []


def test_a_header_matching_two_columns_is_a_failure_naming_both():
    header = HEADER.replace("スケジュールの変更理由", "進捗状況及び変更理由の説明")
    with pytest.raises(LayoutError) as error:
        document_to_report(text_to_document(header + "\n1-1-①\t名\t事業\t○\t\t結果\t\t\t課\n", "r.txt"), profile=NAKANO)
    assert str(error.value) == ("r.txt: line 1, the attachment header '進捗状況及び変更理由説明' "
                                "matches two columns, status and change_reason.")


def test_a_column_the_profile_does_not_know_lands_in_extra():
    header = HEADER.replace("\t所管課", "\t備考\t所管課")
    text = header + "\n1-1-①\t名\t事業\t○\t\t結果\t(推進)\t(推進)\t要確認\t課\n"
    # No front part: an attachment-only report, its status-count check skipped.
    _, meta, _ = document_to_frames(text_to_document(text, "r.txt"), "r", profile=NAKANO)
    assert meta["checks_skipped"] == [SKIPPED_STATUS_CHECK]
    report = document_to_report(text_to_document(text, "r.txt"), profile=NAKANO)
    assert [(label, cell.text) for label, cell in report.items[0].extra] == [("備考", "要確認")]


# --- the legend as data -----------------------------------------------------------------

LEGEND_REPORT = """【凡例】
●・・・予定どおり取り組んだ
▲・・・予定より遅れている

進捗区分\t件数
○ 予定どおり\t1
△ 遅れ\t1

{header}
1-1-①\t名\t事業A\t●\t\t結果\t(推進)\t(推進)\tデジタル政策課
\t\t事業B\t▲\t\t結果\t(推進)\t(推進)\tデジタル政策課
"""


def test_marks_the_printed_legend_defines_map_by_their_meaning():
    frames, meta, _ = document_to_frames(
        text_to_document(LEGEND_REPORT.format(header=HEADER), "r.txt"), "r", profile=NAKANO)
    items = frames["items"]
    assert items[["status_mark", "grade_rank", "status"]].astype(str).values.tolist() == [
        ["○", "2", "on_schedule"], ["△", "3", "delayed"]]
    assert meta["legend"] == [
        {"mark": "●", "meaning": "予定どおり取り組んだ", "grade": "○", "status": "on_schedule"},
        {"mark": "▲", "meaning": "予定より遅れている", "grade": "△", "status": "delayed"}]


def test_a_mark_in_neither_legend_nor_profile_is_one_failure_naming_the_cell():
    text = LEGEND_REPORT.format(header=HEADER).replace("事業B\t▲", "事業B\t■")
    with pytest.raises(ValidationFailed) as failed:
        document_to_frames(text_to_document(text, "r.txt"), "r", profile=NAKANO)
    bad = [f for f in failed.value.failures if f.code == "bad_status_mark"]
    assert [(f.line, f.row, f.value, f.message) for f in bad] == [
        (11, 2, "■", "進捗状況 is not one of ◎ ○ △ ×")]


# --- loading and checking ---------------------------------------------------------------

def test_the_built_in_profile_is_the_shipped_file():
    assert builtin_text() == (ROOT / "pipeline" / "profiles" / "nakano.toml").read_text(encoding="utf-8")
    assert NAKANO.name == "nakano" and [g.mark for g in NAKANO.grades] == ["◎", "○", "△", "×"]


@pytest.mark.parametrize(("edit", "problem"), [
    (("[tables.items]\n", "[tables.items]\nidentity = []\n"),
     "tables.items.identity: unknown key (known here: identify, required, columns, continuation, measure_name_required)"),
    (("heading = [", "headings = ["), "legend.headings: unknown key (known here: heading, entry)"),
    (('order = "best_first"', 'order = "best"'), "grades.order: 'best' is neither best_first nor worst_first"),
    (('status = "delayed"', 'status = "late"'), "grades.grade[3].status: 'late' is none of "
                                                 "not_started, delayed, on_schedule, exceeded"),
    (("(?P<goal>", "(?P<gol>"), "ids.measure: the pattern needs the group(s) (?P<goal>…)"),
    (("(?P<policy>{digit}{1,2})", "(?P<policy>{digit}{0,2})"),
     "ids.measure: the group (?P<policy>…) may match nothing, but it is a number every id prints"),
    (("(?P<goal>[1-9１-９]{digit}?)", "(?P<goal>)"),
     "ids.measure: the group (?P<goal>…) may match nothing, but it is a number every id prints"),
    (("ends_with = [", "ends_with = 3 #"), "title.ends_with: should be a list of strings"),
])
def test_a_bad_profile_is_one_error_listing_each_problem(edit, problem):
    text = builtin_text().replace(*edit, 1)
    assert text != builtin_text()
    with pytest.raises(ProfileError) as error:
        parse_profile(text, "my.toml")
    assert str(error.value).splitlines() == ["my.toml: 1 problem(s) in the profile:", "  " + problem]


def test_a_bad_pattern_is_named():
    text = builtin_text().replace("entry = '^(?P<mark>", "entry = '^((?P<mark>", 1)
    with pytest.raises(ProfileError, match=r"legend.entry: bad pattern .*missing \), unterminated"):
        parse_profile(text, "my.toml")


def test_the_manifest_key_holds_the_profiles_content_not_its_path(tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text(builtin_text(), encoding="utf-8")
    second.write_text(builtin_text(), encoding="utf-8")
    assert RunSettings(profile=first).output_key() == RunSettings(profile=second).output_key()
    second.write_text(builtin_text() + "\n# edited\n", encoding="utf-8")
    assert RunSettings(profile=first).output_key() != RunSettings(profile=second).output_key()
    assert RunSettings().output_key() == {"csv_bom": True}


# --- commands -----------------------------------------------------------------------------

def test_profile_show_prints_the_built_in_profile():
    result = CliRunner().invoke(main, ["profile", "show"])
    assert result.exit_code == 0 and result.output == builtin_text()


def test_profile_check_says_what_it_found(tmp_path):
    good = tmp_path / "ward.toml"
    good.write_text(builtin_text(), encoding="utf-8")
    result = CliRunner().invoke(main, ["profile", "check", str(good)])
    assert result.exit_code == 0
    assert result.output == (f"{good}: profile 'nakano' is valid (8 attachment columns, "
                             "grades ◎ ○ △ ×).\n")
    bad = tmp_path / "bad.toml"
    bad.write_text("[profile\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["profile", "check", str(bad)])
    assert result.exit_code == 1 and result.output.startswith(f"Error: {bad}: not a TOML file:")
    result = CliRunner().invoke(main, ["profile", "check", str(tmp_path / "none.toml")])
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'none.toml'}: no such profile file.\n")


def test_run_with_a_bad_profile_stops_before_any_work(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(builtin_text().replace("[legend]", "[legends]"), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(ROOT / "tests/fixtures/nakano_fy2023.txt"),
                                       "--out", str(tmp_path / "out"), "--profile", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {bad}: 1 problem(s) in the profile:",
        "  legends: unknown key (known here: " + ", ".join(SPEC) + ")"]
    assert not (tmp_path / "out").exists()


# --- no layout words outside the profile --------------------------------------------------

# Kana (not ・ or ー, which are punctuation here), ideographs and the marks.
_JAPANESE = re.compile(r"[\u3041-\u309f\u30a1-\u30fa\u3400-\u9fff◎○△×☆★※]")
# Modules allowed Japanese in string literals, and why: none of it is a layout's words.
ALLOWED = {
    "normalize/era.py": "the calendar: era names 令和/平成/昭和, 年/月/日/年度, 元年",
    "read/cell_text.py": "the calendar: Excel's era and weekday names for date formats",
    "normalize/numbers.py": "number words: 万/億/千 multipliers and 約 (about)",
    "normalize/text.py": "characters NFKC must never touch (marks, ※, ☆), not words",
    "normalize/_radicals.py": "the radical → ideograph table",
    "compare/page_words.py": "the pages' own words, in Japanese (and English): headings, column names",
    "compare/diff.py": "Japanese grammar, not layout: the plan/result verb endings (する → した)",
    "tools/inspect.py": "× is the multiplication sign there (rows × columns)",
    "read/ocr_cells.py": "the script's character ranges (kana, ideographs) and the marks, not words",
    "read/ocr_marks.py": "glyphs Tesseract confuses with the grade marks (〇 ⑥ for ◎, 式 for ☆): shapes",
    "read/ocr_vocabulary.py": ("Tesseract's regular slips (令和 read 信和; 店舎 for 庁舎) and unit "
                               "characters after a number: each correction a warning. Debt: "
                               "the non-words belong in the profile"),
}


def _string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and _JAPANESE.search(node.value)]


def test_no_stage_holds_layout_words():
    found = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        name = path.relative_to(ROOT / "pipeline").as_posix()
        if name not in ALLOWED and (literals := _string_literals(path)):
            found[name] = literals
    assert found == {}


# --- grade scales -------------------------------------------------------------------------

KAWASAKI_LIKE = builtin_text().replace('order = "best_first"', 'order = "worst_first"\ndecorated = true', 1)


@pytest.mark.parametrize(("printed", "decorated", "mark"), [
    ("◎", False, "◎"), ("〇", False, "○"), ("◎(予定以上)", True, "◎"), ("○ 予定どおり", True, "○"),
    ("△（やや遅れ）", True, "△"),
])
def test_a_grade_is_read_by_its_leading_mark_where_the_profile_says_cells_decorate_it(
        printed, decorated, mark):
    from pipeline.normalize.marks import read_grade

    assert read_grade(printed, NAKANO.grade_by_form, decorated).mark == mark


@pytest.mark.parametrize("printed", ["◎(予定以上)", "○○", "◎予定"])
def test_an_undecorated_profile_reads_only_the_mark(printed):
    from pipeline.normalize.marks import read_grade

    with pytest.raises(ValueError):
        read_grade(printed, NAKANO.grade_by_form, False)


def test_a_worst_first_scale_ranks_from_its_end():
    profile = parse_profile(KAWASAKI_LIKE, "k.toml")
    assert [(g.mark, g.rank) for g in profile.grades] == [("×", 1), ("△", 2), ("○", 3), ("◎", 4)]


@pytest.mark.parametrize("section", [lambda p: p, lambda p: p.tables.items.columns,
                                     lambda p: p.ids, lambda p: p.item_scale.grade[0]])
def test_the_profile_a_stage_reads_cannot_be_changed_under_it(section):
    """A misspelt attribute in the code is mypy's error (test_typing.py); a stage writing
    to the profile every later report shares is refused."""
    with pytest.raises(FrozenInstanceError):
        section(builtin_profile()).words = ()
    with pytest.raises(TypeError):
        builtin_profile().ids.gov_levels["国"] = "ward"  # type: ignore[index]
