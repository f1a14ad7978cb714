"""The receptions page (领导接访) in headless Chromium at 1920×1080, on the demo county.

Checks that the month calendar draws as a Monday-to-Sunday grid with today
marked, that the Excel download arrives and is audited, that projection mode
shows the calendar and the records large with nothing to click but the way
out, and that no request leaves the app's host. Screenshots go to
var/screenshots/receptions-*.png for a person to look at.
"""

from __future__ import annotations

import calendar
import subprocess
import sys
from pathlib import Path

import pytest
from browser import chromium_page, external_urls, requested_urls, running_app

from config.clock import local_today
from data import audit
from data.db import make_engine

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
DEMO_CASES = 3000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.sqlite'}"
    done = subprocess.run([sys.executable, "-m", "dashboard", "demo", "--cases", str(DEMO_CASES), "--seed", "7",
                           "--db", url, "--quiet"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return url


def wait_for_calendar(page) -> None:
    page.wait_for_selector("text=星期日", timeout=60_000)
    page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] strong')]"
        ".filter(e => /^\\d+$/.test(e.textContent)).length >= 28", timeout=60_000)
    page.wait_for_timeout(800)  # fonts and the last layout pass, before a screenshot


def day_numbers(page) -> list[int]:
    """The bold day numbers of the calendar, in page order (days of the shown month only)."""
    texts = page.eval_on_selector_all('[data-testid="stMarkdownContainer"] strong', "els => els.map(e => e.textContent)")
    return [int(x) for x in texts if x.isdigit()]


def test_receptions_in_chromium(demo_db):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    today = local_today()
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    with running_app(demo_db, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base, chromium_page(1920, 1080) as page:
        page.goto(base + "/receptions")
        wait_for_calendar(page)
        # This month, every day once, in order, Monday first; today marked.
        assert day_numbers(page) == list(range(1, days_in_month + 1))
        headers = page.eval_on_selector_all('[data-testid="stMarkdownContainer"] strong',
                                            "els => els.map(e => e.textContent).filter(t => t.startsWith('星期'))")
        assert headers == ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
        assert page.get_by_text("今天", exact=True).is_visible()
        # The first of the month sits under its weekday: as many cells before it as weekdays before.
        first = page.locator('[data-testid="stMarkdownContainer"] strong', has_text="1").first.bounding_box()
        monday = page.get_by_text("星期一", exact=True).bounding_box()
        column_width = page.get_by_text("星期二", exact=True).bounding_box()["x"] - monday["x"]
        assert round((first["x"] - monday["x"]) / column_width) == today.replace(day=1).weekday()
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(SCREENSHOTS / "receptions-calendar.png"))

        # The sheet arrives, made on the click, and the click is in the audit log.
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="下载接访安排表（Excel）").click()
        path = download.value.path()
        assert Path(path).read_bytes()[:2] == b"PK"
        assert download.value.suggested_filename == f"接访安排表-{today:%Y-%m}.xlsx"

        page.get_by_role("tab", name="安排列表").click()
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        page.wait_for_timeout(800)
        page.screenshot(path=str(SCREENSHOTS / "receptions-agenda.png"))

        page.get_by_role("tab", name="领导接访包案情况").click()
        page.wait_for_selector("text=全县化解率", timeout=60_000)
        page.wait_for_selector("text=积压", timeout=60_000)  # the leader's backlog list, under the table
        page.wait_for_timeout(800)
        page.screenshot(path=str(SCREENSHOTS / "receptions-records.png"))
        page.get_by_text("单个领导", exact=True).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / "receptions-leader.png"))

        page.goto(base + "/receptions?projection=1")
        wait_for_calendar(page)
        page.wait_for_selector('[data-testid="stTable"]', timeout=60_000)
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        # Nothing to click on the page but the way out (and the log-out at its foot); the wall screen's
        # own page switcher (dashboard/wall.py) is the shell's, not the page's.
        buttons = page.eval_on_selector_all(
            "button", "els => els.filter(e => e.offsetParent && !e.closest('.st-key-wall_switcher'))"
                      ".map(e => e.innerText)")
        # (A button's text starts with its Material icon's ligature name: its last line is the label.)
        assert [b for b in buttons if b.strip().splitlines()[-1] not in ("退出投屏", "退出登录")] == []
        assert page.locator('[data-testid="stDataFrame"]').count() == 0  # no case list
        size = page.locator('[data-testid="stTable"] td').first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 20  # wall-sized type
        page.screenshot(path=str(SCREENSHOTS / "receptions-projection.png"))
        page.locator('[data-testid="stTable"]').scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / "receptions-projection-records.png"))

        assert external_urls(requested_urls(page)) == []
    engine = make_engine(demo_db)
    try:
        exports = audit.search(engine, action="export").select("username", "object", "outcome").rows()
    finally:
        engine.dispose()
    assert exports == [("demo-office", f"receptions:接访安排表-{today:%Y-%m}.xlsx", "success")]
