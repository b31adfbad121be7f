"""The pages people read, for reports of indicators and their evaluations (issue 17).

The 群馬-like pair (tests/profiles/gunma_like.toml, tests/fixtures/gunma_like_fy2019.txt and
_fy2020.txt) has no table of business items and grades each indicator 達成A … 後退D; its
summary.md is compared whole with tests/golden/pages/, in both languages, and the HTML by
the sections it adds. Nakano's pair checks what changed on its pages on purpose: the
status matrix's corner in era labels and the indicator counts.

The golden pages are rewritten, after a deliberate change, with
``python tests/compare/test_pages_indicators.py`` run from the worktree (PYTHONPATH=.).
"""

import re
import sys
from pathlib import Path

import pytest
from conftest import SEED, TESTS

import pipeline
from pipeline.compare.diff import diff_reports
from pipeline.compare.diff_report import page_summary, render_html, render_markdown
from pipeline.compare.folder import read_report_folder
from pipeline.compare.history_report import render_history_html, summary_lines
from pipeline.batch.report import RunSettings, convert

HERE = TESTS
FIXTURES = HERE / "fixtures"
PROFILE = HERE / "profiles" / "gunma_like.toml"
GOLDEN = HERE / "golden" / "pages"
SYNTHETIC = FIXTURES / "nakano_fy2024_synthetic.txt"
LANGUAGES = ("ja", "en")


def _diff(paths, out: Path, profile: Path | None = None):
    folders = []
    for path in paths:
        outcome = convert(path, RunSettings(out_dir=out, csv_bom=False, profile=profile))
        assert outcome.ok, (outcome.error, [f.describe() for f in outcome.failures])
        folders.append(read_report_folder(outcome.output))
    return diff_reports(*folders)


@pytest.fixture(scope="module")
def gunma(tmp_path_factory):
    return _diff([FIXTURES / f"gunma_like_fy{year}.txt" for year in (2019, 2020)],
                 tmp_path_factory.mktemp("gunma"), PROFILE)


@pytest.fixture(scope="module")
def nakano(tmp_path_factory):
    return _diff([SEED, SYNTHETIC], tmp_path_factory.mktemp("nakano"))


def test_the_terminal_lines_of_a_diff_of_indicator_reports(gunma):
    from pipeline.compare.diff_report import summary_lines as diff_lines

    assert diff_lines(gunma) == [
        "gunma_like_fy2019 → gunma_like_fy2020 (FY2019 → FY2020): neither report has a "
        "business-item table (reports of indicators)",
        "  indicators: 1 new, 1 no longer listed; values: 16 added (in 14 indicators), "
        "4 removed (in 1 indicator); 5 of 15 actuals for FY2020 met their target",
        "  evaluations: 5 improved, 1 worsened, 1 newly evaluated, 1 no longer evaluated",
    ]


def _section(page: str, key: str) -> str:
    found = re.search(f'<section id="{key}">.*?</section>', page, re.S)
    assert found, key
    return found.group(0)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_gunma_like_summary_is_the_golden_page(gunma, lang):
    assert render_markdown(gunma, lang) == (GOLDEN / f"gunma_like_summary.{lang}.md").read_text(
        encoding="utf-8")


@pytest.mark.parametrize(("lang", "lines"), [
    ("ja", ["事業: どちらの報告にも事業の表がありません (指標の報告)",
            "指標の評価: 改善5、悪化1、新たに評価1、評価なしに1",
            "指標: 新たに載った指標1件、載らなくなった指標1件。値の追加16 (指標14件)、削除4 (指標1件)、"
            "修正0 (指標0件)", "令和2年度の実績15件のうち5件が目標を達成"]),
    ("en", ["items: neither report has a table of business items (indicator reports)",
            "indicator evaluations: 5 improved, 1 worsened, 1 newly evaluated, 1 no longer "
            "evaluated",
            "indicators: 1 new, 1 no longer listed; values: 16 added (in 14 indicator(s)), "
            "4 removed (in 1), 0 revised (in 0)",
            "5 of 15 actuals for 令和2年度 (FY2020) met their target"])])
def test_the_summary_counts_indicators_apart_from_their_values(gunma, lang, lines):
    assert page_summary(gunma, lang) == lines


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_report_without_items_gets_no_item_sections(gunma, lang):
    page = render_html(gunma, lang)
    sections = re.findall('<section id="([^"]+)">', page)
    assert sections == ["evaluation-counts", "evaluations", "actuals", "indicator-values"]


@pytest.mark.parametrize(("lang", "counts", "first", "worse", "legend"), [
    ("ja", "<h2>指標の評価の変化</h2>", "<tr><td>1-1-③</td><td>押印を廃止した手続の割合</td>"
     "<td>—</td><td>前進B</td><td class=\"added\">新たに評価</td></tr>",
     "<tr><td>2-2-③</td><td>公開しているデータセットの数</td><td>達成A</td><td>前進B</td>"
     "<td class=\"worsened\">悪化</td></tr>",
     "評価の意味 (報告の凡例): 達成A 目標値を達成、前進B 策定時より改善、横ばいC 策定時と同程度、"
     "後退D 策定時より悪化。"),
    ("en", "<h2>Indicator evaluations</h2>", "<tr><td>1-1-③</td><td>押印を廃止した手続の割合</td>"
     "<td>—</td><td>前進B</td><td class=\"added\">newly evaluated</td></tr>",
     "<tr><td>2-2-③</td><td>公開しているデータセットの数</td><td>達成A</td><td>前進B</td>"
     "<td class=\"worsened\">worsened</td></tr>",
     "What the marks mean (the report&#x27;s legend): 達成A 目標値を達成, 前進B 策定時より改善, "
     "横ばいC 策定時と同程度, 後退D 策定時より悪化.")])
def test_the_html_shows_the_evaluations_counts_first_then_each_change(gunma, lang, counts, first,
                                                                       worse, legend):
    page = render_html(gunma, lang)
    assert page.index('<section id="evaluation-counts">') < page.index('<section id="evaluations">')
    assert counts in _section(page, "evaluation-counts")
    table = _section(page, "evaluations")
    assert first in table and worse in table and legend in table
    assert len(re.findall("<tr>", table)) == 1 + 8  # the header and the eight indicators


@pytest.mark.parametrize(("lang", "corner"), [("ja", "| 令和5年度 ＼ 令和6年度 | ◎ |"),
                                              ("en", "| FY2023 ＼ FY2024 | ◎ |")])
def test_the_status_matrix_is_headed_with_the_pages_year_labels(nakano, lang, corner):
    assert corner in render_markdown(nakano, lang)


@pytest.mark.parametrize(("lang", "line"), [
    ("ja", "指標: 新たに載った指標0件、載らなくなった指標0件。値の追加19 (指標10件)、削除0 (指標0件)、"
           "修正2 (指標2件)"),
    ("en", "indicators: 0 new, 0 no longer listed; values: 19 added (in 10 indicator(s)), "
           "0 removed (in 0), 2 revised (in 2)")])
def test_nakanos_summary_counts_indicators_and_values(nakano, lang, line):
    summary = page_summary(nakano, lang)
    assert line in summary
    assert not any("評価" in text or "evaluation" in text for text in summary)
    assert '<section id="evaluations">' not in render_html(nakano, lang)


# --- history.html ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gunma_history():
    return pipeline.history([pipeline.convert(FIXTURES / f"gunma_like_fy{year}.txt",
                                              profile=PROFILE) for year in (2019, 2020)]).result


@pytest.mark.parametrize(("lang", "line"), [
    ("ja", "架空県: 令和元年度から令和2年度まで、報告2件。どの報告にも事業の表がありません (指標の報告)"),
    ("en", "架空県: FY2019–FY2020, 2 report(s); none has a table of business items "
           "(indicator reports)")])
def test_the_history_of_indicator_reports_says_once_there_are_no_items(gunma_history, lang,
                                                                        line):
    assert summary_lines(gunma_history, lang) == [line]
    page = render_history_html(gunma_history, lang)
    assert re.findall('<section id="([^"]+)">', page) == ["reports", "evaluations", "indicators"]


@pytest.mark.parametrize(("lang", "head", "rows"), [
    ("ja", "<tr><th>目標</th><th>施策</th><th>指標</th><th>令和元年度</th><th>令和2年度</th>"
           "<th>最新の変化</th></tr>",
     ['<tr><td>1</td><td class="key">1-1-③</td><td>押印を廃止した手続の割合</td>'
      '<td class="absent"></td><td class="mark s-on_schedule">前進B</td><td></td></tr>',
      '<tr><td>1</td><td class="key">1-2-②</td><td>情報セキュリティ事故の件数</td>'
      '<td class="mark s-not_started">後退D</td><td class="mark s-on_schedule">前進B</td>'
      '<td class="improved">改善</td></tr>',
      '<tr><td>2</td><td class="key">2-2-③</td><td>公開しているデータセットの数</td>'
      '<td class="mark s-exceeded">達成A</td><td class="mark s-on_schedule">前進B</td>'
      '<td class="worsened">悪化</td></tr>',
      '<tr><td>3</td><td class="key">3-2-②</td><td>ペーパーレス会議の実施回数</td>'
      '<td class="mark s-on_schedule">前進B</td><td class="absent"></td><td></td></tr>']),
    ("en", "<tr><th>goal</th><th>measure</th><th>indicator</th><th>FY2019</th><th>FY2020</th>"
           "<th>latest move</th></tr>",
     ['<tr><td>1</td><td class="key">1-2-②</td><td>情報セキュリティ事故の件数</td>'
      '<td class="mark s-not_started">後退D</td><td class="mark s-on_schedule">前進B</td>'
      '<td class="improved">improved</td></tr>'])])
def test_the_history_shows_each_indicators_evaluation_across_the_years(gunma_history, lang,
                                                                       head, rows):
    table = _section(render_history_html(gunma_history, lang), "evaluations")
    assert head in table
    for row in rows:
        assert row in table
    assert len(re.findall("<tr>", table)) == 1 + 15  # the header and fifteen indicators
    measures = re.findall('<td class="key">([^<]+)</td>', table)
    assert measures == sorted(measures)


@pytest.mark.parametrize(("lang", "points"), [
    ("ja", [("actual", "実績 平成30年度: 35.2%"), ("actual", "実績 令和元年度: 41.0%"),
            ("actual", "実績 令和2年度: 58.3%"), ("target", "目標 令和5年度: 80.0%")]),
    ("en", [("actual", "actual FY2018: 35.2%"), ("actual", "actual FY2019: 41.0%"),
            ("actual", "actual FY2020: 58.3%"), ("target", "target FY2023: 80.0%")])])
def test_the_history_chart_follows_the_actuals_printed_as_the_previous_years(gunma_history,
                                                                             lang, points):
    """Each 前年度 is the actual of its year: FY2019's 前年度 (平成30年度) and FY2020's (令和元年度,
    FY2019's 現状値 printed again) are points of the actual line, not a series apart."""
    page = render_history_html(gunma_history, lang)
    figure = next(found for found in re.findall("<figure>.*?</figure>", page, re.S)
                  if "オンラインで申請できる手続の割合" in found)
    assert re.findall('<circle class="(\\w+)"[^>]*><title>([^<]*)</title>', figure) == points


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nakanos_history_page_keeps_its_sections(lang):
    history = pipeline.history([pipeline.convert(path) for path in (SEED, SYNTHETIC)]).result
    page = render_history_html(history, lang)
    assert re.findall('<section id="([^"]+)">', page) == [
        "reports", "status-mix", "grid", "indicators", "changes"]


def _write_golden(out: Path) -> None:
    result = _diff([FIXTURES / f"gunma_like_fy{year}.txt" for year in (2019, 2020)], out, PROFILE)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        (GOLDEN / f"gunma_like_summary.{lang}.md").write_text(render_markdown(result, lang),
                                                              encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as scratch:
        _write_golden(Path(scratch))
