"""The monthly trends page in headless Chromium at 1920×1080: every tab's charts drawn, nothing fetched from outside.

Screenshots of each tab, normal and projected, go to var/screenshots/trends-*.png for a person to look at.
An Excel download is clicked for real: the file arrives and the audit log records it.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from browser import chromium_page, external_urls, requested_urls, running_app
from sqlalchemy import select

from data.db import make_engine
from data.models import AuditEntry

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
DEMO_CASES = 3000
TABS = (("received", "信访量"), ("rates", "办理质效"), ("rising", "异常上升"), ("hot_words", "热词"))

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('trends-browser') / 'demo.sqlite'}"
    done = subprocess.run([sys.executable, "-m", "dashboard", "demo", "--cases", str(DEMO_CASES), "--seed", "7",
                           "--db", url, "--quiet"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return url


def settled(page) -> None:
    """Wait until the script run is over, no spinner is left, and the open tab's charts have drawn."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stSpinner\"]').length === 0",
        timeout=120_000,
    )
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-testid=\"stTabPanel\"]'))"
        ".filter(p => p.offsetParent !== null)"
        ".every(p => Array.from(p.querySelectorAll('.js-plotly-plot'))"
        "       .every(c => c.querySelectorAll('.main-svg .trace').length >= 1))",
        timeout=120_000,
    )
    page.wait_for_timeout(700)  # fonts and the last layout pass before a screenshot


def open_tab(page, label: str) -> None:
    page.locator('[data-testid="stTab"]', has_text=label).first.click()
    page.wait_for_timeout(500)
    settled(page)


def drawn_traces(page) -> int:
    return page.evaluate("document.querySelectorAll('.js-plotly-plot .main-svg .trace').length")


def screenshot_each_tab(page, name: str) -> None:
    for key, label in TABS:
        open_tab(page, label)
        # Every tab draws a chart, but the rising tab of a month without a rise (its message instead).
        assert drawn_traces(page) >= 1 or (key == "rising" and page.get_by_text("没有异常上升").count()), key
        assert page.locator('[data-testid="stException"]').count() == 0, key
        page.screenshot(path=str(SCREENSHOTS / f"trends-{name}-{key}.png"))


def test_trends_in_chromium_draws_every_tab_offline(demo_db):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with running_app(demo_db, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base, chromium_page(1920, 1080) as page:
        page.goto(f"{base}/trends")
        page.wait_for_selector('[data-testid="stTab"]', timeout=120_000)
        settled(page)
        assert page.get_by_text("环比、同比").first.is_visible()
        screenshot_each_tab(page, "normal")
        # The hot words tab is open: a click on the first word's bar lists its cases (number and date only).
        bar = page.locator(".js-plotly-plot .barlayer .point path").first.bounding_box()
        page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        assert page.get_by_text("只显示编号和登记日期").count() == 1
        settled(page)
        page.screenshot(path=str(SCREENSHOTS / "trends-normal-hot_words-cases.png"))

        page.goto(f"{base}/trends?projection=1")
        page.wait_for_selector('[data-testid="stTab"]', timeout=120_000)
        settled(page)
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert page.locator('[data-testid="stDownloadButton"]').count() == 0  # no downloads on the wall
        # Large type: a tab's label is at least 20 px on the wall screen.
        size = page.locator('[data-testid="stTab"] p').first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 20
        screenshot_each_tab(page, "projection")

        assert external_urls(requested_urls(page)) == []


def test_an_excel_download_arrives_and_is_audited(demo_db):
    import fastexcel

    with running_app(demo_db, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base, chromium_page(1920, 1080) as page:
        page.goto(f"{base}/trends")
        page.wait_for_selector('[data-testid="stTab"]', timeout=120_000)
        settled(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="数据（Excel）").click()
        name = download.value.suggested_filename
        assert name.startswith("trends-received-category-") and name.endswith("-stacked.xlsx")
        sheet = fastexcel.read_excel(io.BytesIO(Path(download.value.path()).read_bytes()).getvalue()).load_sheet(0)
        assert sheet.to_polars().columns == ["月份", "问题类别", "信访量", "上年同期"]
        assert external_urls(requested_urls(page)) == []
    engine = make_engine(demo_db)
    try:
        with engine.connect() as conn:
            entries = conn.execute(select(AuditEntry.username, AuditEntry.object)
                                   .where(AuditEntry.action == "download")).all()
    finally:
        engine.dispose()
    assert [(user, obj) for user, obj in entries] == [("demo-office", name)]
