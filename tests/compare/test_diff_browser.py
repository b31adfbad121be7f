"""summary.html in a real browser: headless Chromium renders it offline, as a reader sees it.

The page must open from a file with no network: inline CSS, no scripts, no external
assets. Chromium's net log records every request a page makes; the browser's own
background requests (update checks) carry no page origin and are told apart.
"""

import html
import json
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SEED

from pipeline.compare.diff_run import diff_paths

CHROMIUM = Path("/usr/bin/chromium")
SYNTHETIC = ROOT / "tests" / "fixtures" / "nakano_fy2024_synthetic.txt"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars")
WINDOW = (1280, 2000)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no browser at /usr/bin/chromium (Debian: apt-get install chromium), "
           "so summary.html is not checked in a browser")


def chromium(page: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    """One headless run with a fresh profile and a net log in work/."""
    work.mkdir(parents=True, exist_ok=True)
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={work / 'profile'}",
               f"--log-net-log={work / 'net.json'}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
               *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


WIDTHS = (390, 1280)  # a phone, a desktop

# The page is measured inside a frame of the width asked for (headless Chromium's own
# window is never narrower than 500 px); the pages themselves hold no script.
_MEASURE = ("<script>frame.addEventListener('load', () => {const d = frame.contentDocument, "
            "w = frame.contentWindow; const wide = [...d.querySelectorAll('body *')].filter("
            "e => !e.closest('.scroll') && e.getBoundingClientRect().right > w.innerWidth + 1)"
            ".map(e => e.tagName + '.' + (e.className.baseVal ?? e.className)); "
            "document.body.insertAdjacentHTML('beforeend', '<pre id=measured>' + JSON.stringify("
            "{page: d.documentElement.scrollWidth, window: w.innerWidth, wide: wide}) + "
            "'</pre>')});</script>")


def overflow(page: Path, work: Path, width: int) -> dict:
    """At ``width`` px: how wide the page is, and every element that sticks out of the
    window outside a sideways-scrolling box (what a reader would have to pan to see)."""
    frame = work / f"frame-{page.stem}.html"
    work.mkdir(parents=True, exist_ok=True)
    source = html.escape(page.read_text(encoding="utf-8"), quote=True)
    frame.write_text(f'<!DOCTYPE html><body style="margin:0"><iframe id="frame" width="{width}" '
                     f'height="900" style="border:0" srcdoc="{source}"></iframe>{_MEASURE}</body>',
                     encoding="utf-8")
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={work / 'profile'}",
               "--window-size=1400,1000", "--dump-dom", frame.as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    found = dom.split('<pre id="measured">', 1)[1].split("</pre>", 1)[0]
    return json.loads(html.unescape(found))


def page_requests(work: Path) -> list[str]:
    """URLs the page asked the network for; requests of the browser itself have no origin."""
    log = json.loads((work / "net.json").read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    starts = [event["params"] for event in log["events"]
              if event["type"] == start and "url" in event.get("params", {})]
    return [params["url"] for params in starts if params.get("initiator") != "not an origin"]


class Page(HTMLParser):
    """What a reader sees, counted: tables and body rows per section, highlighted cells,
    and the deleted/inserted pieces of each in-place diff."""

    def __init__(self, dom: str):
        super().__init__()
        self.section: str | None = None
        self.tables: dict[str, int] = {}
        self.rows: dict[str, int] = {}
        self.highlighted: dict[str, int] = {}
        self.deltas: list[dict[str, list[str]]] = []
        self.open: list[str] = []
        self.h1 = ""
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section":
            self.section = attributes.get("id")
        elif tag == "table":
            self.tables[self.section] = self.tables.get(self.section, 0) + 1
        elif tag == "tr" and "tbody" in self.open:
            self.rows[self.section] = self.rows.get(self.section, 0) + 1
        elif tag == "td" and attributes.get("class"):
            mark = attributes["class"]
            self.highlighted[mark] = self.highlighted.get(mark, 0) + 1
            if mark in ("delta", "delta result"):
                self.deltas.append({"del": [], "ins": [], "mark": []})
        if tag not in ("br", "meta"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]
        if tag == "section":
            self.section = None

    def handle_data(self, data):
        if self.open and self.open[-1] in ("del", "ins", "mark") and "td" in self.open:
            self.deltas[-1][self.open[-1]].append(data)
        elif self.open and self.open[-1] == "h1":
            self.h1 += data


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> Path:
    _, folder = diff_paths(SEED, SYNTHETIC, tmp_path_factory.mktemp("diff") / "out")
    return folder / "summary.html"


def test_summary_html_renders_offline_with_its_tables_and_highlights(summary, tmp_path):
    dom = chromium(summary, tmp_path / "dom", "--dump-dom").stdout
    page = Page(dom)
    assert page.h1 == "令和5年度から令和6年度への変化"
    assert page.tables == {key: 1 for key in (
        "counts", "fields", "status", "worsened", "improved", "added", "removed", "renamed",
        "other", "plans", "actuals", "indicator-values")}
    assert page.rows == {"counts": 5, "fields": 6, "status": 5, "worsened": 3, "improved": 1,
                         "added": 3, "removed": 3, "renamed": 2, "other": 9, "plans": 6,
                         "actuals": 10, "indicator-values": 11}
    # plans: last year's plan as printed beside the result, never struck through;
    # worsened: 2 status-matrix cells, 3 items, 1 indicator movement, 5 targets not met (the
    # map enquiries', with no FY2024 target, against FY2025's); improved: 1 matrix cell,
    # 1 item, 8 movements, 5 targets met.
    assert page.highlighted == {"added": 4, "removed": 4, "worsened": 11, "improved": 15,
                                "delta": 2 + 9 + 11, "plan": 6, "delta result": 6}
    # 3台を移設し3地域事務所に先行導入する → …2地域事務所に先行導入した: marked in the result.
    assert {"del": [], "ins": [], "mark": ["2", "した"]} in page.deltas
    assert page_requests(tmp_path / "dom") == []


def assert_rendered(page: Path, tmp_path: Path) -> None:
    """The page's screenshot is the window's size and holds far more than a blank page's
    (text and coloured cells compress far worse than an empty white page), fetching nothing."""
    shot, blank_shot = tmp_path / "page.png", tmp_path / "blank.png"
    chromium(page, tmp_path / "shot", f"--screenshot={shot}")
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    chromium(blank, tmp_path / "blank", f"--screenshot={blank_shot}")
    assert png_size(shot) == WINDOW
    assert shot.stat().st_size > 10 * blank_shot.stat().st_size
    assert page_requests(tmp_path / "shot") == []


def test_summary_html_screenshot_is_a_rendered_page(summary, tmp_path):
    assert_rendered(summary, tmp_path)


@pytest.mark.parametrize("width", WIDTHS)
def test_summary_html_fits_phone_and_desktop_widths(summary, tmp_path, width):
    assert overflow(summary, tmp_path, width) == {"page": width, "window": width, "wide": []}


def test_the_overflow_check_sees_a_page_too_wide(tmp_path):
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><body><div class="x" style="width:900px">wide</div></body>',
                    encoding="utf-8")
    assert overflow(page, tmp_path / "work", 390) == {"page": 908, "window": 390,
                                                      "wide": ["DIV.x"]}


def test_the_network_check_sees_a_page_that_fetches(tmp_path):
    # The same check on a page that does load an external asset: it must not pass.
    page = tmp_path / "fetches.html"
    page.write_text('<!DOCTYPE html><img src="http://example.invalid/pixel.png">',
                    encoding="utf-8")
    chromium(page, tmp_path / "fetches", "--dump-dom")
    assert page_requests(tmp_path / "fetches") == ["http://example.invalid/pixel.png"]
