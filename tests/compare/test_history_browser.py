"""history.html in a real browser: headless Chromium renders it offline, as a reader sees it.

The same checks as summary.html's (tests/compare/test_diff_browser.py, whose helpers these are):
no request leaves the page, and every chart is there once rendered — the status bars,
the item-by-year grid, one small multiple per indicator, the table of changes.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from test_diff_browser import CHROMIUM, WIDTHS, assert_rendered, chromium, overflow, page_requests

from pipeline.compare.history_run import history_paths
from pipeline.job import RunSettings
from pipeline.batch.report import convert

FIXTURES = [SEED, *(ROOT / "tests" / "fixtures" / f"nakano_fy{year}_synthetic.txt"
                    for year in (2024, 2025))]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no browser at /usr/bin/chromium (Debian: apt-get install chromium), "
           "so history.html is not checked in a browser")


class Page(HTMLParser):
    """Counted per section: svg charts, bar segments, dots and rings, figures, body rows,
    and grid cells per status class."""

    def __init__(self, dom: str):
        super().__init__()
        self.section: str | None = None
        self.counts: dict[tuple[str | None, str], int] = {}
        self.open: list[str] = []
        self.headings: list[str] = []
        self.feed(dom)

    def count(self, what: str) -> None:
        key = (self.section, what)
        self.counts[key] = self.counts.get(key, 0) + 1

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        css = attributes.get("class") or ""
        if tag == "section":
            self.section = attributes.get("id")
        elif tag in ("svg", "figure", "rect", "polyline"):
            self.count(tag)
        elif tag == "circle":
            self.count(f"circle.{css}")
        elif tag == "tr" and "tbody" in self.open:
            self.count("row")
        elif tag == "td" and css.startswith("mark "):
            self.count(css.split()[1])
        elif tag == "td" and css:
            self.count(f"td.{css}")
        if tag not in ("br", "meta"):
            self.open.append(tag)

    def handle_data(self, data):
        if self.open and self.open[-1] in ("h1", "h2"):
            self.headings.append(data)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]
        if tag == "section":
            self.section = None


@pytest.fixture(scope="module")
def history_page(tmp_path_factory) -> Path:
    normalized = tmp_path_factory.mktemp("normalized")
    for path in FIXTURES:
        assert convert(path, RunSettings(out_dir=normalized, dataset=False)).ok
    _, folder = history_paths(normalized)
    return folder / "history.html"


def test_history_html_renders_offline_with_every_chart(history_page, tmp_path):
    page = Page(chromium(history_page, tmp_path / "dom", "--dump-dom").stdout)
    counts = page.counts
    assert page.headings == ["中野区: 令和5年度から令和7年度までの進捗状況", "使った報告",
                             "年度ごとの進捗状況", "事業ごと・年度ごとの進捗状況",
                             "指標: 実績と目標値", "変化のあった事業"]
    # Status mix: one chart, a segment per (year, mark present): 1 + 4 + 2; a table of 3 years.
    assert (counts[("status-mix", "svg")], counts[("status-mix", "rect")]) == (1, 7)
    assert counts[("status-mix", "row")] == 3
    # Grid: 109 items under the 38 measures they last belong to, a cell per item and year.
    assert counts[("grid", "row")] == 109 + 38
    assert {status: counts.get(("grid", f"s-{status}"), 0)
            for status in ("exceeded", "on_schedule", "delayed", "not_started")} == {
        "exceeded": 1, "on_schedule": 308, "delayed": 5, "not_started": 1}
    assert counts[("grid", "td.absent")] == 3 * 109 - 315
    # Indicators: ten small multiples, each with an actual and a target line.
    assert counts[("indicators", "figure")] == counts[("indicators", "svg")] == 10
    assert counts[("indicators", "polyline")] == 20
    assert counts[("indicators", "circle.revised")] == 3
    # Changes: 13 between FY2023 and FY2024, 8 between FY2024 and FY2025.
    assert counts[("changes", "row")] == 21
    assert (counts[("changes", "td.added")], counts[("changes", "td.removed")]) == (4, 4)
    assert page_requests(tmp_path / "dom") == []


@pytest.mark.parametrize("width", WIDTHS)
def test_history_html_fits_phone_and_desktop_widths(history_page, tmp_path, width):
    assert overflow(history_page, tmp_path, width) == {"page": width, "window": width,
                                                       "wide": []}


def test_history_html_screenshot_is_a_rendered_page(history_page, tmp_path):
    assert_rendered(history_page, tmp_path)


def test_history_html_needs_nothing_from_outside(history_page):
    page = history_page.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n") and "<style>" in page and "<svg" in page
    for outside in ("http:", "https:", "//", "<script", "<link", "src=", "@import", "url("):
        assert outside not in page, outside


@pytest.fixture(scope="module")
def indicator_history_page(tmp_path_factory) -> Path:
    """The 群馬-like pair's history.html: no items, each indicator graded every year."""
    normalized = tmp_path_factory.mktemp("gunma_like")
    profile = ROOT / "tests" / "profiles" / "gunma_like.toml"
    for year in (2019, 2020):
        path = ROOT / "tests" / "fixtures" / f"gunma_like_fy{year}.txt"
        assert convert(path, RunSettings(out_dir=normalized, dataset=False, profile=profile)).ok
    _, folder = history_paths(normalized)
    return folder / "history.html"


def test_an_indicator_history_renders_its_evaluations_and_no_item_sections(
        indicator_history_page, tmp_path):
    page = Page(chromium(indicator_history_page, tmp_path / "dom", "--dump-dom").stdout)
    assert page.headings == ["架空県: 令和元年度から令和2年度までの進捗状況", "使った報告",
                             "指標の評価: 年度ごと", "指標: 実績と目標値"]
    counts = page.counts
    assert counts[("evaluations", "row")] == 15
    assert {status: counts.get(("evaluations", f"s-{status}"), 0)
            for status in ("exceeded", "on_schedule", "delayed", "not_started")} == {
        "exceeded": 6, "on_schedule": 19, "delayed": 2, "not_started": 1}
    assert (counts[("evaluations", "td.absent")], counts[("evaluations", "td.improved")],
            counts[("evaluations", "td.worsened")]) == (2, 5, 1)
    assert page_requests(tmp_path / "dom") == []


@pytest.mark.parametrize("width", WIDTHS)
def test_an_indicator_history_fits_phone_and_desktop_widths(indicator_history_page, tmp_path,
                                                            width):
    assert overflow(indicator_history_page, tmp_path, width) == {
        "page": width, "window": width, "wide": []}
