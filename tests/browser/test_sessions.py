"""Daily use in headless Chromium (issue 14, issue 15 items 6 and 7, the front door's headers).

On a database with accounts (not a demo): a reload and a second tab keep the
session, log-out ends it everywhere, an idle session ends, the cookie carries
the token and nothing else with the flags it should, a deep link lands on its
page and filters after the log-in, a bad URL parameter still gets the form, the
wall-screen account switches pages by keyboard, plays a playlist and is
refused a page its role may not open. On the demo: the automatic log-in keeps
one session per browser and log-out holds. Everywhere: no "Page not found" and
none of Streamlit's English words in the Chinese interface; the headers that
keep the app out of foreign frames; /_stcore/metrics closed without a session.

Screenshots go to var/screenshots/ (wall-*.png, login-deep-link.png).
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import chromium_page, external_urls, requested_urls, running_app

from dashboard import sessions
from data.db import bump_data_version, make_engine
from queries import reference
from services import auth

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
PASSWORD = "Browser-Test-Pass-9"
TILES = '[data-testid="stMetricValue"]'
PASSWORD_FIELD = 'input[type="password"]'
# Streamlit's own words that must not reach a Chinese page (what the app can replace or avoid).
STREAMLIT_ENGLISH = (
    "Page not found", "You have requested page", "Running the app's main page", "Upload", "per file",
    "Drag and drop", "Browse files", "Skip to main content", "This app has encountered an error",
    "Choose an option", "Deploy",
)
# Latin words a Chinese page may show: the language switch's own name, file types named by our
# labels, the demo's account names.
ALLOWED_LATIN = {"English", "Excel", "JSON", "TOML", "csv", "xls", "xlsx", "demo", "office", "projection"}

pytestmark = pytest.mark.browser


def cli(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=REPO_ROOT, capture_output=True, text=True,
        input=stdin, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _county(path: Path, demo: bool) -> str:
    url = f"sqlite:///{path}"
    cli("demo", "--cases", "800", "--seed", "5", "--quiet", "--db", url)
    if not demo:
        # The same county as real data: the demo's automatic log-in is refused on it.
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                bump_data_version(conn, demo=False)
        finally:
            engine.dispose()
        cli("users", "add", "desk", "--role", "office", "--db", url, stdin=PASSWORD + "\n")
        cli("users", "add", "wall", "--role", "projection", "--db", url, stdin=PASSWORD + "\n")
    return url


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> str:
    return _county(tmp_path_factory.mktemp("sessions") / "county.sqlite", demo=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    return _county(tmp_path_factory.mktemp("sessions-demo") / "demo.sqlite", demo=True)


@pytest.fixture(scope="module")
def server(county):
    with running_app(county, env={"DASHBOARD_DEMO_LOGIN": "0"}) as base:
        yield base


def wait_for_login_form(page) -> None:
    page.wait_for_selector(PASSWORD_FIELD, timeout=60_000)
    page.wait_for_timeout(800)  # let any late element (a dialog, a page that should not be there) arrive


def wait_for_tiles(page) -> None:
    page.wait_for_function(
        f"[...document.querySelectorAll('{TILES}')].filter(t => t.innerText.trim()).length >= 6", timeout=60_000
    )


def log_in(page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def visible_text(page) -> str:
    """The page's text as a reader sees it: Material icons (ligature names) and key hints left out."""
    return page.evaluate("""() => {
        const hidden = [...document.querySelectorAll('[translate="no"][aria-hidden="true"], kbd')];
        const before = hidden.map(e => e.style.display);
        hidden.forEach(e => e.style.display = 'none');
        const text = document.body.innerText;
        hidden.forEach((e, i) => e.style.display = before[i]);
        return text;
    }""")


def assert_chinese_only(page, where: str) -> None:
    text = visible_text(page)
    assert [s for s in STREAMLIT_ENGLISH if s in text] == [], where
    assert page.locator('[data-testid="stDialog"]').count() == 0, where
    latin = set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED_LATIN
    assert latin == set(), (where, latin)


def session_cookie(page) -> dict:
    (cookie,) = [c for c in page.context.cookies() if c["name"] == sessions.COOKIE_NAME]
    return cookie


def user_of_token(db_url: str, token: str) -> str | None:
    engine = make_engine(db_url)
    try:
        user = auth.check_session(engine, token).user
    finally:
        engine.dispose()
    return user.username if user else None


def test_a_session_survives_a_reload_and_a_second_tab_and_log_out_ends_it(server, county):
    with chromium_page() as page:
        page.goto(server + "/")
        wait_for_login_form(page)
        log_in(page, "desk")
        wait_for_tiles(page)

        # The cookie: the token and nothing else, out of scripts' reach, this site only.
        cookie = session_cookie(page)
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"], cookie["path"]) == (True, "Strict", False, "/")
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie["value"])
        assert user_of_token(county, cookie["value"]) == "desk"
        assert sessions.COOKIE_NAME not in page.evaluate("document.cookie")
        assert cookie["value"] not in page.url and cookie["value"] not in page.content()

        page.reload()
        wait_for_tiles(page)
        assert page.locator(PASSWORD_FIELD).count() == 0
        second = page.context.new_page()
        second.goto(server + "/map")
        second.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
        assert second.locator(PASSWORD_FIELD).count() == 0

        page.get_by_role("button", name="退出登录").click()
        wait_for_login_form(page)
        assert "已退出登录" in page.inner_text("body")
        assert user_of_token(county, cookie["value"]) is None  # ended on the server
        page.reload()
        wait_for_login_form(page)
        assert page.locator(TILES).count() == 0
        # The other tab: its next click finds the session ended.
        second.locator('[data-testid="stSidebarNav"] a', has_text="总览").click()
        wait_for_login_form(second)
        assert second.locator(TILES).count() == 0


def test_a_deep_link_lands_on_its_page_and_filters_after_the_log_in(server, county):
    engine = make_engine(county)
    try:
        township = reference.townships(engine).row(0, named=True)
    finally:
        engine.dispose()
    link = f"/map?month=2026-06&township={township['id']}"
    with chromium_page() as page:
        page.goto(server + link)
        wait_for_login_form(page)
        assert_chinese_only(page, "log-in form of a deep link")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "login-deep-link.png"))
        log_in(page, "desk")
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
        parts = urlsplit(page.url)
        assert parts.path == "/map"
        assert parse_qs(parts.query)["month"] == ["2026-06"]
        assert parse_qs(parts.query)["township"] == [str(township["id"])]
        assert page.locator("h1").first.inner_text().startswith("信访分布地图 · 2026年6月")
        assert township["name"] in page.locator('[data-testid="stSidebar"]').inner_text()


@pytest.mark.parametrize("query", ["township=²", "township=" + "9" * 5000, "month=２０２６-０３&park=x"])
def test_a_bad_url_parameter_still_gets_the_log_in_form(server, query):
    with chromium_page() as page:
        page.goto(f"{server}/?{query}")
        wait_for_login_form(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert_chinese_only(page, query[:20])


def test_the_wall_screen_switches_pages_by_keyboard_plays_and_is_refused_what_its_role_may_not_open(server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium_page() as page:
        page.goto(server + "/")
        wait_for_login_form(page)
        log_in(page, "wall")
        wait_for_tiles(page)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOTS / "wall-overview.png"))
        # The switcher lists what the role may open, and nothing else.
        switcher = page.locator(".st-key-wall_switcher").inner_text()
        assert "总览" in switcher and "分布地图" in switcher
        assert "审计日志" not in switcher and "数据导入" not in switcher

        page.keyboard.press("ArrowRight")
        page.wait_for_url(re.compile(r"/map\?"), timeout=60_000)
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
        page.keyboard.press("1")
        page.wait_for_url(re.compile(r"/\?"), timeout=60_000)
        wait_for_tiles(page)
        page.keyboard.press("PageDown")  # what a presenter's remote sends
        page.wait_for_url(re.compile(r"/map\?"), timeout=60_000)

        # A client-side navigation to a page the role may not open: refused, in Chinese.
        page.evaluate("history.pushState({}, '', '/audit'); dispatchEvent(new PopStateEvent('popstate'))")
        page.wait_for_selector("text=您的账号无权查看此页面。", timeout=60_000)
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
        assert page.locator("h1", has_text="审计日志").count() == 0
        page.screenshot(path=str(SCREENSHOTS / "wall-refused.png"))

        # The playlist: the next page after ten seconds, by itself.
        page.goto(server + "/?playlist=overview,map&every=10")
        wait_for_tiles(page)
        assert page.get_by_role("button", name="暂停轮播").is_visible()
        page.wait_for_url(re.compile(r"/map\?.*playlist=overview%2Cmap"), timeout=30_000)
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOTS / "wall-map-playing.png"))
        page.wait_for_url(re.compile(r"/\?.*playlist=overview%2Cmap"), timeout=30_000)
        assert external_urls(requested_urls(page)) == []


def test_an_idle_session_ends(county):
    # Six seconds of idleness (DASHBOARD_SESSION_IDLE_MINUTES=0.1) instead of thirty minutes.
    env = {"DASHBOARD_DEMO_LOGIN": "0", "DASHBOARD_SESSION_IDLE_MINUTES": "0.1"}
    with running_app(county, env=env) as base, chromium_page() as page:
        page.goto(base + "/")
        wait_for_login_form(page)
        log_in(page, "desk")
        wait_for_tiles(page)
        page.wait_for_timeout(7_000)
        page.reload()
        wait_for_login_form(page)
        assert "长时间未操作，已自动退出，请重新登录。" in page.inner_text("body")


def test_the_headers_and_the_metrics_endpoint(server):
    with urllib.request.urlopen(server + "/map") as answer:
        assert answer.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert answer.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server + "/_stcore/metrics")
    assert refused.value.code == 403
    with chromium_page() as page:
        page.goto(server + "/")
        wait_for_login_form(page)
        log_in(page, "desk")
        wait_for_tiles(page)
        answer = page.request.get(server + "/_stcore/metrics")  # the browser's cookie goes along
        assert answer.status == 200


def test_the_demo_keeps_one_session_per_browser_and_log_out_holds(demo):
    with running_app(demo, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base, chromium_page() as page:
        pages = ["/", "/map", "/audit", "/data_import", "/no-such-page", "/login", "/?projection=1"]
        page.goto(base + "/")
        wait_for_tiles(page)
        token = session_cookie(page)["value"]
        for path in pages:
            page.goto(base + path)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
            page.wait_for_timeout(1500)
            assert_chinese_only(page, path)
        assert session_cookie(page)["value"] == token  # one session, not one per page load
        second = page.context.new_page()
        second.goto(base + "/")
        wait_for_tiles(second)
        assert session_cookie(second)["value"] == token

        page.goto(base + "/")
        wait_for_tiles(page)
        page.get_by_role("button", name="退出登录").click()
        wait_for_login_form(page)
        page.reload()
        wait_for_login_form(page)  # the demo does not log the visitor in again by itself ...
        assert_chinese_only(page, "log-in form after log-out")
        page.get_by_role("button", name="进入演示（免登录）").click()  # ... until asked
        wait_for_tiles(page)
        assert session_cookie(page)["value"] != token
        assert external_urls(requested_urls(page)) == []
