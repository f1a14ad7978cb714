"""The hostile county in headless Chromium: every page, the hostile township's map panel, a download.

Names from files (tests/hostile_county.py: an image beacon, a link, an
``<img onerror>``, formulas, a Material icon shortcode, TeX, bold, a
template-literal escape) must reach the browser as text. On every page and
in every frame: no request to any host but the app's own, no link to another
host (or to ``javascript:``), no image from elsewhere, no element with an
``onerror``, no alert. The overdue list downloads as an Excel file whose
formula-looking cells are text, and the download is in the audit log. The
projection account gets the panel without case lists or downloads.
Screenshots: var/screenshots/map-hostile.png, map-hostile-lists.png (the
panel's lower half) and map-hostile-projection.png.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import LOCAL_HOSTS, chromium_page, external_urls, requested_urls, running_app
from hostile_county import HYPERLINK, IMAGE, IMG_TAG, PLUS, build_hostile_county
from import_builders import case, grid, write_xlsx
from workbook_helpers import cells_holding, formula_cells, read_rows

from data import audit
from data.db import make_engine
from text.markup import WORD_JOINER

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
FRAME = 'iframe[title="streamlit_folium.st_folium"]'

pytestmark = pytest.mark.browser

# Run in every frame: what a hostile name could have turned into.
DOM_REPORT = """() => ({
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    images: [...document.querySelectorAll('img')].map(i => i.src),
    onerror: document.querySelectorAll('[onerror]').length,
    svgLinks: [...document.querySelectorAll('svg a')].map(a => a.getAttribute('href') || a.getAttribute('xlink:href')),
})"""


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return build_hostile_county(f"sqlite:///{tmp_path_factory.mktemp('hostile-browser') / 'county.sqlite'}")


def _foreign(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    return parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS


def assert_dom_is_clean(page, where: str) -> None:
    for frame in page.frames:
        try:
            found = frame.evaluate(DOM_REPORT)
        except Exception:  # a frame that went away between listing and asking
            continue
        assert [u for u in found["links"] if _foreign(u)] == [], (where, frame.url)
        assert [u for u in found["images"] if _foreign(u)] == [], (where, frame.url)
        # The <img src=x onerror=…> would have asked the app for /x.
        assert [u for u in found["images"] if urlsplit(u).path == "/x"] == [], (where, frame.url)
        assert found["onerror"] == 0 and found["svgLinks"] == [], (where, frame.url, found)


def wait_for_map(page):
    frame = page.wait_for_selector(FRAME, timeout=120_000).content_frame()
    frame.wait_for_selector("path.leaflet-interactive", timeout=120_000)
    return frame


def point_inside(frame, level: str, area_id: int) -> dict | None:
    """A pixel of the area's polygon (frame coordinates) that nothing covers."""
    return frame.evaluate(
        """([level, id]) => {
            for (const key in window.map._layers) {
                const layer = window.map._layers[key];
                const props = layer.feature && layer.feature.properties;
                if (!props || props.level !== level || props.area_id !== id || !layer._path) continue;
                const box = layer._path.getBoundingClientRect();
                for (let fy = 0.5; fy < 1; fy += 0.05) {
                    for (const s of [1, -1]) {
                        for (let fx = 0.5; fx < 1; fx += 0.05) {
                            for (const t of [1, -1]) {
                                const x = box.left + box.width * (0.5 + t * (fx - 0.5));
                                const y = box.top + box.height * (0.5 + s * (fy - 0.5));
                                if (document.elementFromPoint(x, y) === layer._path) return {x: x, y: y};
                            }
                        }
                    }
                }
            }
            return null;
        }""",
        [level, area_id],
    )


def open_panel(page, base: str, county, query: str = "") -> None:
    """Open the map, hover the target township (its tooltip) and click it (its panel)."""
    page.goto(f"{base}/map?month={county.month}{query}")
    frame = wait_for_map(page)
    point = point_inside(frame, "township", county.township_id)
    assert point is not None
    origin = page.query_selector(FRAME).bounding_box()
    page.mouse.move(origin["x"] + point["x"], origin["y"] + point["y"])
    tooltip = frame.wait_for_selector(".leaflet-tooltip", timeout=30_000)
    assert tooltip.inner_text().startswith(f"{IMAGE}: ")  # the name as typed, in the map's tooltip
    page.mouse.click(origin["x"] + point["x"], origin["y"] + point["y"])
    heading = f"{IMAGE} · 乡镇（街道）"
    page.wait_for_function(
        "(heading) => [...document.querySelectorAll('h3')]"
        ".some(h => h.innerText.replaceAll('\\u2060', '').trim() === heading)",
        arg=heading, timeout=60_000,
    )
    # The panel's sparkline and category bars (inline SVG and HTML, dashboard/charts/svg.py).
    page.wait_for_function("() => document.querySelector('svg[data-chart=\"sparkline\"] polyline')"
                           " && document.querySelector('[data-chart=\"ranked\"] div')", timeout=60_000)
    page.mouse.move(5, 5)  # no tooltip over the screenshot
    page.wait_for_timeout(1000)


def main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text().replace(WORD_JOINER, "")


def test_every_page_and_the_hostile_panel_as_the_office(county, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with running_app(county.url, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base, chromium_page(1920, 1080) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        page.goto(f"{base}/?month={county.month}")
        page.wait_for_function("document.querySelectorAll('svg[data-chart=\"trend\"] rect').length >= 13"
                               " && document.querySelectorAll('[data-chart=\"ranked\"]').length >= 1", timeout=90_000)
        # A township in the top 10 is named <img …>: the list writes it as text.
        rows = page.evaluate("() => [...document.querySelectorAll('[data-chart=\"ranked\"] > div')].map(d => d.textContent)")
        assert IMG_TAG in rows
        assert_dom_is_clean(page, "overview")

        open_panel(page, base, county)
        text = main_text(page)
        assert "[link](http://evil.invalid)" in text  # a linked leader's title, as typed
        assert_dom_is_clean(page, "map panel")
        page.screenshot(path=str(SCREENSHOTS / "map-hostile.png"))
        # Lower in the panel: the linked leaders, the last reception, the case lists and their download.
        page.locator("[role=tablist]").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / "map-hostile-lists.png"))

        # The overdue list's download: a file made on the click, audited, formulas inert.
        started = time.time()
        with page.expect_download(timeout=60_000) as download:
            page.locator("[role=tabpanel]:not([hidden]) [data-testid=stDownloadButton] button").first.click()
        data = Path(download.value.path()).read_bytes()
        assert formula_cells(data) == []
        inert = cells_holding(data, HYPERLINK) + cells_holding(data, PLUS)  # case numbers, units
        assert len(inert) >= 2 and all(cell["type"] == "s" and cell["quote_prefix"] for cell in inert)
        numbers = [row["信访件编号"] for row in read_rows(data)]
        assert HYPERLINK in numbers and PLUS in numbers
        engine = make_engine(county.url)
        try:
            entries = audit.search(engine, action="download")
        finally:
            engine.dispose()
        assert entries.select("username", "object", "outcome").rows() == [
            ("demo-office", f"map.overdue:township={county.township_id}:{county.month}", "success")
        ]
        assert time.time() - started < 60

        # The sidebar's township filter lists the names as plain text.
        page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first.click()
        page.wait_for_selector("[role=option]", timeout=10_000)
        options = page.evaluate("() => [...document.querySelectorAll('[role=option]')].map(o => o.innerText)")
        assert IMAGE in options
        assert_dom_is_clean(page, "township filter")
        page.keyboard.press("Escape")

        page.goto(f"{base}/audit")
        page.wait_for_selector("[data-testid=stDataFrame]", timeout=60_000)
        assert_dom_is_clean(page, "audit")

        page.goto(f"{base}/data_import")
        page.wait_for_selector("[data-testid=stFileUploader]", timeout=60_000)
        headers = ["信访件编号", "登记日期", "信访形式", "问题属地", "问题类别", IMAGE, IMG_TAG]
        rows = [case("H1", 问题属地=IMAGE, 问题类别="[新类别](http://evil.invalid)", **{IMAGE: HYPERLINK}),
                case("H2", "2024-02-30", 问题属地="火星镇 ![c](http://evil.invalid/c.png)")]
        upload = write_xlsx(tmp_path / "hostile.xlsx", grid(rows, headers))
        page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(str(upload))
        page.get_by_role("button", name="开始导入").wait_for(timeout=60_000)
        assert f"未识别的列（不导入）：{IMAGE}、{IMG_TAG}" in main_text(page)
        assert_dom_is_clean(page, "import preview")
        page.get_by_role("button", name="开始导入").click()
        page.wait_for_selector("[data-testid=stMetric]", timeout=60_000)
        assert "新建问题类别：[新类别](http://evil.invalid)" in main_text(page)
        assert_dom_is_clean(page, "import result")

        assert dialogs == []
        assert external_urls(requested_urls(page)) == []


def test_the_projection_account_gets_the_panel_without_case_lists(county):
    with running_app(county.url, env={"DASHBOARD_DEMO_LOGIN": "projection"}) as base, \
            chromium_page(1920, 1080) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        open_panel(page, base, county)
        assert page.locator("[role=tab]").count() == 0
        assert page.locator("[data-testid=stDownloadButton]").count() == 0
        assert "超期未结件" not in main_text(page)
        assert_dom_is_clean(page, "projection panel")
        page.screenshot(path=str(SCREENSHOTS / "map-hostile-projection.png"))
        assert dialogs == []
        assert external_urls(requested_urls(page)) == []
