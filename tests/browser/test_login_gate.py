"""In headless Chromium: a visitor who has not logged in gets the log-in form and nothing else, on every URL.

Then the same browser logs in through the form and sees the figures, and
logs out back to the form: the gate is the only way in.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser import chromium_page, external_urls, requested_urls, running_app

from data.db import make_engine
from queries import reference

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Browser-Test-Pass-9"
# Every page of dashboard/app.py (url path = file name without .py; the default page is "/"),
# the log-in page itself, a page that does not exist, and a bookmark with filters.
URLS = ("/", "/overview", "/map", "/audit", "/login", "/no-such-page", "/?month=2026-01&township=1&projection=1")

pytestmark = pytest.mark.browser


def cli(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=REPO_ROOT, capture_output=True, text=True,
        input=stdin, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('gate') / 'demo.sqlite'}"
    cli("demo", "--cases", "400", "--seed", "3", "--quiet", "--db", url)
    cli("users", "add", "browser-office", "--role", "office", "--db", url, stdin=PASSWORD + "\n")
    return url


def names_in(db_url: str) -> list[str]:
    engine = make_engine(db_url)
    try:
        return reference.townships(engine)["name"].to_list() + reference.parks(engine)["name"].to_list()
    finally:
        engine.dispose()


def wait_for_login_form(page) -> None:
    page.wait_for_selector('input[type="password"]', timeout=60_000)
    page.wait_for_timeout(1000)  # let any late element (a page that should not be there) arrive


def test_unauthenticated_browser_sees_only_the_log_in_form(demo_db, monkeypatch):
    monkeypatch.delenv("DASHBOARD_DEMO_LOGIN", raising=False)
    names = names_in(demo_db)
    assert names  # the demo county has townships and parks whose names must not leak
    with running_app(demo_db, env={"DASHBOARD_DEMO_LOGIN": "0"}) as base, chromium_page() as page:
        for path in URLS:
            page.goto(base + path)
            wait_for_login_form(page)
            html = page.content()
            body = page.inner_text("body")
            assert page.locator('[data-testid="stMetricValue"]').count() == 0, path
            assert page.locator(".js-plotly-plot").count() == 0, path
            assert page.locator("iframe").count() == 0, path  # no map
            assert page.locator('[data-testid="stDataFrame"]').count() == 0, path
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0, path  # no page list
            assert "用户名" in body and "密码" in body, path
            leaked = [name for name in names if name in html]
            assert leaked == [], (path, leaked)
            assert "演示数据" not in body, path
        assert external_urls(requested_urls(page)) == []


def test_log_in_through_the_form_then_log_out(demo_db, monkeypatch):
    monkeypatch.delenv("DASHBOARD_DEMO_LOGIN", raising=False)
    with running_app(demo_db, env={"DASHBOARD_DEMO_LOGIN": "0"}) as base, chromium_page() as page:
        page.goto(base + "/")
        wait_for_login_form(page)
        page.get_by_label("用户名").fill("browser-office")
        page.get_by_label("密码").fill("Wrong-Password-1")
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector("text=用户名或密码不正确", timeout=30_000)
        assert page.locator('[data-testid="stMetricValue"]').count() == 0

        page.get_by_label("用户名").fill("browser-office")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
        assert page.locator('[data-testid="stMetricValue"]').count() == 6
        # The session token is nowhere in the URL.
        assert "token" not in page.url

        page.get_by_role("button", name="退出登录").click()
        wait_for_login_form(page)
        assert page.locator('[data-testid="stMetricValue"]').count() == 0
        assert "已退出登录" in page.inner_text("body")
