"""The overview in headless Chromium at 1920×1080: the tiles show the numbers of `report --month`.

Screenshots go to var/screenshots/overview.png and overview-projection.png
for a person to look at (CJK glyphs, overlaps, empty charts).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import chromium_page, external_urls, requested_urls, running_app

from text.formatting import format_count, format_rate

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
DEMO_CASES = 3000
TILES = (
    ("received", "count"),
    ("first_time_resolution_rate", "rate"),
    ("on_time_rate", "rate"),
    ("satisfaction_rate_office", "rate"),
    ("overdue_open", "count"),
    ("backlog", "count"),
)

pytestmark = pytest.mark.browser


def cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.sqlite'}"
    cli("demo", "--cases", str(DEMO_CASES), "--seed", "7", "--db", url)
    return url


def wait_for_overview(page) -> None:
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    # The trend (inline SVG, no Plotly) and the two top-10 lists have drawn their bars.
    page.wait_for_function("document.querySelectorAll('svg[data-chart=\"trend\"] rect').length >= 13"
                           " && document.querySelectorAll('[data-chart=\"ranked\"]').length >= 2", timeout=60_000)
    page.wait_for_timeout(500)  # let fonts and the last layout pass settle before the screenshot


def tile_texts(page) -> list[str]:
    return [el.inner_text().strip() for el in page.query_selector_all('[data-testid="stMetricValue"]')]


def expected(report: dict) -> list[str]:
    return [format_rate(report[name]) if kind == "rate" else format_count(report[name]) for name, kind in TILES]


def test_overview_in_chromium_shows_the_report_figures(demo_db):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The demo log-in (an office account) is honoured only on a demo database.
    with running_app(demo_db, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base, chromium_page(1920, 1080) as page:
        page.goto(base + "/")
        wait_for_overview(page)
        # The app writes the month it shows into the URL.
        month = parse_qs(urlsplit(page.url).query)["month"][0]
        report = json.loads(cli("report", "--month", month, "--format", "json", "--db", demo_db))
        assert report["received"] > 0
        assert tile_texts(page) == expected(report)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "演示数据" in page.inner_text("body")
        assert page.locator('[data-testid="stSidebar"]').is_visible()
        page.screenshot(path=str(SCREENSHOTS / "overview.png"))

        page.goto(f"{base}/?projection=1&month={month}")
        wait_for_overview(page)
        assert tile_texts(page) == expected(report)
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert not page.locator('[data-testid="stToolbar"]').is_visible()
        assert page.get_by_text("退出投屏").is_visible()
        # Large type: a tile's figure is at least 56 px high on the wall screen.
        size = page.locator('[data-testid="stMetricValue"]').first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 56
        page.screenshot(path=str(SCREENSHOTS / "overview-projection.png"))

        assert external_urls(requested_urls(page)) == []
        # No chart library on the overview: Plotly's 4.7 MB chunk is not even fetched.
        assert not [u for u in requested_urls(page) if "PlotlyChart" in u]
