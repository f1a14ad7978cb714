"""The case outcomes page in headless Chromium at 1920×1080: drawn, offline, a listed case opens, a download is logged.

The tiles must show the engine's figures; a click on a row of the overdue
list must open that case's detail (AppTest cannot select a row of the grid);
the league table's Excel must arrive and leave an audit entry; on the wall
screen no case and no download. No request may leave the machine.
Screenshots of every section go to var/screenshots/outcomes-*.png and
outcomes-projection-*.png for a person to look at.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import fastexcel
import pytest
from browser import chromium_page, external_urls, requested_urls, running_app

from config.settings import DeadlineRules
from data import audit
from data.db import make_engine
from queries import outcomes
from queries.filters import CaseFilter, add_months
from services.demo import build_demo
from text.formatting import format_count, format_rate

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
DEMO_CASES = 3000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[str, CaseFilter]:
    url = f"sqlite:///{tmp_path_factory.mktemp('outcomes-browser') / 'demo.sqlite'}"
    engine = make_engine(url)
    try:
        build_demo(engine, cases=DEMO_CASES, seed=7)
    finally:
        engine.dispose()
    month = add_months(date.today(), -1)  # the page's default: the last complete month
    return url, CaseFilter.for_month(month.year, month.month)


def wait_for_page(page, tables: int) -> None:
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
    page.wait_for_function(
        f"document.querySelectorAll('[data-testid=\"stDataFrame\"], [data-testid=\"stTable\"]').length >= {tables}",
        timeout=120_000,
    )
    # The backlog trend: inline SVG (dashboard/charts/svg.py), its two lines drawn.
    page.wait_for_selector('svg[data-chart="lines"] circle', timeout=120_000)
    page.wait_for_timeout(800)  # fonts and the grids' last layout pass


def section_screenshots(page, name: str) -> int:
    """One screenshot at the top, then one with each section's heading at the top of the window."""
    page.screenshot(path=str(SCREENSHOTS / f"{name}-0.png"))
    headings = page.locator('[data-testid="stMain"] h3')
    for i in range(headings.count()):
        headings.nth(i).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{i + 1}.png"))
    return headings.count()


def tiles(page) -> list[str]:
    return [e.inner_text().strip() for e in page.query_selector_all('[data-testid="stMetricValue"]')]


def test_outcomes_in_chromium(demo):
    url, flt = demo
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        rates = outcomes.deadline_rates(engine, flt, DeadlineRules())
        lists = outcomes.deadline_lists(engine, flt, DeadlineRules())
    finally:
        engine.dispose()
    first_overdue = lists["overdue"]["case_number"][0]
    with running_app(url, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base, chromium_page(1920, 1080) as page:
        page.goto(f"{base}/outcomes?month={flt.start:%Y-%m}")
        wait_for_page(page, tables=5)  # and the league, an HTML table at the desk
        page.wait_for_selector('table[data-table="outcomes.league"]', timeout=120_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("h1").first.inner_text().startswith("办理成效")
        shown = tiles(page)
        assert shown[0] == format_rate(rates["on_time_rate"])
        assert shown[1] == format_count(lists["counts"][("overdue", "statutory")])
        assert shown[3] == format_rate(rates["on_time_rate_3_7_21"])
        assert section_screenshots(page, "outcomes") >= 6  # pipeline ... case detail, under the sidebar's heading

        # A click on the first row's box in the overdue list opens that case below.
        grid = page.locator('[data-testid="stDataFrame"]').nth(1)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
        page.wait_for_function(
            f"Array.from(document.querySelectorAll('[data-testid=\"stTable\"]')).some("
            f"t => t.innerText.includes({first_overdue!r}))", timeout=60_000)
        page.locator('[data-testid="stTable"]').first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / "outcomes-case.png"))

        # The league's Excel arrives, and the download is in the audit log.
        button = page.get_by_role("button", name="下载 Excel（将记入审计日志）")
        with page.expect_download(timeout=60_000) as download:
            button.click()
        data = Path(download.value.path()).read_bytes()
        sheet = fastexcel.read_excel(io.BytesIO(data).getvalue()).load_sheet(0).to_polars()
        assert sheet.columns[:3] == ["排名", "责任单位", "信访量"]
        engine = make_engine(url)
        try:
            entries = audit.search(engine, action="download")
        finally:
            engine.dispose()
        assert entries.select("username", "object", "outcome").rows()[0] == (
            "demo-office", f"league:league-unit-{flt.start:%Y-%m}.xlsx", "success")

        # The wall screen: the figures in large type; no case, no download.
        page.goto(f"{base}/outcomes?month={flt.start:%Y-%m}&projection=1")
        wait_for_page(page, tables=4)
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
        assert page.get_by_role("button", name="下载 Excel（将记入审计日志）").count() == 0
        assert first_overdue not in page.inner_text("body")
        assert tiles(page)[0] == format_rate(rates["on_time_rate"])
        size = page.locator('[data-testid="stTable"] td').first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 20
        assert section_screenshots(page, "outcomes-projection") == 5

        assert external_urls(requested_urls(page)) == []
